// The agent's mode when not handling a contact (available, resting, logged out, excluded) and what
// changing it does: wrap-ups end, excluded time is skipped, logging out ends the shift.
import type { Baselines } from './baselines.ts';
import type { ModelConfig } from './config.ts';
import { endWrapups, moveAtShiftEnd } from './recovery.ts';
import {
  D_BUSY,
  D_EXCLUDED_SINCE,
  D_FREE_SINCE,
  D_LOGGED_OUT_SINCE,
  D_MODE,
  D_STREAK_START,
  freeSlot,
  MODE_AVAILABLE,
  MODE_EXCLUDED,
  MODE_LOGGED_OUT,
  MODE_REST,
  PHASE_CONNECTED,
  PHASE_WRAPUP,
  S_PHASE,
  slotCount,
  slotOffset,
  type AgentModelState,
} from './state.ts';
import { finish, release } from './contacts.ts';

export function modeOf(kind: string, idleCode: string | undefined, config: ModelConfig): number {
  if (kind === 'logged_out') return MODE_LOGGED_OUT;
  if (idleCode !== undefined) {
    const ic = config.idleCodes;
    if (Object.hasOwn(ic.inclusion, idleCode) && ic.inclusion[idleCode] === 'EXCLUDED') return MODE_EXCLUDED;
    if (ic.restCodes.includes(idleCode)) return MODE_REST;
  }
  if (kind === 'break') return MODE_REST;
  return MODE_AVAILABLE;
}

export function changeMode(state: AgentModelState, mode: number, now: number, config: ModelConfig, baselines: Baselines, agentId: string): void {
  const d = state.d;
  if (d[D_BUSY] > 0) endWrapups(state, now);
  const previous = d[D_MODE];
  if (previous === MODE_EXCLUDED && mode !== MODE_EXCLUDED) {
    // Excluded time does not enter the model: shift the clocks that measure engagement past it.
    const excluded = now - d[D_EXCLUDED_SINCE];
    d[D_STREAK_START] += excluded;
    if (d[D_FREE_SINCE] >= 0) d[D_FREE_SINCE] += excluded;
  }
  if (mode === MODE_EXCLUDED && previous !== MODE_EXCLUDED) d[D_EXCLUDED_SINCE] = now;
  if (mode === MODE_LOGGED_OUT && previous !== MODE_LOGGED_OUT) {
    for (let i = 0; i < slotCount(state); i++) {
      const o = slotOffset(i);
      if (d[o + S_PHASE] === PHASE_CONNECTED) finish(state, i, now, config, baselines, agentId);
      if (d[o + S_PHASE] === PHASE_WRAPUP) release(state, i, now);
      else freeSlot(state, i);
    }
    moveAtShiftEnd(state, config);
    d[D_LOGGED_OUT_SINCE] = now;
    d[D_FREE_SINCE] = now;
  }
  d[D_MODE] = mode;
}
