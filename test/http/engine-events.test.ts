// The engine's outputs on the event log: index events with explainable factors, level changes,
// abuse-cluster triggers, per-org ids, and replay with GET /v1/events.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { factorSum, ingest, listAllEvents, setWellbeing, type EventDto, type OrgClient, enabledOrg } from '../engine/helpers.ts';
import { abusiveStreak, plainCall, realisticSpan } from '../engine/signal-builder.ts';

const HOUR = 3_600_000;
const LEVEL_RANK = ['low', 'moderate', 'high', 'critical'];

describe('burnout events', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('each finished interaction produces an agent-burnout:index event whose factors add up to the index', async () => {
    const org = await enabledOrg(t);
    const signals = realisticSpan(['e1', 'e2', 'e3'], Date.now() - 3 * HOUR, 90, 11);
    await ingest(org, signals);
    const indexEvents = await listAllEvents(org, { type: 'agent-burnout:index' });
    const ended = signals.filter((s) => s.type === 'task.ended');
    // One per finished call, at the time it ended (level changes may add more, never fewer).
    for (const end of ended) {
      const e = indexEvents.find((x) => x.type === 'agent-burnout:index' && x.interactionId === end.interactionId && x.time === end.time);
      assert.ok(e, `index event for ${end.interactionId}`);
    }
    for (const e of indexEvents) {
      const { burnoutIndex, level, factors } = e.data;
      assert.ok(burnoutIndex >= 0 && burnoutIndex <= 100, `index in range: ${burnoutIndex}`);
      assert.ok(LEVEL_RANK.includes(level));
      assert.ok(Math.abs(factorSum(factors) - burnoutIndex) <= 0.5, `factors ${JSON.stringify(factors)} add up to ${burnoutIndex}`);
    }
    assert.ok(indexEvents.some((e) => e.data.burnoutIndex > 0));
  });

  test('a level change produces agent-burnout:level-changed with from and to', async () => {
    const org = await enabledOrg(t);
    const { signals } = abusiveStreak('lc', Date.now() - 3 * HOUR, 4);
    await ingest(org, signals);
    const all = await listAllEvents(org);
    const changes = all.filter((e) => e.type === 'agent-burnout:level-changed');
    assert.ok(changes.length > 0, 'four abusive calls move the level');
    let level = 'low';
    for (const change of changes) {
      assert.equal(change.data.from, level, 'changes chain from the previous level');
      assert.notEqual(change.data.to, change.data.from);
      level = change.data.to;
      // The index event at the same moment carries the new level.
      const index = all.find((e) => e.type === 'agent-burnout:index' && e.time === change.time && e.agentId === change.agentId);
      assert.equal(index?.data.level, change.data.to);
      assert.equal(index?.data.burnoutIndex, change.data.burnoutIndex);
    }
    assert.ok(LEVEL_RANK.indexOf(level) >= 1, `ends above low: ${level}`);
  });

  test('event ids increase per organization, and each organization has its own sequence', async () => {
    const a = await enabledOrg(t);
    const b = await enabledOrg(t);
    const start = Date.now() - 3 * HOUR;
    await ingest(a, realisticSpan(['ia1', 'ia2'], start, 60, 1));
    await ingest(b, plainCall('ib1', 'ib-1', start).signals);
    await ingest(a, plainCall('ia3', 'ia-3', start).signals);
    await ingest(b, plainCall('ib2', 'ib-2', start).signals);
    for (const org of [a, b]) {
      const ids = (await listAllEvents(org)).map((e) => e.id);
      assert.ok(ids.length > 1);
      assert.deepEqual(ids, Array.from({ length: ids.length }, (_, i) => i + 1), `${org.orgId}: 1, 2, 3, … with no gaps`);
    }
    const bEvents = await listAllEvents(b);
    assert.ok(bEvents.every((e) => e.orgId === b.orgId && e.agentId?.startsWith('ib')), 'an org sees only its own events');
  });

  test('GET /v1/events?after&type replays exactly the later events of that type, and meta.links.next pages through', async () => {
    const org = await enabledOrg(t);
    await ingest(org, [...realisticSpan(['ev1', 'ev2'], Date.now() - 3 * HOUR, 120, 5), ...abusiveStreak('ev3', Date.now() - 3 * HOUR, 3).signals]);
    const all = await listAllEvents(org);
    const types = new Set(all.map((e) => e.type));
    assert.ok(types.size >= 3, `several event types to filter: ${[...types]}`);
    const middle = all[Math.floor(all.length / 2)].id;

    for (const type of ['agent-burnout:index', 'agent-burnout:level-changed', 'agent-burnout:index,wellness-break:recommended']) {
      const wanted = type.split(',');
      const expected = all.filter((e) => e.id > middle && wanted.includes(e.type));
      const r = await org.call('GET', `/v1/events?after=${middle}&type=${encodeURIComponent(type)}&limit=1000`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.data, expected, `after=${middle}&type=${type}`);
    }

    // Paging 3 at a time visits every event once, in id order.
    const paged: EventDto[] = [];
    let path: string | undefined = '/v1/events?after=0&limit=3';
    let pages = 0;
    while (path) {
      const r: { status: number; text: string; body: any } = await org.call('GET', path);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.body.data.length <= 3);
      paged.push(...r.body.data);
      path = r.body.meta.links.next;
      pages++;
    }
    assert.deepEqual(paged, all);
    assert.ok(pages >= all.length / 3);

    const bad = await org.call('GET', '/v1/events?type=agent-burnout:nonsense');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /agent-burnout:nonsense/);
  });

  test('two abusive calls within 60 minutes recommend a break; three also alert a supervisor', async () => {
    const org = await enabledOrg(t);
    const start = Date.now() - 3 * HOUR;
    await ingest(org, abusiveStreak('two', start, 2).signals);
    await ingest(org, abusiveStreak('three', start, 3).signals);
    // Two abusive calls two hours apart are not a cluster.
    await ingest(org, [...abusiveStreak('apart', start, 1, 'apart-a').signals, ...abusiveStreak('apart', start + 2 * HOUR, 1, 'apart-b').signals]);
    const events = await listAllEvents(org);
    const of = (agentId: string, type: string) => events.filter((e) => e.agentId === agentId && e.type === type);
    const clusterBreaks = (agentId: string) => of(agentId, 'wellness-break:recommended').filter((e) => e.data.reason === 'abuse-cluster');

    assert.equal(clusterBreaks('two').length, 1, 'the second abusive call recommends a break');
    assert.equal(clusterBreaks('two')[0].interactionId, 'two-abuse-1');
    assert.deepEqual(of('two', 'supervisor:alert'), []);

    const alerts = of('three', 'supervisor:alert');
    assert.equal(alerts.length, 1, 'the third abusive call alerts a supervisor');
    assert.equal(alerts[0].interactionId, 'three-abuse-2');
    assert.ok(clusterBreaks('three').some((e) => e.interactionId === 'three-abuse-2'), 'and recommends a break with it');

    assert.deepEqual(clusterBreaks('apart'), []);
    assert.deepEqual(of('apart', 'supervisor:alert'), []);
  });

  test('break recommendations go only to agents with break reminders: the org\'s switch, then the agent\'s', async () => {
    const start = Date.now() - 3 * HOUR;
    const recommendedTo = async (org: OrgClient) =>
      (await listAllEvents(org)).filter((e) => e.type === 'wellness-break:recommended').map((e) => e.agentId);
    const quiet = await enabledOrg(t);
    await setWellbeing(quiet, { wellnessBreakReminders: 'DISABLED' });
    await ingest(quiet, abusiveStreak('q', start, 3).signals);
    assert.deepEqual(await recommendedTo(quiet), [], 'org reminders off: no recommendation');
    assert.equal((await listAllEvents(quiet)).filter((e) => e.type === 'supervisor:alert').length, 1, 'the supervisor is still alerted');

    const mixed = await enabledOrg(t);
    const off = await mixed.call('PUT', '/v1/agent-settings/opted-out', { userLevelWellnessBreakReminders: 'DISABLED', userLevelBurnoutInclusion: 'INCLUDED' });
    assert.equal(off.status, 200, off.text);
    await ingest(mixed, [...abusiveStreak('opted-out', start, 2).signals, ...abusiveStreak('opted-in', start, 2).signals].sort((a, b) => a.time - b.time));
    assert.deepEqual(new Set(await recommendedTo(mixed)), new Set(['opted-in']));
  });
});
