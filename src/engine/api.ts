// What the HTTP layer needs from the engine. The engine owns agent state; routes only talk to it here.
import type { ActionRecord, Idempotency } from '../domain/actions.ts';
import type { BurnoutConfigRecord, AgentSettingRecord } from '../domain/burnout-config.ts';
import type { ModelConfig } from '../domain/burnout/index.ts';
import type { IngestResult, KeyedIngestAnswer } from './engine.ts';
import type { NdjsonBody } from './intake.ts';
import type { OrgRuntime } from './org-runtime.ts';
import type { RecordActionResult } from '../store/types.ts';
import type { AppError } from '../domain/errors.ts';

export interface EngineApi {
  /** An NDJSON body of signals (UTF-8 bytes, handed over, or text); resolves once the accepted ones are durable. */
  ingestNdjson(orgId: string, body: NdjsonBody, now: number, key?: string): Promise<IngestResult>;
  /** A JSON body: an array of signals or one signal. */
  ingestJson(orgId: string, body: unknown, now: number, key?: string): Promise<IngestResult>;
  /** An ingest request with an Idempotency-Key: the first answer for a key seen before, else `ingest`'s (which commits the key). */
  ingestOnce(orgId: string, key: string, hashOf: () => string, ingest: () => Promise<IngestResult>): Promise<KeyedIngestAnswer>;
  /** Records an action (durable on return): break actions feed recovery; every action lands on the agent's timeline. */
  recordAction(action: ActionRecord, idempotency?: Idempotency): Promise<RecordActionResult>;
  /** Resolves once agents the change excludes are forgotten and their events erased (durably). */
  onConfigChanged(config: BurnoutConfigRecord): Promise<void>;
  onAgentSettingChanged(setting: AgentSettingRecord): Promise<void>;
  modelConfig(orgId: string): ModelConfig;
  onModelConfigChanged(orgId: string, config: ModelConfig): Promise<void>;
  org(orgId: string): OrgRuntime;
  /** Why every input is refused until a restart (a failed write whose state could not be reloaded), or undefined. */
  unavailable(): AppError | undefined;
}
