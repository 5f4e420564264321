// The engine owns every agent's state in memory and turns signals and actions into events.
// Every input it applies is appended to a durable log together with the events it produced (one
// transaction); periodic snapshots bound the replay a restart needs.
import type { IngestKeyRecord, LogAppend, LogInputs, RecordActionResult, Store } from '../store/types.ts';
import type { EngineApi } from './api.ts';
import { answerRetry, type ActionRecord, type Idempotency } from '../domain/actions.ts';
import type { BurnoutConfigRecord, AgentSettingRecord } from '../domain/burnout-config.ts';
import { isBreakAction, type ModelConfig } from '../domain/burnout/index.ts';
import { validationError, type AppError } from '../domain/errors.ts';
import type { NewEvent } from '../domain/events.ts';
import type { EngineInput, LoggedInput } from './inputs.ts';
import type { OrgRuntime } from './org-runtime.ts';
import { Snapshots } from './snapshots.ts';
import { MAX_SIGNALS_PER_REQUEST, takeBatch, type Intake, type IntakeRequest, type NdjsonBody } from './intake.ts';
import { IntakePool } from './intake-pool.ts';
import { keptLog } from './signal-codec.ts';
import { BatchApplier, type IngestResult } from './batch-apply.ts';
import { OnePerKey } from './one-per-key.ts';
import { WriteTracker } from './write-tracker.ts';
import { LiveState } from './live-state.ts';
import type { RestoreProgress } from './load-state.ts';

export type { RestoreProgress } from './load-state.ts';

export interface EngineOptions {
  /** Signals older than the agent's latest by more than this are refused (ms). */
  lateToleranceMs: number;
  /** Signals timestamped further ahead of the server clock are refused (ms). */
  futureToleranceMs: number;
  /** A snapshot is taken this often (ms); 0 = only on stop. */
  snapshotEveryMs: number;
  /** Intake worker threads for NDJSON bodies (0: validate on the event loop). */
  intakeWorkers?: number;
  /** NDJSON bodies smaller than this (bytes) are validated on the event loop. */
  intakeInlineBelow?: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  lateToleranceMs: 120_000,
  futureToleranceMs: 300_000,
  // A snapshot writes the whole state (126 MB at 100,000 agents, ~2 s of chunked writes: bench:snapshot), so not too often;
  // the log replay it bounds runs at engine speed.
  snapshotEveryMs: 300_000,
};

export type { IngestResult } from './batch-apply.ts';

/** `ingestOnce`: the answer of a new request, the first answer again, or a conflict (the key came with another body). */
export type KeyedIngestAnswer = { kind: 'applied' | 'replayed'; result: IngestResult } | { kind: 'conflict' };

export class Engine implements EngineApi {
  private readonly state: LiveState;
  private readonly writes = new WriteTracker(() => this.state.reloadAfter(this.writes));
  private readonly keyedActions = new OnePerKey();
  private readonly keyedIngests = new OnePerKey();
  private readonly batches: BatchApplier;
  private readonly intake: IntakePool;
  private readonly snapshots: Snapshots;
  /** NDJSON ingests from their start until they are durable (or refused). */
  private ndjsonInFlight = 0;

  private constructor(
    private readonly store: Store,
    readonly options: EngineOptions,
  ) {
    this.state = new LiveState(store);
    this.batches = new BatchApplier(this.state, options.lateToleranceMs);
    this.intake = new IntakePool(options.intakeWorkers, options.intakeInlineBelow);
    this.snapshots = new Snapshots(store.engineLog, this.writes, { orgs: () => this.state.runtimes(), reloading: () => this.state.reloading() });
  }

  /** An engine with its state restored (see restore). */
  static async start(store: Store, options: Partial<EngineOptions> = {}, onRestore?: (progress: RestoreProgress) => void): Promise<Engine> {
    const engine = Engine.create(store, options);
    await engine.restore(onRestore);
    return engine;
  }

  /** An engine holding no state yet: restore() before use (the server builds its routes in between, to log the restore). */
  static create(store: Store, options: Partial<EngineOptions> = {}): Engine {
    return new Engine(store, { ...DEFAULT_ENGINE_OPTIONS, ...options });
  }

  /**
   * Loads the last snapshot and replays the log after it, reporting progress (seconds at 100,000
   * agents: bench:snapshot's decode plus replay at engine speed), then starts the periodic snapshots.
   */
  async restore(onProgress: (progress: RestoreProgress) => void = () => undefined): Promise<void> {
    await this.state.load(onProgress);
    this.snapshots.every(this.options.snapshotEveryMs);
  }

  /** Starts the intake workers now (the server, once it serves), not with the first large body. */
  startIntake(): void {
    this.intake.start();
  }

  /** Why the engine refuses every input until a restart (readyz reports it), or undefined. */
  unavailable(): AppError | undefined {
    return this.state.unavailable();
  }

  org(orgId: string): OrgRuntime {
    return this.state.org(orgId);
  }

  /**
   * Ingests an NDJSON body for one org; resolves once the accepted signals are durable. Bytes are handed
   * over: they may move to an intake worker, leaving the caller's view empty.
   */
  async ingestNdjson(orgId: string, body: NdjsonBody, now: number, key?: string): Promise<IngestResult> {
    // How busy the engine is decides where a mid-sized body is validated (IntakePool.ndjson).
    const others = this.ndjsonInFlight++;
    try {
      return await this.applyIntake(orgId, await this.intake.ndjson(body, this.intakeRequest(orgId, now, key), others), now, key);
    } finally {
      this.ndjsonInFlight--;
    }
  }

  /** Ingests a JSON body (an array of signals or one signal). `key`: see ingestOnce. */
  async ingestJson(orgId: string, body: unknown, now: number, key?: string): Promise<IngestResult> {
    return this.applyIntake(orgId, await this.intake.json(body, this.intakeRequest(orgId, now, key)), now, key);
  }

  /**
   * An ingest request with an Idempotency-Key: a key seen before answers as the first time (or is a
   * conflict, with another body), and changes nothing; a new one runs `ingest` (ingestNdjson or
   * ingestJson given the key), which commits the key, the body's hash and the answer with the batch.
   * `hashOf`: the body's hash, asked for only to compare it with a stored one (a retry is rare; a new
   * body is hashed by the intake, on a worker when its bytes go to one).
   */
  async ingestOnce(orgId: string, key: string, hashOf: () => string, ingest: () => Promise<IngestResult>): Promise<KeyedIngestAnswer> {
    return this.keyedIngests.run(orgId, key, async (): Promise<KeyedIngestAnswer> => {
      const first = await this.store.ingestKeys.find(orgId, key);
      if (first) return first.requestHash === hashOf() ? { kind: 'replayed', result: JSON.parse(first.result) } : { kind: 'conflict' };
      return { kind: 'applied', result: await ingest() };
    });
  }

  private intakeRequest(orgId: string, now: number, key: string | undefined): IntakeRequest {
    return { orgId, now, futureToleranceMs: this.options.futureToleranceMs, hashBody: key !== undefined };
  }

  /** Applies a validated batch: what only the engine's state can decide (scored? seen? too late?), then the model. */
  private async applyIntake(orgId: string, intake: Intake, now: number, key: string | undefined): Promise<IngestResult> {
    if (intake.lines > MAX_SIGNALS_PER_REQUEST) throw validationError(`at most ${MAX_SIGNALS_PER_REQUEST} signals per request; split the batch`);
    const state = this.state;
    const config = state.cachedConfig(orgId) ?? (await state.readyConfig(orgId));
    const batch = takeBatch(intake);
    const { result, applied, events } = this.batches.apply(state.org(orgId), config, batch, intake.rejected);
    const inputs = result.accepted > 0 ? keptLog(batch, applied, result.accepted) : null;
    // A keyed request's answer is committed even when nothing was applied: a retry gets this answer, not a later one.
    if (key !== undefined) await this.log(orgId, inputs, events, undefined, { key, requestHash: intake.bodyHash!, result: JSON.stringify(result), createdTime: now });
    else if (inputs !== null) await this.log(orgId, inputs, events);
    return result;
  }

  /** `inputs`: the entry's JSON text, or its UTF-8 bytes (handed over: their buffer may move to the writer's thread). */
  private async log(orgId: string, inputs: LogInputs | null, events: NewEvent[], eraseAgents?: string[], key?: IngestKeyRecord): Promise<void> {
    this.snapshots.markDirty();
    await this.writes.track(this.store.engineLog.append(orgId, inputs, events, eraseAgents, key));
  }

  /** Applies a non-signal input live and logs it; `eraseAgents`: agents whose past events are deleted with it. */
  private async applyAndLog(orgId: string, input: EngineInput, eraseAgents?: string[]): Promise<void> {
    await this.state.readyConfig(orgId);
    const events: NewEvent[] = [];
    this.state.org(orgId).apply(input, 0, events);
    await this.log(orgId, JSON.stringify([[0, input]]), events, eraseAgents);
  }

  /**
   * Drops agents' state, and with it everything the engine persisted about them: the snapshot and the
   * input log since it still hold their state and signals, so a fresh snapshot is taken at once (it
   * prunes the log). An admin's rare change waits for it (at 100,000 agents a snapshot in slices and
   * ~2 s of chunked writes: bench:snapshot), not ingest.
   */
  private async forget(orgId: string, input: EngineInput & { type: 'engine.forget' }, eraseAgents?: string[]): Promise<void> {
    await this.applyAndLog(orgId, input, eraseAgents);
    await this.snapshot();
  }

  /**
   * Records a partner app's action and feeds it to the engine: the action, the break it applies and
   * its events commit in one transaction, so a crash never keeps one without the other.
   */
  recordAction(action: ActionRecord, idempotency?: Idempotency): Promise<RecordActionResult> {
    // No named closure here: under tsx every one gets its name set at creation (esbuild keepNames), which
    // showed in bench:actions' profile.
    return idempotency ? this.keyedActions.run(action.orgId, idempotency.key, () => this.recordKeyedAction(action, idempotency)) : this.commitAction(action, undefined);
  }

  /** The first answer if an action has this key already, else the action recorded now with it. */
  private async recordKeyedAction(action: ActionRecord, idempotency: Idempotency): Promise<RecordActionResult> {
    const first = await this.store.actions.findByKey(action.orgId, idempotency.key);
    return first ? answerRetry(first.action, first.requestHash, idempotency.requestHash) : this.commitAction(action, idempotency);
  }

  private async commitAction(action: ActionRecord, idempotency: Idempotency | undefined): Promise<RecordActionResult> {
    const effects = await this.actionEffects(action);
    const write = this.store.actions.record(action, idempotency, effects);
    return effects ? this.writes.track(write) : write;
  }

  /** Applies a new action (a break action recovers; every action lands on the timeline); what to log for it. */
  private async actionEffects(action: ActionRecord): Promise<LogAppend | undefined> {
    const state = this.state;
    const config = state.cachedConfig(action.orgId) ?? (await state.readyConfig(action.orgId));
    if (!state.scored(config, action.agentId)) return undefined;
    const events: NewEvent[] = [];
    const inputs: LoggedInput[] = [];
    const org = state.org(action.orgId);
    // The org's own break action types and break length (model config): the logged input carries the length, so a replay needs neither.
    if (isBreakAction(org.modelConfig, action.actionType)) {
      const input: EngineInput = { type: 'action.break', agentId: action.agentId, time: action.actionDateTime, durationMs: org.modelConfig.breakActions.playedSec * 1000 };
      org.apply(input, 0, events);
      state.keepWantedBreaks(config, events);
      inputs.push([0, input]);
      this.snapshots.markDirty();
    }
    events.push({
      type: 'agent-burnout:action-recorded',
      orgId: action.orgId,
      agentId: action.agentId,
      interactionId: action.interactionId,
      time: action.actionDateTime,
      data: { actionId: action.id, actionType: action.actionType, clientId: action.clientId },
    });
    return { inputs: inputs.length > 0 ? JSON.stringify(inputs) : null, events };
  }

  async onConfigChanged(config: BurnoutConfigRecord): Promise<void> {
    this.state.setConfig(config);
    const org = this.state.existing(config.orgId);
    if (!org || org.agents.size === 0) return;
    // An excluded agent has no state at all (DESIGN.md, privacy): drop whoever is no longer scored.
    const dropped = [...org.agents.keys()].filter((agentId) => !this.state.scored(config, agentId));
    if (dropped.length === 0) return;
    const input: EngineInput = dropped.length === org.agents.size ? { type: 'engine.forget' } : { type: 'engine.forget', agentIds: dropped };
    // Agents excluded from an enabled org lose their past events too; switching the whole feature off
    // stops scoring but keeps the history (an admin's toggle must not erase it).
    await this.forget(config.orgId, input, config.enabled ? dropped : undefined);
  }

  async onAgentSettingChanged(setting: AgentSettingRecord): Promise<void> {
    this.state.setAgentSetting(setting);
    const config = this.state.knownConfig(setting.orgId);
    const org = this.state.existing(setting.orgId);
    if (config && org?.agents.has(setting.agentId) && !this.state.scored(config, setting.agentId)) {
      await this.forget(setting.orgId, { type: 'engine.forget', agentIds: [setting.agentId] }, [setting.agentId]);
    }
  }

  modelConfig(orgId: string): ModelConfig {
    return this.state.modelConfig(orgId);
  }

  async onModelConfigChanged(orgId: string, config: ModelConfig): Promise<void> {
    this.state.setModelConfig(orgId, config);
    await this.applyAndLog(orgId, { type: 'engine.model-config', config });
  }

  /** Persists every org's state and prunes the log entries it covers (see Snapshots.take). */
  snapshot(): Promise<void> {
    return this.snapshots.take();
  }

  async stop(): Promise<void> {
    await this.intake.close();
    await this.snapshots.stop();
  }
}
