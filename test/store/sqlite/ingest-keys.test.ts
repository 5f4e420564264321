// Ingest Idempotency-Keys in the store: committed with the batch's log entry, remembered for a day, and
// deleted once expired by the next keyed commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import { INGEST_KEY_TTL_MS, type IngestKeyRecord, type Store } from '../../../src/store/types.ts';
import { EXPIRED_KEYS_PER_COMMIT } from '../../../src/store/sqlite/engine-log.ts';

async function withStore(body: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'respite-ingest-keys-'));
  const store = openSqliteStore(dir);
  try {
    await body(store, dir);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const keyOf = (key: string, createdTime: number, result = `{"accepted":${createdTime % 7}}`): IngestKeyRecord => ({ key, requestHash: `hash-${key}`, result, createdTime });

/** The keys the table holds, expired or not (the store's reads hide expired ones). */
function storedKeys(dir: string): string[] {
  const db = new Database(join(dir, 'respite.db'), { readonly: true });
  try {
    return db.prepare<[], string>('SELECT key FROM ingest_keys ORDER BY key').pluck().all();
  } finally {
    db.close();
  }
}

test('a key commits with its log entry and reads back with its answer, per organization', async () => {
  await withStore(async (store) => {
    const now = Date.now();
    await store.engineLog.append('org', '[[0,{"type":"engine.forget"}]]', [], undefined, keyOf('k1', now, '{"accepted":3}'));
    assert.deepEqual(await store.ingestKeys.find('org', 'k1'), { requestHash: 'hash-k1', result: '{"accepted":3}' });
    assert.equal(await store.ingestKeys.find('other-org', 'k1'), undefined);
    assert.equal((await store.engineLog.after(0, 10)).length, 1, 'the entry is there too');
  });
});

test('a key without inputs commits alone (a batch that applied nothing)', async () => {
  await withStore(async (store) => {
    await store.engineLog.append('org', null, [], undefined, keyOf('empty', Date.now()));
    assert.ok(await store.ingestKeys.find('org', 'empty'));
    assert.deepEqual(await store.engineLog.after(0, 10), [], 'no log entry');
  });
});

test('an expired key is forgotten at once and deleted by the next keyed commit', async () => {
  await withStore(async (store, dir) => {
    const now = Date.now();
    await store.engineLog.append('org', null, [], undefined, keyOf('old', now - INGEST_KEY_TTL_MS - 60_000));
    await store.engineLog.append('org', null, [], undefined, keyOf('recent', now - INGEST_KEY_TTL_MS + 60_000));
    assert.equal(await store.ingestKeys.find('org', 'old'), undefined, 'past the TTL by the reader\'s clock');
    assert.ok(await store.ingestKeys.find('org', 'recent'));
    assert.deepEqual(storedKeys(dir), ['old', 'recent'], "a commit deletes keys a day older than its own, and recent's is not");
    await store.engineLog.append('org', null, [], undefined, keyOf('new', now));
    assert.deepEqual(storedKeys(dir), ['new', 'recent']);
  });
});

test('an expired key not deleted yet can be used again', async () => {
  await withStore(async (store) => {
    const now = Date.now();
    await store.engineLog.append('org', null, [], undefined, keyOf('again', now - INGEST_KEY_TTL_MS - 1_000, '{"first":true}'));
    // A request made two seconds ago, whose key the reader found expired: by the request's own time the
    // old row is not, so the commit keeps it, and the key's new row must replace it, not fail the commit.
    await store.engineLog.append('org', null, [], undefined, keyOf('again', now - 2_000, '{"second":true}'));
    assert.deepEqual(await store.ingestKeys.find('org', 'again'), { requestHash: 'hash-again', result: '{"second":true}' });
  });
});

test('a backlog of expired keys drains a bounded number a commit, oldest first', async () => {
  await withStore(async (store, dir) => {
    const now = Date.now();
    const expired = EXPIRED_KEYS_PER_COMMIT + 10;
    // Written long ago, each by a commit whose own time expired nothing yet.
    for (let i = 0; i < expired; i++) await store.engineLog.append('org', null, [], undefined, keyOf(`old-${String(i).padStart(3, '0')}`, now - 2 * INGEST_KEY_TTL_MS + i));
    await store.engineLog.append('org', null, [], undefined, keyOf('new-1', now));
    const left = storedKeys(dir).filter((k) => k.startsWith('old-'));
    assert.equal(left.length, 10, 'one commit deleted its bound');
    assert.deepEqual(left, Array.from({ length: 10 }, (_, i) => `old-${String(EXPIRED_KEYS_PER_COMMIT + i).padStart(3, '0')}`), 'the oldest went first');
    await store.engineLog.append('org', null, [], undefined, keyOf('new-2', now));
    assert.deepEqual(storedKeys(dir), ['new-1', 'new-2']);
  });
});
