// Agent read models (/v1/agents, /v1/agents/{id}, history) and actions feeding back into the model.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { enableWellbeing, enabledOrg, freshOrg, getAgent, ingest, ingestAll, listAllAgents, type AgentDto, type OrgClient } from '../engine/helpers.ts';
import { abusiveStreak, plainCall, realisticSpan } from '../engine/signal-builder.ts';
import { MAX_ID_LENGTH, type Signal } from '../../src/domain/signals.ts';

const HOUR = 3_600_000;
const LEVELS_DOWN = ['critical', 'high', 'moderate', 'low'];

describe('agent read models', () => {
  let t: TestServer;
  let org: OrgClient;
  let start: number;
  /** Agents with 0…8 back-to-back abusive calls: a spread of levels. */
  const streaks: Record<string, number> = { 'ag-a': 0, 'ag-b': 8, 'ag-c': 2, 'ag-d': 5, 'ag-e': 0, 'ag-f': 3, 'ag-g': 8, 'ag-h': 1, 'ag-i': 4 };

  before(async () => {
    t = await startTestServer();
    org = await freshOrg(t);
    await enableWellbeing(org);
    start = Date.now() - 5 * HOUR;
    const signals: Signal[] = [];
    for (const [agentId, count] of Object.entries(streaks)) {
      signals.push(...(count > 0 ? abusiveStreak(agentId, start, count).signals : plainCall(agentId, `${agentId}-plain`, start).signals));
    }
    await ingestAll(org, signals.sort((a, b) => a.time - b.time));
  });
  after(() => t.close());

  test('GET /v1/agents lists every scored agent with index, level, state, factors and updatedAt', async () => {
    const r = await org.call('GET', '/v1/agents?at=0');
    assert.equal(r.status, 200, r.text);
    const agents: AgentDto[] = r.body.data;
    assert.deepEqual(agents.map((a) => a.agentId), Object.keys(streaks).sort(), 'sorted by agentId by default');
    for (const a of agents) {
      assert.deepEqual(Object.keys(a).sort(), ['agentId', 'burnoutIndex', 'factors', 'level', 'state', 'updatedAt']);
      assert.ok(a.burnoutIndex > 0 && a.burnoutIndex <= 100);
      assert.ok(LEVELS_DOWN.includes(a.level));
      assert.equal(a.state, 'available', 'every agent finished wrap-up');
      assert.ok(Object.values(a.factors).every((v) => typeof v === 'number' && v !== 0), 'zero factors are left out');
      assert.ok(a.updatedAt >= start && a.updatedAt <= Date.now());
    }
    // More abuse, higher index (same start, same call lengths).
    const byStreak = [...agents].sort((x, y) => streaks[x.agentId] - streaks[y.agentId] || x.agentId.localeCompare(y.agentId));
    for (let i = 1; i < byStreak.length; i++) {
      assert.ok(byStreak[i].burnoutIndex >= byStreak[i - 1].burnoutIndex, `${byStreak[i].agentId} ≥ ${byStreak[i - 1].agentId}`);
    }
    assert.ok(new Set(agents.map((a) => a.level)).size >= 3, `a spread of levels: ${agents.map((a) => a.level)}`);
  });

  test('the level filter keeps only the listed levels', async () => {
    const all = await listAllAgents(org);
    for (const filter of ['low', 'moderate,high', 'critical', 'high,critical,low']) {
      const wanted = filter.split(',');
      const r = await org.call('GET', `/v1/agents?level=${filter}&at=0`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.data, all.filter((a) => wanted.includes(a.level)), `level=${filter}`);
    }
    const bad = await org.call('GET', '/v1/agents?level=extreme');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /extreme/);
  });

  test('sort=level lists critical first, then by agentId within a level', async () => {
    const r = await org.call('GET', '/v1/agents?sort=level');
    assert.equal(r.status, 200, r.text);
    const expected = [...r.body.data].sort(
      (x: AgentDto, y: AgentDto) => LEVELS_DOWN.indexOf(x.level) - LEVELS_DOWN.indexOf(y.level) || (x.agentId < y.agentId ? -1 : 1),
    );
    assert.deepEqual(r.body.data, expected);
    assert.deepEqual(new Set(r.body.data.map((a: AgentDto) => a.agentId)), new Set(Object.keys(streaks)));
  });

  test('cursor paging visits each agent exactly once, in either sort', async () => {
    for (const sort of ['agentId', 'level']) {
      const whole = (await org.call('GET', `/v1/agents?sort=${sort}&limit=1000&at=0`)).body.data;
      for (const limit of [1, 2, 4]) {
        const paged = await listAllAgents(org, `sort=${sort}&limit=${limit}&at=0`);
        assert.deepEqual(paged, whole, `sort=${sort}, limit=${limit}`);
      }
    }
    const bad = await org.call('GET', '/v1/agents?cursor=not-a-cursor');
    assert.equal(bad.status, 400);
  });

  test('without at, agents are read at now: rested since their latest signal, they read lower; the next page keeps that time', async () => {
    const asOfSignal = await getAgent(org, 'ag-b');
    const now = (await org.call('GET', '/v1/agents/ag-b')).body as AgentDto;
    assert.ok(now.burnoutIndex < asOfSignal.burnoutIndex, `recovering: ${now.burnoutIndex} < ${asOfSignal.burnoutIndex}`);
    assert.equal(now.updatedAt, asOfSignal.updatedAt, 'updatedAt is the latest signal either way');
    const first = await org.call('GET', '/v1/agents?limit=2&sort=level');
    const at = Number(new URL(first.body.meta.links.next, 'http://x').searchParams.get('at'));
    assert.ok(at >= now.updatedAt && at <= Date.now(), `the next link pins the read time: ${first.body.meta.links.next}`);
    const bad = await org.call('GET', '/v1/agents?at=-1');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /at/);
  });

  test('an agent id of the longest length works on every route that takes one, and one longer is refused on each', async () => {
    const own = await enabledOrg(t);
    const longest = 'a'.repeat(MAX_ID_LENGTH);
    const tooLong = 'a'.repeat(MAX_ID_LENGTH + 1);
    const call = plainCall(longest, 'long-1', start).signals;
    const result = await ingest(own, call);
    assert.deepEqual([result.accepted, result.rejected], [call.length, 0], JSON.stringify(result));
    const headers = { 'X-ORGANIZATION-ID': own.orgId };
    const calls = (agentId: string) => [
      own.call('POST', '/v1/agentburnout/action', { agentId, actionType: 'Break Played', actionDateTime: start + HOUR }, headers),
      own.call('GET', `/v1/agents/${agentId}?at=0`),
      own.call('GET', `/v1/agents/${agentId}/history`),
      own.call('GET', `/v1/agentburnout/actions?agentId=${agentId}`),
      own.call('GET', `/v1/events?after=0&agentId=${agentId}`),
      own.call('PUT', `/v1/agent-settings/${agentId}`, { userLevelBurnoutInclusion: 'INCLUDED' }),
    ];
    for (const r of await Promise.all(calls(longest))) assert.equal(r.status, 200, r.text);
    for (const r of await Promise.all(calls(tooLong))) assert.equal(r.status, 400, r.text);
    const refused = await ingest(own, plainCall(tooLong, 'long-2', start).signals);
    assert.equal(refused.accepted, 0);
  });

  test('GET /v1/agents/{id} answers the same view as the list, and 404 for an unknown agent', async () => {
    for (const listed of await listAllAgents(org)) assert.deepEqual(await getAgent(org, listed.agentId), listed);
    const missing = await org.call('GET', '/v1/agents/nobody');
    assert.equal(missing.status, 404);
    // Another organization cannot see these agents.
    const other = await freshOrg(t);
    assert.equal((await other.call('GET', '/v1/agents/ag-b')).status, 404);
  });

  test('history returns the index points in [from, to) and the recorded actions', async () => {
    const agentId = 'ag-d';
    const { signals } = abusiveStreak(agentId, start, streaks[agentId]);
    const ends = signals.filter((s) => s.type === 'task.ended').map((s) => s.time);
    const actionTime = ends[2] + 45_000;
    const recorded = await org.call('POST', '/v1/agentburnout/action', { agentId, actionType: 'Supervisor Notified', actionDateTime: actionTime, interactionId: `${agentId}-abuse-2` }, { 'X-ORGANIZATION-ID': org.orgId });
    assert.equal(recorded.status, 200, recorded.text);

    const from = ends[1];
    const to = ends[3];
    const r = await org.call('GET', `/v1/agents/${agentId}/history?from=${from}&to=${to}`);
    assert.equal(r.status, 200, r.text);
    const points = r.body.data.filter((e: { kind: string }) => e.kind === 'index');
    const actions = r.body.data.filter((e: { kind: string }) => e.kind === 'action');
    assert.ok(r.body.data.every((e: { time: number }) => e.time >= from && e.time < to), 'only entries in the range');
    assert.deepEqual([...new Set(points.map((p: { time: number }) => p.time))], [ends[1], ends[2]], 'one point per finished call in the range');
    for (const p of points) assert.ok(typeof p.burnoutIndex === 'number' && typeof p.level === 'string' && p.factors);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].actionType, 'Supervisor Notified');
    assert.equal(actions[0].time, actionTime);
    assert.equal(actions[0].actionId, recorded.body.data.id);

    const whole = await org.call('GET', `/v1/agents/${agentId}/history`);
    assert.ok(whole.body.data.filter((e: { kind: string }) => e.kind === 'index').length >= ends.length, 'without a range: the whole timeline');
  });
});

describe('actions feed back into the model', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('a Break Played action lowers the agent\'s index beyond what the same time without a break does', async () => {
    const org = await freshOrg(t);
    await enableWellbeing(org);
    const start = Date.now() - 4 * HOUR;
    // Two agents with the same hard hour; only one plays a break afterwards.
    const rest = abusiveStreak('rest', start, 4);
    const control = abusiveStreak('control', start, 4);
    await ingestAll(org, [...rest.signals, ...control.signals].sort((a, b) => a.time - b.time));
    const before = await getAgent(org, 'rest');
    assert.deepEqual({ ...(await getAgent(org, 'control')), agentId: 'rest' }, before, 'same history, same state');

    const breakAt = rest.doneAt + 60_000; // after the agent's last signal
    const r = await org.call('POST', '/v1/agentburnout/action', { agentId: 'rest', actionType: 'Break Played', actionDateTime: breakAt }, { 'X-ORGANIZATION-ID': org.orgId });
    assert.equal(r.status, 200, r.text);
    const after = await getAgent(org, 'rest');
    assert.ok(after.burnoutIndex < before.burnoutIndex, `lower after the action: ${before.burnoutIndex} → ${after.burnoutIndex}`);
    assert.equal(after.updatedAt, breakAt, 'applied at actionDateTime');

    // Both agents report back 10 minutes later: the one who had the break has recovered more.
    const back = breakAt + 10 * 60_000;
    await ingest(org, ['rest', 'control'].map((agentId) => ({ type: 'agent.state', agentId, time: back, state: 'available' })));
    const rested = await getAgent(org, 'rest');
    const unrested = await getAgent(org, 'control');
    assert.equal(rested.updatedAt, unrested.updatedAt);
    assert.ok(rested.burnoutIndex < unrested.burnoutIndex, `break ${rested.burnoutIndex} < no break ${unrested.burnoutIndex}`);
  });

  test('a non-break action shows on the timeline but leaves the index alone', async () => {
    const org = await freshOrg(t);
    await enableWellbeing(org);
    const call = abusiveStreak('notified', Date.now() - 2 * HOUR, 2);
    await ingest(org, call.signals);
    const before = await getAgent(org, 'notified');
    const r = await org.call('POST', '/v1/agentburnout/action', { agentId: 'notified', actionType: 'Supervisor Notified', actionDateTime: call.doneAt + 1000 }, { 'X-ORGANIZATION-ID': org.orgId });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await getAgent(org, 'notified'), before);
    const history = await org.call('GET', '/v1/agents/notified/history');
    assert.deepEqual(history.body.data.filter((e: { kind: string }) => e.kind === 'action').map((e: { actionType: string }) => e.actionType), ['Supervisor Notified']);
  });

  test('a realistic span keeps every agent\'s factors adding up to its index', async () => {
    const org = await freshOrg(t);
    await enableWellbeing(org);
    await ingestAll(org, realisticSpan(Array.from({ length: 10 }, (_, i) => `rs-${i}`), Date.now() - 3 * HOUR, 120, 42));
    for (const a of await listAllAgents(org)) {
      const sum = Object.values(a.factors).reduce((x, y) => x + y, 0);
      assert.ok(Math.abs(sum - a.burnoutIndex) <= 0.5, `${a.agentId}: ${sum} vs ${a.burnoutIndex}`);
    }
  });
});
