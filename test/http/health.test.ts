import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
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

test('readyz answers 503 in the error envelope once the database is gone, while healthz still answers', async () => {
  const t = await startTestServer();
  try {
    // The database really closed under the running server (not a stand-in store).
    await t.server.store.close();
    const ready = await t.call('GET', '/readyz');
    assert.equal(ready.status, 503, ready.text);
    assert.match(ready.body.error.message[0].description, /database is not reachable/);
    assert.match(ready.body.trackingId, /^respite_/);
    assert.equal((await t.call('GET', '/healthz')).status, 200);
  } finally {
    // Closing the server closes the store again, which may refuse: the data dir goes either way.
    await t.close().catch(() => rmSync(t.dataDir, { recursive: true, force: true }));
  }
});
