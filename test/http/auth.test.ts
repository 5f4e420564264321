// The authorization matrix on every Webex route, and "one org never reads another's data".
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertApiError } from '../helpers/reference.ts';
import type { Scope } from '../../src/domain/scopes.ts';

interface Route {
  method: string;
  path: (orgId: string, id: string) => string;
  body?: unknown;
  /** Changes something, so needs cjp:config_write (reads take cjp:config_read or write). */
  write: boolean;
}

const ACTION_BODY = { agentId: 'agent-1', actionType: 'Break Played' };
const ROUTES: Route[] = [
  { method: 'POST', path: () => '/v1/agentburnout/action', body: ACTION_BODY, write: true },
  { method: 'GET', path: () => '/v1/agentburnout/actions', write: false },
  { method: 'GET', path: (o, id) => `/organization/${o}/agent-burnout/${id}`, write: false },
  { method: 'PUT', path: (o, id) => `/organization/${o}/agent-burnout/${id}`, body: { enabled: true, agentInclusionType: 'ALL' }, write: true },
  { method: 'GET', path: (o) => `/organization/${o}/v2/agent-burnout`, write: false },
  { method: 'GET', path: (o, id) => `/organization/${o}/ai-feature/${id}`, write: false },
  { method: 'PATCH', path: (o, id) => `/organization/${o}/ai-feature/${id}`, body: { agentWellbeing: { enable: true } }, write: true },
  { method: 'GET', path: (o) => `/organization/${o}/v2/ai-feature`, write: false },
  { method: 'GET', path: () => '/v1/agent-settings', write: false },
  { method: 'GET', path: () => '/v1/agent-settings/agent-1', write: false },
  { method: 'PUT', path: () => '/v1/agent-settings/agent-1', body: { userLevelBurnoutInclusion: 'INCLUDED' }, write: true },
];
const label = (r: Route) => `${r.method} ${r.path('{orgid}', '{id}')}`;

describe('authorization', () => {
  let t: TestServer;
  let configId: string;
  before(async () => {
    t = await startTestServer();
    const list = await t.call('GET', `/organization/${t.orgId}/v2/agent-burnout`, { token: await t.token() });
    configId = list.body.data[0].id;
  });
  after(() => t.close());

  /** Calls a route as a client of `orgId` would, with the org header Webex requires. */
  const callRoute = (route: Route, headers: Record<string, string>, orgId = t.orgId, id = configId) =>
    t.call(route.method, route.path(orgId, id), { headers: { 'X-ORGANIZATION-ID': orgId, ...headers }, body: route.body });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  test('every route answers a caller with the right token', async () => {
    const token = await t.token(['cjp:config_read', 'cjp:config_write']);
    for (const route of ROUTES) assert.equal((await callRoute(route, bearer(token))).status, 200, label(route));
  });

  test('refuses a request without a token with 401', async () => {
    for (const route of ROUTES) assertApiError(await callRoute(route, {}), 401, /Bearer/);
  });

  test('refuses a malformed Authorization header with 401', async () => {
    const token = await t.token();
    for (const authorization of [token, `Basic ${token}`, 'Bearer', `Bearer ${token} extra`, `Bearer  `]) {
      for (const route of ROUTES) assertApiError(await callRoute(route, { authorization }), 401);
    }
  });

  test('refuses an unknown token with 401', async () => {
    const unknown = [`rsp_${randomBytes(32).toString('base64url')}`, 'not-even-our-format', `rsp_${'x'.repeat(200)}`];
    for (const token of unknown) {
      for (const route of ROUTES) assertApiError(await callRoute(route, bearer(token)), 401, /unknown or revoked/);
    }
  });

  test('refuses a revoked token with 401', async () => {
    const orgId = randomUUID();
    const token = await t.token(['cjp:config_read', 'cjp:config_write'], orgId);
    const ownId = (await t.server.store.config.get(orgId, Date.now())).id;
    assert.equal((await callRoute(ROUTES[0], bearer(token), orgId, ownId)).status, 200, 'works before revocation');
    const [record] = await t.server.store.tokens.list(orgId);
    assert.ok(await t.server.store.tokens.revoke(record.id, Date.now()));
    for (const route of ROUTES) assertApiError(await callRoute(route, bearer(token), orgId, ownId), 401, /revoked/);
  });

  test('refuses an X-ORGANIZATION-ID that is not the token\'s organization with 403', async () => {
    const token = await t.token();
    for (const route of ROUTES) {
      const r = await t.call(route.method, route.path(t.orgId, configId), {
        headers: { ...bearer(token), 'X-ORGANIZATION-ID': randomUUID() },
        body: route.body,
      });
      assertApiError(r, 403, /X-ORGANIZATION-ID/);
    }
  });

  test('refuses an organization in the path that is not the token\'s with 403', async () => {
    const otherOrg = randomUUID();
    const token = await t.token(['cjp:config_read', 'cjp:config_write'], otherOrg);
    for (const route of ROUTES.filter((r) => r.path('{orgid}', '').includes('{orgid}'))) {
      const r = await t.call(route.method, route.path(t.orgId, configId), { headers: bearer(token), body: route.body });
      assertApiError(r, 403, /organization in the path/);
    }
  });

  test('refuses a token without the route\'s scope with 403', async () => {
    const cases: [Scope[], (r: Route) => boolean][] = [
      [['respite:ingest', 'respite:events'], () => true],
      [['cjp:config_read'], (r) => r.write],
    ];
    for (const [scopes, refused] of cases) {
      const token = await t.token(scopes);
      for (const route of ROUTES) {
        const r = await callRoute(route, bearer(token));
        if (refused(route)) assertApiError(r, 403, /scope/);
        else assert.equal(r.status, 200, `${label(route)} with ${scopes}`);
      }
    }
  });

  test('grants respite:admin every Webex route of its own organization, and no other organization\'s', async () => {
    const admin = await t.token(['respite:admin']);
    for (const route of ROUTES) assert.equal((await callRoute(route, bearer(admin))).status, 200, `${label(route)} with respite:admin`);
    const otherAdmin = await t.token(['respite:admin'], randomUUID());
    for (const route of ROUTES) assertApiError(await callRoute(route, bearer(otherAdmin)), 403, /not the organization of this token/);
  });
});

/** Respite's own routes and the scopes any one of which grants each (respite:admin grants them all). */
const RESPITE_ROUTES: { method: string; path: string; body?: unknown; contentType?: string; scopes: Scope[] }[] = [
  { method: 'POST', path: '/v1/signals', body: '{"type":"agent.state","agentId":"a-1","time":1700000000000,"state":"available"}\n', contentType: 'application/x-ndjson', scopes: ['respite:ingest'] },
  { method: 'GET', path: '/v1/agents', scopes: ['respite:agents'] },
  { method: 'GET', path: '/v1/agents/a-1/history', scopes: ['respite:agents'] },
  { method: 'GET', path: '/v1/events?after=0', scopes: ['respite:events'] },
  { method: 'GET', path: '/v1/model-config', scopes: ['cjp:config_read', 'cjp:config_write'] },
  { method: 'PUT', path: '/v1/model-config', body: { config: { index: { tau: 26 } } }, scopes: ['cjp:config_write'] },
  { method: 'GET', path: '/v1/admin/memory', scopes: ['respite:admin'] },
  { method: 'GET', path: '/v1/whoami', scopes: [] },
];
const ALL: Scope[] = ['cjp:config_read', 'cjp:config_write', 'respite:ingest', 'respite:events', 'respite:agents', 'respite:admin'];

describe('authorization on Respite\'s own routes', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());
  const callAs = (route: (typeof RESPITE_ROUTES)[number], authorization?: string) =>
    t.call(route.method, route.path, { headers: authorization ? { authorization } : {}, body: route.body, contentType: route.contentType });

  test('each route answers a token holding any one of its scopes, and refuses one holding none of them with 403', async () => {
    for (const route of RESPITE_ROUTES) {
      for (const scope of route.scopes.length > 0 ? [...route.scopes, 'respite:admin' as const] : ALL) {
        const r = await callAs(route, `Bearer ${await t.token([scope])}`);
        assert.equal(r.status, 200, `${route.method} ${route.path} with ${scope}: ${r.text}`);
      }
      const others = ALL.filter((s) => !route.scopes.includes(s) && s !== 'respite:admin');
      if (route.scopes.length > 0) assertApiError(await callAs(route, `Bearer ${await t.token(others)}`), 403, /scope/);
    }
  });

  test('refuses no token, an unknown token and a revoked token with 401 on every route', async () => {
    const orgId = randomUUID();
    const revoked = await t.token(ALL, orgId);
    const [record] = await t.server.store.tokens.list(orgId);
    assert.ok(await t.server.store.tokens.revoke(record.id, Date.now()));
    for (const route of RESPITE_ROUTES) {
      assertApiError(await callAs(route), 401, /Bearer/);
      assertApiError(await callAs(route, `Bearer rsp_${randomBytes(32).toString('base64url')}`), 401, /unknown or revoked/);
      assertApiError(await callAs(route, `Bearer ${revoked}`), 401, /unknown or revoked/);
    }
  });
});

describe('one organization never reads another\'s data', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('org B cannot list, read or change org A\'s actions or configuration', async () => {
    const orgA = randomUUID();
    const orgB = randomUUID();
    const tokenA = await t.token(['cjp:config_read', 'cjp:config_write'], orgA);
    const tokenB = await t.token(['cjp:config_read', 'cjp:config_write'], orgB);
    const postAs = (token: string, orgId: string, agentId: string) =>
      t.call('POST', '/v1/agentburnout/action', { token, headers: { 'X-ORGANIZATION-ID': orgId }, body: { agentId, actionType: 'Break Played' } });
    const actionA = (await postAs(tokenA, orgA, 'agent-a')).body.data;
    const actionB = (await postAs(tokenB, orgB, 'agent-b')).body.data;

    const listedByB = await t.call('GET', '/v1/agentburnout/actions', { token: tokenB });
    assert.deepEqual(listedByB.body.data.map((a: { id: string }) => a.id), [actionB.id]);
    const byAgent = await t.call('GET', '/v1/agentburnout/actions?agentId=agent-a', { token: tokenB });
    assert.deepEqual(byAgent.body.data, []);
    assert.deepEqual((await t.call('GET', '/v1/agentburnout/actions', { token: tokenA })).body.data.map((a: { id: string }) => a.id), [actionA.id]);

    const configA = (await t.call('GET', `/organization/${orgA}/v2/agent-burnout`, { token: tokenA })).body.data[0];
    const put = await t.call('PUT', `/organization/${orgA}/agent-burnout/${configA.id}`, { token: tokenA, body: { enabled: true, agentInclusionType: 'SPECIFIC' } });
    assert.equal(put.status, 200);

    assertApiError(await t.call('GET', `/organization/${orgA}/agent-burnout/${configA.id}`, { token: tokenB }), 403);
    assertApiError(await t.call('GET', `/organization/${orgB}/agent-burnout/${configA.id}`, { token: tokenB }), 404);
    assertApiError(await t.call('GET', `/organization/${orgB}/ai-feature/${configA.id}`, { token: tokenB }), 404);
    assertApiError(await t.call('PUT', `/organization/${orgB}/agent-burnout/${configA.id}`, { token: tokenB, body: { enabled: false, agentInclusionType: 'ALL' } }), 404);
    const filteredByB = await t.call('GET', `/organization/${orgB}/v2/agent-burnout?filter=${encodeURIComponent(`id=="${configA.id}"`)}`, { token: tokenB });
    assert.deepEqual(filteredByB.body.data, []);
    const configB = (await t.call('GET', `/organization/${orgB}/v2/agent-burnout`, { token: tokenB })).body.data[0];
    assert.notEqual(configB.id, configA.id);
    assert.equal(configB.enabled, false, 'org B sees its own defaults, not org A\'s settings');
    assert.equal((await t.call('GET', `/organization/${orgA}/agent-burnout/${configA.id}`, { token: tokenA })).body.version, 1);
  });
});
