// What the engine applies, and so what its durable log holds. Signals are logged after text analysis
// (transcript text replaced by derived scores: text is never stored); breaks and exclusions are
// logged too, so replaying the log after a snapshot rebuilds exactly the state the live engine had.
import type { Signal } from '../domain/signals.ts';
import type { ModelConfig } from '../domain/burnout/index.ts';

export interface BreakInput {
  type: 'action.break';
  agentId: string;
  time: number;
  durationMs: number;
}

/** Drop agents' state (agent excluded, org disabled): without `agentIds`, every agent of the org. */
export interface ForgetInput {
  type: 'engine.forget';
  agentIds?: string[];
}

export interface ModelConfigInput {
  type: 'engine.model-config';
  config: ModelConfig;
}

export type EngineInput = Signal | BreakInput | ForgetInput | ModelConfigInput;

/** A logged input with the idempotency hash it was accepted under (0 for non-signal inputs). */
export type LoggedInput = [keyHash: number, input: EngineInput];
