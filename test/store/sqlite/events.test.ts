// The event log's agent lookups go through blocks of 4,096 ids (migration 003): queries must find an
// agent's events in every block, honour time bounds, types, `after` and the limit, and keep orgs apart.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import type { Store } from '../../../src/store/types.ts';
import type { NewEvent } from '../../../src/domain/events.ts';

const T0 = 1_790_000_000_000;
const EVENTS = 10_000; // spans three blocks
const AGENTS = 7;

describe('event log agent queries', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'respite-events-'));
    store = openSqliteStore(dir);
    const events: NewEvent[] = [];
    for (let i = 0; i < EVENTS; i++) {
      events.push({
        type: i % 10 === 0 ? 'agent-burnout:level-changed' : 'agent-burnout:index',
        orgId: 'org-a',
        agentId: `agent-${i % AGENTS}`,
        time: T0 + i * 1000,
        data: { n: i },
      });
    }
    // Several appends, like several commits, with another org's events in between.
    for (let start = 0; start < EVENTS; start += 2_500) {
      await store.events.append(events.slice(start, start + 2_500));
      await store.events.append([{ type: 'agent-burnout:index', orgId: 'org-b', agentId: 'agent-0', time: T0, data: { n: -1 } }]);
    }
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What a full scan would answer, for comparison. */
  const expected = (agent: number, filter: (n: number) => boolean = () => true) =>
    Array.from({ length: EVENTS }, (_, n) => n).filter((n) => n % AGENTS === agent && filter(n));

  test('indexes full blocks by agent and leaves the newest to be scanned', () => {
    const db = new Database(join(dir, 'respite.db'), { readonly: true });
    try {
      assert.equal(db.prepare(`SELECT next_block FROM event_seal WHERE org_id = 'org-a'`).pluck().get(), 2);
      assert.equal(db.prepare(`SELECT count(*) FROM event_agents WHERE org_id = 'org-a'`).pluck().get(), 2 * 4096 - 1, 'ids 1–8,191');
    } finally {
      db.close();
    }
  });

  test('finds one agent\'s events in every block, in id order', async () => {
    const found = await store.events.list({ orgId: 'org-a', agentId: 'agent-3', after: 0, limit: 10_000 });
    assert.deepEqual(found.map((e) => e.data.n), expected(3));
    assert.ok(found.every((e, i) => i === 0 || e.id > found[i - 1].id));
    assert.ok(found.at(-1)!.id > 8192, 'the last match lies in the third block');
  });

  test('honours a time range that cuts blocks in the middle', async () => {
    const from = T0 + 3_000_000;
    const to = T0 + 8_500_000;
    const found = await store.events.list({ orgId: 'org-a', agentId: 'agent-5', after: 0, fromTime: from, toTime: to, limit: 10_000 });
    assert.deepEqual(found.map((e) => e.data.n), expected(5, (n) => n >= 3_000 && n < 8_500));
  });

  test('filters by type and resumes after an id, across a block boundary', async () => {
    const first = await store.events.list({ orgId: 'org-a', agentId: 'agent-0', types: ['agent-burnout:level-changed'], after: 0, limit: 60 });
    assert.equal(first.length, 60);
    const rest = await store.events.list({ orgId: 'org-a', agentId: 'agent-0', types: ['agent-burnout:level-changed'], after: first.at(-1)!.id, limit: 10_000 });
    assert.deepEqual([...first, ...rest].map((e) => e.data.n), expected(0, (n) => n % 10 === 0));
  });

  test('stops at the limit', async () => {
    const found = await store.events.list({ orgId: 'org-a', agentId: 'agent-1', after: 0, limit: 5 });
    assert.deepEqual(found.map((e) => e.data.n), expected(1).slice(0, 5));
  });

  test('erases agents\' events in every block, one agent or many, and nobody else\'s', async () => {
    const eraseDir = mkdtempSync(join(tmpdir(), 'respite-erase-'));
    const erasing = openSqliteStore(eraseDir);
    try {
      // 200 agents over three blocks: erasing 2 seeks each agent; erasing 150 scans each block.
      const many = Array.from({ length: 10_000 }, (_, i): NewEvent => ({ type: 'agent-burnout:index', orgId: 'org-e', agentId: `a-${i % 200}`, time: T0 + i, data: {} }));
      await erasing.events.append(many);
      await erasing.events.append([{ type: 'agent-burnout:index', orgId: 'org-f', agentId: 'a-0', time: T0, data: {} }]);
      const few = ['a-0', 'a-1'];
      const lots = Array.from({ length: 150 }, (_, i) => `a-${i + 2}`);
      await erasing.engineLog.append('org-e', '[]', [], few);
      await erasing.engineLog.append('org-e', '[]', [], lots);
      const left = await erasing.events.list({ orgId: 'org-e', after: 0, limit: 20_000 });
      assert.deepEqual(new Set(left.map((e) => e.agentId)), new Set(Array.from({ length: 48 }, (_, i) => `a-${i + 152}`)));
      assert.equal(left.length, 48 * 50);
      assert.equal((await erasing.events.list({ orgId: 'org-f', agentId: 'a-0', after: 0, limit: 10 })).length, 1);
    } finally {
      await erasing.close();
      rmSync(eraseDir, { recursive: true, force: true });
    }
  });

  test('never returns another organization\'s events', async () => {
    const found = await store.events.list({ orgId: 'org-b', agentId: 'agent-0', after: 0, limit: 100 });
    assert.equal(found.length, 4);
    assert.ok(found.every((e) => e.orgId === 'org-b' && e.data.n === -1));
  });
});

describe('a sealed block\'s time range', () => {
  test('runs from its earliest to its latest event, whatever their order, so a time-bounded query finds both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'respite-event-range-'));
    const store = openSqliteStore(dir);
    try {
      // Times run backwards: block 0's earliest event is its last (id 4,095), its latest its first.
      const events = Array.from({ length: 4_200 }, (_, n): NewEvent => ({ type: 'agent-burnout:index', orgId: 'org-r', agentId: 'agent-0', time: T0 - n, data: { n } }));
      // Small appends, as actions commit: the range must cover every commit's events, not the last one's.
      for (let start = 0; start < events.length; start += 100) await store.events.append(events.slice(start, start + 100));
      const at = async (n: number) =>
        (await store.events.list({ orgId: 'org-r', agentId: 'agent-0', after: 0, fromTime: T0 - n, toTime: T0 - n + 1, limit: 10 })).map((e) => e.data.n);
      assert.deepEqual(await at(4_094), [4_094], 'the earliest event of the sealed block');
      assert.deepEqual(await at(0), [0], 'the latest');
      assert.deepEqual(await at(2_000), [2_000], 'one in the middle');
      assert.deepEqual(await at(4_150), [4_150], 'one in the scanned tail');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a seal rolled back with the events that triggered it', () => {
  test('leaves the block to the scanned tail, and the org\'s next block change seals it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'respite-event-seal-'));
    const store = openSqliteStore(dir);
    const db = new Database(join(dir, 'respite.db'), { readonly: true });
    const sealedBelow = () => db.prepare(`SELECT next_block FROM event_seal WHERE org_id = 'org-s'`).pluck().get() ?? 0;
    const event = (n: number, data: Record<string, unknown> = { n }): NewEvent => ({ type: 'agent-burnout:index', orgId: 'org-s', agentId: `agent-${n % 3}`, time: T0 + n, data });
    const ns = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);
    try {
      await store.events.append(ns(0, 4095).map((n) => event(n))); // ids 1–4,095: block 0
      // Id 4,096 opens block 1 and seals block 0; the next event fails on the writer (no type, a NOT NULL
      // column): the whole append rolls back.
      await assert.rejects(store.events.append([event(-1), { ...event(-2), type: null as unknown as NewEvent['type'] }]));
      await store.events.append(ns(4095, 100).map((n) => event(n)));
      assert.equal(sealedBelow(), 0, 'block 0 is not sealed: its seal was rolled back');
      const agentOne = async () => (await store.events.list({ orgId: 'org-s', agentId: 'agent-1', after: 0, limit: 100_000 })).map((e) => e.data.n);
      assert.deepEqual(await agentOne(), ns(0, 4195).filter((n) => n % 3 === 1));
      await store.events.append(ns(4195, 4100).map((n) => event(n))); // into block 2
      assert.equal(sealedBelow(), 2, 'the next block change sealed blocks 0 and 1');
      assert.deepEqual(await agentOne(), ns(0, 8295).filter((n) => n % 3 === 1));
    } finally {
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
