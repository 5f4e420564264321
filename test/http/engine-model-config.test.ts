// GET/PUT /v1/model-config: documented defaults, validation naming the field, optimistic versions, and a
// change that the very next interaction is scored with.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DEFAULT_MODEL_CONFIG } from '../../src/domain/burnout/index.ts';
import { getAgent, ingest, listAllEvents, enabledOrg } from '../engine/helpers.ts';
import { abusiveCall } from '../engine/signal-builder.ts';

const HOUR = 3_600_000;

/** The load behind an index: index = 100·(1 − e^(−load/τ)). */
const loadOf = (index: number, tau: number) => -tau * Math.log(1 - index / 100);

describe('model configuration', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('GET answers the documented defaults at version 0', async () => {
    const org = await enabledOrg(t);
    const r = await org.call('GET', '/v1/model-config');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { version: 0, config: DEFAULT_MODEL_CONFIG });
  });

  test('PUT with a bad value answers 400 naming the field, and changes nothing', async () => {
    const org = await enabledOrg(t);
    for (const [config, field] of [
      [{ index: { tau: -1 } }, /index\.tau/],
      [{ levels: { moderateAt: 70, highAt: 60 } }, /moderateAt < highAt/],
      [{ difficulty: { abusive: 0.5 } }, /difficulty\.abusive/],
      [{ recovery: { restHalfLifeMin: 'fast' } }, /restHalfLifeMin/],
      [{ breakActions: { types: ['Break Played', ''] } }, /breakActions/],
      [{ breakActions: { playedSec: 7200 } }, /playedSec/],
    ] as const) {
      const r = await org.call('PUT', '/v1/model-config', { config });
      assert.equal(r.status, 400, `${JSON.stringify(config)}: ${r.text}`);
      assert.match(r.text, field);
    }
    assert.deepEqual((await org.call('GET', '/v1/model-config')).body, { version: 0, config: DEFAULT_MODEL_CONFIG });
  });

  test('a valid change scores the next interaction with it', async () => {
    const org = await enabledOrg(t);
    const start = Date.now() - 2 * HOUR;
    await ingest(org, abusiveCall('before-change', 'bc-1', start).signals);
    const old = await getAgent(org, 'before-change');
    const put = await org.call('PUT', '/v1/model-config', { version: 0, config: { index: { tau: 50 } } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.version, 1);
    assert.equal(put.body.config.index.tau, 50);
    assert.equal(put.body.config.levels.highAt, DEFAULT_MODEL_CONFIG.levels.highAt, 'omitted values take the defaults');
    await ingest(org, abusiveCall('after-change', 'ac-1', start).signals);

    const changed = await getAgent(org, 'after-change');
    assert.ok(changed.burnoutIndex < old.burnoutIndex, `a larger τ gives a lower index: ${changed.burnoutIndex} < ${old.burnoutIndex}`);
    // The same call is the same load; only the scale changed.
    assert.ok(Math.abs(loadOf(changed.burnoutIndex, 50) - loadOf(old.burnoutIndex, DEFAULT_MODEL_CONFIG.index.tau)) < 0.01);
    // The index events (at task.ended) keep the scale each interaction was scored with at the time.
    const events = await listAllEvents(org, { type: 'agent-burnout:index' });
    const scored = (id: string): number => events.find((e) => e.interactionId === id)!.data.burnoutIndex;
    assert.ok(scored('ac-1') < scored('bc-1'));
    assert.ok(Math.abs(loadOf(scored('ac-1'), 50) - loadOf(scored('bc-1'), DEFAULT_MODEL_CONFIG.index.tau)) < 0.01);

    const got = await org.call('GET', '/v1/model-config');
    assert.equal(got.body.version, 1);
    assert.equal(got.body.config.index.tau, 50);
  });

  test('PUT with a stale version answers 409 and keeps the current config', async () => {
    const org = await enabledOrg(t);
    assert.equal((await org.call('PUT', '/v1/model-config', { version: 0, config: { index: { tau: 30 } } })).status, 200);
    const stale = await org.call('PUT', '/v1/model-config', { version: 0, config: { index: { tau: 40 } } });
    assert.equal(stale.status, 409, stale.text);
    assert.match(stale.text, /current version is 1/);
    const got = await org.call('GET', '/v1/model-config');
    assert.deepEqual({ version: got.body.version, tau: got.body.config.index.tau }, { version: 1, tau: 30 });
  });

  test('changing the model config needs cjp:config_write', async () => {
    const org = await enabledOrg(t);
    const token = await t.token(['cjp:config_read', 'respite:ingest'], org.orgId);
    const r = await t.call('PUT', '/v1/model-config', { token, body: { config: { index: { tau: 30 } } } });
    assert.equal(r.status, 403, r.text);
    assert.equal((await t.call('GET', '/v1/model-config', { token })).body.version, 0);
  });
});
