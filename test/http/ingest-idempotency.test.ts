// POST /v1/signals with an Idempotency-Key: a retry of a batch answers as the first time — exactly,
// however many of one agent's signals the batch holds — and changes nothing; the key is durable.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { assertApiError } from '../helpers/reference.ts';
import { enabledOrg, getAgent, listAllEvents, orgClient, type OrgClient } from '../engine/helpers.ts';
import { abusiveStreak, plainCall, toNdjson } from '../engine/signal-builder.ts';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../src/http/idempotency.ts';

const HOUR = 3_600_000;

/** An NDJSON batch, with an Idempotency-Key when given. */
const post = (org: OrgClient, body: string, key?: string) =>
  org.call('POST', '/v1/signals', body, { 'content-type': 'application/x-ndjson', ...(key ? { 'idempotency-key': key } : {}) });

/** Everything the engine holds of the agent and its events, as of a fixed time. */
async function stateOf(org: OrgClient, agentId: string) {
  return { agent: await getAgent(org, agentId), events: (await listAllEvents(org)).length };
}

const withoutTracking = <T extends { trackingId?: string }>(body: T) => ({ ...body, trackingId: undefined });

describe('ingest: Idempotency-Key', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  /** One agent's 15 abusive calls back to back: ~100 signals, more than the 32 keys an agent remembers. */
  const longBatch = (agentId: string) => toNdjson(abusiveStreak(agentId, Date.now() - 6 * HOUR, 15).signals);

  test('a retry answers as the first time and changes nothing, past the 32 keys an agent remembers', async () => {
    const org = await enabledOrg(t);
    const body = longBatch('long-agent');
    const lines = body.trim().split('\n').length;
    assert.ok(lines > 64, `${lines} signals of one agent`);

    const first = await post(org, body, 'batch-1');
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.accepted, lines);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const before = await stateOf(org, 'long-agent');

    const retry = await post(org, body, 'batch-1');
    assert.equal(retry.status, 200, retry.text);
    assert.deepEqual(withoutTracking(retry.body), withoutTracking(first.body));
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.notEqual(retry.body.trackingId, first.body.trackingId, 'the retry has its own tracking id');
    assert.deepEqual(await stateOf(org, 'long-agent'), before);

    // Without the key, the ring alone cannot tell the oldest lines from new ones: they are refused, not applied.
    const unkeyed = await post(org, body);
    assert.equal(unkeyed.status, 200, unkeyed.text);
    assert.equal(unkeyed.body.accepted, 0);
    assert.equal(unkeyed.body.duplicates, 32);
    assert.equal(unkeyed.body.rejected, lines - 32);
    assert.deepEqual(await stateOf(org, 'long-agent'), before);
  });

  test('the same key with another body is refused with 409 and applies nothing', async () => {
    const org = await enabledOrg(t);
    const start = Date.now() - 2 * HOUR;
    const first = await post(org, toNdjson(plainCall('k-agent', 'k-1', start).signals), 'reused');
    assert.equal(first.status, 200, first.text);
    const other = await post(org, toNdjson(plainCall('k-agent-2', 'k-2', start).signals), 'reused');
    assertApiError(other, 409, /Idempotency-Key was already used for a different request/);
    assert.equal(other.body.error.message[0].entity, 'signal');
    const agents = await org.call('GET', '/v1/agents/k-agent-2');
    assert.equal(agents.status, 404, 'the refused batch left no agent');
  });

  test('keys are per organization', async () => {
    const [a, b] = [await enabledOrg(t), await enabledOrg(t)];
    const start = Date.now() - 2 * HOUR;
    assert.equal((await post(a, toNdjson(plainCall('org-a-agent', 'oa-1', start).signals), 'shared')).status, 200);
    const other = await post(b, toNdjson(plainCall('org-b-agent', 'ob-1', start).signals), 'shared');
    assert.equal(other.status, 200, other.text);
    assert.equal(other.headers.get('idempotent-replayed'), null);
    assert.ok(other.body.accepted > 0);
  });

  test('concurrent requests with one key apply the batch once and all get its answer', async () => {
    const org = await enabledOrg(t);
    const control = await enabledOrg(t);
    const body = longBatch('burst-agent');
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(org, body, 'burst')));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(answers.filter((a) => a.headers.get('idempotent-replayed') === null).length, 1, 'one request applied it');
    assert.equal(new Set(answers.map((a) => JSON.stringify(withoutTracking(a.body)))).size, 1, 'one answer for all');
    // The same batch applied once, in another org: the same agent state and as many events.
    assert.equal((await post(control, body)).status, 200);
    assert.deepEqual(await stateOf(org, 'burst-agent'), await stateOf(control, 'burst-agent'));
  });

  test('a keyed batch that applied nothing keeps its answer too', async () => {
    const org = await enabledOrg(t);
    const bad = '{"type":"task.offered"}\nnot json\n';
    const first = await post(org, bad, 'all-bad');
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.rejected, 2);
    const retry = await post(org, bad, 'all-bad');
    assert.deepEqual(withoutTracking(retry.body), withoutTracking(first.body));
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  });

  test('a body large enough for an intake worker is hashed there as it would be here: its retry is a replay, not a conflict', async () => {
    const org = await enabledOrg(t);
    const start = Date.now() - 2 * HOUR;
    const body = toNdjson(Array.from({ length: 200 }, (_, i) => plainCall(`big-${i}`, `big-${i}-1`, start).signals).flat());
    assert.ok(body.length > 64 * 1024, `${body.length} bytes: more than bodies validated in place`);
    const first = await post(org, body, 'big-batch');
    assert.equal(first.status, 200, first.text);
    const retry = await post(org, body, 'big-batch');
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(withoutTracking(retry.body), withoutTracking(first.body));
    const changed = await post(org, body.replace('big-0-1', 'big-0-2'), 'big-batch');
    assertApiError(changed, 409, /Idempotency-Key/);
  });

  test('a JSON array takes a key as NDJSON does', async () => {
    const org = await enabledOrg(t);
    const signals = plainCall('json-agent', 'j-1', Date.now() - HOUR).signals;
    const send = () => org.call('POST', '/v1/signals', signals, { 'idempotency-key': 'json-batch' });
    const first = await send();
    const retry = await send();
    assert.equal(first.body.accepted, signals.length);
    assert.deepEqual(withoutTracking(retry.body), withoutTracking(first.body));
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  });

  test(`refuses a key longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters, naming the header`, async () => {
    const org = await enabledOrg(t);
    const answer = await post(org, toNdjson(plainCall('x', 'x-1', Date.now() - HOUR).signals), 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1));
    assertApiError(answer, 400, /idempotency-key/);
    assert.equal((await org.call('GET', '/v1/agents/x')).status, 404);
  });
});

describe('ingest: an Idempotency-Key outlives a restart', () => {
  test('a retry after the server restarted still answers as the first time', async () => {
    const dataDir = tempDataDir();
    try {
      const first = await startTestServer({ dataDir });
      const org = await enabledOrg(first);
      const body = toNdjson(abusiveStreak('restart-agent', Date.now() - 6 * HOUR, 15).signals);
      const applied = await post(org, body, 'before-restart');
      assert.equal(applied.status, 200, applied.text);
      const before = await stateOf(org, 'restart-agent');
      await first.server.close();

      const second = await startTestServer({ dataDir });
      try {
        const again = orgClient(second, org.orgId, org.token);
        const retry = await post(again, body, 'before-restart');
        assert.equal(retry.status, 200, retry.text);
        assert.deepEqual(withoutTracking(retry.body), withoutTracking(applied.body));
        assert.equal(retry.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(await stateOf(again, 'restart-agent'), before);
      } finally {
        await second.server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
