// The reference validators themselves: they must be able to fail, or every contract test passes vacuously.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REFERENCE_DIR, referenceValidators as v, assertExactlyReference } from '../helpers/reference.ts';

test('loads the reference schemas from the shared folder beside the repo', () => {
  assert.ok(existsSync(resolve(REFERENCE_DIR, 'webex-agent-wellbeing-api-openapi.yml')));
  assert.ok(existsSync(resolve(REFERENCE_DIR, 'webex-actionresponse-schema.json')));
});

test('AgentBurnoutDTO requires enabled and agentInclusionType and knows the enums', () => {
  assert.ok(v.AgentBurnoutDTO({ enabled: false, agentInclusionType: 'ALL' }));
  assert.equal(v.AgentBurnoutDTO({ agentInclusionType: 'ALL' }), false);
  assert.equal(v.AgentBurnoutDTO({ enabled: true, agentInclusionType: 'SOME' }), false);
  assert.equal(v.AgentBurnoutDTO({ enabled: true, agentInclusionType: 'ALL', wellnessBreakReminders: 'ON' }), false);
});

test('uuid and integer formats are checked', () => {
  assert.equal(v.AgentBurnoutDTO({ enabled: true, agentInclusionType: 'ALL', organizationId: 'not-a-uuid-but-thirty-two-chars!' }), false);
  assert.equal(v.MetaDataWithPagingInfo({ orgid: 'acme' }), false);
  assert.equal(v.MetaDataWithPagingInfo({ page: 1.5 }), false);
  assert.equal(v.ActionResponse({ data: { actionDateTime: '1617536244000' } }), false);
});

test('ApiErrorResponse resolves its nested ErrorDetails and OperationError components', () => {
  assert.ok(v.ApiErrorResponse({ trackingId: 't', error: { key: '400', message: [{ description: 'x' }] } }));
  assert.equal(v.ApiErrorResponse({ trackingId: 't', error: { key: 400, message: [] } }), false);
  assert.equal(v.ApiErrorResponse({ trackingId: 't', error: { key: '400', message: [{ description: 7 }] } }), false);
});

test('AiFeatureDTO checks its agentWellbeing member against AgentWellbeingDTO', () => {
  assert.ok(v.AiFeatureDTO({ agentWellbeing: { enable: true, agentInclusionType: 'SPECIFIC' } }));
  assert.equal(v.AiFeatureDTO({ agentWellbeing: { enable: true } }), false);
  assert.ok(v.AgentWellbeingDTO({ enable: false, agentInclusionType: 'ALL', wellnessBreakReminders: 'ENABLED' }));
});

test('SubscriptionResponse requires its webhook fields', () => {
  assert.equal(v.SubscriptionResponse({ id: '41e92806-331d-4802-bc12-674f92d4a6f7' }), false);
});

test('the exact form of ActionResponse refuses missing and undeclared fields', () => {
  const data = {
    id: 'a', interactionId: 'i', orgId: 'o', agentId: 'g', clientId: 'c',
    actionType: 'Break Played', actionDateTime: 1617536244000, createdDateTime: 1617536244000,
  };
  assertExactlyReference('ActionResponse', { data, trackingId: 't' });
  assert.throws(() => assertExactlyReference('ActionResponse', { data: { ...data, extra: 1 }, trackingId: 't' }));
  const { clientId: _dropped, ...withoutClient } = data;
  assert.throws(() => assertExactlyReference('ActionResponse', { data: withoutClient, trackingId: 't' }));
});
