// Index scale and levels (MODEL-EVIDENCE §5).
import type { ModelConfig } from './config.ts';
import { derived } from './derived.ts';
import type { Level } from './state.ts';

/** index = 100 × (1 − e^(−(A + C)/τ)): bounded, concave, 0 at no strain. */
export function indexFromLoad(totalLoad: number, config: ModelConfig): number {
  if (!(totalLoad > 0)) return 0;
  return 100 * (1 - Math.exp(-totalLoad / config.index.tau));
}

/**
 * The level given the current one and the total load A + C. Up as soon as a threshold is reached;
 * down only once the index is `hysteresis` points below the current level's threshold, and then to
 * the highest level whose threshold minus the hysteresis the index still reaches (so levels don't
 * flap around a threshold). Compared in load units (thresholds converted once per config), so the
 * per-signal check needs no exponential.
 */
export function levelForLoad(current: Level, totalLoad: number, config: ModelConfig): Level {
  const d = derived(config);
  if (totalLoad >= d.criticalUp) return 'critical';
  if (current === 'critical' && totalLoad >= d.criticalDown) return 'critical';
  if (totalLoad >= d.highUp) return 'high';
  if ((current === 'critical' || current === 'high') && totalLoad >= d.highDown) return 'high';
  if (totalLoad >= d.moderateUp) return 'moderate';
  if (current !== 'low' && totalLoad >= d.moderateDown) return 'moderate';
  return 'low';
}

/** The same rule on the index scale. */
export function nextLevel(current: Level, index: number, config: ModelConfig): Level {
  const load = index >= 100 ? Infinity : index <= 0 ? 0 : -config.index.tau * Math.log(1 - index / 100);
  return levelForLoad(current, load, config);
}

/** Level without hysteresis: low < moderateAt ≤ moderate < highAt ≤ high < criticalAt ≤ critical. */
export function rawLevel(index: number, config: ModelConfig): Level {
  return nextLevel('low', index, config);
}
