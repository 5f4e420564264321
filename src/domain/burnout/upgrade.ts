// Snapshots written before the packed layout (v 1: one field per number, `a` array, contact objects)
// are upgraded in place the first time the model sees them, so an engine restored from an older
// snapshot keeps working. One `v` check per call otherwise.
import {
  ACUTE_COUNT,
  createAgentState,
  D_A,
  D_BUSY,
  D_C,
  D_DAY_ABUSE,
  D_EXCLUDED_SINCE,
  D_FREE_SINCE,
  D_LOGGED_OUT_SINCE,
  D_MODE,
  D_REST_UNTIL,
  D_STREAK_START,
  FREE_SLOT,
  growSlots,
  idHash,
  S_CHANNEL,
  S_END,
  S_FLAGS,
  S_HANDLE_FACTOR,
  S_HOLD_MS,
  S_HOLD_START,
  S_ID,
  S_PEERS,
  S_PHASE,
  S_SCORE,
  S_SENT_N,
  S_SENT_SUM,
  S_START,
  S_STREAK_FACTOR,
  slotCount,
  slotOffset,
  type AgentModelState,
  type ContactSlot,
  type Level,
} from './state.ts';

/** A v1 contact slot. */
interface SlotV1 extends Omit<ContactSlot, 'idHash'> {
  id: string;
}

/** The v1 snapshot form of a state. */
interface StateV1 {
  v: 1;
  t: number;
  mode: number;
  level: Level;
  a: number[];
  c: number;
  busy: number;
  streakStart: number;
  freeSince: number;
  restUntil: number;
  loggedOutSince: number;
  excludedSince: number;
  dayAbuse: number;
  abuse: number[];
  contacts: SlotV1[];
}

/** Brings a state of an older snapshot format up to the current one (no-op for a current state). */
export function upgradeState(state: AgentModelState): void {
  if (state.v === 2) return;
  const old = state as unknown as StateV1;
  if (old.v !== 1) throw new Error(`unknown agent model state version ${String(old.v)}`);
  const fresh = createAgentState(old.t);
  const d = fresh.d;
  d[D_MODE] = old.mode;
  d[D_C] = old.c;
  d[D_BUSY] = old.busy;
  d[D_STREAK_START] = old.streakStart;
  d[D_FREE_SINCE] = old.freeSince;
  d[D_REST_UNTIL] = old.restUntil;
  d[D_LOGGED_OUT_SINCE] = old.loggedOutSince;
  d[D_EXCLUDED_SINCE] = old.excludedSince;
  d[D_DAY_ABUSE] = old.dayAbuse;
  for (let f = 0; f < ACUTE_COUNT; f++) d[D_A + f] = old.a[f] ?? 0;
  // Free slots of v1 are dropped: the upgraded state keeps only contacts in flight (and one slot).
  const live = old.contacts.filter((slot) => slot.phase !== 0 && slot.id !== '');
  while (slotCount(fresh) < live.length) growSlots(fresh);
  live.forEach((slot, i) => {
    const o = slotOffset(i);
    const s = fresh.d;
    for (let f = 0; f < FREE_SLOT.length; f++) s[o + f] = FREE_SLOT[f];
    s[o + S_PHASE] = slot.phase;
    s[o + S_CHANNEL] = slot.channel;
    s[o + S_START] = slot.start;
    s[o + S_END] = slot.end;
    s[o + S_HOLD_START] = slot.holdStart;
    s[o + S_HOLD_MS] = slot.holdMs;
    s[o + S_FLAGS] = slot.flags;
    s[o + S_SENT_SUM] = slot.sentSum;
    s[o + S_SENT_N] = slot.sentN;
    s[o + S_SCORE] = slot.score;
    s[o + S_PEERS] = slot.peers;
    s[o + S_HANDLE_FACTOR] = slot.handleFactor;
    s[o + S_STREAK_FACTOR] = slot.streakFactor;
    s[o + S_ID] = idHash(slot.id);
    fresh.queues[i] = slot.queue;
  });
  const upgraded: AgentModelState = { v: 2, t: old.t, level: old.level, d: fresh.d, queues: fresh.queues, abuse: old.abuse.slice() };
  const target = state as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(state, upgraded);
}
