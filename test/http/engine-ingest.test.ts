// POST /v1/signals over a real server: body formats, per-line rejections, idempotency, ordering
// tolerance, the batch limit and the ingest scope.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { MAX_SIGNALS_PER_REQUEST } from '../../src/engine/intake.ts';
import {
  getAgent,
  ingest,
  ingestRaw,
  listAllAgents,
  listAllEvents,
  type OrgClient,
  enabledOrg,
} from '../engine/helpers.ts';
import { abusiveCall, buildCall, plainCall, realisticSpan, toNdjson } from '../engine/signal-builder.ts';

const HOUR = 3_600_000;

describe('signal ingest', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('accepts NDJSON, a JSON array and a single JSON object', async () => {
    const org = await enabledOrg(t);
    const start = Date.now() - 2 * HOUR;
    const a = plainCall('nd-agent', 'nd-1', start).signals;
    const b = plainCall('array-agent', 'ar-1', start).signals;
    const c = plainCall('single-agent', 'si-1', start).signals;

    const nd = await ingestRaw(org, toNdjson(a));
    assert.equal(nd.status, 200, nd.text);
    assert.deepEqual({ ...nd.body, trackingId: undefined }, { accepted: a.length, duplicates: 0, rejected: 0, ignored: 0, errors: [], trackingId: undefined });

    const array = await org.call('POST', '/v1/signals', b);
    assert.equal(array.status, 200, array.text);
    assert.equal(array.body.accepted, b.length);

    for (const signal of c) {
      const one = await org.call('POST', '/v1/signals', signal);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.accepted, 1);
    }

    const agents = await listAllAgents(org);
    assert.deepEqual(agents.map((x) => x.agentId), ['array-agent', 'nd-agent', 'single-agent']);
    // The same call sent three ways lands in the same state.
    const indexes = new Set(agents.map((x) => x.burnoutIndex));
    assert.equal(indexes.size, 1, `same call, same index: ${[...indexes]}`);
    assert.ok(agents[0].burnoutIndex > 0, 'a finished call raised the index');
  });

  test('a bad line never sinks the batch: each rejected line is reported with its index and reason', async () => {
    const org = await enabledOrg(t);
    const call = plainCall('agent-bad-lines', 'bl-1', Date.now() - HOUR).signals;
    const good = call.map((s) => JSON.stringify(s));
    const lines = [
      good[0],
      '{"type": "task.offered", "agentId": ', // 1: not JSON
      good[1],
      JSON.stringify({ type: 'task.teleported', agentId: 'agent-bad-lines', time: Date.now() }), // 3: unknown type
      JSON.stringify({ type: 'task.ended', interactionId: 'bl-1', time: Date.now() - HOUR }), // 4: no agentId
      JSON.stringify({ type: 'task.ended', agentId: 'agent-bad-lines', interactionId: 'bl-1', time: 'yesterday' }), // 5: wrong type
      ...good.slice(2),
    ];
    const r = await ingestRaw(org, lines.join('\n'));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.accepted, good.length);
    assert.equal(r.body.rejected, 4);
    assert.equal(r.body.duplicates, 0);
    assert.deepEqual(r.body.errors.map((e) => e.index), [1, 3, 4, 5]);
    const [badJson, unknownType, noAgent, wrongType] = r.body.errors.map((e) => e.reason);
    assert.match(badJson, /not valid JSON/);
    assert.match(unknownType, /type must be one of .*task\.offered/);
    assert.match(noAgent, /agentId/);
    assert.match(wrongType, /^time: /);
    // The good lines around the bad ones were applied: the call finished and was scored.
    const agent = await getAgent(org, 'agent-bad-lines');
    assert.ok(agent.burnoutIndex > 0);
  });

  test('in a JSON array, rejections name the array position', async () => {
    const org = await enabledOrg(t);
    const [offered, connected] = plainCall('agent-array-bad', 'ab-1', Date.now() - HOUR).signals;
    const r = await org.call('POST', '/v1/signals', [offered, 42, { ...connected, channel: 'pigeon' }, connected]);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.accepted, 2);
    assert.deepEqual(r.body.errors.map((e: { index: number }) => e.index), [1, 2]);
    assert.match(r.body.errors[0].reason, /JSON object/);
    assert.match(r.body.errors[1].reason, /channel/);
  });

  test('a retried batch counts as duplicates and changes nothing', async () => {
    const org = await enabledOrg(t);
    const signals = realisticSpan(['r1', 'r2', 'r3'], Date.now() - 2 * HOUR, 20, 7);
    const first = await ingest(org, signals);
    assert.equal(first.accepted, signals.length);
    const agentsBefore = await listAllAgents(org);
    const eventsBefore = await listAllEvents(org);
    assert.ok(eventsBefore.length > 0);

    const retry = await ingest(org, signals);
    assert.deepEqual(retry, { ...retry, accepted: 0, duplicates: signals.length, rejected: 0, errors: [] });
    assert.deepEqual(await listAllAgents(org), agentsBefore, 'the index is identical');
    assert.deepEqual(await listAllEvents(org, { after: eventsBefore.at(-1)!.id }), [], 'no new events');

    // The same retry as a JSON array is recognised too (its key is derived from the content).
    const arrayOrg = await enabledOrg(t);
    const part = signals.slice(0, 30);
    assert.equal((await arrayOrg.call('POST', '/v1/signals', part)).body.accepted, part.length);
    assert.equal((await arrayOrg.call('POST', '/v1/signals', part)).body.duplicates, part.length);
  });

  test('a client key dedupes even when the content differs in formatting', async () => {
    const org = await enabledOrg(t);
    const { signals } = abusiveCall('agent-keyed', 'k-1', Date.now() - HOUR);
    const keyed = signals.map((s, i) => ({ ...s, key: `k-1/${i}` }));
    assert.equal((await ingest(org, keyed)).accepted, keyed.length);
    const before = await getAgent(org, 'agent-keyed');
    // Same keys, other formatting: keys reordered, spaces, and the key placed first.
    const reformatted = keyed
      .map(({ key, ...rest }) => JSON.stringify({ key, ...Object.fromEntries(Object.entries(rest).reverse()) }, null, 0).replaceAll(',"', ' ,  "'))
      .join('\n');
    const r = await ingestRaw(org, reformatted);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.duplicates, keyed.length);
    assert.equal(r.body.accepted, 0);
    assert.deepEqual(await getAgent(org, 'agent-keyed'), before);
  });

  test('refuses a signal more than 120 s older than the agent\'s latest, accepts a slightly late one', async () => {
    const org = await enabledOrg(t);
    const call = plainCall('agent-late', 'late-1', Date.now() - HOUR);
    await ingest(org, call.signals);
    const latest = call.doneAt;
    const r = await ingest(org, [
      { type: 'agent.state', agentId: 'agent-late', time: latest - 121_000, state: 'available' },
      { type: 'agent.state', agentId: 'agent-late', time: latest - 90_000, state: 'available' },
      // Another agent's clock is its own: an older time for a new agent is fine.
      { type: 'agent.state', agentId: 'agent-other', time: latest - 600_000, state: 'available' },
    ]);
    assert.equal(r.accepted, 2);
    assert.deepEqual(r.errors.map((e) => e.index), [0]);
    assert.match(r.errors[0].reason, /120 s older than this agent's latest signal/);
  });

  test('refuses a signal timestamped far in the future', async () => {
    const org = await enabledOrg(t);
    const r = await ingest(org, [
      { type: 'agent.state', agentId: 'agent-future', time: Date.now() + 3 * HOUR, state: 'available' },
      { type: 'agent.state', agentId: 'agent-future', time: Date.now() + 30_000, state: 'available' },
    ]);
    assert.equal(r.accepted, 1);
    assert.deepEqual(r.errors.map((e) => e.index), [0]);
    assert.match(r.errors[0].reason, /ahead of the server clock/);
  });

  test('refuses a signal whose orgId is not the token\'s organization', async () => {
    const org = await enabledOrg(t);
    const time = Date.now() - HOUR;
    const r = await ingest(org, [
      { type: 'agent.state', orgId: 'someone-else', agentId: 'agent-org', time, state: 'available' },
      { type: 'agent.state', orgId: org.orgId, agentId: 'agent-org', time: time + 1, state: 'available' },
    ]);
    assert.equal(r.accepted, 1);
    assert.deepEqual(r.errors.map((e) => e.index), [0]);
    assert.match(r.errors[0].reason, /orgId/);
  });

  test(`answers 400 for more than ${MAX_SIGNALS_PER_REQUEST} lines and applies none of them`, async () => {
    const org = await enabledOrg(t);
    const time = Date.now() - HOUR;
    const lines = Array.from({ length: MAX_SIGNALS_PER_REQUEST + 1 }, (_, i) => ({ type: 'agent.state', agentId: `bulk-${i}`, time, state: 'available' }));
    const r = await ingestRaw(org, toNdjson(lines));
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /at most 20000 signals per request/);
    assert.deepEqual(await listAllAgents(org), []);
    // Exactly the maximum is fine.
    const ok = await ingestRaw(org, toNdjson(lines.slice(1)));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.accepted, MAX_SIGNALS_PER_REQUEST);
  });

  test('a large body (validated on an intake worker) is answered like the same lines in small bodies', async () => {
    const [whole, pieces] = [await enabledOrg(t), await enabledOrg(t)];
    const lines = toNdjson(realisticSpan(Array.from({ length: 10 }, (_, i) => `big-${i}`), Date.now() - 5 * HOUR, 240, 41)).trimEnd().split('\n');
    lines.splice(3, 0, '{"type":"task.ended"}', 'not json');
    const body = lines.join('\n');
    assert.ok(body.length > 64 * 1024, 'above the size validated in place');
    const big = await ingestRaw(whole, body);
    assert.equal(big.status, 200, big.text);
    let offset = 0;
    const answers = [];
    for (let i = 0; i < lines.length; i += 50) {
      const r = await ingestRaw(pieces, lines.slice(i, i + 50).join('\n'));
      assert.equal(r.status, 200, r.text);
      answers.push(...r.body.errors.map((e: { index: number; reason: string }) => ({ ...e, index: e.index + offset })));
      offset += lines.slice(i, i + 50).length;
    }
    assert.deepEqual(big.body.errors, answers);
    assert.equal(big.body.rejected, 2);
    assert.ok(big.body.accepted > 100);
    const views = async (org: OrgClient) => (await listAllAgents(org)).map(({ updatedAt: _, ...v }) => v);
    assert.deepEqual(await views(whole), await views(pieces));
  });

  test('reads NDJSON as UTF-8, in a small body (validated in place) and in a large one (on an intake worker)', async () => {
    const org = await enabledOrg(t);
    const time = Date.now() - HOUR;
    const small = ['agent-José', 'agent-東京', 'agent-😀'];
    const large = Array.from({ length: 600 }, (_, i) => `agent-Zoë-${String(i).padStart(3, '0')}-${'é'.repeat(40)}`);
    const body = (ids: string[]) => toNdjson(ids.map((agentId) => ({ type: 'agent.state', agentId, time, state: 'available' })));
    assert.ok(Buffer.byteLength(body(large)) > 64 * 1024, 'above the size validated in place');
    for (const ids of [small, large]) {
      const r = await ingestRaw(org, body(ids));
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.accepted, ids.length, r.text);
    }
    const agents = (await listAllAgents(org)).map((a) => a.agentId);
    assert.deepEqual(agents.sort(), [...small, ...large].sort());
  });

  test('a JSON string sent as application/json is one invalid signal, not NDJSON', async () => {
    const org = await enabledOrg(t);
    const line = JSON.stringify({ type: 'agent.state', agentId: 'agent-string', time: Date.now() - HOUR, state: 'available' });
    const r = await org.call('POST', '/v1/signals', JSON.stringify(line)); // sent as is: a JSON string
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.body.accepted, r.body.rejected], [0, 1], r.text);
    assert.match(r.body.errors[0].reason, /signal must be a JSON object/);
  });

  test('answers 403 without the respite:ingest scope', async () => {
    const org = await enabledOrg(t);
    const token = await t.token(['cjp:config_read', 'cjp:config_write', 'respite:agents'], org.orgId);
    const body = toNdjson(buildCall({ agentId: 'agent-scope', interactionId: 's-1', start: Date.now() - HOUR, talkSec: 60 }).signals);
    const r = await t.call('POST', '/v1/signals', { token, body, contentType: 'application/x-ndjson' });
    assert.equal(r.status, 403, r.text);
    assert.deepEqual(await listAllAgents(org), []);
  });
});
