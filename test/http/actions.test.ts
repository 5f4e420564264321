// POST /v1/agentburnout/action: the Webex ActionRequest rules and the exact ActionResponse answer.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertApiError, assertExactlyReference, assertMatchesReference } from '../helpers/reference.ts';
import { MAX_ACTION_FUTURE_MS } from '../../src/domain/actions.ts';
import { EARLIEST_TIME_MS } from '../../src/domain/signals.ts';

const ACTION = '/v1/agentburnout/action';
const ACTION_TIME = 1_617_536_244_000; // the reference's own example

describe('POST /v1/agentburnout/action', () => {
  let t: TestServer;
  let token: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    t.call('POST', ACTION, { token, headers: { 'X-ORGANIZATION-ID': t.orgId, ...headers }, body });
  /** Posts, expects 200 and a reference ActionResponse, returns data. */
  const recorded = async (body: Record<string, unknown>) => {
    const r = await post(body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assertMatchesReference('ActionResponse', r.body);
    return r.body.data;
  };

  before(async () => {
    t = await startTestServer();
    token = await t.token(['cjp:config_write']);
  });
  after(() => t.close());

  test('records a complete action and answers exactly the reference ActionResponse', async () => {
    const request = { interactionId: 'int-1', agentId: 'agent-1', clientId: 'Acme', actionType: 'Break Played', actionDateTime: ACTION_TIME };
    const r = await post(request, { TrackingID: 'partner_trk-42' });
    assert.equal(r.status, 200);
    assertExactlyReference('ActionResponse', r.body);
    const { id, createdDateTime, ...echoed } = r.body.data;
    assert.deepEqual(echoed, { ...request, orgId: t.orgId });
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.ok(createdDateTime >= ACTION_TIME);
    assert.equal(r.body.trackingId, 'partner_trk-42');
  });

  test('the request bodies these tests send are valid reference ActionRequests', () => {
    // Guards the fixtures: the server is tested against what a Webex client would really send.
    assertMatchesReference('ActionRequest', { interactionId: 'i', agentId: 'a', clientId: 'Acme', actionType: 'Break Played' });
  });

  for (const field of ['agentId', 'actionType'] as const) {
    test(`refuses an action without ${field}, naming it`, async () => {
      const body: Record<string, unknown> = { agentId: 'agent-1', actionType: 'Break Played' };
      delete body[field];
      assertApiError(await post(body), 400, new RegExp(field));
    });

    test(`refuses an empty or whitespace-only ${field}`, async () => {
      for (const blank of ['', '   ', '\t\n']) {
        const body = { agentId: 'agent-1', actionType: 'Break Played', [field]: blank };
        assertApiError(await post(body), 400, new RegExp(`${field}.*(empty|blank)`));
      }
    });
  }

  test('rejects a clientId longer than 20 characters', async () => {
    const ok = await recorded({ agentId: 'agent-1', actionType: 'Break Played', clientId: 'c'.repeat(20) });
    assert.equal(ok.clientId, 'c'.repeat(20));
    assertApiError(await post({ agentId: 'agent-1', actionType: 'Break Played', clientId: 'c'.repeat(21) }), 400, /clientId/);
  });

  test('accepts actionDateTime as a number and as a numeric string', async () => {
    const asNumber = await recorded({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: ACTION_TIME });
    const asString = await recorded({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: String(ACTION_TIME + 1) });
    assert.equal(asNumber.actionDateTime, ACTION_TIME);
    assert.equal(asString.actionDateTime, ACTION_TIME + 1);
  });

  test("accepts the reference's actionDateType spelling as the same field", async () => {
    const asNumber = await recorded({ agentId: 'agent-1', actionType: 'Break Played', actionDateType: ACTION_TIME });
    const asString = await recorded({ agentId: 'agent-1', actionType: 'Break Played', actionDateType: String(ACTION_TIME + 2) });
    assert.equal(asNumber.actionDateTime, ACTION_TIME);
    assert.equal(asString.actionDateTime, ACTION_TIME + 2);
    assert.equal('actionDateType' in asNumber, false, 'the answer uses the reference response spelling only');
  });

  test('refuses actionDateTime and actionDateType that disagree, accepts them agreeing', async () => {
    const disagree = { agentId: 'agent-1', actionType: 'Break Played', actionDateTime: ACTION_TIME, actionDateType: ACTION_TIME + 1 };
    assertApiError(await post(disagree), 400, /actionDateTime.*actionDateType/);
    const agree = await recorded({ ...disagree, actionDateType: String(ACTION_TIME) });
    assert.equal(agree.actionDateTime, ACTION_TIME);
  });

  test('uses the time of receipt when the request names no action time', async () => {
    const before = Date.now();
    const data = await recorded({ agentId: 'agent-1', actionType: 'Supervisor Notified' });
    const after = Date.now();
    assert.ok(data.actionDateTime >= before && data.actionDateTime <= after, `${data.actionDateTime} not in [${before}, ${after}]`);
    assert.ok(data.createdDateTime >= before && data.createdDateTime <= after);
  });

  test('refuses an action time before 2000, such as epoch seconds sent for milliseconds', async () => {
    for (const time of [EARLIEST_TIME_MS - 1, ACTION_TIME / 1000, 0]) {
      assertApiError(await post({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: time }), 400, /actionDateTime.*2000/);
    }
    assertApiError(await post({ agentId: 'agent-1', actionType: 'Break Played', actionDateType: '946684799999' }), 400, /actionDateType/);
    await recorded({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: EARLIEST_TIME_MS });
  });

  test('refuses an action time far in the future but allows clock skew', async () => {
    const far = Date.now() + MAX_ACTION_FUTURE_MS + 60_000;
    assertApiError(await post({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: far }), 400, /actionDateTime.*future/);
    const skewed = Date.now() + 60_000;
    assert.equal((await recorded({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: skewed })).actionDateTime, skewed);
  });

  test('refuses an action time that is not an epoch number, naming the field', async () => {
    for (const time of ['yesterday', '1617536244000.5', {}, true]) {
      assertApiError(await post({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: time }), 400, /actionDateTime/);
    }
    assertApiError(await post({ agentId: 'agent-1', actionType: 'Break Played', actionDateType: {} }), 400, /actionDateType/);
    for (const time of [true, false, [ACTION_TIME]]) {
      assertApiError(await post({ agentId: 'agent-1', actionType: 'Break Played', actionDateTime: time }), 400, /actionDateTime must be an epoch timestamp/);
    }
  });

  test('takes an optional field sent as null as absent (clients that serialise every field)', async () => {
    const before = Date.now();
    const data = await recorded({ agentId: 'agent-1', actionType: 'Break Played', interactionId: null, clientId: null, actionDateTime: null, actionDateType: null });
    assert.ok(data.actionDateTime >= before, 'a null time is the time of receipt');
    assert.equal('interactionId' in data, false);
    assert.equal('clientId' in data, false);
    assertApiError(await post({ agentId: null, actionType: 'Break Played' }), 400, /agentId/);
  });

  test('refuses ids and types that are not strings instead of recording them as text', async () => {
    for (const [field, value] of [['agentId', 42], ['actionType', true], ['interactionId', false], ['clientId', 5], ['clientId', ['a']]] as const) {
      assertApiError(await post({ agentId: 'agent-1', actionType: 'Break Played', [field]: value }), 400, new RegExp(`${field} must be a string`));
    }
  });

  test('refuses a request without X-ORGANIZATION-ID with 400 naming the header', async () => {
    const r = await t.call('POST', ACTION, { token, body: { agentId: 'agent-1', actionType: 'Break Played' } });
    assertApiError(r, 400, /x-organization-id/i);
  });

  test('accepts the organization id without hyphens or in upper case, as Webex writes it', async () => {
    for (const org of [t.orgId.replaceAll('-', ''), t.orgId.toUpperCase()]) {
      const r = await post({ agentId: 'agent-1', actionType: 'Break Played' }, { 'X-ORGANIZATION-ID': org });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.data.orgId, t.orgId);
    }
  });
});
