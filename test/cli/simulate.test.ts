import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { TypeCompiler } from '../../src/typebox.ts';
import { SignalSchema, type Signal } from '../../src/domain/signals.ts';
import { defaultStartMs, registerSimulate } from '../../src/cli/simulate.ts';
import { registerReplay } from '../../src/cli/replay.ts';
import { generateDay } from '../../src/sim/generator.ts';
import { MAX_OVERRUN_MS } from '../../src/sim/options.ts';
import type { CliIo } from '../../src/sim/cli-support.ts';
import { startFakeServer } from '../sim/fake-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'respite-sim-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const START = '2024-01-08T08:00:00Z';
const SignalCheck = TypeCompiler.Compile(SignalSchema);

/** Runs one CLI command in-process and captures its output. */
async function run(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  let stdout = '';
  let stderr = '';
  const errStream = new PassThrough();
  errStream.on('data', (chunk) => (stderr += chunk));
  const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: errStream as unknown as NodeJS.WriteStream };
  const program = new Command('respite').exitOverride().configureOutput({ writeErr: () => {} });
  registerSimulate(program, io);
  registerReplay(program, io);
  process.exitCode = 0;
  await program.parseAsync(['node', 'respite', ...args]);
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, exitCode };
}

const parseLines = (text: string): Signal[] => text.trim().split('\n').map((l) => JSON.parse(l));

describe('respite simulate --out', () => {
  test('writes the same bytes for the same seed, and valid signals one per line', async () => {
    const args = (file: string, seed: string) => ['simulate', '--agents', '4', '--hours', '2', '--seed', seed, '--start', START, '--out', file];
    await run(args(join(dir, 'a.ndjson'), '5'));
    await run(args(join(dir, 'b.ndjson'), '5'));
    await run(args(join(dir, 'c.ndjson'), '6'));
    const a = readFileSync(join(dir, 'a.ndjson'));
    assert.ok(a.length > 1000);
    assert.ok(a.equals(readFileSync(join(dir, 'b.ndjson'))));
    assert.ok(!a.equals(readFileSync(join(dir, 'c.ndjson'))));
    const signals = parseLines(a.toString('utf8'));
    assert.ok(signals.every((s) => SignalCheck.Check(s)));
    assert.equal(signals[0].time >= Date.parse(START), true);
  });

  test('passes --occupancy and --abusive-share through to the generator', async () => {
    const file = join(dir, 'tuned.ndjson');
    await run(['simulate', '--agents', '3', '--hours', '1', '--seed', '2', '--start', START, '--occupancy', '0.6', '--abusive-share', '0.5', '--out', file]);
    const expected = [...generateDay({ startMs: Date.parse(START), agents: 3, hours: 1, seed: 2, occupancy: 0.6, abusiveShare: 0.5, orgId: 'sim-org' })];
    assert.deepEqual(parseLines(readFileSync(file, 'utf8')), expected);
  });

  test('rejects a bad option value with a clear message', async () => {
    await assert.rejects(run(['simulate', '--agents', 'many', '--out', join(dir, 'x.ndjson')]), /expected a number/);
  });

  test('places the default window so that no signal lies in the future', () => {
    const now = Date.parse('2024-05-01T12:34:56Z');
    const start = defaultStartMs(now, 8);
    assert.ok(start + 8 * 3_600_000 + MAX_OVERRUN_MS <= now);
    assert.equal(start % 60_000, 0);
  });
});

describe('respite simulate / replay against a server', () => {
  test('replays a file in batches with retries, keeps each agent in order, enables wellbeing and prints a summary', async () => {
    const file = join(dir, 'replay.ndjson');
    await run(['simulate', '--agents', '5', '--hours', '2', '--seed', '9', '--start', START, '--out', file]);
    const written = parseLines(readFileSync(file, 'utf8'));
    const server = await startFakeServer({
      ingestFailures: [{ status: 503 }, { status: 429, retryAfter: '0' }],
      agents: [
        { agentId: 'a', burnoutIndex: 12, level: 'low' },
        { agentId: 'b', burnoutIndex: 65, level: 'high' },
      ],
      breaksRecommended: 3,
    });
    try {
      const result = await run(['replay', file, '--url', server.url, '--token', 'good-token', '--batch', '100', '--lanes', '3']);
      assert.equal(result.exitCode, 0, result.stderr);
      const received = server.lines.map((l) => JSON.parse(l) as Signal);
      assert.deepEqual(new Set(received.map((s) => s.key)), new Set(written.map((s) => s.key)));
      assert.ok(received.every((s) => s.orgId === '11111111-2222-3333-4444-555555555555'), 'restamped with the token org');
      for (const agentId of new Set(written.map((s) => s.agentId))) {
        const keys = (list: Signal[]) => list.filter((s) => s.agentId === agentId).map((s) => s.key);
        assert.deepEqual(keys(received), keys(written), `order of ${agentId}`);
      }
      assert.ok(server.ingestRequests >= Math.ceil(written.length / 100) + 2);
      // One Idempotency-Key per batch, the same on each of its retries.
      const keysByBody = new Map<string, Set<string | undefined>>();
      for (const { key, body } of server.ingests) keysByBody.set(body, (keysByBody.get(body) ?? new Set()).add(key));
      assert.ok(server.ingests.length > keysByBody.size, 'some batches were retried');
      assert.ok([...keysByBody.values()].every((keys) => keys.size === 1 && typeof [...keys][0] === 'string'), 'each batch sent with one key');
      assert.equal(new Set(server.ingests.map((i) => i.key)).size, keysByBody.size, 'no two batches share a key');
      assert.deepEqual([...server.contentTypes], ['application/x-ndjson']);
      assert.deepEqual(server.patches, [{ id: 'cfg-1', agentWellbeing: { enable: true, agentInclusionType: 'ALL', wellnessBreakReminders: 'ENABLED' } }]);
      assert.match(result.stderr, /Enabled agent wellbeing for org 11111111-2222-3333-4444-555555555555 \(it was off\)/);
      assert.match(result.stderr, /retrying in \d+ ms: 503/);
      assert.match(result.stdout, /agents high\s*│\s*1/);
      assert.match(result.stdout, /breaks recommended\s*│\s*3/);
      assert.match(result.stdout, new RegExp(`signals sent\\s*│\\s*${written.length}\\b`));
    } finally {
      await server.close();
    }
  });

  test('says so when an admin has break reminders off, and leaves them off', async () => {
    const server = await startFakeServer({ wellbeingEnabled: true, remindersEnabled: false });
    try {
      const result = await run(['simulate', '--agents', '2', '--hours', '1', '--seed', '4', '--url', server.url, '--token', 'good-token']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stderr, /Break reminders are off for org 11111111-2222-3333-4444-555555555555: no breaks will be recommended/);
      assert.deepEqual(server.patches, []);
    } finally {
      await server.close();
    }
  });

  test('simulates straight to the server, stamping the token org, without touching enabled config', async () => {
    const server = await startFakeServer({ wellbeingEnabled: true });
    try {
      const result = await run(['simulate', '--agents', '3', '--hours', '1', '--seed', '4', '--url', server.url, '--token', 'good-token']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.ok(server.lines.length > 50);
      assert.ok(server.lines.every((l) => JSON.parse(l).orgId === '11111111-2222-3333-4444-555555555555'));
      const latest = Math.max(...server.lines.map((l) => JSON.parse(l).time as number));
      assert.ok(latest <= Date.now(), 'no signal from the future');
      assert.deepEqual(server.patches, []);
      assert.match(result.stdout, /accepted\s*│\s*\d+/);
    } finally {
      await server.close();
    }
  });

  test('stops with the server\'s message on a non-retryable error', async () => {
    const server = await startFakeServer({ ingestFailures: [{ status: 400, description: 'line 3: time: must be an integer' }], wellbeingEnabled: true });
    try {
      const result = await run(['simulate', '--agents', '2', '--hours', '1', '--url', server.url, '--token', 'good-token']);
      assert.equal(result.exitCode, 1);
      assert.match(result.stderr, /error: POST \/v1\/signals → 400: line 3: time: must be an integer/);
      // Batches already in flight on other lanes may land, but the failed one is not retried.
      assert.ok(server.ingestRequests <= 3, `${server.ingestRequests} requests`);
      assert.doesNotMatch(result.stderr, /retrying/);
      const badToken = await run(['simulate', '--agents', '2', '--hours', '1', '--url', server.url, '--token', 'nope']);
      assert.equal(badToken.exitCode, 1);
      assert.match(badToken.stderr, /401: The bearer token is not valid/);
    } finally {
      await server.close();
    }
  });

  test('says so and carries on when the token may not read the configuration', async () => {
    const server = await startFakeServer({ configStatus: 403 });
    try {
      const result = await run(['simulate', '--agents', '2', '--hours', '1', '--url', server.url, '--token', 'good-token']);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stderr, /lacks cjp:config_read\/cjp:config_write \(403\)\. Continuing\./);
      assert.ok(server.lines.length > 0);
    } finally {
      await server.close();
    }
  });
});
