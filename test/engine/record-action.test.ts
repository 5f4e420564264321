// Recording an action through the engine: the action, the break it applies and its events commit
// together, and an Idempotency-Key is settled before anything is applied, so a retry — even one racing
// its original — never applies a break twice.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Engine } from '../../src/engine/engine.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { ActionRecord } from '../../src/domain/actions.ts';
import { resolveModelConfig } from '../../src/domain/burnout/index.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { Store } from '../../src/store/types.ts';
import { tempDataDir } from '../helpers/server.ts';
import { enableInProcess } from './in-process.ts';

const T0 = Date.now() - 3_600_000;

describe('recording actions', () => {
  const dir = tempDataDir();
  const orgId = randomUUID();
  let store: Store;
  let engine: Engine;
  before(async () => {
    store = openSqliteStore(dir);
    engine = await Engine.start(store, { snapshotEveryMs: 0 });
    await enableInProcess(store, engine, orgId);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const action = (agentId: string, actionType = 'Break Played'): ActionRecord => ({
    id: randomUUID(),
    orgId,
    agentId,
    actionType,
    actionDateTime: T0,
    createdDateTime: Date.now(),
  });
  /** Every logged input that played a break for `agentId`. */
  const loggedBreaks = async (agentId: string) => {
    const entries = await store.engineLog.after(0, 10_000);
    return entries.flatMap((e) => JSON.parse(e.inputs) as [number, { type: string; agentId?: string }][]).filter(([, input]) => input.type === 'action.break' && input.agentId === agentId);
  };
  const timeline = (agentId: string) => store.events.list({ orgId, agentId, after: 0, limit: 100 });

  test('a break action is durable with its log entry and its events when recordAction resolves', async () => {
    const result = await engine.recordAction(action('agent-a'));
    assert.equal(result.kind, 'created');
    assert.equal((await loggedBreaks('agent-a')).length, 1);
    const events = await timeline('agent-a');
    assert.deepEqual(events.map((e) => e.type), ['agent-burnout:index', 'agent-burnout:action-recorded']);
    assert.equal(events[1].data.actionId, result.action.id);
  });

  test('an action that is not a break is on the timeline, and adds no entry to the input log', async () => {
    const entries = (await store.engineLog.after(0, 10_000)).length;
    await engine.recordAction(action('agent-b', 'Supervisor Notified'));
    assert.equal((await loggedBreaks('agent-b')).length, 0);
    assert.deepEqual((await timeline('agent-b')).map((e) => e.type), ['agent-burnout:action-recorded']);
    assert.equal((await store.engineLog.after(0, 10_000)).length, entries, 'nothing for a replay to apply, so no entry');
  });

  test('concurrent retries with one Idempotency-Key record once and apply the break once', async () => {
    const idempotency = { key: 'retry-1', requestHash: 'same-body' };
    const results = await Promise.all(Array.from({ length: 5 }, () => engine.recordAction(action('agent-c'), idempotency)));
    assert.deepEqual(results.map((r) => r.kind).sort(), ['created', 'replayed', 'replayed', 'replayed', 'replayed']);
    assert.equal(new Set(results.map((r) => r.action.id)).size, 1, 'every answer carries the first action');
    assert.equal((await loggedBreaks('agent-c')).length, 1);
    assert.equal((await timeline('agent-c')).filter((e) => e.type === 'agent-burnout:action-recorded').length, 1);
  });

  test('the same key with a different body conflicts, in flight or committed, and the original body still replays', async () => {
    const original = { key: 'retry-2', requestHash: 'body-1' };
    const other = { key: 'retry-2', requestHash: 'body-2' };
    const [first, racing] = await Promise.all([engine.recordAction(action('agent-d'), original), engine.recordAction(action('agent-d'), other)]);
    assert.equal(first.kind, 'created');
    assert.equal(racing.kind, 'conflict');
    assert.equal(racing.action.id, first.action.id);
    const [late, retry] = await Promise.all([engine.recordAction(action('agent-d'), other), engine.recordAction(action('agent-d'), original)]);
    assert.equal(late.kind, 'conflict');
    assert.equal(retry.kind, 'replayed');
    assert.equal((await loggedBreaks('agent-d')).length, 1);
  });

  test('keys are per organization', async () => {
    const idempotency = { key: 'retry-3', requestHash: 'body' };
    const mine = await engine.recordAction(action('agent-e'), idempotency);
    const theirs = await engine.recordAction({ ...action('agent-e'), orgId: randomUUID() }, idempotency);
    assert.equal(mine.kind, 'created');
    assert.equal(theirs.kind, 'created');
    assert.notEqual(theirs.action.id, mine.action.id);
  });

  test('a break action type is matched ignoring case', async () => {
    await engine.recordAction(action('agent-f', 'BREAK PLAYED'));
    assert.deepEqual((await loggedBreaks('agent-f')).map(([, input]) => (input as { durationMs?: number }).durationMs), [60_000]);
  });

  test('an organization\'s own break action types and break length replace the defaults', async () => {
    const otherOrg = randomUUID();
    await enableInProcess(store, engine, otherOrg);
    const config = resolveModelConfig({ breakActions: { types: ['Mindful Minute'], playedSec: 300 } });
    assert.ok(!(config instanceof AppError));
    await engine.onModelConfigChanged(otherOrg, config);
    const inOtherOrg = (agentId: string, actionType: string) => ({ ...action(agentId, actionType), orgId: otherOrg });
    await engine.recordAction(inOtherOrg('agent-g', 'mindful minute'));
    await engine.recordAction(inOtherOrg('agent-h', 'Break Played'));
    assert.deepEqual((await loggedBreaks('agent-g')).map(([, input]) => (input as { durationMs?: number }).durationMs), [300_000]);
    assert.equal((await loggedBreaks('agent-h')).length, 0, 'not a break in this organization');
    const timeline = await store.events.list({ orgId: otherOrg, agentId: 'agent-h', after: 0, limit: 10 });
    assert.deepEqual(timeline.map((e) => e.type), ['agent-burnout:action-recorded'], 'still on the timeline');
  });
});
