// A snapshot is written in chunks over many commits (snapshot-codec.ts, engine-log.ts). A real `respite
// serve` process is SIGKILLed while one is half written; the restart must load the previous complete
// snapshot plus the log, and come back with every agent exactly as the server last answered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { call, ALL_SCOPES, tempDataDir } from '../helpers/server.ts';
import { createTokenWithCli, spawnServer, type ServerProcess } from '../helpers/process.ts';
import { enableWellbeing, ingest, ingestAll, listAllAgents, orgClient, type Caller, type OrgClient } from '../engine/helpers.ts';
import { plainCall } from '../engine/signal-builder.ts';

/** Enough agents for a snapshot of ~4 MB: 15 or so chunks, one commit each, so there is a window to kill in. */
const AGENTS = 3_000;
const ATTEMPTS = 20;

const callerOf = (server: ServerProcess): Caller => ({ call: (method, path, options) => call(server.url, method, path, options) });

/** Whether the database holds chunks of a snapshot that no engine_snapshot row names yet (one being written). */
function snapshotState(db: Database.Database): { writing: boolean; active: number } {
  const active = (db.prepare('SELECT snapshot_id FROM engine_snapshot WHERE id = 1').pluck().get() as number | null | undefined) ?? 0;
  const newest = (db.prepare('SELECT max(snapshot_id) FROM engine_snapshot_chunk').pluck().get() as number | null) ?? 0;
  return { writing: newest > active, active };
}

test('a SIGKILL in the middle of writing a snapshot loses nothing: the restart loads the last complete one and the log', { timeout: 240_000 }, async () => {
  const dataDir = tempDataDir();
  const orgId = randomUUID();
  const servers: ServerProcess[] = [];
  let db: Database.Database | undefined;
  try {
    const token = await createTokenWithCli(dataDir, orgId, ALL_SCOPES);
    const first = await spawnServer({ dataDir, env: { RESPITE_SNAPSHOT_SECONDS: '1' } });
    servers.push(first);
    let org: OrgClient = orgClient(callerOf(first), orgId, token);
    await enableWellbeing(org);
    const start = Date.now() - 3 * 3_600_000;
    const agents = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(4, '0')}`);
    await ingestAll(org, agents.flatMap((agentId) => plainCall(agentId, `${agentId}-c0`, start).signals), 2_000);
    db = new Database(join(dataDir, 'respite.db'), { readonly: true });

    // Each round: one more acknowledged change (so the next periodic snapshot has work), the state the
    // server answers with after it, then watch the database until a snapshot is half written — kill
    // then — or has finished (missed: go again).
    let before: Awaited<ReturnType<typeof listAllAgents>> | undefined;
    let killed = false;
    for (let attempt = 0; attempt < ATTEMPTS && !killed; attempt++) {
      const agentId = agents[attempt];
      const answer = await ingest(org, plainCall(agentId, `${agentId}-c${attempt + 1}`, start + (attempt + 1) * 600_000).signals);
      assert.equal(answer.rejected, 0, JSON.stringify(answer.errors));
      before = await listAllAgents(org);
      const activeBefore = snapshotState(db).active;
      // Snapshots come every second: far past that, none is coming, and the test must fail, not spin for good.
      const deadline = performance.now() + 30_000;
      for (;;) {
        if (performance.now() > deadline) throw new Error('no snapshot was begun or finished within 30 s of an acknowledged change');
        const now = snapshotState(db);
        if (now.writing) {
          first.child.kill('SIGKILL');
          killed = true;
          break;
        }
        if (now.active !== activeBefore) break;
        if (first.child.exitCode !== null) throw new Error(`server exited: ${first.stderr()}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    assert.ok(killed, `caught a snapshot half written within ${ATTEMPTS} rounds`);
    assert.equal((await first.exited).signal, 'SIGKILL');
    // (Its last chunks may still have committed between that look and the kill: either way the restart must be exact.)
    db.close();
    db = undefined;

    const second = await spawnServer({ dataDir });
    servers.push(second);
    org = orgClient(callerOf(second), orgId, token);
    assert.equal(before!.length, AGENTS);
    assert.deepEqual(await listAllAgents(org), before, 'every agent exactly as the killed server last answered');
  } finally {
    db?.close();
    for (const s of servers) await s.stop('SIGKILL').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
