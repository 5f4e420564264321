// What the HTTP layer needs from the engine. The engine owns agent state; routes only talk to it here.
import type { ActionRecord } from '../domain/actions.ts';
import type { BurnoutConfigRecord, AgentSettingRecord } from '../domain/burnout-config.ts';
import type { ModelConfig } from '../domain/burnout/index.ts';
import type { Candidate, Rejection } from './intake.ts';
import type { IngestResult } from './engine.ts';
import type { OrgRuntime } from './org-runtime.ts';

export interface EngineApi {
  ingest(orgId: string, candidates: Candidate[], rejected: Rejection[], now: number): Promise<IngestResult>;
  /** A newly recorded action: break actions feed recovery; every action lands on the agent's timeline. */
  onAction(action: ActionRecord): Promise<void>;
  onConfigChanged(config: BurnoutConfigRecord): void;
  onAgentSettingChanged(setting: AgentSettingRecord): void;
  modelConfig(orgId: string): ModelConfig;
  onModelConfigChanged(orgId: string, config: ModelConfig): Promise<void>;
  org(orgId: string): OrgRuntime;
}
