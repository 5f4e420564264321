// Recovery: between two signals nothing about the agent changes except the clock, so the decay of A
// and C over [state.t, now] is a product of exponentials whose half-life depends on what the agent
// is doing (MODEL-EVIDENCE §3). Decay is multiplicative, so every per-factor component of A decays
// with the same multiplier and the components keep adding up to A.
import type { ModelConfig } from './config.ts';
import { derived } from './derived.ts';
import {
  ACUTE_COUNT,
  acuteTotal,
  D_A,
  D_BUSY,
  D_C,
  D_DAY_ABUSE,
  D_FREE_SINCE,
  D_LOGGED_OUT_SINCE,
  D_MODE,
  D_REST_UNTIL,
  D_SLOTS,
  freeSlot,
  MODE_EXCLUDED,
  MODE_LOGGED_OUT,
  MODE_REST,
  PHASE_CONNECTED,
  PHASE_WRAPUP,
  S_END,
  S_PHASE,
  SLOT_SIZE,
  type AgentModelState,
} from './state.ts';

/**
 * Until when the agent counts as handling: forever while a contact is connected (the agent
 * logging out ends it), otherwise until the last wrap-up times out (wrapupMaxMin guards against a
 * wrapup_done that never arrives).
 */
export function handlingUntil(state: AgentModelState, config: ModelConfig): number {
  const d = state.d;
  if (d[D_BUSY] === 0) return -Infinity;
  const wrapupMaxMs = derived(config).wrapupMaxMs;
  let until = -Infinity;
  for (let o = D_SLOTS; o < d.length; o += SLOT_SIZE) {
    const phase = d[o + S_PHASE];
    if (phase === PHASE_CONNECTED) return Infinity;
    if (phase === PHASE_WRAPUP) until = Math.max(until, d[o + S_END] + wrapupMaxMs);
  }
  return until;
}

/** Decay rate of A (per ms) in a mode when not handling a contact. */
export function modeRateA(mode: number, config: ModelConfig): number {
  const d = derived(config);
  return mode === MODE_REST ? d.rest : mode === MODE_LOGGED_OUT ? d.loggedOut : mode === MODE_EXCLUDED ? 0 : d.available;
}

/** Scratch for decayMultipliers' two results: [A multiplier, C multiplier]. */
const multipliers = new Float64Array(2);

/**
 * The multipliers of A and C over [state.t, now] without touching the state. Segments, in order:
 * handling (incl. wrap-up) → the rest of a played break → the agent's mode. C follows the mode only:
 * the working-day half-life, except logged-out time beyond dayOffAfterHours of one logged-out spell
 * (our approximation of a day off) and EXCLUDED time (frozen).
 */
export function decayMultipliers(state: AgentModelState, now: number, config: ModelConfig): Float64Array {
  multipliers[0] = 1;
  multipliers[1] = 1;
  const from = state.t;
  if (!(now > from)) return multipliers;
  const s = state.d;
  const d = derived(config);
  const chronicWork = d.chronicWork;
  let exponentA = 0;
  let exponentC = 0;
  let t = from;

  if (s[D_BUSY] > 0) {
    const end = Math.min(now, Math.max(t, handlingUntil(state, config)));
    exponentA += (end - t) * d.handling;
    exponentC += (end - t) * chronicWork;
    t = end;
  }
  const modeStart = t;
  const restUntil = s[D_REST_UNTIL];
  if (t < now && t < restUntil) {
    const end = Math.min(now, restUntil);
    exponentA += (end - t) * d.rest;
    t = end;
  }
  const mode = s[D_MODE];
  if (t < now) exponentA += (now - t) * modeRateA(mode, config);

  if (mode === MODE_LOGGED_OUT) {
    const dayOffFrom = Math.max(modeStart, s[D_LOGGED_OUT_SINCE] + d.dayOffAfterMs);
    const workEnd = Math.min(now, dayOffFrom);
    exponentC += (workEnd - modeStart) * chronicWork;
    if (now > dayOffFrom) exponentC += (now - dayOffFrom) * d.chronicOff;
  } else if (mode !== MODE_EXCLUDED) {
    exponentC += (now - modeStart) * chronicWork;
  }
  multipliers[0] = Math.exp(-exponentA);
  multipliers[1] = s[D_C] === 0 ? 1 : Math.exp(-exponentC);
  return multipliers;
}

/** Decays the state to `now` (no-op when `now` is not later) and ends wrap-ups that timed out. */
export function advance(state: AgentModelState, now: number, config: ModelConfig): void {
  if (!(now > state.t)) return;
  const m = decayMultipliers(state, now, config);
  const fa = m[0];
  const d = state.d;
  // `+ 0` turns a −0 (a negative component times an underflowed multiplier) into 0, so the state
  // equals itself after a JSON round trip (JSON has no −0).
  if (fa !== 1) for (let i = D_A; i < D_A + ACUTE_COUNT; i++) d[i] = d[i] * fa + 0;
  if (m[1] !== 1) d[D_C] = d[D_C] * m[1] + 0;
  if (d[D_BUSY] > 0) {
    const until = handlingUntil(state, config);
    if (until <= now) endWrapups(state, until);
  }
  state.t = now;
}

/** Frees every slot in wrap-up; the agent stops handling at `at` if nothing else is connected. */
export function endWrapups(state: AgentModelState, at: number): void {
  const d = state.d;
  for (let i = 0, o = D_SLOTS; o < d.length; i++, o += SLOT_SIZE) {
    if (d[o + S_PHASE] !== PHASE_WRAPUP) continue;
    freeSlot(state, i);
    d[D_BUSY]--;
  }
  if (d[D_BUSY] <= 0) {
    d[D_BUSY] = 0;
    d[D_FREE_SINCE] = at;
  }
}

/**
 * Shift end (MODEL-EVIDENCE §3): m = min(A, plainShare·A + abusiveShare·day's abusive load) moves
 * from A to C — moved, not copied, so A + C (and the index) is unchanged at log-out. Every acute
 * component gives up the same share, so the factor split of what stays in A is unchanged.
 */
export function moveAtShiftEnd(state: AgentModelState, config: ModelConfig): void {
  const d = state.d;
  const acute = acuteTotal(d);
  const s = config.shiftEnd;
  if (acute > 0) {
    const moved = Math.min(acute, s.plainShare * acute + s.abusiveShare * d[D_DAY_ABUSE]);
    const keep = 1 - moved / acute;
    for (let i = D_A; i < D_A + ACUTE_COUNT; i++) d[i] = d[i] * keep + 0; // + 0: no −0 (see advance)
    d[D_C] += moved;
  }
  d[D_DAY_ABUSE] = 0;
}
