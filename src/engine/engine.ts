// The engine owns every agent's state in memory and turns signals and actions into events.
// Every input it applies is appended to a durable log together with the events it produced (one
// transaction); periodic snapshots bound the replay a restart needs.
import type { LogAppend, RecordActionResult, Store } from '../store/types.ts';
import type { EngineApi } from './api.ts';
import type { ActionRecord } from '../domain/actions.ts';
import { DEFAULT_BREAK_ACTION_TYPES } from '../domain/actions.ts';
import { isAgentScored, type BurnoutConfigRecord, type AgentSettingRecord } from '../domain/burnout-config.ts';
import { DEFAULT_MODEL_CONFIG, resolveModelConfig, type ModelConfig } from '../domain/burnout/index.ts';
import { AppError } from '../domain/errors.ts';
import type { NewEvent } from '../domain/events.ts';
import { analyseUtterance } from '../domain/text/analyse-utterance.ts';
import type { EngineInput, LoggedInput } from './inputs.ts';
import { OrgRuntime, KEY_RING_SIZE, type OrgSnapshot } from './org-runtime.ts';
import type { Signal } from '../domain/signals.ts';
import { checkSignal, type Candidate, type Rejection } from './intake.ts';
import { keyHash } from './key-hash.ts';
import { KeyedActions, type Idempotency } from './keyed-actions.ts';

export interface EngineOptions {
  /** Signals older than the agent's latest by more than this are refused (ms). */
  lateToleranceMs: number;
  /** Signals timestamped further ahead of the server clock are refused (ms). */
  futureToleranceMs: number;
  /** A snapshot is taken this often (ms); 0 = only on stop. */
  snapshotEveryMs: number;
  /** Length of a played break recorded through an action (Webex default 60 s). */
  playedBreakMs: number;
  breakActionTypes: string[];
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  lateToleranceMs: 120_000,
  futureToleranceMs: 300_000,
  // A snapshot serialises every agent on the event loop (~1 s at 100,000 agents), so not too often;
  // the log replay it bounds runs at engine speed.
  snapshotEveryMs: 300_000,
  playedBreakMs: 60_000,
  breakActionTypes: DEFAULT_BREAK_ACTION_TYPES,
};

/**
 * Transcript characters analysed per request at most (~0.5 s of CPU at the measured ~4 µs/char worst
 * case): analysis runs on the event loop, so one huge batch must not stall every other request.
 */
export const MAX_TEXT_CHARS_PER_REQUEST = 1_000_000;

const IGNORED = Symbol('ignored');
const DUPLICATE = Symbol('duplicate');
const KEY_FORGOTTEN = `time is at or before signals whose idempotency keys are no longer remembered (the last ${KEY_RING_SIZE} per agent); if this is a retry, it was applied already`;
const TEXT_BUDGET_SPENT = `text: this request carries more than ${MAX_TEXT_CHARS_PER_REQUEST} characters of transcript; send the rest in another request`;

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Valid signals for agents the configuration does not score (org disabled, agent not included). */
  ignored: number;
  errors: Rejection[];
}

interface Snapshot {
  orgs: Record<string, OrgSnapshot>;
}

export class Engine implements EngineApi {
  private readonly orgs = new Map<string, OrgRuntime>();
  private readonly configs = new Map<string, BurnoutConfigRecord>();
  private readonly settings = new Map<string, Map<string, AgentSettingRecord>>();
  private readonly modelConfigs = new Map<string, ModelConfig>();
  private readonly keyedActions: KeyedActions;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;

  private constructor(
    private readonly store: Store,
    readonly options: EngineOptions,
  ) {
    this.keyedActions = new KeyedActions(store.actions);
  }

  static async start(store: Store, options: Partial<EngineOptions> = {}): Promise<Engine> {
    const engine = new Engine(store, { ...DEFAULT_ENGINE_OPTIONS, ...options });
    await engine.load();
    if (engine.options.snapshotEveryMs > 0) {
      engine.timer = setInterval(() => void engine.snapshot().catch(() => undefined), engine.options.snapshotEveryMs);
      engine.timer.unref();
    }
    return engine;
  }

  private async load(): Promise<void> {
    for (const c of await this.store.config.listOrgs()) this.configs.set(c.orgId, c);
    for (const s of await this.store.agentSettings.listAll()) this.settingsOf(s.orgId).set(s.agentId, s);
    for (const m of await this.store.modelConfig.listAll()) {
      const config = resolveModelConfig(m.config);
      if (!(config instanceof AppError)) this.modelConfigs.set(m.orgId, config);
    }
    const snap = await this.store.engineLog.latestSnapshot();
    if (snap) {
      const parsed = JSON.parse(snap.state) as Snapshot;
      for (const [orgId, org] of Object.entries(parsed.orgs)) this.orgs.set(orgId, OrgRuntime.restore(orgId, org));
    }
    // Replay what was acknowledged after the snapshot; its events are in the log already. An org the
    // snapshot does not hold starts from the defaults, not today's config: its config changes are in the
    // log (engine.model-config) and must apply from their place, or earlier signals are re-scored.
    for (let after = snap?.seq ?? 0; ; ) {
      const entries = await this.store.engineLog.after(after, 500);
      if (entries.length === 0) break;
      for (const entry of entries) {
        let org = this.orgs.get(entry.orgId);
        if (!org) this.orgs.set(entry.orgId, (org = new OrgRuntime(entry.orgId, DEFAULT_MODEL_CONFIG)));
        for (const [hash, input] of JSON.parse(entry.inputs) as LoggedInput[]) org.apply(input, hash, null);
        after = entry.seq;
      }
    }
    // The stored configs are the newest word: a crash can fall between saving one and logging its effect.
    for (const [orgId, config] of this.modelConfigs) {
      const org = this.orgs.get(orgId);
      if (org) org.modelConfig = config;
    }
    // An agent excluded (or an org disabled) just before the crash stays dropped (DESIGN.md, privacy).
    for (const [orgId, org] of this.orgs) {
      const config = this.configs.get(orgId);
      if (!config) continue;
      for (const agentId of [...org.agents.keys()]) if (!this.scored(config, agentId)) org.forget(agentId);
    }
  }

  private settingsOf(orgId: string): Map<string, AgentSettingRecord> {
    let map = this.settings.get(orgId);
    if (!map) this.settings.set(orgId, (map = new Map()));
    return map;
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
    return isAgentScored(config, this.settings.get(config.orgId)?.get(agentId));
  }

  /** Applies a batch of candidate signals for one org; resolves once the accepted ones are durable. */
  async ingest(orgId: string, candidates: Candidate[], rejected: Rejection[], now: number): Promise<IngestResult> {
    // Synchronous when the config is cached: a batch is applied in one go, with no await in between.
    const config = this.configs.get(orgId) ?? (await this.config(orgId));
    const org = this.org(orgId);
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: 0, ignored: 0, errors: rejected };
    const logged: string[] = [];
    const events: NewEvent[] = [];
    let textBudget = MAX_TEXT_CHARS_PER_REQUEST;
    for (const candidate of candidates) {
      const signal = checkSignal(candidate.value);
      const verdict = typeof signal === 'string' ? signal : this.screen(org, config, signal, candidate.raw, now);
      if (verdict === IGNORED) {
        result.ignored++;
        continue;
      }
      if (verdict === DUPLICATE) {
        result.duplicates++;
        continue;
      }
      if (typeof verdict === 'string') {
        rejected.push({ index: candidate.index, reason: verdict });
        continue;
      }
      const valid = signal as Signal;
      const hash = verdict;
      let line = candidate.raw;
      if (valid.type === 'utterance' && valid.text !== undefined) {
        textBudget -= valid.text.length;
        if (textBudget < 0) {
          rejected.push({ index: candidate.index, reason: TEXT_BUDGET_SPENT });
          continue;
        }
        // Transcript text is analysed here, in memory, and never stored: only derived scores go on.
        const derived = analyseUtterance(valid.text, { interruption: valid.interruption });
        valid.sentiment ??= derived.sentiment;
        valid.abusive = (valid.abusive ?? false) || derived.abusive;
        valid.targeted = (valid.targeted ?? false) || derived.targeted;
        delete valid.text;
        line = undefined;
      }
      org.apply(valid, hash, events);
      logged.push(`[${hash},${line ?? JSON.stringify(valid)}]`);
      result.accepted++;
    }
    result.rejected = rejected.length;
    result.errors.sort((a, b) => a.index - b.index);
    if (logged.length > 0) await this.log(orgId, `[${logged.join(',')}]`, events);
    return result;
  }

  /**
   * Whether a valid signal is applied: its idempotency hash when it is, IGNORED / DUPLICATE, or the
   * reason it is refused. A method, not a closure in the loop: this runs for every signal.
   */
  private screen(org: OrgRuntime, config: BurnoutConfigRecord, signal: Signal, raw: string | undefined, now: number): number | string | typeof IGNORED | typeof DUPLICATE {
    if (signal.orgId !== undefined && signal.orgId !== org.orgId) return 'orgId is not the organization of this token';
    if (signal.time > now + this.options.futureToleranceMs) return `time is more than ${this.options.futureToleranceMs / 1000} s ahead of the server clock`;
    if (!this.scored(config, signal.agentId)) return IGNORED;
    const hash = keyHash(signal.key ?? raw ?? JSON.stringify(signal));
    const known = org.agents.get(signal.agentId);
    if (known === undefined) return hash;
    if (org.seen(known, hash)) return DUPLICATE;
    if (signal.time <= known.fw) return KEY_FORGOTTEN;
    if (signal.time < known.m.t - this.options.lateToleranceMs) return `time is more than ${this.options.lateToleranceMs / 1000} s older than this agent's latest signal`;
    return hash;
  }

  private async log(orgId: string, inputs: string, events: NewEvent[]): Promise<void> {
    this.dirty = true;
    await this.store.engineLog.append(orgId, inputs, events);
  }

  /** Applies a non-signal input live and logs it. */
  private async applyAndLog(orgId: string, input: EngineInput): Promise<void> {
    const events: NewEvent[] = [];
    this.org(orgId).apply(input, 0, events);
    await this.log(orgId, JSON.stringify([[0, input]]), events);
  }

  /**
   * Records a partner app's action and feeds it to the engine: the action, the break it applies and
   * its events commit in one transaction, so a crash never keeps one without the other.
   */
  recordAction(action: ActionRecord, idempotency?: Idempotency): Promise<RecordActionResult> {
    const commit = async () => this.store.actions.record(action, idempotency, await this.actionEffects(action));
    return idempotency ? this.keyedActions.once(action.orgId, idempotency, commit) : commit();
  }

  /** Applies a new action (a break action recovers; every action lands on the timeline); what to log for it. */
  private async actionEffects(action: ActionRecord): Promise<LogAppend | undefined> {
    const config = this.configs.get(action.orgId) ?? (await this.config(action.orgId));
    if (!this.scored(config, action.agentId)) return undefined;
    const events: NewEvent[] = [];
    const inputs: LoggedInput[] = [];
    if (this.options.breakActionTypes.some((t) => t.toLowerCase() === action.actionType.toLowerCase())) {
      const input: EngineInput = { type: 'action.break', agentId: action.agentId, time: action.actionDateTime, durationMs: this.options.playedBreakMs };
      this.org(action.orgId).apply(input, 0, events);
      inputs.push([0, input]);
    }
    events.push({
      type: 'agent-burnout:action-recorded',
      orgId: action.orgId,
      agentId: action.agentId,
      interactionId: action.interactionId,
      time: action.actionDateTime,
      data: { actionId: action.id, actionType: action.actionType, clientId: action.clientId },
    });
    this.dirty = true;
    return { inputs: JSON.stringify(inputs), events };
  }

  onConfigChanged(config: BurnoutConfigRecord): void {
    this.configs.set(config.orgId, config);
    const org = this.orgs.get(config.orgId);
    if (!org || org.agents.size === 0) return;
    // An excluded agent has no state at all (DESIGN.md, privacy): drop whoever is no longer scored.
    const dropped = [...org.agents.keys()].filter((agentId) => !this.scored(config, agentId));
    if (dropped.length === 0) return;
    const input: EngineInput = dropped.length === org.agents.size ? { type: 'engine.forget' } : { type: 'engine.forget', agentIds: dropped };
    void this.applyAndLog(config.orgId, input);
  }

  onAgentSettingChanged(setting: AgentSettingRecord): void {
    this.settingsOf(setting.orgId).set(setting.agentId, setting);
    const config = this.configs.get(setting.orgId);
    const org = this.orgs.get(setting.orgId);
    if (config && org?.agents.has(setting.agentId) && !this.scored(config, setting.agentId)) {
      void this.applyAndLog(setting.orgId, { type: 'engine.forget', agentIds: [setting.agentId] });
    }
  }

  modelConfig(orgId: string): ModelConfig {
    return this.orgs.get(orgId)?.modelConfig ?? this.modelConfigs.get(orgId) ?? DEFAULT_MODEL_CONFIG;
  }

  async onModelConfigChanged(orgId: string, config: ModelConfig): Promise<void> {
    this.modelConfigs.set(orgId, config);
    await this.applyAndLog(orgId, { type: 'engine.model-config', config });
  }

  /** Persists every org's state; the log entries it covers are pruned. */
  async snapshot(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const orgs: Record<string, OrgSnapshot> = {};
    for (const [orgId, org] of this.orgs) orgs[orgId] = org.snapshot();
    await this.store.engineLog.saveSnapshot(JSON.stringify({ orgs } satisfies Snapshot), Date.now());
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.snapshot();
  }
}
