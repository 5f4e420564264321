// One engine over one data directory and a real SQLite store, for the in-process engine tests.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Engine } from '../../src/engine/engine.ts';
import { agentView, type AgentView } from '../../src/engine/read-model.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { resolveModelConfig, type ModelConfig } from '../../src/domain/burnout/index.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { EngineLogRepo, Store } from '../../src/store/types.ts';
import type { Signal } from '../../src/domain/signals.ts';
import { tempDataDir } from '../helpers/server.ts';
import { realisticSpan, toNdjson } from './signal-builder.ts';
import { enableInProcess } from './in-process.ts';

export const HOUR = 3_600_000;
export type SaveSnapshot = EngineLogRepo['saveSnapshot'];
export const agentIds = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);

/** One engine over one data directory; `reopen` drops both without a snapshot, like a crash after the last ack. */
export class Harness {
  store!: Store;
  engine!: Engine;
  readonly orgId = randomUUID();
  constructor(readonly dir = tempDataDir()) {}

  async open(): Promise<this> {
    this.store = openSqliteStore(this.dir);
    this.engine = await Engine.start(this.store, { snapshotEveryMs: 0 });
    return this;
  }

  /** Opens a store that goes through `wrap` (a failing disk, gates), then an enabled engine on it. */
  async openWrapped(wrap: (store: Store) => Store): Promise<this> {
    this.store = wrap(openSqliteStore(this.dir));
    this.engine = await Engine.start(this.store, { snapshotEveryMs: 0 });
    await this.enable();
    return this;
  }

  /** openWrapped for the engine log's saveSnapshot alone. */
  openSaving(wrap: (save: SaveSnapshot) => SaveSnapshot): Promise<this> {
    return this.openWrapped((store) => ({ ...store, engineLog: { ...store.engineLog, saveSnapshot: wrap(store.engineLog.saveSnapshot) } }));
  }

  /** Ingests the first half hour of a realistic hour for `agents`, then snapshots; the hour and where it was cut. */
  async snapshotAfterHalfAnHour(agents: string[], seed: number): Promise<{ hour: Signal[]; cut: number; seq: number }> {
    const start = Date.now() - 2 * HOUR;
    const hour = realisticSpan(agents, start, 60, seed);
    const cut = hour.findIndex((s) => s.time >= start + 30 * 60_000);
    assert.deepEqual((await this.ingest(hour.slice(0, cut))).errors, []);
    await this.engine.snapshot();
    return { hour, cut, seq: (await this.store.engineLog.latestSnapshot())?.seq ?? 0 };
  }

  async enable(): Promise<void> {
    await enableInProcess(this.store, this.engine, this.orgId);
  }

  async ingest(signals: readonly Signal[]) {
    return this.engine.ingestNdjson(this.orgId, toNdjson(signals), Date.now());
  }

  async setModelConfig(partial: unknown): Promise<ModelConfig> {
    const config = resolveModelConfig(partial);
    if (config instanceof AppError) throw config;
    await this.store.modelConfig.put(this.orgId, partial, undefined, Date.now());
    await this.engine.onModelConfigChanged(this.orgId, config);
    return config;
  }

  /** Every agent as of `at` (default: each as of their latest signal, which a restart must reproduce exactly). */
  views(at = 0): AgentView[] {
    const org = this.engine.org(this.orgId);
    return [...org.agents].map(([id, runtime]) => agentView(org, id, runtime, at)).sort((a, b) => (a.agentId < b.agentId ? -1 : 1));
  }

  /** The whole per-agent runtime (model state, key ring, activity), as a snapshot would hold it. */
  state(): unknown {
    return JSON.parse(JSON.stringify(this.engine.org(this.orgId).snapshot()));
  }

  /** Closes the store without engine.stop(): no snapshot is written, so the log has to be replayed. */
  async crash(): Promise<void> {
    await this.store.close();
  }

  async reopen(): Promise<this> {
    await this.crash();
    return this.open();
  }

  async dispose(): Promise<void> {
    await this.store.close().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

