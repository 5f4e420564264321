import type { Db } from './db.ts';
import type { WriterThread } from './writer.ts';
import { eventWrites, type EventStamper } from './events.ts';
import { toEventRows, type EventRows } from './event-rows.ts';
import { INGEST_KEY_TTL_MS, type EngineLogRepo, type IngestKeyRecord, type IngestKeyRepo, type LogEntry, type LogInputs, type ModelConfigRepo } from '../types.ts';
import type { EventSink } from '../../bus/types.ts';

type ModelConfigPut = { kind: 'ok'; version: number } | { kind: 'stale'; version: number };

/** Expired ingest keys a keyed commit deletes at most (each such commit adds one). */
export const EXPIRED_KEYS_PER_COMMIT = 64;

/** Runs on the writer thread. */
export function engineLogWrites(db: Db) {
  // Inputs come as text or as its UTF-8 bytes (LogInputs); either way the column holds text.
  const insert = db.prepare('INSERT INTO engine_log (org_id, inputs) VALUES (?, CAST(? AS TEXT))');
  const events = eventWrites(db);
  const lastSeq = db.prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'engine_log'").pluck();
  const lastChunkId = db.prepare<[], number | null>('SELECT max(snapshot_id) FROM engine_snapshot_chunk').pluck();
  /** Snapshot numbers handed out by this writer (a begun snapshot has no row yet). */
  let lastSnapshotId = 0;
  const activeSnapshotId = db.prepare<[], number | null>('SELECT snapshot_id FROM engine_snapshot WHERE id = 1').pluck();
  const insertChunk = db.prepare('INSERT INTO engine_snapshot_chunk (snapshot_id, n, bytes) VALUES (?, ?, ?)');
  const dropChunksBefore = db.prepare('DELETE FROM engine_snapshot_chunk WHERE snapshot_id < ?');
  const dropChunksOf = db.prepare('DELETE FROM engine_snapshot_chunk WHERE snapshot_id = ?');
  const activate = db.prepare(
    "INSERT INTO engine_snapshot (id, seq, taken_at, state, snapshot_id) VALUES (1, ?, ?, '', ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, taken_at = excluded.taken_at, state = excluded.state, snapshot_id = excluded.snapshot_id",
  );
  const prune = db.prepare('DELETE FROM engine_log WHERE seq <= ?');
  const getModelConfig = db.prepare<[string], number>('SELECT version FROM model_config WHERE org_id = ?').pluck();
  // An upsert: a key expired by the reader's clock may not be deleted yet by the request's own time.
  const insertKey = db.prepare(
    'INSERT INTO ingest_keys (org_id, key, request_hash, result, created_time) VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_id, key) DO UPDATE SET request_hash = excluded.request_hash, result = excluded.result, created_time = excluded.created_time',
  );
  // A bounded number a commit: after a long pause (or a restart) a backlog of expired keys drains over the
  // next keyed commits instead of making one of them long.
  const dropKeysBefore = db.prepare(
    `DELETE FROM ingest_keys WHERE (org_id, key) IN (SELECT org_id, key FROM ingest_keys WHERE created_time < ? ORDER BY created_time LIMIT ${EXPIRED_KEYS_PER_COMMIT})`,
  );
  const upsertModelConfig = db.prepare(
    'INSERT INTO model_config (org_id, version, config, updated_time) VALUES (?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET version = excluded.version, config = excluded.config, updated_time = excluded.updated_time',
  );
  return {
    /**
     * One log entry and the events it produced, in the same transaction; `erase`: agents whose past events
     * go. Without inputs (an action the model does not apply) only the events: an empty entry would cost
     * a row written, and read again by every replay, for nothing. The log's seq then (0 without inputs).
     * `key`: the ingest request's Idempotency-Key and answer; up to EXPIRED_KEYS_PER_COMMIT expired keys go
     * in the same commit.
     */
    appendLog(orgId: string, inputs: LogInputs | null, eventRows: EventRows, erase: string[] | null = null, key: IngestKeyRecord | null = null): number {
      const seq = inputs === null ? 0 : Number(insert.run(orgId, inputs).lastInsertRowid);
      if (erase) events.eraseAgents(orgId, erase);
      events.writeEvents(eventRows);
      if (key) {
        dropKeysBefore.run(key.createdTime - INGEST_KEY_TTL_MS);
        insertKey.run(orgId, key.key, key.requestHash, key.result, key.createdTime);
      }
      return seq;
    },
    /**
     * Numbers a snapshot being taken now. It runs behind every append queued before it (the writer is
     * FIFO), so the entries the snapshot covers are exactly those up to the log's current end.
     */
    beginSnapshot(): { snapshotId: number; seq: number } {
      lastSnapshotId = Math.max(lastSnapshotId, lastChunkId.get() ?? 0, activeSnapshotId.get() ?? 0) + 1;
      return { snapshotId: lastSnapshotId, seq: lastSeq.get() ?? 0 };
    },
    addSnapshotChunk(snapshotId: number, n: number, bytes: Uint8Array): void {
      insertChunk.run(snapshotId, n, blob(bytes));
    },
    /**
     * Makes the snapshot the one a restart loads, drops older ones and prunes the log entries it covers,
     * all in one commit: the log never loses an entry that no snapshot holds. A snapshot that finishes
     * after a newer one did is dropped instead.
     */
    finishSnapshot(snapshotId: number, seq: number, takenAt: number): number {
      const active = activeSnapshotId.get() ?? 0;
      if (active > snapshotId) {
        dropChunksOf.run(snapshotId);
        return seq;
      }
      activate.run(seq, takenAt, snapshotId);
      dropChunksBefore.run(snapshotId);
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

/**
 * Snapshot bytes per writer commit: requests sharing a commit with a chunk wait for its write. bench:snapshot
 * at 100,000 agents (126 MB): probe p99 25–28 ms with 256 KiB, 50–60 ms with 1 MiB, 1.5–1.8 s in one commit.
 */
export const SNAPSHOT_CHUNK_BYTES = 256 * 1024;

export function sqliteEngineLog(db: Db, writer: WriterThread, stamper: EventStamper, sink: EventSink, chunkBytes = SNAPSHOT_CHUNK_BYTES): EngineLogRepo {
  const after = db.prepare<[number, number], { seq: number; org_id: string; inputs: string }>(
    'SELECT seq, org_id, inputs FROM engine_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  const latest = db.prepare<[], { seq: number; state: string; snapshot_id: number | null }>('SELECT seq, state, snapshot_id FROM engine_snapshot WHERE id = 1');
  const chunks = db.prepare<[number], Buffer>('SELECT bytes FROM engine_snapshot_chunk WHERE snapshot_id = ? ORDER BY n').pluck();
  const chunksLength = db.prepare<[number], number>('SELECT coalesce(sum(length(bytes)), 0) FROM engine_snapshot_chunk WHERE snapshot_id = ?').pluck();
  /** The snapshot's chunks end to end, copied into one buffer as they are read (not all held, then joined). */
  const snapshotBytes = (snapshotId: number): Uint8Array => {
    const bytes = new Uint8Array(chunksLength.get(snapshotId)!);
    let at = 0;
    for (const chunk of chunks.iterate(snapshotId)) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  };
  return {
    async append(orgId, inputs, newEvents, eraseAgents, key) {
      const stamped = stamper.stamp(newEvents);
      // Bytes move to the writer's thread (a batch's log is ~1 MB: copying it cost the event loop ~1 ms).
      const moved = inputs === null || typeof inputs === 'string' ? undefined : inputs.buffer;
      const seq = await writer.runThenMoving(moved, () => sink.publish(stamped), 'appendLog', orgId, inputs, toEventRows(stamped), eraseAgents ?? null, key ?? null);
      return { seq, events: stamped };
    },
    async after(seq, limit): Promise<LogEntry[]> {
      return after.all(seq, limit).map((r) => ({ seq: r.seq, orgId: r.org_id, inputs: r.inputs }));
    },
    beginSnapshot() {
      return writer.run('beginSnapshot');
    },
    async saveSnapshot({ snapshotId, seq }, state, takenAt) {
      // One chunk per commit; each read when its turn comes (see SnapshotBytes).
      for (let at = 0, n = 0; at < state.byteLength; at += chunkBytes, n++) {
        await writer.run('addSnapshotChunk', snapshotId, n, state.read(at, chunkBytes));
      }
      return writer.run('finishSnapshot', snapshotId, seq, takenAt);
    },
    async latestSnapshot() {
      const row = latest.get();
      if (!row) return undefined;
      return { seq: row.seq, state: row.snapshot_id === null ? row.state : snapshotBytes(row.snapshot_id) };
    },
  };
}

export function sqliteIngestKeys(db: Db): IngestKeyRepo {
  const find = db.prepare<[string, string, number], { request_hash: string; result: string }>(
    'SELECT request_hash, result FROM ingest_keys WHERE org_id = ? AND key = ? AND created_time >= ?',
  );
  return {
    async find(orgId, key) {
      // An expired key not deleted yet (no keyed commit since) is forgotten all the same.
      const row = find.get(orgId, key, Date.now() - INGEST_KEY_TTL_MS);
      return row && { requestHash: row.request_hash, result: row.result };
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

/** better-sqlite3 binds Buffers as BLOBs; a Uint8Array arrives from the parent thread (structured clone drops the Buffer class). */
const blob = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
