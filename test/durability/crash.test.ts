// A real `respite serve` process is SIGKILLed in the middle of a burst of action POSTs and restarted on the
// same data directory: what it acknowledged must be on disk, exactly once, and idempotent retries must still work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tempDataDir } from '../helpers/server.ts';
import { spawnServer, createTokenWithCli, type ServerProcess } from '../helpers/process.ts';
import { burst, listAllActions, byInteraction, postAction, type Caller } from './action-load.ts';

const CONCURRENT_CLIENTS = 50;
const REQUESTS = 3000;
const KILL_AFTER_ACKS = 1000;

test('every action acknowledged before a SIGKILL survives the restart, none twice', { timeout: 180_000 }, async () => {
  const dataDir = tempDataDir();
  const orgId = randomUUID();
  const run = `crash-${randomUUID().slice(0, 8)}`;
  let server: ServerProcess | undefined;
  try {
    const token = await createTokenWithCli(dataDir, orgId, ['cjp:config_write', 'cjp:config_read']);
    server = await spawnServer({ dataDir });
    const victim = server;
    let killedAtAck: number | undefined;
    const attempts = await burst({ url: victim.url, token, orgId }, {
      run,
      total: REQUESTS,
      concurrency: CONCURRENT_CLIENTS,
      onAck(acked) {
        if (acked === KILL_AFTER_ACKS) {
          killedAtAck = acked;
          victim.child.kill('SIGKILL');
        }
      },
    });
    const exit = await victim.exited;
    assert.equal(exit.signal, 'SIGKILL', 'the server died from the SIGKILL, not on its own');
    assert.equal(killedAtAck, KILL_AFTER_ACKS, 'the burst reached the kill point');

    const acked = attempts.filter((a) => a.outcome === 'acked');
    const cutOff = attempts.filter((a) => a.outcome === 'failed');
    assert.deepEqual(attempts.filter((a) => a.outcome === 'refused').map((a) => a.status), [], 'no request was refused before the kill');
    assert.ok(acked.length >= KILL_AFTER_ACKS, `at least ${KILL_AFTER_ACKS} acknowledged (got ${acked.length})`);
    // Otherwise the kill did not land while requests were in flight and the test proves less than it claims.
    assert.ok(cutOff.length > 0, 'some requests were in flight when the process was killed');

    server = await spawnServer({ dataDir });
    const caller: Caller = { url: server.url, token, orgId };
    const afterRestart = byInteraction(await listAllActions(caller));

    const missing = acked.filter((a) => !afterRestart.has(a.interactionId)).map((a) => a.interactionId);
    assert.deepEqual(missing, [], 'acknowledged actions missing after the restart');
    const duplicated = [...afterRestart].filter(([, ids]) => ids.length > 1);
    assert.deepEqual(duplicated, [], 'actions stored more than once');
    for (const a of acked) assert.deepEqual(afterRestart.get(a.interactionId), [a.id], `stored id of ${a.interactionId}`);
    const unknown = [...afterRestart.keys()].filter((id) => !attempts.some((a) => a.interactionId === id));
    assert.deepEqual(unknown, [], 'only actions that were sent are stored');

    // A client that got its 200 and retries anyway (same Idempotency-Key, same body) gets the first answer back.
    const retried = acked.filter((_, i) => i % 20 === 0);
    for (const a of retried) {
      const again = await postAction(caller, a);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.data.id, a.id, `replayed id of ${a.interactionId}`);
      assert.equal(again.body.data.interactionId, a.interactionId);
    }

    // A client whose request was cut off retries with its key: whether or not the first try had reached the
    // disk, afterwards the action is there exactly once, and a try that had reached it is answered with its id.
    for (const a of cutOff) {
      const again = await postAction(caller, a);
      assert.equal(again.status, 200, again.text);
      const before = afterRestart.get(a.interactionId);
      if (before) assert.deepEqual([again.body.data.id], before, `retry of ${a.interactionId} replays the stored action`);
    }

    const final = byInteraction(await listAllActions(caller));
    assert.equal(final.size, acked.length + cutOff.length, 'every sent action is stored once after the retries');
    for (const a of [...acked, ...cutOff]) assert.equal(final.get(a.interactionId)?.length, 1, `${a.interactionId} stored once`);
  } finally {
    if (server) await server.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
