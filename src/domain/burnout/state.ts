// The per-agent model state, laid out for 100,000 agents per process (issue #3): every number of an
// agent lives in ONE plain number[] (`d`), which V8 keeps as a packed array of unboxed doubles — one
// contiguous allocation, so a signal touches a few cache lines instead of a dozen objects (separate
// fields holding epoch-ms times would each be a boxed heap number). Contact slots are fixed-size
// records inside the same array. A plain array (not a Float64Array) so that the engine's snapshot,
// JSON.stringify → JSON.parse, restores a working state verbatim. No −0, NaN or ±Infinity is ever
// stored (JSON has none of them): writes that could produce −0 add `+ 0`.

export type Level = 'low' | 'moderate' | 'high' | 'critical';
export const LEVELS: readonly Level[] = ['low', 'moderate', 'high', 'critical'];

/**
 * The inputs an index point can be attributed to. The first nine split the acute reservoir A (each
 * interaction's load is split over them and every part decays with A's multiplier, so the parts keep
 * adding up to A exactly); `chronic` is the chronic reservoir C.
 */
export const ACUTE_FACTORS = [
  'base',
  'handleTime',
  'negativeSentiment',
  'abuse',
  'targetedAbuse',
  'escalation',
  'transfer',
  'hold',
  'streak',
] as const;
export type AcuteFactor = (typeof ACUTE_FACTORS)[number];
export type Factor = AcuteFactor | 'chronic';
export const FACTORS: readonly Factor[] = [...ACUTE_FACTORS, 'chronic'];

export const F_BASE = 0;
export const F_HANDLE = 1;
export const F_NEGATIVE = 2;
export const F_ABUSE = 3;
export const F_TARGETED = 4;
export const F_ESCALATION = 5;
export const F_TRANSFER = 6;
export const F_HOLD = 7;
export const F_STREAK = 8;
export const ACUTE_COUNT = ACUTE_FACTORS.length;

/** What the agent is doing when not handling a contact (handling is derived from D_BUSY). */
export const MODE_AVAILABLE = 0; // available, or idle with a non-rest included code
export const MODE_REST = 1; // break, lunch, wellness break, rest idle code
export const MODE_LOGGED_OUT = 2;
export const MODE_EXCLUDED = 3; // idle code with burnoutInclusion EXCLUDED: time does not enter the model

// Offsets of the agent's numbers in `d`.
export const D_MODE = 0;
/** Chronic reservoir C (load units). */
export const D_C = 1;
/** Contacts connected or in wrap-up; > 0 means "handling". */
export const D_BUSY = 2;
/** Start of the current continuous-engagement streak (ms). */
export const D_STREAK_START = 3;
/** When the agent last stopped handling (ms), −1 if never. */
export const D_FREE_SINCE = 4;
/** A played break recovers at the rest half-life until this time (ms). */
export const D_REST_UNTIL = 5;
export const D_LOGGED_OUT_SINCE = 6;
export const D_EXCLUDED_SINCE = 7;
/** Load of this shift's abusive contacts, for the shift-end move into C. */
export const D_DAY_ABUSE = 8;
/** Acute reservoir A split by ACUTE_FACTORS (load units): d[D_A + F_*]; A = their sum. */
export const D_A = 9;
/** First contact slot; slot i starts at D_SLOTS + i × SLOT_SIZE. */
export const D_SLOTS = D_A + ACUTE_COUNT;

// Fields of one contact slot, relative to its start (`o`, the slot's offset in `d`).
/**
 * The contact's interaction id as idHash(id), −1 for a free slot. A number, not the string: finding
 * a contact then reads only `d` (no array of strings to chase, no id string kept alive), and the
 * state stays one packed array. See idHash for why a hash is safe here.
 */
export const S_ID = 0;
/** Phase: PHASE_*. */
export const S_PHASE = 1;
export const S_CHANNEL = 2;
/** Connected at (ms). */
export const S_START = 3;
/** Ended at (ms): the start of wrap-up. */
export const S_END = 4;
/** On hold since (ms), −1 when not on hold. */
export const S_HOLD_START = 5;
export const S_HOLD_MS = 6;
/** FLAG_* bits. */
export const S_FLAGS = 7;
/** Customer-utterance sentiment sum and count (mean = sum / count). */
export const S_SENT_SUM = 8;
export const S_SENT_N = 9;
/** Most negative per-interaction score from a `sentiment` signal; 0 when none arrived. */
export const S_SCORE = 10;
/** Most concurrent chat sessions (this one included) seen while this chat was connected. */
export const S_PEERS = 11;
/** Fixed when the contact ends, reused when late information updates its load. */
export const S_HANDLE_FACTOR = 12;
export const S_STREAK_FACTOR = 13;
export const SLOT_SIZE = 14;

/** Phase of one in-flight contact slot. */
export const PHASE_FREE = 0;
export const PHASE_OFFERED = 1; // ringing: not yet handling
export const PHASE_CONNECTED = 2; // handling
export const PHASE_WRAPUP = 3; // load already added; still handling until wrap-up is done

export const CHANNEL_VOICE = 0;
export const CHANNEL_CHAT = 1;
export const CHANNEL_EMAIL = 2;
export const CHANNEL_NAMES = ['voice', 'chat', 'email'] as const;

/** Contact flag bits. Flags only ever get set, so late information can only add difficulty. */
export const FLAG_ESCALATION = 1;
export const FLAG_TRANSFERRED = 2;
export const FLAG_ABUSIVE = 4;
export const FLAG_TARGETED = 8;
/** Sentiment severity already charged when the load was added (kept so a late update never lowers it). */
export const FLAG_NEGATIVE_MILD = 16;
export const FLAG_NEGATIVE_STRONG = 32;

export interface AgentModelState {
  /** Snapshot format version of this layout. */
  v: 2;
  /** Time (ms) up to which the reservoirs have been decayed. */
  t: number;
  level: Level;
  /** Every other number of the agent: the D_* fields, then the contact slots (S_* fields each). */
  d: number[];
  /** Queue id of the contact in slot i ('' when free or unknown); only read when a contact ends. */
  queues: string[];
  /** Times (ms) the most recent abusive contacts became abusive, oldest first. */
  abuse: number[];
  /**
   * The agent's slot in the org's Baselines as the model last found it (a SlotHint, baselines.ts): a
   * cache, checked before it is used, −1 when unknown. A snapshot may carry it; a restore from the binary
   * image sets it again, any other restore leaves it to that check.
   */
  bs: number;
}

/** One in-flight contact, decoded from its slot (for tests and debugging: see contactsOf). */
export interface ContactSlot {
  /** idHash of the interaction id. */
  idHash: number;
  queue: string;
  channel: number;
  phase: number;
  start: number;
  end: number;
  holdStart: number;
  holdMs: number;
  flags: number;
  sentSum: number;
  sentN: number;
  score: number;
  peers: number;
  handleFactor: number;
  streakFactor: number;
}

// Built with a non-integer first so V8 gives it (and the slots copied from it) double elements from
// the start: no elements-kind transition, no reallocation, on the first fractional value written.
/** A free slot. Its defaults are those of a fresh contact, so taking it needs no reset of them. */
export const FREE_SLOT = doubles([-1, PHASE_FREE, CHANNEL_VOICE, 0, 0, -1, 0, 0, 0, 0, 0, 1, 1, 1]);
const FREE_QUEUE: readonly string[] = [''];

function doubles(values: number[]): number[] {
  const out = [0.5];
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

export function createAgentState(now: number): AgentModelState {
  // One literal, not a copy of templates: V8 then allocates the array and its elements together
  // (and, for agents created in bulk, straight in old space), so they tend to share cache lines.
  // Values in D_* order, then one free slot (= FREE_SLOT): almost every agent handles a contact, and
  // one slot is all a voice agent needs. An agent appears when the first signal about them arrives,
  // so assume logged in (MODE_AVAILABLE). D_FREE_SINCE = −1: never stopped handling yet.
  // prettier-ignore
  const d = [
    MODE_AVAILABLE, 0, 0, now, -1, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0,
    -1, PHASE_FREE, CHANNEL_VOICE, 0, 0, -1, 0, 0, 0, 0, 0, 1, 1, 1,
  ];
  return { v: 2, t: now, level: 'low', d, queues: [''], abuse: [], bs: -1 };
}

/** Number of contact slots the state has room for. */
export const slotCount = (state: AgentModelState): number => state.queues.length;

/** Offset in `d` of slot i. */
export const slotOffset = (i: number): number => D_SLOTS + i * SLOT_SIZE;

/** Adds one free slot (rare: only when more contacts are in flight at once than ever before). */
export function growSlots(state: AgentModelState): void {
  state.d = state.d.concat(FREE_SLOT);
  state.queues = state.queues.concat(FREE_QUEUE);
}

/** Sets slot i up for a new contact. */
export function resetSlot(state: AgentModelState, i: number, idHash: number, queue: string, channel: number, phase: number, now: number): void {
  const d = state.d;
  const o = slotOffset(i);
  for (let f = 0; f < SLOT_SIZE; f++) d[o + f] = FREE_SLOT[f];
  d[o + S_ID] = idHash;
  d[o + S_PHASE] = phase;
  d[o + S_CHANNEL] = channel;
  d[o + S_START] = now;
  state.queues[i] = queue;
}

/** Frees slot i (its numbers are reset when it is taken again). */
export function freeSlot(state: AgentModelState, i: number): void {
  const o = slotOffset(i);
  state.d[o + S_ID] = -1;
  state.d[o + S_PHASE] = PHASE_FREE;
  state.queues[i] = '';
}

/**
 * A 52-bit hash of an interaction id, ≥ 0 and exact as a double: two 32-bit multiplicative lanes
 * over the id's UTF-16 units taken two at a time (charCodeAt is most of the cost, ~2.5 ns a call
 * here), mixed at the end (murmur3's finaliser) so every input bit reaches every output bit. A contact
 * is recognised by it alone: a wrong match needs two contacts of the same agent in flight at once
 * with equal hashes — odds around 2^−52 per pair, far below the rate of lost or garbled signals the
 * model already tolerates. Every step (x ^ w) × odd is invertible, so ids that differ anywhere
 * leave different lane states.
 */
export function idHash(id: string): number {
  const n = id.length;
  let a = 0x811c9dc5 ^ n;
  let b = 0x9747b28c;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const w = id.charCodeAt(i) | (id.charCodeAt(i + 1) << 16);
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x5bd1e995);
  }
  if (i < n) {
    a = Math.imul(a ^ id.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ id.charCodeAt(i), 0x5bd1e995);
  }
  a = fmix(a ^ Math.imul(b, 0x27d4eb2f));
  b = fmix(b ^ a);
  return (a >>> 0) * 0x100000 + (b >>> 12);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export function acuteTotal(d: readonly number[]): number {
  let sum = 0;
  for (let i = D_A; i < D_A + ACUTE_COUNT; i++) sum += d[i];
  return sum;
}

/** The state's contacts in flight, decoded. */
export function contactsOf(state: AgentModelState): ContactSlot[] {
  const out: ContactSlot[] = [];
  const d = state.d;
  for (let i = 0; i < slotCount(state); i++) {
    const o = slotOffset(i);
    if (d[o + S_PHASE] === PHASE_FREE) continue;
    out.push({
      idHash: d[o + S_ID],
      queue: state.queues[i],
      channel: d[o + S_CHANNEL],
      phase: d[o + S_PHASE],
      start: d[o + S_START],
      end: d[o + S_END],
      holdStart: d[o + S_HOLD_START],
      holdMs: d[o + S_HOLD_MS],
      flags: d[o + S_FLAGS],
      sentSum: d[o + S_SENT_SUM],
      sentN: d[o + S_SENT_N],
      score: d[o + S_SCORE],
      peers: d[o + S_PEERS],
      handleFactor: d[o + S_HANDLE_FACTOR],
      streakFactor: d[o + S_STREAK_FACTOR],
    });
  }
  return out;
}
