// The per-agent model state: a flat, JSON-serialisable object (the engine snapshots it with
// JSON.stringify and restores it with JSON.parse). Numbers and short arrays only — no Maps, no
// classes — so 100,000 agents stay within the memory budget and a snapshot restores verbatim.

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

/** What the agent is doing when not handling a contact (handling is derived from `busy`). */
export const MODE_AVAILABLE = 0; // available, or idle with a non-rest included code
export const MODE_REST = 1; // break, lunch, wellness break, rest idle code
export const MODE_LOGGED_OUT = 2;
export const MODE_EXCLUDED = 3; // idle code with burnoutInclusion EXCLUDED: time does not enter the model

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

/** One in-flight contact. Slots are reused (id '' = free) so steady state allocates nothing. */
export interface ContactSlot {
  id: string;
  queue: string;
  channel: number;
  phase: number;
  /** Connected at (ms). */
  start: number;
  /** Ended at (ms): the start of wrap-up. */
  end: number;
  /** On hold since (ms), −1 when not on hold. */
  holdStart: number;
  holdMs: number;
  flags: number;
  /** Customer-utterance sentiment sum and count (mean = sum / count). */
  sentSum: number;
  sentN: number;
  /** Most negative per-interaction score from a `sentiment` signal; 0 when none arrived. */
  score: number;
  /** Most concurrent chat sessions (this one included) seen while this chat was connected. */
  peers: number;
  /** Fixed when the contact ends, reused when late information updates its load. */
  handleFactor: number;
  streakFactor: number;
}

export interface AgentModelState {
  /** Snapshot format version. */
  v: 1;
  /** Time (ms) up to which the reservoirs have been decayed. */
  t: number;
  mode: number;
  level: Level;
  /** Acute reservoir A split by ACUTE_FACTORS (load units); A = the sum. */
  a: number[];
  /** Chronic reservoir C (load units). */
  c: number;
  /** Contacts connected or in wrap-up; > 0 means "handling". */
  busy: number;
  /** Start of the current continuous-engagement streak (ms). */
  streakStart: number;
  /** When the agent last stopped handling (ms), −1 if never. */
  freeSince: number;
  /** A played break recovers at the rest half-life until this time (ms). */
  restUntil: number;
  loggedOutSince: number;
  excludedSince: number;
  /** Load of this shift's abusive contacts, for the shift-end move into C. */
  dayAbuse: number;
  /** Times (ms) the most recent abusive contacts became abusive, oldest first. */
  abuse: number[];
  contacts: ContactSlot[];
}

export function createAgentState(now: number): AgentModelState {
  return {
    v: 1,
    t: now,
    // An agent appears when the first signal about them arrives, so assume logged in.
    mode: MODE_AVAILABLE,
    level: 'low',
    a: new Array<number>(ACUTE_COUNT).fill(0),
    c: 0,
    busy: 0,
    streakStart: now,
    freeSince: -1,
    restUntil: 0,
    loggedOutSince: 0,
    excludedSince: 0,
    dayAbuse: 0,
    abuse: [],
    contacts: [],
  };
}

export function emptySlot(): ContactSlot {
  return {
    id: '',
    queue: '',
    channel: CHANNEL_VOICE,
    phase: PHASE_FREE,
    start: 0,
    end: 0,
    holdStart: -1,
    holdMs: 0,
    flags: 0,
    sentSum: 0,
    sentN: 0,
    score: 0,
    peers: 1,
    handleFactor: 1,
    streakFactor: 1,
  };
}

export function resetSlot(slot: ContactSlot, id: string, queue: string, channel: number, phase: number, now: number): void {
  slot.id = id;
  slot.queue = queue;
  slot.channel = channel;
  slot.phase = phase;
  slot.start = now;
  slot.end = 0;
  slot.holdStart = -1;
  slot.holdMs = 0;
  slot.flags = 0;
  slot.sentSum = 0;
  slot.sentN = 0;
  slot.score = 0;
  slot.peers = 1;
  slot.handleFactor = 1;
  slot.streakFactor = 1;
}

export function acuteTotal(state: AgentModelState): number {
  const a = state.a;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i];
  return sum;
}
