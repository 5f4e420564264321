// Constants derived from a ModelConfig (decay rates per ms, level thresholds in load units),
// memoised per config object: the hot path then does no divisions or logarithms per signal.
// A pure function's cache — it changes no result, only how often the arithmetic runs.
import type { ModelConfig } from './config.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Derived {
  /** Decay rates of A per ms. */
  handling: number;
  available: number;
  rest: number;
  loggedOut: number;
  /** Decay rates of C per ms. */
  chronicWork: number;
  chronicOff: number;
  dayOffAfterMs: number;
  wrapupMaxMs: number;
  streakResetMs: number;
  /** Total load (A + C) at which the index reaches each threshold, and each threshold minus the hysteresis. */
  moderateUp: number;
  highUp: number;
  criticalUp: number;
  moderateDown: number;
  highDown: number;
  criticalDown: number;
}

const rate = (halfLife: number, unitMs: number) => Math.LN2 / (halfLife * unitMs);
/** The load at which index = 100·(1 − e^(−load/τ)) reaches `index` (∞ at 100 and above, 0 at 0 and below). */
const loadAt = (index: number, tau: number) => (index >= 100 ? Infinity : index <= 0 ? 0 : -tau * Math.log(1 - index / 100));

const cache = new WeakMap<ModelConfig, Derived>();
let lastConfig: ModelConfig | undefined;
let lastDerived: Derived | undefined;

export function derived(config: ModelConfig): Derived {
  if (config === lastConfig) return lastDerived!;
  let d = cache.get(config);
  if (d === undefined) {
    const r = config.recovery;
    const l = config.levels;
    const tau = config.index.tau;
    d = {
      handling: rate(r.handlingHalfLifeMin, MINUTE),
      available: rate(r.availableHalfLifeMin, MINUTE),
      rest: rate(r.restHalfLifeMin, MINUTE),
      loggedOut: rate(r.loggedOutHalfLifeMin, MINUTE),
      chronicWork: rate(r.chronicWorkHalfLifeDays, DAY),
      chronicOff: rate(r.chronicOffHalfLifeDays, DAY),
      dayOffAfterMs: r.dayOffAfterHours * HOUR,
      wrapupMaxMs: r.wrapupMaxMin * MINUTE,
      streakResetMs: config.streak.resetGapMin * MINUTE,
      moderateUp: loadAt(l.moderateAt, tau),
      highUp: loadAt(l.highAt, tau),
      criticalUp: loadAt(l.criticalAt, tau),
      moderateDown: loadAt(l.moderateAt - l.hysteresis, tau),
      highDown: loadAt(l.highAt - l.hysteresis, tau),
      criticalDown: loadAt(l.criticalAt - l.hysteresis, tau),
    };
    cache.set(config, d);
  }
  lastConfig = config;
  lastDerived = d;
  return d;
}
