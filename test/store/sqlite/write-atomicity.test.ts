// Each write is all or nothing, even inside a group commit: a write that fails part-way leaves none of
// its rows behind, and the writes it shared the commit with still land.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import type { NewEvent } from '../../../src/domain/events.ts';

const T0 = 1_790_000_000_000;
const good = (n: number): NewEvent => ({ type: 'agent-burnout:index', orgId: 'org-a', agentId: 'a', time: T0 + n, data: { n } });
/** Crosses to the writer thread and fails there: `events.type` is NOT NULL. */
const unwritable = (n: number): NewEvent => ({ ...good(n), type: null as unknown as NewEvent['type'] });

describe('write atomicity', () => {
  test('a log entry whose second event fails leaves no entry and no event; its commit-mates land', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'respite-atomic-'));
    const store = openSqliteStore(dir);
    try {
      const [before, failing, after] = await Promise.allSettled([
        store.engineLog.append('org-a', '["before"]', [good(1)]),
        store.engineLog.append('org-a', '["failing"]', [good(2), unwritable(3)]),
        store.actions.record(
          { id: randomUUID(), orgId: 'org-a', agentId: 'a', actionType: 'Break Played', actionDateTime: T0, createdDateTime: T0 },
          undefined,
          { inputs: '["after"]', events: [good(4)] },
        ),
      ]);
      assert.equal(before.status, 'fulfilled');
      assert.equal(failing.status, 'rejected');
      assert.equal(after.status, 'fulfilled');
      const db = new Database(join(dir, 'respite.db'), { readonly: true });
      assert.deepEqual(db.prepare('SELECT inputs FROM engine_log ORDER BY seq').pluck().all(), ['["before"]', '["after"]']);
      assert.deepEqual(db.prepare("SELECT json_extract(data, '$.n') FROM events ORDER BY id").pluck().all(), [1, 4]);
      db.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an action whose log entry fails is not recorded either', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'respite-atomic-'));
    const store = openSqliteStore(dir);
    try {
      const action = { id: randomUUID(), orgId: 'org-a', agentId: 'a', actionType: 'Break Played', actionDateTime: T0, createdDateTime: T0 };
      await assert.rejects(store.actions.record(action, { key: 'k-1', requestHash: 'h' }, { inputs: '[]', events: [unwritable(1)] }));
      assert.equal(await store.actions.findByKey('org-a', 'k-1'), undefined, 'a retry with the same key is recorded afresh');
      assert.deepEqual((await store.actions.list({ orgId: 'org-a', limit: 10 })).items, []);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a batch's Idempotency-Key is not kept when its log entry fails", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'respite-atomic-'));
    const store = openSqliteStore(dir);
    try {
      const key = { key: 'batch-1', requestHash: 'h', result: '{"accepted":1}', createdTime: Date.now() };
      await assert.rejects(store.engineLog.append('org-a', '["failing"]', [good(1), unwritable(2)], undefined, key));
      assert.equal(await store.ingestKeys.find('org-a', 'batch-1'), undefined, 'a retry with the same key is applied afresh');
      await store.engineLog.append('org-a', '["retry"]', [good(3)], undefined, key);
      assert.deepEqual(await store.ingestKeys.find('org-a', 'batch-1'), { requestHash: 'h', result: '{"accepted":1}' });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('events whose data cannot be JSON (a BigInt) fail their own write as a rejection, and none of it lands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'respite-atomic-'));
    const store = openSqliteStore(dir);
    try {
      const notJson = (n: number): NewEvent => ({ ...good(n), data: { n: BigInt(n) } });
      const action = { id: randomUUID(), orgId: 'org-a', agentId: 'a', actionType: 'Break Played', actionDateTime: T0, createdDateTime: T0 };
      await assert.rejects(store.actions.record(action, undefined, { inputs: '[]', events: [good(1), notJson(2)] }), /BigInt/);
      await assert.rejects(store.events.append([good(3), notJson(4)]), /BigInt/);
      await assert.rejects(store.engineLog.append('org-a', '["failing"]', [notJson(5)]), /BigInt/);
      await store.events.append([good(6)]);
      assert.deepEqual((await store.actions.list({ orgId: 'org-a', limit: 10 })).items, []);
      assert.deepEqual((await store.engineLog.after(0, 10)).map((e) => e.inputs), []);
      assert.deepEqual((await store.events.list({ orgId: 'org-a', after: 0, limit: 10 })).map((e) => e.data.n), [6]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
