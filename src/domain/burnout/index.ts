// The explainable two-reservoir burnout model (DESIGN.md "The burnout index", MODEL-EVIDENCE.md §1–§5).
export { ModelConfigSchema, DEFAULT_MODEL_CONFIG, resolveModelConfig, withDefaults, isBreakAction, IdleCodeInclusionSchema } from './config.ts';
export type { ModelConfig, IdleCodeInclusion } from './config.ts';
export { createAgentState, LEVELS, FACTORS } from './state.ts';
export type { AgentModelState, ContactSlot, Level, Factor } from './state.ts';
export { applySignal, applyBreak, advanceTo, NO_OUTPUT } from './model.ts';
export type { StepOutput, Trigger } from './model.ts';
export { indexAt, levelAt } from './view.ts';
export type { IndexView } from './view.ts';
export { Baselines } from './baselines.ts';
export type { BaselinesJSON, BaselinesCut, BaselinesImageMeta } from './baselines.ts';
export { indexFromLoad, nextLevel, rawLevel } from './levels.ts';
