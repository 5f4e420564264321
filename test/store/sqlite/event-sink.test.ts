// The store tells its event sink (the server's bus) of each commit's events: only once they are durable,
// in commit order (so each org's ids arrive increasing), and never of events it did not write.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import type { EventEnvelope, NewEvent } from '../../../src/domain/events.ts';
import type { ActionRecord } from '../../../src/domain/actions.ts';
import type { Store } from '../../../src/store/types.ts';

const T0 = 1_790_000_000_000;
const newEvent = (orgId: string, n: number): NewEvent => ({ type: 'agent-burnout:index', orgId, agentId: `agent-${n % 3}`, time: T0 + n, data: { n } });
const action = (orgId: string, n: number): ActionRecord => ({ id: randomUUID(), orgId, agentId: 'agent-0', actionType: 'Break Played', actionDateTime: T0 + n, createdDateTime: T0 + n });

/** A store whose sink records each publish, and what a second connection could read of it at that moment. */
function openRecording() {
  const dir = mkdtempSync(join(tmpdir(), 'respite-sink-'));
  const published: EventEnvelope[][] = [];
  const unreadable: string[] = [];
  let reader: Database.Database | undefined;
  const store: Store = openSqliteStore(dir, {
    events: {
      publish(events) {
        published.push([...events]);
        reader ??= new Database(join(dir, 'respite.db'), { readonly: true });
        const read = reader.prepare('SELECT 1 FROM events WHERE org_id = ? AND id = ?');
        for (const e of events) if (!read.get(e.orgId, e.id)) unreadable.push(`${e.orgId}:${e.id}`);
      },
    },
  });
  const all = (orgId: string) => new Database(join(dir, 'respite.db'), { readonly: true }).prepare<[string], number>('SELECT id FROM events WHERE org_id = ? ORDER BY id').pluck().all(orgId);
  return {
    store,
    published,
    unreadable,
    all,
    async close() {
      reader?.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the store\'s event sink', () => {
  test('hears every committed event once, readable by another connection, each org in increasing id order', async () => {
    const r = openRecording();
    try {
      const writes: Promise<unknown>[] = [];
      // Three kinds of writes interleaved and in flight together, so they share group commits.
      for (let n = 0; n < 60; n++) {
        const orgId = n % 2 === 0 ? 'org-a' : 'org-b';
        if (n % 3 === 0) writes.push(r.store.engineLog.append(orgId, '[]', [newEvent(orgId, n), newEvent(orgId, n + 1000)]));
        else if (n % 3 === 1) writes.push(r.store.events.append([newEvent(orgId, n)]));
        else writes.push(r.store.actions.record(action(orgId, n), undefined, { inputs: '[]', events: [newEvent(orgId, n)] }));
      }
      await Promise.all(writes);
      assert.deepEqual(r.unreadable, [], 'published only once committed');
      for (const orgId of ['org-a', 'org-b']) {
        const heard = r.published.flat().filter((e) => e.orgId === orgId).map((e) => e.id);
        assert.deepEqual(heard, r.all(orgId), `${orgId}: every stored event heard once, in id order`);
      }
    } finally {
      await r.close();
    }
  });

  test('an action answered as a retry of an earlier one publishes nothing', async () => {
    const r = openRecording();
    try {
      const key = { key: 'retry-1', requestHash: 'h' };
      const [first, second] = await Promise.all([
        r.store.actions.record(action('org-a', 1), key, { inputs: '[]', events: [newEvent('org-a', 1)] }),
        r.store.actions.record(action('org-a', 2), key, { inputs: '[]', events: [newEvent('org-a', 2)] }),
      ]);
      assert.equal(first.kind, 'created');
      assert.notEqual(second.kind, 'created');
      assert.deepEqual(r.published.flat().map((e) => e.data.n), [1]);
      assert.deepEqual(r.all('org-a'), [1]);
    } finally {
      await r.close();
    }
  });

  test('a write that fails publishes nothing', async () => {
    const r = openRecording();
    try {
      // NOT NULL: the log entry needs an org.
      await assert.rejects(r.store.engineLog.append(null as unknown as string, '[]', [newEvent('org-a', 1)]));
      await r.store.events.append([newEvent('org-a', 2)]);
      assert.deepEqual(r.published.flat().map((e) => e.data.n), [2]);
    } finally {
      await r.close();
    }
  });
});
