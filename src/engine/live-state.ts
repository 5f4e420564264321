// What the engine knows per org — agent runtimes, the burnout configuration, agent settings, the model
// configuration — and the rules that read them (who is scored, who hears of a break). All of it is
// replaced whole when the state is loaded again after a failed write, so it lives in one place that
// knows whether a reload is running.
import type { Store } from '../store/types.ts';
import { getsBreakReminders, isAgentScored, readsAgentSetting, type AgentSettingRecord, type BurnoutConfigRecord } from '../domain/burnout-config.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from '../domain/burnout/index.ts';
import { AppError } from '../domain/errors.ts';
import type { NewEvent } from '../domain/events.ts';
import { getOrAdd } from '../domain/maps.ts';
import { loadState, type RestoreProgress } from './load-state.ts';
import { OrgRuntime } from './org-runtime.ts';
import type { WriteTracker } from './write-tracker.ts';

export class LiveState {
  // Replaced whole by a load, so readers never see a half-loaded state.
  private orgs = new Map<string, OrgRuntime>();
  private configs = new Map<string, BurnoutConfigRecord>();
  private settings = new Map<string, Map<string, AgentSettingRecord>>();
  private modelConfigs = new Map<string, ModelConfig>();
  /** Set while the state is reloaded after a failed write: inputs wait for it (see reloadAfter). */
  private reloadRunning: Promise<void> | undefined;
  private reportRestore: (progress: RestoreProgress) => void = () => undefined;
  /** Why inputs are refused for good (the state could not be reloaded), if they are. */
  private broken: AppError | undefined;

  constructor(private readonly store: Store) {}

  /** Replaces the whole state by what the store holds (see loadState); later reloads report to `onProgress` too. */
  async load(onProgress: (progress: RestoreProgress) => void): Promise<void> {
    this.reportRestore = onProgress;
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
  reloadAfter(writes: WriteTracker): void {
    if (this.reloadRunning) return;
    const reload = (async () => {
      this.reportRestore({ stage: 'reload', failedWrites: writes.failures });
      await writes.settled();
      await this.load(this.reportRestore);
    })();
    this.reloadRunning = reload.then(
      () => {
        this.reloadRunning = undefined;
      },
      (error) => {
        // The cause goes to the log (the server logs 5xx), not to clients: the envelope has no member for internals.
        this.broken = new AppError('unavailable', ['the engine could not reload its state after a failed write; restart the server']);
        this.broken.cause = error;
        throw this.broken;
      },
    );
    this.reloadRunning.catch(() => undefined); // awaited by every input from now on; not unhandled meanwhile
  }

  /** The reload running now, if any (a snapshot waits for it). */
  reloading(): Promise<void> | undefined {
    return this.reloadRunning;
  }

  /** Why the engine refuses every input until a restart, or undefined. */
  unavailable(): AppError | undefined {
    return this.broken;
  }

  /** Every org's runtime. */
  runtimes(): IterableIterator<OrgRuntime> {
    return this.orgs.values();
  }

  /** The org's runtime, if it has one already. */
  existing(orgId: string): OrgRuntime | undefined {
    return this.orgs.get(orgId);
  }

  /** The org's runtime, created (no agents, its model config) on first use. */
  org(orgId: string): OrgRuntime {
    let org = this.orgs.get(orgId);
    if (!org) {
      org = new OrgRuntime(orgId, this.modelConfigs.get(orgId) ?? DEFAULT_MODEL_CONFIG);
      this.orgs.set(orgId, org);
    }
    return org;
  }

  /** The org's config without waiting, when it is cached and no reload is running. */
  cachedConfig(orgId: string): BurnoutConfigRecord | undefined {
    return this.reloadRunning === undefined ? this.configs.get(orgId) : undefined;
  }

  /** The org's config once no reload is running (read from the store on first use). */
  async readyConfig(orgId: string): Promise<BurnoutConfigRecord> {
    for (;;) {
      if (this.reloadRunning) await this.reloadRunning;
      let config = this.configs.get(orgId);
      if (!config) {
        config = await this.store.config.get(orgId, Date.now());
        this.configs.set(orgId, config);
      }
      if (!this.reloadRunning) return config;
    }
  }

  /** The org's config if it was read already (no store read, no waiting). */
  knownConfig(orgId: string): BurnoutConfigRecord | undefined {
    return this.configs.get(orgId);
  }

  setConfig(config: BurnoutConfigRecord): void {
    this.configs.set(config.orgId, config);
  }

  setAgentSetting(setting: AgentSettingRecord): void {
    getOrAdd(this.settings, setting.orgId, () => new Map()).set(setting.agentId, setting);
  }

  /** The org's model config: its runtime's, else the stored one, else the defaults. */
  modelConfig(orgId: string): ModelConfig {
    return this.orgs.get(orgId)?.modelConfig ?? this.modelConfigs.get(orgId) ?? DEFAULT_MODEL_CONFIG;
  }

  setModelConfig(orgId: string, config: ModelConfig): void {
    this.modelConfigs.set(orgId, config);
  }

  scored(config: BurnoutConfigRecord, agentId: string): boolean {
    // Only SPECIFIC inclusion reads the agent's setting: no lookups per signal otherwise.
    return isAgentScored(config, readsAgentSetting(config) ? this.settings.get(config.orgId)?.get(agentId) : undefined);
  }

  /**
   * Drops the break recommendations of agents who get no break reminders (the model recommends for
   * every scored agent; who hears of it is configuration). Everything else the step produced stands.
   */
  keepWantedBreaks(config: BurnoutConfigRecord, events: NewEvent[]): void {
    let kept = 0;
    for (const event of events) {
      if (event.type !== 'wellness-break:recommended' || getsBreakReminders(config, this.settings.get(config.orgId)?.get(event.agentId!))) events[kept++] = event;
    }
    events.length = kept;
  }
}
