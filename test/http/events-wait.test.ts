// GET /v1/events?wait=N: a long-poll that answers when a matching event is committed, at once when
// there are events already, and at once when the server shuts down or the client leaves.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertApiError } from '../helpers/reference.ts';
import { enabledOrg, ingest, listAllEvents, type EventDto, type OrgClient } from '../engine/helpers.ts';
import { plainCall } from '../engine/signal-builder.ts';

const HOUR = 3_600_000;
/** A guard, not a measure: a long-poll that wrongly waits out its 55 s fails here instead. */
const GUARD = { timeout: 20_000 };

/**
 * Resolves once `condition` holds, checking each few ms (the server's state, not a fixed sleep); rejects
 * after the guard's time, so a condition that never comes fails the test instead of polling for good.
 */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + GUARD.timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the awaited state never came');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const longPoll = (org: OrgClient, query: string) => org.call<{ data: EventDto[] }>('GET', `/v1/events?${query}`);

describe('GET /v1/events with wait', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());
  const listening = (org: OrgClient) => until(() => t.server.bus.listenerCount(org.orgId) === 1);

  test('answers as soon as a matching event is committed', GUARD, async () => {
    const org = await enabledOrg(t);
    const waiting = longPoll(org, 'after=0&wait=55');
    await listening(org);
    await ingest(org, plainCall('w1', 'w1-call', Date.now() - HOUR).signals);
    const answer = await waiting;
    assert.equal(answer.status, 200, answer.text);
    assert.ok(answer.body.data.some((e) => e.type === 'agent-burnout:index' && e.interactionId === 'w1-call'), answer.text);
    assert.deepEqual(answer.body.data, await listAllEvents(org), 'the answer is read from the log');
    assert.equal(t.server.bus.listenerCount(org.orgId), 0);
  });

  test('answers at once when there are events after `after` already', GUARD, async () => {
    const org = await enabledOrg(t);
    await ingest(org, plainCall('w2', 'w2-call', Date.now() - HOUR).signals);
    const answer = await longPoll(org, 'after=0&wait=55');
    assert.equal(answer.status, 200, answer.text);
    assert.ok(answer.body.data.length > 0);
  });

  test('waits past events that do not match its filter', GUARD, async () => {
    const org = await enabledOrg(t);
    const waiting = longPoll(org, 'after=0&wait=55&type=agent-burnout:action-recorded');
    await listening(org);
    await ingest(org, plainCall('w3', 'w3-call', Date.now() - HOUR).signals);
    assert.ok((await listAllEvents(org, { type: 'agent-burnout:index' })).length > 0, 'index events were committed meanwhile');
    const posted = await org.call('POST', '/v1/agentburnout/action', { agentId: 'w3', actionType: 'Supervisor Notified' }, { 'X-ORGANIZATION-ID': org.orgId });
    assert.equal(posted.status, 200, posted.text);
    const answer = await waiting;
    assert.deepEqual(answer.body.data.map((e) => [e.type, e.data.actionId]), [['agent-burnout:action-recorded', posted.body.data.id]]);
  });

  test('another organization\'s events do not answer it', GUARD, async () => {
    const mine = await enabledOrg(t);
    const other = await enabledOrg(t);
    const waiting = longPoll(mine, 'after=0&wait=55');
    await listening(mine);
    await ingest(other, plainCall('w4', 'w4-call', Date.now() - HOUR).signals);
    await ingest(mine, plainCall('w5', 'w5-call', Date.now() - HOUR).signals);
    const answer = await waiting;
    assert.ok(answer.body.data.length > 0);
    assert.ok(answer.body.data.every((e) => e.orgId === mine.orgId && e.agentId === 'w5'), answer.text);
  });

  test('a client that hangs up stops the wait', GUARD, async () => {
    const org = await enabledOrg(t);
    const hangUp = new AbortController();
    const waiting = fetch(`${t.url}/v1/events?wait=55`, { headers: { authorization: `Bearer ${org.token}` }, signal: hangUp.signal });
    await listening(org);
    hangUp.abort();
    await assert.rejects(waiting);
    await until(() => t.server.bus.listenerCount(org.orgId) === 0);
  });

  test('refuses a wait above 55 seconds, naming the field', async () => {
    const org = await enabledOrg(t);
    const answer = await longPoll(org, 'wait=56');
    assertApiError(answer, 400);
    assert.match(answer.text, /wait/);
  });
});

describe('GET /v1/events with wait, at shutdown', () => {
  test('a server shutting down answers a waiting long-poll at once, with what there is', GUARD, async () => {
    const t = await startTestServer();
    const org = await enabledOrg(t);
    const waiting = longPoll(org, 'after=0&wait=55');
    await until(() => t.server.bus.listenerCount(org.orgId) === 1);
    await t.close();
    const answer = await waiting;
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.data, []);
  });
});
