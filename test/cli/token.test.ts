// `respite token create|list|revoke` as an operator runs them: a separate process on the server's data directory.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tempDataDir, startTestServer, type TestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/process.ts';
import { hashSecret } from '../../src/auth/tokens.ts';

// Each test mints its own tokens, so they can share one server and run two at a time (each CLI run is a CPU-bound
// cold start, and there are two cores).
describe('respite token', { concurrency: 2 }, () => {
  const dataDir = tempDataDir();
  const orgId = randomUUID();
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ dataDir });
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(args, { dataDir });
  const readConfig = (token: string) =>
    server.call('GET', `/organization/${orgId}/v2/agent-burnout`, { token });
  const recordAction = (token: string) =>
    server.call('POST', '/v1/agentburnout/action', {
      token,
      headers: { 'x-organization-id': orgId },
      body: { agentId: 'agent-1', actionType: 'Break Played' },
    });

  test('create prints exactly one line, the token, which works against a server on the same data dir', async () => {
    const created = await cli('token', 'create', '--org', orgId, '--scope', 'cjp:config_write', '--scope', 'cjp:config_read');
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^rsp_[\w-]{20,}\n$/);
    const token = created.stdout.trim();
    const recorded = await recordAction(token);
    assert.equal(recorded.status, 200, recorded.text);
    assert.equal(recorded.body.data.orgId, orgId);
    assert.equal((await readConfig(token)).status, 200);
  });

  test('create grants only the scopes asked for', async () => {
    const created = await cli('token', 'create', '--org', orgId, '--scope', 'cjp:config_read');
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.equal((await readConfig(token)).status, 200);
    assert.equal((await recordAction(token)).status, 403);
  });

  test('create refuses an org that is not a UUID, saying why on stderr and printing nothing on stdout', async () => {
    const created = await cli('token', 'create', '--org', 'not-an-org', '--scope', 'cjp:config_read');
    assert.notEqual(created.code, 0);
    assert.equal(created.stdout, '');
    assert.match(created.stderr, /org.*UUID/i);
    assert.match(created.stderr, /not-an-org/);
  });

  test('create refuses an unknown scope, naming it on stderr and printing nothing on stdout', async () => {
    const created = await cli('token', 'create', '--org', orgId, '--scope', 'cjp:config_read', '--scope', 'cjp:everything');
    assert.notEqual(created.code, 0);
    assert.equal(created.stdout, '');
    assert.match(created.stderr, /unknown scope.*cjp:everything/i);
  });

  test('create refuses a token without any scope', async () => {
    const created = await cli('token', 'create', '--org', orgId);
    assert.notEqual(created.code, 0);
    assert.equal(created.stdout, '');
    assert.match(created.stderr, /scope/i);
  });

  test('list shows the token id and org but never the secret', async () => {
    const otherOrg = randomUUID();
    const created = await cli('token', 'create', '--org', otherOrg, '--scope', 'respite:admin', '--label', 'ops laptop');
    assert.equal(created.code, 0, created.stderr);
    const secret = created.stdout.trim();
    const id = /token (\S+) for org/.exec(created.stderr)?.[1];
    assert.ok(id, `create names the new token's id on stderr: ${created.stderr}`);

    const listed = await cli('token', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    const line = listed.stdout.split('\n').find((l) => l.includes(id));
    assert.ok(line, `list shows ${id}:\n${listed.stdout}`);
    assert.ok(line.includes(otherOrg));
    assert.ok(line.includes('respite:admin'));
    assert.ok(line.includes('ops laptop'));
    for (const output of [listed.stdout, listed.stderr]) {
      assert.ok(!output.includes(secret), 'the secret is never listed');
      assert.ok(!output.includes(secret.slice(4, 24)), 'no part of the secret is listed');
      assert.ok(!output.includes(hashSecret(secret)), 'nor its hash');
    }

    const ofOrg = await cli('token', 'list', '--org', otherOrg);
    assert.deepEqual(ofOrg.stdout.trim().split('\n').map((l) => l.split('\t')[0]), [id], 'list --org shows only that org');
  });

  test('revoke makes the token fail with 401 on the running server', async () => {
    const created = await cli('token', 'create', '--org', orgId, '--scope', 'cjp:config_read');
    const token = created.stdout.trim();
    const id = /token (\S+) for org/.exec(created.stderr)?.[1];
    assert.ok(id);
    assert.equal((await readConfig(token)).status, 200);

    const revoked = await cli('token', 'revoke', id);
    assert.equal(revoked.code, 0, revoked.stderr);
    const refused = await readConfig(token);
    assert.equal(refused.status, 401);
    assert.match(refused.body.error.message[0].description, /revoked/);

    const listed = await cli('token', 'list', '--org', orgId);
    assert.match(listed.stdout.split('\n').find((l) => l.startsWith(id)) ?? '', /\trevoked /);
  });

  test('revoke of an unknown or already revoked token fails and says so', async () => {
    const unknown = await cli('token', 'revoke', randomUUID());
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /no active token/);
  });
});
