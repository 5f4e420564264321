// One agent's actions come from sealed blocks of 4,096 seqs and a scanned tail (migration 007): the
// answer must equal a full scan's — newest first by action time, filters and cursor honoured — even
// when action times run against the order the actions were recorded in.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import type { ActionQuery, Store } from '../../../src/store/types.ts';
import { everyActionId } from './action-pages.ts';
import type { ActionRecord } from '../../../src/domain/actions.ts';

const T0 = 1_790_000_000_000;
const ACTIONS = 10_000; // two sealed blocks and a tail
const AGENTS = 7;
const TYPES = ['Break Played', 'Supervisor Notified'];

/** Deterministic times that mostly rise with the seq but jump back now and then (late reports), with ties. */
function actionTime(i: number): number {
  if (i % 97 === 0) return T0 + (i % 13) * 60_000; // recorded late: far in the past
  return T0 + Math.floor(i / 3) * 1000; // three actions share each second
}

function action(i: number, orgId = 'org-a'): ActionRecord {
  return {
    id: `action-${orgId}-${i}`,
    orgId,
    agentId: `agent-${i % AGENTS}`,
    interactionId: `interaction-${i % 5}`,
    actionType: TYPES[i % 2],
    actionDateTime: actionTime(i),
    createdDateTime: T0 + i,
  };
}

const TIES: [string, number][] = [['newest', T0 + 1], ['tied-1', T0], ['tied-2', T0], ['tied-later-block', T0]];
const tie = (id: string, time: number): ActionRecord =>
  ({ id, orgId: 'org-c', agentId: 'agent-t', actionType: 'Break Played', actionDateTime: time, createdDateTime: time });

describe('one agent\'s actions across sealed blocks and the tail', () => {
  let dir: string;
  let store: Store;
  const recorded: { a: ActionRecord; seq: number }[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'respite-action-agents-'));
    store = openSqliteStore(dir);
    // Commits of 500, with another org's action between them (it takes seqs from the same blocks).
    for (let start = 0; start < ACTIONS; start += 500) {
      // Ties across blocks, for org-c: three actions in block 0, one at the same time in block 1 (seq > 4,096).
      if (start === 0) for (const [id, time] of TIES.slice(0, 3)) await store.actions.record(tie(id, time));
      if (start === 5_000) await store.actions.record(tie(...TIES[3]));
      const batch = Array.from({ length: 500 }, (_, k) => action(start + k));
      await Promise.all([...batch.map((a) => store.actions.record(a)), store.actions.record(action(start, 'org-b'))]);
    }
    const db = new Database(join(dir, 'respite.db'), { readonly: true });
    for (const row of db.prepare<[], { id: string; seq: number }>(`SELECT id, seq FROM actions WHERE org_id = 'org-a'`).all()) {
      recorded.push({ a: action(Number(row.id.slice('action-org-a-'.length))), seq: row.seq });
    }
    assert.equal(db.prepare('SELECT next_block FROM action_seal').pluck().get(), 2, 'two blocks sealed, the rest is the tail');
    db.close();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What a full scan answers: every page of the query, followed by its cursor. */
  function expected(q: Omit<ActionQuery, 'limit' | 'before'>): string[] {
    return recorded
      .filter(({ a }) => a.agentId === q.agentId && (q.actionType === undefined || a.actionType === q.actionType) &&
        (q.interactionId === undefined || a.interactionId === q.interactionId) &&
        (q.from === undefined || a.actionDateTime >= q.from) && (q.to === undefined || a.actionDateTime < q.to))
      .sort((x, y) => y.a.actionDateTime - x.a.actionDateTime || y.seq - x.seq)
      .map(({ a }) => a.id);
  }
  const pages = (q: Omit<ActionQuery, 'limit' | 'before'>, limit: number) => everyActionId(store, q, limit);

  test('follows one agent newest first through the tail and every sealed block', async () => {
    for (const agent of [0, 3, 6]) {
      const q = { orgId: 'org-a', agentId: `agent-${agent}` };
      assert.deepEqual(await pages(q, 100), expected(q));
    }
  });

  test('puts actions recorded late, with old times, in their place by time', async () => {
    const q = { orgId: 'org-a', agentId: 'agent-0' };
    const first = await store.actions.list({ ...q, limit: 20 });
    assert.deepEqual(first.items.map((a) => a.id), expected(q).slice(0, 20));
    const oldest = expected(q).slice(-5);
    assert.ok(oldest.some((id) => Number(id.split('-').pop()) % 97 === 0), 'the oldest include late-recorded ones');
    // Pages of two: the tail's late actions fill a page while older blocks still hold newer ones.
    assert.deepEqual(await pages(q, 2), expected(q));
  });

  test('honours type, interaction and a time range that cuts blocks in the middle', async () => {
    const q = { orgId: 'org-a', agentId: 'agent-2', actionType: 'Break Played', interactionId: 'interaction-4', from: T0 + 500_000, to: T0 + 2_900_000 };
    const want = expected(q);
    assert.ok(want.length > 20 && want.length < 200, `a selective query (${want.length})`);
    assert.deepEqual(await pages(q, 9), want);
  });

  test('a tie with a later block\'s action at the same time puts the later one first', async () => {
    const page = await store.actions.list({ orgId: 'org-c', agentId: 'agent-t', limit: 2 });
    assert.deepEqual(page.items.map((a) => a.id), ['newest', 'tied-later-block']);
  });

  test('a page of one agent stops at the limit and says where to go on', async () => {
    const page = await store.actions.list({ orgId: 'org-a', agentId: 'agent-5', limit: 3 });
    assert.equal(page.items.length, 3);
    assert.ok(page.next);
  });

  test('never returns another organization\'s actions', async () => {
    const page = await store.actions.list({ orgId: 'org-b', agentId: 'agent-0', limit: 100 });
    assert.ok(page.items.length > 0);
    assert.ok(page.items.every((a) => a.orgId === 'org-b'));
    assert.equal((await store.actions.list({ orgId: 'org-d', agentId: 'agent-0', limit: 10 })).items.length, 0);
  });
});

describe('a seal rolled back with the action that triggered it', () => {
  test('leaves the block to the scanned tail, and the next block change seals it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'respite-action-seal-'));
    const store = openSqliteStore(dir);
    const db = new Database(join(dir, 'respite.db'), { readonly: true });
    const sealedBelow = () => db.prepare('SELECT next_block FROM action_seal').pluck().get();
    const everyAction = () => everyActionId(store, { orgId: 'org-a', agentId: 'agent-1' }, 1000);
    const expectedIds = (count: number) => Array.from({ length: count }, (_, i) => action(i)).filter((a) => a.agentId === 'agent-1')
      .sort((x, y) => y.actionDateTime - x.actionDateTime || Number(y.id.split('-').pop()) - Number(x.id.split('-').pop())).map((a) => a.id);
    try {
      await Promise.all(Array.from({ length: 4095 }, (_, i) => store.actions.record(action(i)))); // seqs 1–4,095: block 0
      // Seq 4,096 opens block 1 and seals block 0, then fails writing its event (no type, a NOT NULL
      // column): all rolled back.
      const failing = { ...action(99_999), id: 'failing' };
      const unwritable = { type: null as unknown as 'agent-burnout:action-recorded', orgId: 'org-a', agentId: failing.agentId, time: T0, data: {} };
      await assert.rejects(store.actions.record(failing, undefined, { inputs: '[]', events: [unwritable] }));
      await Promise.all(Array.from({ length: 200 }, (_, k) => store.actions.record(action(4095 + k))));
      assert.equal(sealedBelow(), 0, 'block 0 is not sealed: its seal was rolled back');
      assert.deepEqual(await everyAction(), expectedIds(4295));
      await Promise.all(Array.from({ length: 4100 }, (_, k) => store.actions.record(action(4295 + k)))); // into block 2
      assert.equal(sealedBelow(), 2, 'the next block change sealed blocks 0 and 1');
      assert.deepEqual(await everyAction(), expectedIds(8395));
    } finally {
      db.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
