// Read models of the state: the index, its level and its factors in index points.
import type { ModelConfig } from './config.ts';
import { indexFromLoad, levelForLoad } from './levels.ts';
import { decayMultipliers } from './recovery.ts';
import {
  ACUTE_COUNT,
  D_A,
  D_C,
  F_ABUSE,
  F_BASE,
  F_ESCALATION,
  F_HANDLE,
  F_HOLD,
  F_NEGATIVE,
  F_STREAK,
  F_TARGETED,
  F_TRANSFER,
  type AgentModelState,
  type Factor,
  type Level,
} from './state.ts';

export interface IndexView {
  /** 0–100, two decimals. */
  index: number;
  level: Level;
  /**
   * Each input's contribution in index points (two decimals); they add up to the index within
   * rounding. handleTime is negative when short contacts kept the load below the median's.
   */
  factors: Record<string, number>;
  /** Acute reservoir A, load units (1.0 = one neutral voice call of the agent's median length). */
  acute: number;
  /** Chronic reservoir C, load units. */
  chronic: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100 + 0; // + 0: never −0

/**
 * Builds the view of the acute components (d[D_A + F_*]) scaled by `fa` and chronic `c`. Index
 * points are shared in proportion to load: points(factor) = index × component / (A + C).
 */
export function buildView(d: readonly number[], fa: number, c: number, level: Level, config: ModelConfig): IndexView {
  let acute = 0;
  for (let i = D_A; i < D_A + ACUTE_COUNT; i++) acute += d[i] * fa;
  const total = acute + c;
  const index = indexFromLoad(total, config);
  const perLoad = total > 0 ? index / total : 0;
  const k = fa * perLoad;
  // One literal with fixed keys (ACUTE_FACTORS order, then chronic): a single hidden class, no
  // dictionary-mode objects on the hot path.
  const factors: Record<Factor, number> = {
    base: round2(d[D_A + F_BASE] * k),
    handleTime: round2(d[D_A + F_HANDLE] * k),
    negativeSentiment: round2(d[D_A + F_NEGATIVE] * k),
    abuse: round2(d[D_A + F_ABUSE] * k),
    targetedAbuse: round2(d[D_A + F_TARGETED] * k),
    escalation: round2(d[D_A + F_ESCALATION] * k),
    transfer: round2(d[D_A + F_TRANSFER] * k),
    hold: round2(d[D_A + F_HOLD] * k),
    streak: round2(d[D_A + F_STREAK] * k),
    chronic: round2(c * perLoad),
  };
  return { index: round2(index), level, factors, acute: round2(acute), chronic: round2(c) };
}

/** A + C of a state that is already decayed to its own time. */
export function totalLoad(state: AgentModelState): number {
  const d = state.d;
  let total = d[D_C];
  for (let i = D_A; i < D_A + ACUTE_COUNT; i++) total += d[i];
  return total;
}

/**
 * Read-only view of the state decayed to `now` (never mutates it; an earlier `now` than the state's
 * time shows the state as it is). The level applies hysteresis from the state's stored level; a level
 * change is only *recorded* by applySignal / applyBreak / advanceTo.
 */
export function indexAt(state: AgentModelState, now: number, config: ModelConfig): IndexView {
  const m = decayMultipliers(state, now, config);
  const fa = m[0];
  const c = state.d[D_C] * m[1];
  return buildView(state.d, fa, c, levelForLoad(state.level, decayedTotal(state, fa, c), config), config);
}

/** indexAt's level alone, without building the view: for filtering every agent of an org by level. */
export function levelAt(state: AgentModelState, now: number, config: ModelConfig): Level {
  // Between signals the load only decays: if even the undecayed load is low under this config (which may
  // have changed since the agent's latest signal), so is any later one, and there is no decay to compute.
  if (levelForLoad(state.level, totalLoad(state), config) === 'low') return 'low';
  const m = decayMultipliers(state, now, config);
  return levelForLoad(state.level, decayedTotal(state, m[0], state.d[D_C] * m[1]), config);
}

/** A + C with A's decay multiplier `fa` applied and C (`c`) already decayed. */
function decayedTotal(state: AgentModelState, fa: number, c: number): number {
  const d = state.d;
  let total = c;
  for (let i = D_A; i < D_A + ACUTE_COUNT; i++) total += d[i] * fa;
  return total;
}
