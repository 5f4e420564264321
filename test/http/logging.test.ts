// Secrets never reach the logs: a real server at the most verbose level logs every request it serves,
// including ones it refuses and ones that fail validation, and no line carries a bearer token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tempDataDir, call } from '../helpers/server.ts';
import { createTokenWithCli, spawnServer } from '../helpers/process.ts';

test('at LOG_LEVEL=trace no log line carries a bearer token, valid or not', async () => {
  const dataDir = tempDataDir();
  const orgId = randomUUID();
  const token = await createTokenWithCli(dataDir, orgId, ['cjp:config_write']);
  const unknown = `rsp_${'x'.repeat(43)}`;
  const server = await spawnServer({ dataDir, env: { LOG_LEVEL: 'trace' } });
  try {
    const headers = { 'x-organization-id': orgId };
    const ok = await call(server.url, 'POST', '/v1/agentburnout/action', { token, headers, body: { agentId: 'a-1', actionType: 'Break Played' } });
    assert.equal(ok.status, 200, ok.text);
    const invalid = await call(server.url, 'POST', '/v1/agentburnout/action', { token, headers, body: { agentId: 'a-1', actionType: 'Break Played', clientId: 'x'.repeat(21) } });
    assert.equal(invalid.status, 400);
    assert.equal((await call(server.url, 'GET', '/v1/agents', { token: unknown })).status, 401);
    assert.equal((await call(server.url, 'GET', '/v1/agents', { token })).status, 403);
  } finally {
    await server.stop('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  const lines = server.logs.map((line) => JSON.stringify(line));
  assert.ok(lines.filter((l) => l.includes('/v1/agentburnout/action')).length >= 2, 'the requests were logged at all');
  for (const secret of [token, unknown, token.slice(4)]) {
    assert.deepEqual(lines.filter((l) => l.includes(secret)), [], 'no line holds the secret');
  }
  assert.ok(!server.stderr().includes(token.slice(4)));
});
