// End to end: the simulator against a real Respite server on a real port.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { startServer, type RunningServer } from '../../src/server.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { registerSimulate } from '../../src/cli/simulate.ts';
import type { CliIo } from '../../src/sim/cli-support.ts';

const ORG = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const dir = mkdtempSync(join(tmpdir(), 'respite-sim-e2e-'));
let server: RunningServer;
let token: string;

before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, logger: false });
  ({ token } = await createToken(server.store, {
    orgId: ORG,
    scopes: ['respite:ingest', 'respite:agents', 'respite:events', 'cjp:config_read', 'cjp:config_write'],
  }));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function simulate(args: string[]) {
  let stdout = '';
  let stderr = '';
  const errStream = new PassThrough();
  errStream.on('data', (chunk) => (stderr += chunk));
  const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: errStream as unknown as NodeJS.WriteStream };
  const program = new Command('respite').exitOverride();
  registerSimulate(program, io);
  process.exitCode = 0;
  await program.parseAsync(['node', 'respite', 'simulate', ...args]);
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, exitCode };
}

describe('respite simulate against a real server', () => {
  test('switches wellbeing on, sends a small day and leaves every agent with an index', async () => {
    const result = await simulate(['--agents', '5', '--hours', '1', '--speed', '0', '--seed', '3', '--url', server.url, '--token', token]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`Enabled agent wellbeing for org ${ORG} \\(it was off\\)`));
    assert.match(result.stdout, /rejected\s*│\s*0\b/);

    const response = await fetch(`${server.url}/v1/agents?limit=1000`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as { data: Array<{ agentId: string; burnoutIndex: number; level: string }> };
    assert.equal(data.length, 5);
    for (const agent of data) {
      assert.ok(agent.burnoutIndex > 0 && agent.burnoutIndex <= 100, `${agent.agentId}: ${agent.burnoutIndex}`);
      assert.match(agent.level, /^(low|moderate|high|critical)$/);
    }
    const agentsRows = [...result.stdout.matchAll(/agents (\w+)\s*│\s*(\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
    assert.equal(agentsRows, 5);
  });

  test('counts nothing twice when the same run is sent again', async () => {
    // Another org: the first test's agents already have later signals, which the server would refuse as late.
    const other = await createToken(server.store, { orgId: '1a2b3c4d-0000-4000-8000-000000000001', scopes: ['respite:ingest', 'respite:agents', 'respite:events', 'cjp:config_read', 'cjp:config_write'] });
    const args = ['--agents', '2', '--hours', '1', '--seed', '8', '--url', server.url, '--token', other.token];
    const first = await simulate(args);
    assert.equal(first.exitCode, 0, first.stderr);
    const sent = Number(/signals sent\s*│\s*(\d+)/.exec(first.stdout)![1]);
    assert.match(first.stdout, new RegExp(`accepted\\s*│\\s*${sent}\\b`));
    const second = await simulate(args);
    // The server remembers each agent's last 32 keys; older resent signals are refused as late instead.
    // Either way none is applied twice.
    assert.match(second.stdout, /accepted\s*│\s*0\b/);
    const duplicates = Number(/duplicates\s*│\s*(\d+)/.exec(second.stdout)![1]);
    const rejected = Number(/rejected\s*│\s*(\d+)/.exec(second.stdout)![1]);
    assert.equal(duplicates + rejected, sent);
    assert.ok(duplicates > sent / 2, `${duplicates} of ${sent} recognised as duplicates`);
  });
});
