// Every failure, on every route kind, is a Webex ApiErrorResponse with a tracking id and no internals.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { assertApiError } from '../helpers/reference.ts';
import { buildApp } from '../../src/http/app.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { settingsFromEnv } from '../../src/config.ts';
import type { EngineApi } from '../../src/engine/api.ts';
import { MemoryBus } from '../../src/bus/memory.ts';
import { connect } from 'node:net';
import { once } from 'node:events';

/** Sends raw bytes (HTTP Node's parser refuses) and reads the whole answer until the server closes. */
async function rawExchange(url: string, request: string): Promise<{ status: number; body: any; headers: Headers }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.end(request);
  await once(socket, 'close');
  const text = Buffer.concat(chunks).toString('utf8');
  const [head, body] = text.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = new Headers(headerLines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()] as [string, string]));
  return { status: Number(statusLine.split(' ')[1]), body: JSON.parse(body), headers };
}

/** The routes that take a JSON body, as a client of `orgId` with resource `id` calls them. */
function bodyRoutes(orgId: string, id: string) {
  return [
    { method: 'POST', path: '/v1/agentburnout/action', body: { agentId: 'agent-1', actionType: 'Break Played' } },
    { method: 'PUT', path: `/organization/${orgId}/agent-burnout/${id}`, body: { enabled: true, agentInclusionType: 'ALL' } },
    { method: 'PATCH', path: `/organization/${orgId}/ai-feature/${id}`, body: { agentWellbeing: { enable: true } } },
    { method: 'PUT', path: '/v1/agent-settings/agent-1', body: { userLevelBurnoutInclusion: 'INCLUDED' } },
  ];
}

async function configId(t: TestServer, token: string): Promise<string> {
  return (await t.call('GET', `/organization/${t.orgId}/v2/agent-burnout`, { token })).body.data[0].id;
}

describe('error envelope', () => {
  let t: TestServer;
  let token: string;
  let id: string;
  before(async () => {
    t = await startTestServer({ bodyLimit: 512 });
    token = await t.token();
    id = await configId(t, token);
  });
  after(() => t.close());
  const send = (method: string, path: string, body: unknown, extra: { contentType?: string; headers?: Record<string, string> } = {}) =>
    t.call(method, path, { token, body, contentType: extra.contentType, headers: { 'X-ORGANIZATION-ID': t.orgId, ...extra.headers } });

  test('answers an unknown route with 404, with or without a token', async () => {
    assertApiError(await t.call('GET', '/v1/nothing-here'), 404, /GET \/v1\/nothing-here/);
    assertApiError(await t.call('GET', '/v1/nothing-here', { token }), 404);
    assertApiError(await t.call('DELETE', `/organization/${t.orgId}/agent-burnout/${id}`, { token }), 404, /DELETE/);
  });

  test('answers a body that is not JSON with 400 on every body route', async () => {
    for (const route of bodyRoutes(t.orgId, id)) {
      assertApiError(await send(route.method, route.path, '{"agentId": "a",'), 400, /JSON/);
      assertApiError(await send(route.method, route.path, ''), 400, /body/);
    }
  });

  test('answers a content type other than JSON with 415 on every body route', async () => {
    for (const route of bodyRoutes(t.orgId, id)) {
      for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
        assertApiError(await send(route.method, route.path, JSON.stringify(route.body), { contentType }), 415, /application\/json/);
      }
    }
  });

  test('answers a body over the limit with 413 on every body route', async () => {
    for (const route of bodyRoutes(t.orgId, id)) {
      const big = { ...route.body, padding: 'x'.repeat(600) };
      assertApiError(await send(route.method, route.path, big), 413, /larger/);
      assert.equal((await send(route.method, route.path, route.body)).status, 200, `${route.method} ${route.path} under the limit`);
    }
  });

  test('answers HTTP the parser refuses (a malformed header, headers over the limit) in the envelope too', async () => {
    const malformed = await rawExchange(t.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n');
    assertApiError(malformed, 400, /not well-formed HTTP/);
    assert.match(malformed.body.trackingId, /^respite_/);
    const huge = await rawExchange(t.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(20_000)}\r\n\r\n`);
    assertApiError(huge, 431, /headers are larger/);
  });

  test('answers paths the router refuses (bad percent-encoding, a parameter over the length limit) in the envelope too', async () => {
    assertApiError(await t.call('GET', '/v1/agents/%zz', { token }), 400, /percent-encoding/);
    assertApiError(await t.call('GET', `/v1/agents/${'a'.repeat(2_000)}`, { token }), 414, /longer than any id/);
  });

  test('names what the failing route serves as each message\'s entity, and none where no route was reached', async () => {
    const entityOf = (r: { body: any }) => r.body.error.message.map((m: { entity?: string }) => m.entity);
    const cases: [Promise<{ status: number; body: any; headers: Headers }>, number, string | undefined][] = [
      [send('POST', '/v1/agentburnout/action', { agentId: 'a-1' }), 400, 'agent_burnout_action'],
      [t.call('GET', '/v1/agentburnout/actions'), 401, 'agent_burnout_action'],
      [t.call('GET', `/organization/${t.orgId}/agent-burnout/no-such-id`, { token }), 404, 'agent_burnout'],
      [t.call('GET', `/organization/${t.orgId}/v2/ai-feature?filter=enable%3D%3D`, { token }), 400, 'ai_feature'],
      [send('PUT', '/v1/agent-settings/a-1', { userLevelBurnoutInclusion: 'SOMETIMES' }), 400, 'agent_setting'],
      [t.call('POST', '/v1/signals', { body: '{}' }), 401, 'signal'],
      [t.call('GET', '/v1/agents?limit=0', { token }), 400, 'agent'],
      [t.call('GET', '/v1/events?after=-1', { token }), 400, 'event'],
      [t.call('PUT', '/v1/model-config', { token, body: { config: { index: { tau: -1 } } } }), 400, 'model_config'],
      [t.call('GET', '/v1/whoami'), 401, 'token'],
      [t.call('GET', '/v1/admin/memory?gc=maybe', { token }), 400, 'process'],
      [t.call('GET', '/v1/nothing-here', { token }), 404, undefined],
      [t.call('GET', '/v1/agents/%zz', { token }), 400, undefined],
    ];
    for (const [call, status, entity] of cases) {
      const r = await call;
      assertApiError(r, status);
      const entities = entityOf(r);
      assert.deepEqual(entities, entities.map(() => entity), JSON.stringify(r.body));
    }
  });

  test('echoes a TrackingID request header in the body and the header', async () => {
    const tracking = 'partner_af9eecc5-0472-4549-9a83-2afdae0d4ba0';
    const failed = await t.call('GET', '/v1/nothing-here', { headers: { TrackingID: tracking } });
    assertApiError(failed, 404);
    assert.equal(failed.body.trackingId, tracking);
    const ok = await send('POST', '/v1/agentburnout/action', bodyRoutes(t.orgId, id)[0].body, { headers: { TrackingID: tracking } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.trackingId, tracking);
    assert.equal(ok.headers.get('trackingid'), tracking);
  });

  test('generates a distinct tracking id when none, or an unusable one, is sent', async () => {
    const ids = new Set<string>();
    const sent: Record<string, string>[] = [{}, {}, { TrackingID: 'has spaces in it' }, { TrackingID: 'x'.repeat(500) }];
    for (const headers of sent) {
      const r = await t.call('GET', '/v1/nothing-here', { headers });
      assertApiError(r, 404);
      assert.match(r.body.trackingId, /^respite_[0-9a-f-]{36}$/);
      ids.add(r.body.trackingId);
    }
    assert.equal(ids.size, 4);
    const ok = await t.call('GET', '/healthz');
    assert.match(ok.headers.get('trackingid') ?? '', /^respite_/);
  });
});

describe('rate limit', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ rateLimitPerMinute: 2 });
  });
  after(() => t.close());

  test('answers 429 with Retry-After once a token exceeds its limit, and other tokens are unaffected', async () => {
    const id = await configId(t, await t.token());
    const token = await t.token();
    const path = `/organization/${t.orgId}/agent-burnout/${id}`;
    assert.equal((await t.call('GET', path, { token })).status, 200);
    assert.equal((await t.call('GET', path, { token })).status, 200);
    const limited = await t.call('GET', path, { token });
    assertApiError(limited, 429, /rate limit/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.equal((await t.call('GET', path, { token: await t.token() })).status, 200);
  });

  test('counts every route against one budget per token, as Webex counts per client', async () => {
    const id = await configId(t, await t.token());
    const token = await t.token();
    assert.equal((await t.call('GET', `/organization/${t.orgId}/agent-burnout/${id}`, { token })).status, 200);
    assert.equal((await t.call('GET', `/organization/${t.orgId}/ai-feature/${id}`, { token })).status, 200);
    assertApiError(await t.call('GET', '/v1/agentburnout/actions', { token }), 429);
  });

  test('limits the action route too', async () => {
    const token = await t.token();
    const post = () => t.call('POST', '/v1/agentburnout/action', {
      token, headers: { 'X-ORGANIZATION-ID': t.orgId }, body: { agentId: 'agent-1', actionType: 'Break Played' },
    });
    assert.equal((await post()).status, 200);
    assert.equal((await post()).status, 200);
    const limited = await post();
    assertApiError(limited, 429);
    assert.ok(limited.headers.get('retry-after'));
  });
});

describe('unexpected failures', () => {
  test('answers 500 with an ApiErrorResponse and no stack trace or internal message', async () => {
    const dataDir = tempDataDir();
    const store = openSqliteStore(dataDir);
    // Only the failing routes run, so the engine is never consulted; the cast keeps the stub small.
    const engine = { recordAction: async () => { throw new Error('not used'); }, onConfigChanged: async () => {}, onAgentSettingChanged: async () => {} } as unknown as EngineApi;
    const app = await buildApp({ store, engine, bus: new MemoryBus(), settings: { ...settingsFromEnv({}), dataDir }, logger: false });
    try {
      const secret = 'SQLITE_CORRUPT in /var/lib/respite/secret.db';
      app.get('/boom', { config: { auth: { public: true } } }, async () => {
        throw new Error(secret);
      });
      app.get('/boom-value', { config: { auth: { public: true } } }, async () => {
        throw { statusCode: 503, message: secret, stack: 'at internal (file.ts:1:1)' };
      });
      await app.ready();
      for (const url of ['/boom', '/boom-value']) {
        const r = await app.inject({ method: 'GET', url, headers: { TrackingID: 'trk-500' } });
        const body = r.json();
        assertApiError({ status: r.statusCode, body, headers: new Headers(r.headers as Record<string, string>) }, 500);
        assert.equal(body.trackingId, 'trk-500');
        assert.doesNotMatch(r.body, /SQLITE_CORRUPT|secret\.db|\bat \S+ \(|\.ts:\d+/);
        assert.equal(body.stack, undefined);
      }
    } finally {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
