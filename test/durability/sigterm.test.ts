// A real `respite serve` process gets SIGTERM while requests are in flight: it finishes them, exits 0, and
// leaves a database that opens cleanly with every acknowledged action in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDataDir } from '../helpers/server.ts';
import { spawnServer, createTokenWithCli, type ServerProcess } from '../helpers/process.ts';
import { burst, holdAction, makeAttempt, type Attempt, type Caller } from './action-load.ts';

const HELD_REQUESTS = 10;
const CONCURRENT_CLIENTS = 30;
const SIGTERM_AFTER_ACKS = 300;
/** Far below an orchestrator's usual 30 s grace period, far above a real drain (well under a second here). */
const DRAIN_BUDGET_MS = 10_000;

interface StoredRow {
  id: string;
  interaction_id: string;
}

function readStoredActions(dataDir: string, orgId: string): { integrity: string; rows: StoredRow[] } {
  const db = new Database(join(dataDir, 'respite.db'), { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const rows = db.prepare<[string], StoredRow>('SELECT id, interaction_id FROM actions WHERE org_id = ?').all(orgId);
    return { integrity, rows };
  } finally {
    db.close();
  }
}

test('SIGTERM drains in-flight requests and closes the database cleanly', { timeout: 120_000 }, async () => {
  const dataDir = tempDataDir();
  const orgId = randomUUID();
  const run = `sigterm-${randomUUID().slice(0, 8)}`;
  let server: ServerProcess | undefined;
  try {
    const token = await createTokenWithCli(dataDir, orgId, ['cjp:config_write']);
    server = await spawnServer({ dataDir });
    const srv = server;
    const caller: Caller = { url: srv.url, token, orgId };

    // Requests that are certainly in flight at SIGTERM: the server has logged them as incoming, but their bodies
    // are only half sent, so they cannot have completed.
    const heldAttempts = Array.from({ length: HELD_REQUESTS }, (_, i) => makeAttempt(`${run}-held`, i));
    const held = heldAttempts.map((a, i) => holdAction(caller, a, `${run}-held-${i}`));
    await Promise.all(heldAttempts.map((_, i) =>
      srv.waitForLog((l) => l.msg === 'incoming request' && l.reqId === `${run}-held-${i}`, `incoming request ${i}`)));

    // And a stream of ordinary concurrent requests that SIGTERM interrupts at an arbitrary point.
    let signalled = false;
    const load = burst(caller, {
      run,
      total: 5000,
      concurrency: CONCURRENT_CLIENTS,
      onAck(acked) {
        if (acked === SIGTERM_AFTER_ACKS) {
          signalled = true;
          srv.child.kill('SIGTERM');
        }
      },
    });
    await srv.waitForLog((l) => l.msg === 'draining in-flight requests and closing', 'draining');
    assert.ok(signalled);
    const drainStarted = Date.now();

    const heldAnswers = await Promise.all(held.map((h) => h.finish()));
    const streamed = await load;
    // The test's own keep-alive connections are still open here: the server must not wait for them to go idle.
    const exit = await srv.exited;
    const drainMs = Date.now() - drainStarted;
    assert.deepEqual(exit, { code: 0, signal: null }, `clean exit\n${srv.stderr()}`);
    assert.ok(drainMs < DRAIN_BUDGET_MS, `drained in ${drainMs} ms`);

    assert.deepEqual(heldAnswers.map((a) => a.status), heldAttempts.map(() => 200), 'every in-flight request completed');
    heldAnswers.forEach((answer, i) => assert.equal(answer.body.data.interactionId, heldAttempts[i].interactionId));
    const errors = srv.logs.filter((l) => (l.level ?? 0) >= 50);
    assert.deepEqual(errors, [], 'nothing went wrong during shutdown');

    const acknowledged: Pick<Attempt, 'interactionId' | 'id'>[] = [
      ...heldAttempts.map((a, i) => ({ interactionId: a.interactionId, id: heldAnswers[i].body.data.id as string })),
      ...streamed.filter((a) => a.outcome === 'acked'),
    ];
    assert.ok(acknowledged.length >= HELD_REQUESTS + SIGTERM_AFTER_ACKS);

    const { integrity, rows } = readStoredActions(dataDir, orgId);
    assert.equal(integrity, 'ok');
    const stored = new Map(rows.map((r) => [r.interaction_id, r.id]));
    assert.equal(stored.size, rows.length, 'no action stored twice');
    const missing = acknowledged.filter((a) => stored.get(a.interactionId) !== a.id).map((a) => a.interactionId);
    assert.deepEqual(missing, [], 'acknowledged actions missing after shutdown');
    // A request that got no 200 (503 while closing, refused or reset connection) must not have been accepted:
    // a stored action whose answer was lost is exactly a reset of an accepted request.
    const unanswered = streamed.filter((a) => a.outcome !== 'acked');
    const acceptedButLost = unanswered.filter((a) => stored.has(a.interactionId)).map((a) => `${a.interactionId}: ${a.status ?? a.error}`);
    assert.deepEqual(acceptedButLost, [], 'requests the server accepted but never answered');
    assert.equal(rows.length, acknowledged.length, 'exactly the acknowledged actions are stored');
    // The last connection to a WAL database checkpoints and removes the log when it is closed; a process that
    // exited without closing the database leaves it behind.
    const wal = join(dataDir, 'respite.db-wal');
    assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'the database was closed (WAL checkpointed)');
  } finally {
    if (server) await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
