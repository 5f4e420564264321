// The organization's Agent Burnout configuration through both Webex views: defaults, versions, validation, agreement.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertApiError, assertExactlyReference, assertMatchesReference, assertReferenceList } from '../helpers/reference.ts';

describe('configuration: agent-burnout and ai-feature views', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  /** A fresh organization (so defaults are first-use defaults) with both views' calls bound to it. */
  async function freshOrg() {
    const orgId = randomUUID();
    const token = await t.token(['cjp:config_read', 'cjp:config_write'], orgId);
    const call = (method: string, path: string, body?: unknown) => t.call(method, `/organization/${orgId}${path}`, { token, body });
    const list = await call('GET', '/v2/agent-burnout');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const id: string = list.body.data[0].id;
    return {
      orgId,
      id,
      call,
      getBurnout: () => call('GET', `/agent-burnout/${id}`),
      putBurnout: (body: unknown) => call('PUT', `/agent-burnout/${id}`, body),
      getAiFeature: () => call('GET', `/ai-feature/${id}`),
      patchAiFeature: (body: unknown) => call('PATCH', `/ai-feature/${id}`, body),
    };
  }

  const settingsOf = (dto: { enabled: boolean; agentInclusionType: string; wellnessBreakReminders: string; version: number }) =>
    ({ enable: dto.enabled, agentInclusionType: dto.agentInclusionType, wellnessBreakReminders: dto.wellnessBreakReminders, version: dto.version });
  const aiSettingsOf = (dto: { agentWellbeing: Record<string, unknown>; version: number }) => ({ ...dto.agentWellbeing, version: dto.version });

  test('creates the defaults on first use: disabled, ALL, DISABLED, version 0', async () => {
    const org = await freshOrg();
    const r = await org.getBurnout();
    assert.equal(r.status, 200);
    assertExactlyReference('AgentBurnoutDTO', r.body);
    assert.deepEqual(settingsOf(r.body), { enable: false, agentInclusionType: 'ALL', wellnessBreakReminders: 'DISABLED', version: 0 });
    assert.equal(r.body.organizationId, org.orgId);
    const ai = await org.getAiFeature();
    assertMatchesReference('AiFeatureDTO', ai.body);
    assertMatchesReference('AgentWellbeingDTO', ai.body.agentWellbeing);
    assert.deepEqual(aiSettingsOf(ai.body), settingsOf(r.body));
    assert.equal(ai.body.id, org.id);
  });

  test('answers 404 for a resource id that is not the organization\'s', async () => {
    const org = await freshOrg();
    const other = randomUUID();
    assertApiError(await org.call('GET', `/agent-burnout/${other}`), 404, new RegExp(other));
    assertApiError(await org.call('GET', `/ai-feature/${other}`), 404);
    assertApiError(await org.call('PUT', `/agent-burnout/${other}`, { enabled: true, agentInclusionType: 'ALL' }), 404);
    assertApiError(await org.call('PATCH', `/ai-feature/${other}`, { agentWellbeing: { enable: true } }), 404);
  });

  test('a PUT updates the resource and bumps its version', async () => {
    const org = await freshOrg();
    const put = await org.putBurnout({ id: org.id, organizationId: org.orgId, version: 0, enabled: true, agentInclusionType: 'SPECIFIC', wellnessBreakReminders: 'ENABLED' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assertExactlyReference('AgentBurnoutDTO', put.body);
    assert.deepEqual(settingsOf(put.body), { enable: true, agentInclusionType: 'SPECIFIC', wellnessBreakReminders: 'ENABLED', version: 1 });
    assert.ok(put.body.lastUpdatedTime >= put.body.createdTime);
    const again = await org.putBurnout({ version: 1, enabled: false, agentInclusionType: 'SPECIFIC' });
    assert.equal(again.body.version, 2);
    assert.deepEqual(settingsOf((await org.getBurnout()).body), { enable: false, agentInclusionType: 'SPECIFIC', wellnessBreakReminders: 'ENABLED', version: 2 });
  });

  test('refuses a PUT with a stale version with 409 and the current version', async () => {
    const org = await freshOrg();
    assert.equal((await org.putBurnout({ version: 0, enabled: true, agentInclusionType: 'ALL' })).status, 200);
    const stale = await org.putBurnout({ version: 0, enabled: false, agentInclusionType: 'ALL' });
    assertApiError(stale, 409, /current version is 1/);
    assert.equal(stale.body.currentVersion, 1);
    assert.equal((await org.getBurnout()).body.enabled, true, 'the stale write changed nothing');
    assertApiError(await org.patchAiFeature({ version: 0, agentWellbeing: { enable: false } }), 409, /version/);
  });

  test('refuses a PUT whose body names another id or organization', async () => {
    const org = await freshOrg();
    assertApiError(await org.putBurnout({ id: randomUUID(), enabled: true, agentInclusionType: 'ALL' }), 400, /\bid\b/);
    assertApiError(await org.putBurnout({ organizationId: randomUUID(), enabled: true, agentInclusionType: 'ALL' }), 400, /organizationId/);
    assertApiError(await org.patchAiFeature({ organizationId: randomUUID(), agentWellbeing: { enable: true } }), 400, /organizationId/);
    assert.equal((await org.getBurnout()).body.version, 0);
  });

  test('refuses invalid enums and missing required fields, naming the field', async () => {
    const org = await freshOrg();
    assertApiError(await org.putBurnout({ enabled: true, agentInclusionType: 'SOME' }), 400, /agentInclusionType.*ALL, SPECIFIC/);
    assertApiError(await org.putBurnout({ enabled: true, agentInclusionType: 'ALL', wellnessBreakReminders: 'ON' }), 400, /wellnessBreakReminders/);
    assertApiError(await org.putBurnout({ agentInclusionType: 'ALL' }), 400, /enabled is required/);
    assertApiError(await org.putBurnout({ enabled: true }), 400, /agentInclusionType is required/);
    assertApiError(await org.patchAiFeature({ agentWellbeing: { agentInclusionType: 'all' } }), 400, /agentWellbeing\.agentInclusionType/);
    assertApiError(await org.putBurnout('[]'), 400);
    assert.equal((await org.getBurnout()).body.version, 0);
  });

  test('both views agree after a PUT on the agent-burnout view', async () => {
    const org = await freshOrg();
    const put = await org.putBurnout({ version: 0, enabled: true, agentInclusionType: 'SPECIFIC', wellnessBreakReminders: 'ENABLED' });
    const ai = await org.getAiFeature();
    assert.equal(ai.status, 200);
    assertMatchesReference('AiFeatureDTO', ai.body);
    assert.deepEqual(aiSettingsOf(ai.body), settingsOf(put.body));
    const aiList = await org.call('GET', '/v2/ai-feature');
    assertReferenceList('AiFeatureDTO', aiList.body);
    assert.deepEqual(aiSettingsOf(aiList.body.data[0]), settingsOf(put.body));
  });

  test('both views agree after a PATCH on the ai-feature view, which changes only what it names', async () => {
    const org = await freshOrg();
    const patch = await org.patchAiFeature({ version: 0, agentWellbeing: { enable: true } });
    assert.equal(patch.status, 200, JSON.stringify(patch.body));
    assertMatchesReference('AiFeatureDTO', patch.body);
    assert.deepEqual(aiSettingsOf(patch.body), { enable: true, agentInclusionType: 'ALL', wellnessBreakReminders: 'DISABLED', version: 1 });
    const second = await org.patchAiFeature({ agentWellbeing: { wellnessBreakReminders: 'ENABLED', agentInclusionType: 'SPECIFIC' } });
    const burnout = await org.getBurnout();
    assertExactlyReference('AgentBurnoutDTO', burnout.body);
    assert.deepEqual(settingsOf(burnout.body), aiSettingsOf(second.body));
    assert.deepEqual(settingsOf(burnout.body), { enable: true, agentInclusionType: 'SPECIFIC', wellnessBreakReminders: 'ENABLED', version: 2 });
    const list = await org.call('GET', '/v2/agent-burnout');
    assertReferenceList('AgentBurnoutDTO', list.body);
    assert.deepEqual(list.body.data[0], burnout.body);
  });
});
