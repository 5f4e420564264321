// Loading the engine's state from the store: the newest snapshot, then the log after it. Used at
// start-up, and again after a failed write left memory ahead of the store.
import type { Store } from '../store/types.ts';
import { isAgentScored, type BurnoutConfigRecord, type AgentSettingRecord } from '../domain/burnout-config.ts';
import { DEFAULT_MODEL_CONFIG, resolveModelConfig, type ModelConfig } from '../domain/burnout/index.ts';
import { AppError } from '../domain/errors.ts';
import { getOrAdd } from '../domain/maps.ts';
import { readLogEntries } from './inputs.ts';
import { OrgRuntime } from './org-runtime.ts';
import { decodeSnapshot } from './snapshot-codec.ts';

/**
 * What a restart is doing, reported as it goes: at scale, loading the state takes seconds. `reload`: a
 * write failed, so memory is ahead of the store, and the state is loaded again (the stages follow).
 */
export type RestoreProgress =
  | { stage: 'snapshot'; orgs: number; agents: number; bytes: number; ms: number }
  | { stage: 'replay'; entries: number; inputs: number; ms: number; done: boolean }
  | { stage: 'reload'; failedWrites: number };

/** How often a long replay reports progress (ms). */
const RESTORE_REPORT_EVERY_MS = 2_000;

export interface EngineState {
  orgs: Map<string, OrgRuntime>;
  configs: Map<string, BurnoutConfigRecord>;
  settings: Map<string, Map<string, AgentSettingRecord>>;
  modelConfigs: Map<string, ModelConfig>;
}

/**
 * Every org's state as the store holds it, reporting progress (seconds at 100,000 agents: bench:snapshot's
 * decode plus replay at engine speed). Built apart and handed over whole, so nobody sees it half loaded.
 */
export async function loadState(store: Store, onProgress: (progress: RestoreProgress) => void): Promise<EngineState> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const orgs = new Map<string, OrgRuntime>();
  const configs = new Map<string, BurnoutConfigRecord>();
  const settings = new Map<string, Map<string, AgentSettingRecord>>();
  const modelConfigs = new Map<string, ModelConfig>();
  for (const c of await store.config.listOrgs()) configs.set(c.orgId, c);
  for (const s of await store.agentSettings.listAll()) {
    getOrAdd(settings, s.orgId, () => new Map()).set(s.agentId, s);
  }
  for (const m of await store.modelConfig.listAll()) {
    const config = resolveModelConfig(m.config);
    if (!(config instanceof AppError)) modelConfigs.set(m.orgId, config);
  }
  const snap = await store.engineLog.latestSnapshot();
  if (snap) {
    for (const org of decodeSnapshot(snap.state)) orgs.set(org.orgId, org);
    let agents = 0;
    for (const org of orgs.values()) agents += org.agents.size;
    onProgress({ stage: 'snapshot', orgs: orgs.size, agents, bytes: snap.state.length, ms: elapsed() });
  }
  // Replay what was acknowledged after the snapshot; its events are in the log already. An org the
  // snapshot does not hold starts from the defaults, not today's config: its config changes are in the
  // log (engine.model-config) and must apply from their place, or earlier signals are re-scored.
  const replay = { stage: 'replay' as const, entries: 0, inputs: 0, ms: 0, done: false };
  let reportedAt = performance.now();
  for (let after = snap?.seq ?? 0; ; ) {
    const entries = await store.engineLog.after(after, 500);
    if (entries.length === 0) break;
    for (const entry of entries) {
      let org = orgs.get(entry.orgId);
      if (!org) orgs.set(entry.orgId, (org = new OrgRuntime(entry.orgId, DEFAULT_MODEL_CONFIG)));
      for (const [hash, input] of readLogEntries(entry.inputs)) {
        org.apply(input, hash, null);
        replay.inputs++;
      }
      after = entry.seq;
    }
    replay.entries += entries.length;
    if (performance.now() - reportedAt >= RESTORE_REPORT_EVERY_MS) {
      reportedAt = performance.now();
      onProgress({ ...replay, ms: elapsed() });
    }
  }
  onProgress({ ...replay, ms: elapsed(), done: true });
  // The stored configs are the newest word: a crash can fall between saving one and logging its effect.
  for (const [orgId, config] of modelConfigs) {
    const org = orgs.get(orgId);
    if (org) org.modelConfig = config;
  }
  // An agent excluded (or an org disabled) just before the crash stays dropped (DESIGN.md, privacy).
  for (const [orgId, org] of orgs) {
    const config = configs.get(orgId);
    if (!config) continue;
    for (const agentId of [...org.agents.keys()]) if (!isAgentScored(config, settings.get(orgId)?.get(agentId))) org.forget(agentId);
  }
  return { orgs, configs, settings, modelConfigs };
}
