import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';

test('healthz and readyz answer without a token', async () => {
  const t = await startTestServer();
  try {
    const health = await t.call('GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await t.call('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.status, 'ready');
    assert.match(ready.headers.get('trackingid') ?? '', /^respite_/);
  } finally {
    await t.close();
  }
});
