// Per-agent switches (userLevelBurnoutInclusion, userLevelWellnessBreakReminders): how SPECIFIC inclusion
// gets its list of included agents.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertApiError } from '../helpers/reference.ts';

describe('agent settings', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  async function freshOrg() {
    const orgId = randomUUID();
    const token = await t.token(['cjp:config_read', 'cjp:config_write'], orgId);
    return {
      orgId,
      token,
      get: (agentId: string) => t.call('GET', `/v1/agent-settings/${encodeURIComponent(agentId)}`, { token }),
      put: (agentId: string, body: unknown) => t.call('PUT', `/v1/agent-settings/${encodeURIComponent(agentId)}`, { token, body }),
      list: (query = '') => t.call('GET', `/v1/agent-settings${query}`, { token }),
    };
  }

  test('an agent never set reads as the defaults: EXCLUDED and ENABLED', async () => {
    const org = await freshOrg();
    const r = await org.get('agent-1');
    assert.equal(r.status, 200);
    assert.equal(r.body.agentId, 'agent-1');
    assert.equal(r.body.userLevelBurnoutInclusion, 'EXCLUDED');
    assert.equal(r.body.userLevelWellnessBreakReminders, 'ENABLED');
    assert.deepEqual((await org.list()).body.data, [], 'reading defaults stores nothing');
  });

  test('a PUT round-trips and changes only the switches it names', async () => {
    const org = await freshOrg();
    const before = Date.now();
    const put = await org.put('agent-1', { userLevelBurnoutInclusion: 'INCLUDED' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.userLevelBurnoutInclusion, 'INCLUDED');
    assert.equal(put.body.userLevelWellnessBreakReminders, 'ENABLED');
    assert.ok(put.body.updatedTime >= before);
    const second = await org.put('agent-1', { userLevelWellnessBreakReminders: 'DISABLED' });
    assert.equal(second.body.userLevelBurnoutInclusion, 'INCLUDED');
    assert.deepEqual((await org.get('agent-1')).body, second.body);
  });

  test('refuses switch values outside the Webex enums, naming the field', async () => {
    const org = await freshOrg();
    assertApiError(await org.put('agent-1', { userLevelBurnoutInclusion: 'YES' }), 400, /userLevelBurnoutInclusion.*INCLUDED, EXCLUDED/);
    assertApiError(await org.put('agent-1', { userLevelWellnessBreakReminders: 'enabled' }), 400, /userLevelWellnessBreakReminders/);
    assertApiError(await org.put('agent-1', 'null'), 400);
    assert.equal((await org.list()).body.data.length, 0);
  });

  test('lists the agents with explicit settings by agentId, paged by cursor', async () => {
    const org = await freshOrg();
    const agents = ['carol', 'alice', 'dave', 'bob', 'erin'];
    for (const agentId of agents) assert.equal((await org.put(agentId, { userLevelBurnoutInclusion: 'INCLUDED' })).status, 200);
    const seen: string[] = [];
    let path: string | undefined = '/v1/agent-settings?limit=2';
    while (path) {
      const page: { status: number; body: any } = await t.call('GET', path, { token: org.token });
      assert.equal(page.status, 200);
      seen.push(...page.body.data.map((s: { agentId: string }) => s.agentId));
      path = page.body.meta.links.next;
      assert.ok(seen.length <= agents.length, 'pagination does not terminate');
    }
    assert.deepEqual(seen, [...agents].sort());
  });

  test('one organization never sees another\'s agent settings', async () => {
    const a = await freshOrg();
    const b = await freshOrg();
    await a.put('shared-agent', { userLevelBurnoutInclusion: 'INCLUDED' });
    assert.equal((await b.get('shared-agent')).body.userLevelBurnoutInclusion, 'EXCLUDED');
    assert.deepEqual((await b.list()).body.data, []);
  });

  test('reading needs a config scope and writing needs cjp:config_write', async () => {
    const orgId = randomUUID();
    const reader = await t.token(['cjp:config_read'], orgId);
    const ingest = await t.token(['respite:ingest'], orgId);
    assert.equal((await t.call('GET', '/v1/agent-settings/a', { token: reader })).status, 200);
    assertApiError(await t.call('PUT', '/v1/agent-settings/a', { token: reader, body: { userLevelBurnoutInclusion: 'INCLUDED' } }), 403, /scope/);
    assertApiError(await t.call('GET', '/v1/agent-settings', { token: ingest }), 403, /scope/);
  });
});
