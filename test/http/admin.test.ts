// GET /v1/admin/memory: process memory for an operator, and only the caller's own agent count.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { assertApiError } from '../helpers/reference.ts';
import { enabledOrg, ingest } from '../engine/helpers.ts';
import { plainCall } from '../engine/signal-builder.ts';

describe('admin memory figures', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('needs respite:admin', async () => {
    const token = await t.token(['respite:agents', 'respite:ingest', 'cjp:config_write']);
    assertApiError(await t.call('GET', '/v1/admin/memory', { token }), 403, /respite:admin/);
  });

  test('reports process memory and counts only the caller\'s agents', async () => {
    const mine = await enabledOrg(t);
    const theirs = await enabledOrg(t);
    await ingest(mine, plainCall('m-1', 'm-1-c', Date.now() - 3_600_000).signals);
    await ingest(theirs, [...plainCall('o-1', 'o-1-c', Date.now() - 3_600_000).signals, ...plainCall('o-2', 'o-2-c', Date.now() - 3_600_000).signals]);
    const r = await mine.call('GET', '/v1/admin/memory?gc=true');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.agents, 1);
    assert.ok(r.body.heapUsed > 0 && r.body.rss >= r.body.heapUsed && r.body.arrayBuffers >= 0);
    assert.equal(r.body.collected, typeof (globalThis as { gc?: unknown }).gc === 'function');
    assert.equal((await theirs.call('GET', '/v1/admin/memory')).body.agents, 2);
  });
});
