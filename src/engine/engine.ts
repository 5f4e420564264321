// The engine owns every agent's state in memory and turns signals and actions into events.
// Every input it applies is appended to a durable log together with the events it produced (one
// transaction); periodic snapshots bound the replay a restart needs.
import type { LogAppend, LogInputs, RecordActionResult, Store } from '../store/types.ts';
import type { EngineApi } from './api.ts';
import type { ActionRecord, Idempotency } from '../domain/actions.ts';
import { getsBreakReminders, isAgentScored, readsAgentSetting, type BurnoutConfigRecord, type AgentSettingRecord } from '../domain/burnout-config.ts';
import { DEFAULT_MODEL_CONFIG, isBreakAction, type ModelConfig } from '../domain/burnout/index.ts';
import { AppError, validationError } from '../domain/errors.ts';
import { getOrAdd } from '../domain/maps.ts';
import type { NewEvent } from '../domain/events.ts';
import type { EngineInput, LoggedInput } from './inputs.ts';
import { OrgRuntime, WARM_RUN, type AgentRuntime } from './org-runtime.ts';
import { KEY_RING_SIZE } from './key-ring.ts';
import { Snapshots } from './snapshots.ts';
import type { Signal } from '../domain/signals.ts';
import { MAX_SIGNALS_PER_REQUEST, takeBatch, type Intake, type IntakeRequest, type NdjsonBody, type Rejection } from './intake.ts';
import { IntakePool } from './intake-pool.ts';
import { agentIdAt, decodeSignal, endsContactAt, hashAt, indexAt, interactionHashAt, keptLog } from './signal-codec.ts';
import { KeyedActions } from './keyed-actions.ts';
import { WriteTracker } from './write-tracker.ts';
import { loadState, type RestoreProgress } from './load-state.ts';

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

const IGNORED = Symbol('ignored');
const DUPLICATE = Symbol('duplicate');
const KEY_FORGOTTEN = `time is at or before signals whose idempotency keys are no longer remembered (the last ${KEY_RING_SIZE} per agent); if this is a retry, it was applied already`;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Valid signals for agents the configuration does not score (org disabled, agent not included). */
  ignored: number;
  errors: Rejection[];
}

export class Engine implements EngineApi {
  // Replaced whole by a reload (load), so readers never see a half-loaded state.
  private orgs = new Map<string, OrgRuntime>();
  private configs = new Map<string, BurnoutConfigRecord>();
  private settings = new Map<string, Map<string, AgentSettingRecord>>();
  private modelConfigs = new Map<string, ModelConfig>();
  private readonly writes = new WriteTracker(() => this.reloadAfterFailedWrite());
  /** Set while the state is reloaded after a failed write: inputs wait for it (see reloadAfterFailedWrite). */
  private reloading: Promise<void> | undefined;
  private reportRestore: (progress: RestoreProgress) => void = () => undefined;
  /** Why inputs are refused for good (the state could not be reloaded), if they are. */
  private broken: AppError | undefined;
  private readonly keyedActions: KeyedActions;
  /** The runtimes the warm pass found for the run of signals being applied (undefined: not there yet). */
  private readonly warmed: (AgentRuntime | undefined)[] = new Array<AgentRuntime | undefined>(WARM_RUN).fill(undefined);
  private readonly intake: IntakePool;
  private readonly snapshots: Snapshots;
  /** NDJSON ingests from their start until they are durable (or refused). */
  private ndjsonInFlight = 0;

  private constructor(
    private readonly store: Store,
    readonly options: EngineOptions,
  ) {
    this.keyedActions = new KeyedActions(store.actions);
    this.intake = new IntakePool(options.intakeWorkers, options.intakeInlineBelow);
    this.snapshots = new Snapshots(store.engineLog, this.writes, { orgs: () => this.orgs.values(), reloading: () => this.reloading });
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
    this.reportRestore = onProgress;
    await this.load(onProgress);
    this.snapshots.every(this.options.snapshotEveryMs);
  }

  /** Replaces the whole state by what the store holds (see loadState). */
  private async load(onProgress: (progress: RestoreProgress) => void): Promise<void> {
    const state = await loadState(this.store, onProgress);
    this.orgs = state.orgs;
    this.configs = state.configs;
    this.settings = state.settings;
    this.modelConfigs = state.modelConfigs;
  }

  /**
   * A write failed: the inputs it carried were applied in memory but are not in the store, so a retry
   * would be answered "duplicate" and the next snapshot would persist them. Once every write started
   * so far has settled, the state is loaded again from the store (snapshot + log), exactly what is
   * durable; inputs wait meanwhile. If the store cannot be read either, inputs are refused (503) until a
   * restart.
   */
  private reloadAfterFailedWrite(): void {
    if (this.reloading) return;
    const reload = (async () => {
      this.reportRestore({ stage: 'reload', failedWrites: this.writes.failures });
      await this.writes.settled();
      await this.load(this.reportRestore);
    })();
    this.reloading = reload.then(
      () => {
        this.reloading = undefined;
      },
      (error) => {
        // The cause goes to the log (the server logs 5xx), not to clients: the envelope has no member for internals.
        this.broken = new AppError('unavailable', ['the engine could not reload its state after a failed write; restart the server']);
        this.broken.cause = error;
        throw this.broken;
      },
    );
    this.reloading.catch(() => undefined); // awaited by every input from now on; not unhandled meanwhile
  }

  /** Why the engine refuses every input until a restart (readyz reports it), or undefined. */
  unavailable(): AppError | undefined {
    return this.broken;
  }

  /** The org's config without waiting, when it is cached and no reload is running. */
  private cachedConfig(orgId: string): BurnoutConfigRecord | undefined {
    return this.reloading === undefined ? this.configs.get(orgId) : undefined;
  }

  /** The org's config once no reload is running. */
  private async readyConfig(orgId: string): Promise<BurnoutConfigRecord> {
    for (;;) {
      if (this.reloading) await this.reloading;
      const config = this.configs.get(orgId) ?? (await this.config(orgId));
      if (!this.reloading) return config;
    }
  }

  private settingsOf(orgId: string): Map<string, AgentSettingRecord> {
    return getOrAdd(this.settings, orgId, () => new Map());
  }

  org(orgId: string): OrgRuntime {
    let org = this.orgs.get(orgId);
    if (!org) {
      org = new OrgRuntime(orgId, this.modelConfigs.get(orgId) ?? DEFAULT_MODEL_CONFIG);
      this.orgs.set(orgId, org);
    }
    return org;
  }

  private async config(orgId: string): Promise<BurnoutConfigRecord> {
    let config = this.configs.get(orgId);
    if (!config) {
      config = await this.store.config.get(orgId, Date.now());
      this.configs.set(orgId, config);
    }
    return config;
  }

  private scored(config: BurnoutConfigRecord, agentId: string): boolean {
    // Only SPECIFIC inclusion reads the agent's setting: no lookups per signal otherwise.
    return isAgentScored(config, readsAgentSetting(config) ? this.settings.get(config.orgId)?.get(agentId) : undefined);
  }

  /**
   * Drops the break recommendations of agents who get no break reminders (the model recommends for
   * every scored agent; who hears of it is configuration). Everything else the step produced stands.
   */
  private keepWantedBreaks(config: BurnoutConfigRecord, events: NewEvent[]): void {
    let kept = 0;
    for (const event of events) {
      if (event.type !== 'wellness-break:recommended' || getsBreakReminders(config, this.settings.get(config.orgId)?.get(event.agentId!))) events[kept++] = event;
    }
    events.length = kept;
  }

  /**
   * Ingests an NDJSON body for one org; resolves once the accepted signals are durable. Bytes are handed
   * over: they may move to an intake worker, leaving the caller's view empty.
   */
  async ingestNdjson(orgId: string, body: NdjsonBody, now: number): Promise<IngestResult> {
    // How busy the engine is decides where a mid-sized body is validated (IntakePool.ndjson).
    const others = this.ndjsonInFlight++;
    try {
      return await this.applyIntake(orgId, await this.intake.ndjson(body, this.intakeRequest(orgId, now), others));
    } finally {
      this.ndjsonInFlight--;
    }
  }

  /** Ingests a JSON body (an array of signals or one signal). */
  async ingestJson(orgId: string, body: unknown, now: number): Promise<IngestResult> {
    return this.applyIntake(orgId, await this.intake.json(body, this.intakeRequest(orgId, now)));
  }

  private intakeRequest(orgId: string, now: number): IntakeRequest {
    return { orgId, now, futureToleranceMs: this.options.futureToleranceMs };
  }

  /** Applies a validated batch: what only the engine's state can decide (scored? seen? too late?), then the model. */
  private async applyIntake(orgId: string, intake: Intake): Promise<IngestResult> {
    if (intake.lines > MAX_SIGNALS_PER_REQUEST) throw validationError(`at most ${MAX_SIGNALS_PER_REQUEST} signals per request; split the batch`);
    // A batch is applied in one go, with no await in between.
    const config = this.cachedConfig(orgId) ?? (await this.readyConfig(orgId));
    const org = this.org(orgId);
    const batch = takeBatch(intake);
    const rejected = intake.rejected;
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, ignored: 0, errors: rejected };
    /** 1 for each signal applied: the log keeps only those. */
    const applied = new Uint8Array(batch.count);
    const events: NewEvent[] = [];
    const warm = org.warmsRuns();
    const warmed = this.warmed;
    for (let run = 0; run < batch.count; run += WARM_RUN) {
      const end = Math.min(batch.count, run + WARM_RUN);
      if (warm) for (let i = run; i < end; i++) warmed[i - run] = org.warm(agentIdAt(batch, i), endsContactAt(batch, i));
      for (let i = run; i < end; i++) {
        const signal = decodeSignal(batch, i);
        const hash = hashAt(batch, i);
        // Looked up once for the screen and the model: by the warm pass unless the agent was new then.
        const known = (warm ? warmed[i - run] : undefined) ?? org.agents.get(signal.agentId);
        const verdict = this.screen(org, config, signal, hash, known);
        if (verdict === IGNORED) result.ignored++;
        else if (verdict === DUPLICATE) result.duplicates++;
        else if (verdict !== undefined) rejected.push({ index: indexAt(batch, i), reason: verdict });
        else {
          org.apply(signal, hash, events, interactionHashAt(batch, i), known);
          applied[i] = 1;
          result.accepted++;
        }
      }
    }
    // Not kept alive past the batch (an agent may be forgotten before the next).
    if (warm) warmed.fill(undefined);
    result.rejected = rejected.length;
    result.errors.sort((a, b) => a.index - b.index);
    if (events.length > 0) this.keepWantedBreaks(config, events);
    if (result.accepted > 0) await this.log(orgId, keptLog(batch, applied, result.accepted), events);
    return result;
  }

  /**
   * Whether a valid signal is applied (undefined), IGNORED, DUPLICATE, or the reason it is refused. A
   * method, not a closure in the loop: this runs for every signal.
   */
  private screen(org: OrgRuntime, config: BurnoutConfigRecord, signal: Signal, hash: number, known: AgentRuntime | undefined): string | typeof IGNORED | typeof DUPLICATE | undefined {
    if (!this.scored(config, signal.agentId)) return IGNORED;
    if (known === undefined) return undefined;
    if (org.seen(known, hash)) return DUPLICATE;
    if (signal.time <= known.fw) return KEY_FORGOTTEN;
    if (signal.time < known.m.t - this.options.lateToleranceMs) return `time is more than ${this.options.lateToleranceMs / 1000} s older than this agent's latest signal`;
    return undefined;
  }

  /** `inputs`: the entry's JSON text, or its UTF-8 bytes (handed over: their buffer may move to the writer's thread). */
  private async log(orgId: string, inputs: LogInputs, events: NewEvent[], eraseAgents?: string[]): Promise<void> {
    this.snapshots.markDirty();
    await this.writes.track(this.store.engineLog.append(orgId, inputs, events, eraseAgents));
  }

  /** Applies a non-signal input live and logs it; `eraseAgents`: agents whose past events are deleted with it. */
  private async applyAndLog(orgId: string, input: EngineInput, eraseAgents?: string[]): Promise<void> {
    await this.readyConfig(orgId);
    const events: NewEvent[] = [];
    this.org(orgId).apply(input, 0, events);
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
    return idempotency ? this.keyedActions.once(action.orgId, idempotency, () => this.commitAction(action, idempotency)) : this.commitAction(action, undefined);
  }

  private async commitAction(action: ActionRecord, idempotency: Idempotency | undefined): Promise<RecordActionResult> {
    const effects = await this.actionEffects(action);
    const write = this.store.actions.record(action, idempotency, effects);
    return effects ? this.writes.track(write) : write;
  }

  /** Applies a new action (a break action recovers; every action lands on the timeline); what to log for it. */
  private async actionEffects(action: ActionRecord): Promise<LogAppend | undefined> {
    const config = this.cachedConfig(action.orgId) ?? (await this.readyConfig(action.orgId));
    if (!this.scored(config, action.agentId)) return undefined;
    const events: NewEvent[] = [];
    const inputs: LoggedInput[] = [];
    const org = this.org(action.orgId);
    // The org's own break action types and break length (model config): the logged input carries the length, so a replay needs neither.
    if (isBreakAction(org.modelConfig, action.actionType)) {
      const input: EngineInput = { type: 'action.break', agentId: action.agentId, time: action.actionDateTime, durationMs: org.modelConfig.breakActions.playedSec * 1000 };
      org.apply(input, 0, events);
      this.keepWantedBreaks(config, events);
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
    this.configs.set(config.orgId, config);
    const org = this.orgs.get(config.orgId);
    if (!org || org.agents.size === 0) return;
    // An excluded agent has no state at all (DESIGN.md, privacy): drop whoever is no longer scored.
    const dropped = [...org.agents.keys()].filter((agentId) => !this.scored(config, agentId));
    if (dropped.length === 0) return;
    const input: EngineInput = dropped.length === org.agents.size ? { type: 'engine.forget' } : { type: 'engine.forget', agentIds: dropped };
    // Agents excluded from an enabled org lose their past events too; switching the whole feature off
    // stops scoring but keeps the history (an admin's toggle must not erase it).
    await this.forget(config.orgId, input, config.enabled ? dropped : undefined);
  }

  async onAgentSettingChanged(setting: AgentSettingRecord): Promise<void> {
    this.settingsOf(setting.orgId).set(setting.agentId, setting);
    const config = this.configs.get(setting.orgId);
    const org = this.orgs.get(setting.orgId);
    if (config && org?.agents.has(setting.agentId) && !this.scored(config, setting.agentId)) {
      await this.forget(setting.orgId, { type: 'engine.forget', agentIds: [setting.agentId] }, [setting.agentId]);
    }
  }

  modelConfig(orgId: string): ModelConfig {
    return this.orgs.get(orgId)?.modelConfig ?? this.modelConfigs.get(orgId) ?? DEFAULT_MODEL_CONFIG;
  }

  async onModelConfigChanged(orgId: string, config: ModelConfig): Promise<void> {
    this.modelConfigs.set(orgId, config);
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
