// Idempotent action POSTs and GET /v1/agentburnout/actions, Respite's history view of them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertApiError, assertMatchesReference } from '../helpers/reference.ts';
import { MAX_LIMIT } from '../../src/http/paging.ts';

const ACTION = '/v1/agentburnout/action';
const ACTIONS = '/v1/agentburnout/actions';
const T0 = 1_700_000_000_000;

describe('actions: idempotency and history', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  /** A fresh organization with a token, so each test sees only its own actions. */
  async function freshOrg() {
    const orgId = randomUUID();
    const token = await t.token(['cjp:config_write'], orgId);
    const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.call('POST', ACTION, { token, headers: { 'X-ORGANIZATION-ID': orgId, ...headers }, body });
    const list = (query = '') => t.call('GET', `${ACTIONS}${query}`, { token });
    return { orgId, token, post, list };
  }

  test('a retry with the same Idempotency-Key and body returns the first answer and records once', async () => {
    const org = await freshOrg();
    const body = { agentId: 'agent-1', actionType: 'Break Played', actionDateTime: T0 };
    const first = await org.post(body, { 'Idempotency-Key': 'retry-1' });
    const retry = await org.post(body, { 'Idempotency-Key': 'retry-1' });
    assert.equal(first.status, 200);
    assert.equal(retry.status, 200);
    assertMatchesReference('ActionResponse', retry.body);
    assert.deepEqual(retry.body.data, first.body.data);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true', 'the retry says it is the first answer again');
    const listed = await org.list();
    assert.deepEqual(listed.body.data.map((a: { id: string }) => a.id), [first.body.data.id]);
  });

  test('concurrent retries with one Idempotency-Key all return the same action, recorded once', async () => {
    const org = await freshOrg();
    const body = { agentId: 'agent-1', actionType: 'Supervisor Notified', actionDateTime: T0 };
    const answers = await Promise.all(Array.from({ length: 8 }, () => org.post(body, { 'Idempotency-Key': 'burst' })));
    assert.deepEqual(answers.map((a) => a.status), Array(8).fill(200));
    assert.equal(new Set(answers.map((a) => a.body.data.id)).size, 1);
    assert.equal((await org.list()).body.data.length, 1);
  });

  test('reusing an Idempotency-Key for a different body is refused with 409', async () => {
    const org = await freshOrg();
    const first = await org.post({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: T0 }, { 'Idempotency-Key': 'k' });
    assert.equal(first.status, 200);
    const other = await org.post({ agentId: 'agent-2', actionType: 'Break Played', actionDateTime: T0 }, { 'Idempotency-Key': 'k' });
    assertApiError(other, 409, /Idempotency-Key/);
    assert.equal((await org.list()).body.data.length, 1);
  });

  test('different Idempotency-Keys record separate actions, and keys are per organization', async () => {
    const a = await freshOrg();
    const b = await freshOrg();
    const body = { agentId: 'agent-1', actionType: 'Break Played', actionDateTime: T0 };
    const ids = [
      (await a.post(body, { 'Idempotency-Key': 'one' })).body.data.id,
      (await a.post(body, { 'Idempotency-Key': 'two' })).body.data.id,
      (await b.post(body, { 'Idempotency-Key': 'one' })).body.data.id,
    ];
    assert.equal(new Set(ids).size, 3);
    assert.equal((await a.list()).body.data.length, 2);
    assert.equal((await b.list()).body.data.length, 1);
  });

  test('lists the organization\'s actions newest first', async () => {
    const org = await freshOrg();
    for (const offset of [2, 0, 3, 1]) {
      assert.equal((await org.post({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: T0 + offset * 1000 })).status, 200);
    }
    const listed = await org.list();
    assert.equal(listed.status, 200);
    listed.body.data.forEach((item: unknown) => assertMatchesReference('ActionResponse', { data: item }));
    assert.deepEqual(listed.body.data.map((a: { actionDateTime: number }) => a.actionDateTime), [3, 2, 1, 0].map((o) => T0 + o * 1000));
  });

  test('filters by agentId, interactionId, actionType and a from/to time range', async () => {
    const org = await freshOrg();
    const rows = [
      { agentId: 'agent-1', interactionId: 'int-1', actionType: 'Break Played', actionDateTime: T0 },
      { agentId: 'agent-1', interactionId: 'int-2', actionType: 'Supervisor Notified', actionDateTime: T0 + 1000 },
      { agentId: 'agent-2', interactionId: 'int-3', actionType: 'Break Played', actionDateTime: T0 + 2000 },
      { agentId: 'agent-2', actionType: 'Supervisor Notified', actionDateTime: T0 + 3000 },
    ];
    for (const row of rows) assert.equal((await org.post(row)).status, 200);
    const times = async (query: string) => (await org.list(query)).body.data.map((a: { actionDateTime: number }) => a.actionDateTime - T0);
    assert.deepEqual(await times('?agentId=agent-1'), [1000, 0]);
    assert.deepEqual(await times('?interactionId=int-3'), [2000]);
    assert.deepEqual(await times(`?actionType=${encodeURIComponent('Supervisor Notified')}`), [3000, 1000]);
    assert.deepEqual(await times(`?from=${T0 + 1000}&to=${T0 + 3000}`), [2000, 1000], 'from is inclusive, to exclusive');
    assert.deepEqual(await times(`?agentId=agent-2&actionType=${encodeURIComponent('Break Played')}`), [2000]);
    assert.deepEqual(await times('?agentId=nobody'), []);
  });

  test('following meta.links.next visits every action exactly once, ties included', async () => {
    const org = await freshOrg();
    // Several actions share a time so the cursor must break ties, not just compare times.
    const offsets = [0, 0, 0, 1, 2, 2, 3, 4, 4, 4, 5];
    const posted = new Set<string>();
    for (const [i, offset] of offsets.entries()) {
      const r = await org.post({ agentId: `agent-${i % 3}`, actionType: 'Break Played', actionDateTime: T0 + offset });
      posted.add(r.body.data.id);
    }
    const seen: { id: string; actionDateTime: number }[] = [];
    let path: string | undefined = `${ACTIONS}?limit=3`;
    let pages = 0;
    while (path) {
      const page: { status: number; body: any } = await t.call('GET', path, { token: org.token });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.ok(page.body.data.length <= 3);
      seen.push(...page.body.data);
      path = page.body.meta.links.next;
      pages += 1;
      assert.ok(pages <= offsets.length, 'pagination does not terminate');
    }
    assert.equal(pages, Math.ceil(offsets.length / 3));
    assert.equal(seen.length, offsets.length);
    assert.deepEqual(new Set(seen.map((a) => a.id)), posted);
    const times = seen.map((a) => a.actionDateTime);
    assert.deepEqual(times, [...times].sort((x, y) => y - x), 'newest first across pages');
  });

  test('a limit above the maximum is clamped', async () => {
    const org = await freshOrg();
    const r = await org.list(`?limit=${MAX_LIMIT * 10}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.meta.limit, MAX_LIMIT);
  });

  test('refuses a cursor the server did not issue, and a limit below one', async () => {
    const org = await freshOrg();
    assertApiError(await org.list('?cursor=not-a-cursor'), 400, /cursor/);
    assertApiError(await org.list('?limit=0'), 400, /limit/);
  });
});
