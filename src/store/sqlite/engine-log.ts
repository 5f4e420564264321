import type { Db } from './db.ts';
import type { GroupCommitter } from './group-commit.ts';
import type { EventWriter } from './events.ts';
import type { EngineLogRepo, LogEntry, ModelConfigRepo } from '../types.ts';

export function sqliteEngineLog(db: Db, committer: GroupCommitter, events: EventWriter): EngineLogRepo {
  const insert = db.prepare('INSERT INTO engine_log (org_id, inputs) VALUES (?, ?)');
  const after = db.prepare<[number, number], { seq: number; org_id: string; inputs: string }>(
    'SELECT seq, org_id, inputs FROM engine_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const saveSnapshot = db.prepare(
    'INSERT INTO engine_snapshot (id, seq, taken_at, state) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, taken_at = excluded.taken_at, state = excluded.state',
  );
  const lastSeq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'engine_log'");
  const prune = db.prepare('DELETE FROM engine_log WHERE seq <= ?');
  const latest = db.prepare<[], { seq: number; state: string }>('SELECT seq, state FROM engine_snapshot WHERE id = 1');
  return {
    append(orgId, inputs, newEvents) {
      const stamped = events.stamp(newEvents);
      return committer.enqueue(() => {
        const seq = Number(insert.run(orgId, inputs).lastInsertRowid);
        events.write(stamped);
        return { seq, events: stamped };
      });
    },
    async after(seq, limit): Promise<LogEntry[]> {
      return after.all(seq, limit).map((r) => ({ seq: r.seq, orgId: r.org_id, inputs: r.inputs }));
    },
    saveSnapshot(state, takenAt) {
      // Queued behind every append made before it (the committer is FIFO), so the entries it covers are
      // exactly those up to the log's current end. Snapshot and pruning commit together: the log never
      // loses an entry that no snapshot holds.
      return committer.enqueue(() => {
        const seq = lastSeq.get()?.seq ?? 0;
        saveSnapshot.run(seq, takenAt, state);
        prune.run(seq);
        return seq;
      });
    },
    async latestSnapshot() {
      return latest.get();
    },
  };
}

export function sqliteModelConfig(db: Db, committer: GroupCommitter): ModelConfigRepo {
  const get = db.prepare<[string], { version: number; config: string }>('SELECT version, config FROM model_config WHERE org_id = ?');
  const all = db.prepare<[], { org_id: string; version: number; config: string }>('SELECT org_id, version, config FROM model_config');
  const upsert = db.prepare(
    'INSERT INTO model_config (org_id, version, config, updated_time) VALUES (?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET version = excluded.version, config = excluded.config, updated_time = excluded.updated_time',
  );
  return {
    async get(orgId) {
      const row = get.get(orgId);
      return row && { version: row.version, config: JSON.parse(row.config) };
    },
    put(orgId, config, expectedVersion, now) {
      return committer.enqueue(() => {
        const current = get.get(orgId)?.version ?? 0;
        if (expectedVersion !== undefined && expectedVersion !== current) return { kind: 'stale' as const, version: current };
        upsert.run(orgId, current + 1, JSON.stringify(config), now);
        return { kind: 'ok' as const, version: current + 1 };
      });
    },
    async listAll() {
      return all.all().map((r) => ({ orgId: r.org_id, version: r.version, config: JSON.parse(r.config) }));
    },
  };
}
