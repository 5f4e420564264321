// Engine snapshots in SQLite: written in chunks (one writer commit each), counted only once complete,
// covering exactly the log entries appended before the save began, and JSON snapshots from before the
// binary format still readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import type { Store } from '../../../src/store/types.ts';
import { SegmentedBytes } from '../../../src/store/snapshot-bytes.ts';

const CHUNK = 1000;

async function withStore(body: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'respite-snap-'));
  const store = openSqliteStore(dir, { snapshotChunkBytes: CHUNK });
  try {
    await body(store, dir);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const append = (store: Store, k: number) => store.engineLog.append('org', `[${k}]`, []);
/** Begins a snapshot now (covering the entries appended so far) and writes `state` for it. */
async function save(store: Store, state: Uint8Array, takenAt: number): Promise<number> {
  const slot = store.engineLog.beginSnapshot();
  return store.engineLog.saveSnapshot(await slot, SegmentedBytes.of(state), takenAt);
}

/** Reads the database beside the store's own connections (WAL: sees what is committed). */
function chunkRows(dir: string): { snapshot_id: number; n: number }[] {
  const db = new Database(join(dir, 'respite.db'), { readonly: true });
  try {
    return db.prepare('SELECT snapshot_id, n FROM engine_snapshot_chunk ORDER BY snapshot_id, n').all() as { snapshot_id: number; n: number }[];
  } finally {
    db.close();
  }
}

test('a snapshot many chunks long comes back byte for byte', async () => {
  await withStore(async (store, dir) => {
    const state = bytesOf(10 * CHUNK + 123, 1);
    await save(store, state, 1_000);
    assert.equal(chunkRows(dir).length, 11, 'written as 11 chunks');
    const saved = await store.engineLog.latestSnapshot();
    assert.deepEqual(new Uint8Array(saved!.state as Uint8Array), state);
  });
});

test('covers exactly the entries appended before the save began, though more arrive while it is written', async () => {
  await withStore(async (store) => {
    for (let k = 1; k <= 3; k++) await append(store, k);
    const saving = save(store, bytesOf(20 * CHUNK, 2), 1_000);
    const during = [append(store, 4), append(store, 5)];
    const seq = await saving;
    await Promise.all(during);
    assert.equal(seq, 3);
    assert.equal((await store.engineLog.latestSnapshot())!.seq, 3);
    // Pruned up to the snapshot, and not one entry further.
    assert.deepEqual((await store.engineLog.after(0, 10)).map((e) => e.inputs), ['[4]', '[5]']);
  });
});

test('an unfinished snapshot is never loaded, and the next one clears its chunks', async () => {
  await withStore(async (store, dir) => {
    await append(store, 1);
    const first = bytesOf(3 * CHUNK, 3);
    await save(store, first, 1_000);
    // What a crash in the middle of a save leaves: chunks of a snapshot the engine_snapshot row does not name.
    const db = new Database(join(dir, 'respite.db'));
    db.prepare('INSERT INTO engine_snapshot_chunk (snapshot_id, n, bytes) VALUES (99, 0, ?)').run(Buffer.from(bytesOf(CHUNK, 4)));
    db.close();
    assert.deepEqual(new Uint8Array((await store.engineLog.latestSnapshot())!.state as Uint8Array), first);

    await append(store, 2);
    const second = bytesOf(2 * CHUNK, 5);
    await save(store, second, 2_000);
    assert.deepEqual(new Uint8Array((await store.engineLog.latestSnapshot())!.state as Uint8Array), second);
    const ids = new Set(chunkRows(dir).map((r) => r.snapshot_id));
    assert.equal(ids.size, 1, 'only the active snapshot keeps chunks');
    assert.ok(!ids.has(99));
  });
});

test('of two saves in flight at once, the later one is what a restart loads', async () => {
  await withStore(async (store, dir) => {
    await append(store, 1);
    const older = save(store, bytesOf(8 * CHUNK, 6), 1_000);
    await append(store, 2);
    const newer = bytesOf(2 * CHUNK, 7);
    const newerSeq = save(store, newer, 2_000);
    // The shorter, newer save finishes first; the older one must not replace it when it finishes.
    assert.deepEqual(await Promise.all([older, newerSeq]), [1, 2]);
    const saved = await store.engineLog.latestSnapshot();
    assert.equal(saved!.seq, 2);
    assert.deepEqual(new Uint8Array(saved!.state as Uint8Array), newer);
    assert.equal(chunkRows(dir).length, 2, 'the older save left no chunks behind');
  });
});

test('a snapshot saved as JSON text before the binary format is read back as that text', async () => {
  await withStore(async (store, dir) => {
    const db = new Database(join(dir, 'respite.db'));
    db.prepare("INSERT INTO engine_snapshot (id, seq, taken_at, state) VALUES (1, 7, 1000, '{\"orgs\":{}}')").run();
    db.close();
    assert.deepEqual(await store.engineLog.latestSnapshot(), { seq: 7, state: '{"orgs":{}}' });
  });
});
