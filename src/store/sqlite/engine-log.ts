import type { Db } from './db.ts';
import type { WriterThread } from './writer.ts';
import { eventWrites, type EventStamper } from './events.ts';
import type { EngineLogRepo, LogEntry, ModelConfigRepo } from '../types.ts';
import type { EventEnvelope } from '../../domain/events.ts';

type ModelConfigPut = { kind: 'ok'; version: number } | { kind: 'stale'; version: number };

/** Runs on the writer thread. */
export function engineLogWrites(db: Db) {
  const insert = db.prepare('INSERT INTO engine_log (org_id, inputs) VALUES (?, ?)');
  const events = eventWrites(db);
  const lastSeq = db.prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'engine_log'").pluck();
  const saveSnapshot = db.prepare(
    'INSERT INTO engine_snapshot (id, seq, taken_at, state) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, taken_at = excluded.taken_at, state = excluded.state',
  );
  const prune = db.prepare('DELETE FROM engine_log WHERE seq <= ?');
  const getModelConfig = db.prepare<[string], number>('SELECT version FROM model_config WHERE org_id = ?').pluck();
  const upsertModelConfig = db.prepare(
    'INSERT INTO model_config (org_id, version, config, updated_time) VALUES (?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET version = excluded.version, config = excluded.config, updated_time = excluded.updated_time',
  );
  return {
    /** One log entry and the events it produced, in the same transaction; `erase`: agents whose past events go. */
    appendLog(orgId: string, inputs: string, stamped: EventEnvelope[], erase: string[] | null = null): number {
      const seq = Number(insert.run(orgId, inputs).lastInsertRowid);
      if (erase) events.eraseAgents(orgId, erase);
      events.writeEvents(stamped);
      return seq;
    },
    /**
     * Runs behind every append queued before it (the writer is FIFO), so the entries it covers are
     * exactly those up to the log's current end. Snapshot and pruning commit together: the log never
     * loses an entry that no snapshot holds.
     */
    saveSnapshot(state: string, takenAt: number): number {
      const seq = lastSeq.get() ?? 0;
      saveSnapshot.run(seq, takenAt, state);
      prune.run(seq);
      return seq;
    },
    putModelConfig(orgId: string, config: unknown, expectedVersion: number | undefined, now: number): ModelConfigPut {
      const current = getModelConfig.get(orgId) ?? 0;
      if (expectedVersion !== undefined && expectedVersion !== current) return { kind: 'stale', version: current };
      upsertModelConfig.run(orgId, current + 1, JSON.stringify(config), now);
      return { kind: 'ok', version: current + 1 };
    },
  };
}

export function sqliteEngineLog(db: Db, writer: WriterThread, stamper: EventStamper): EngineLogRepo {
  const after = db.prepare<[number, number], { seq: number; org_id: string; inputs: string }>(
    'SELECT seq, org_id, inputs FROM engine_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const latest = db.prepare<[], { seq: number; state: string }>('SELECT seq, state FROM engine_snapshot WHERE id = 1');
  return {
    async append(orgId, inputs, newEvents, eraseAgents) {
      const stamped = stamper.stamp(newEvents);
      const seq = await writer.run('appendLog', orgId, inputs, stamped, eraseAgents ?? null);
      return { seq, events: stamped };
    },
    async after(seq, limit): Promise<LogEntry[]> {
      return after.all(seq, limit).map((r) => ({ seq: r.seq, orgId: r.org_id, inputs: r.inputs }));
    },
    saveSnapshot(state, takenAt) {
      return writer.run('saveSnapshot', state, takenAt);
    },
    async latestSnapshot() {
      return latest.get();
    },
  };
}

export function sqliteModelConfig(db: Db, writer: WriterThread): ModelConfigRepo {
  const get = db.prepare<[string], { version: number; config: string }>('SELECT version, config FROM model_config WHERE org_id = ?');
  const all = db.prepare<[], { org_id: string; version: number; config: string }>('SELECT org_id, version, config FROM model_config');
  return {
    async get(orgId) {
      const row = get.get(orgId);
      return row && { version: row.version, config: JSON.parse(row.config) };
    },
    put(orgId, config, expectedVersion, now) {
      return writer.run('putModelConfig', orgId, config, expectedVersion, now);
    },
    async listAll() {
      return all.all().map((r) => ({ orgId: r.org_id, version: r.version, config: JSON.parse(r.config) }));
    },
  };
}
