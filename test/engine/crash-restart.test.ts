// "A restart (including kill -9) resumes with the same per-agent state": a real `respite serve` process
// takes a realistic hour for 20 agents, is SIGKILLed with no chance to snapshot, and restarts on the same
// data directory; every agent's index, level, state and factors must come back exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { call, ALL_SCOPES, tempDataDir } from '../helpers/server.ts';
import { createTokenWithCli, spawnServer, type ServerProcess } from '../helpers/process.ts';
import { enableWellbeing, ingest, ingestAll, listAllAgents, listAllEvents, orgClient, type Caller, type OrgClient } from './helpers.ts';
import { realisticSpan, toNdjson } from './signal-builder.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

const HOUR = 3_600_000;

const callerOf = (server: ServerProcess): Caller => ({ call: (method, path, options) => call(server.url, method, path, options) });

test('after a SIGKILL the restarted server has every agent\'s index, level and factors exactly as before', { timeout: 120_000 }, async () => {
  const dataDir = tempDataDir();
  const orgId = randomUUID();
  const servers: ServerProcess[] = [];
  try {
    const token = await createTokenWithCli(dataDir, orgId, ALL_SCOPES);
    const first = await spawnServer({ dataDir });
    servers.push(first);
    let org: OrgClient = orgClient(callerOf(first), orgId, token);
    await enableWellbeing(org);

    const agents = Array.from({ length: 20 }, (_, i) => `crash-${String(i).padStart(2, '0')}`);
    const start = Date.now() - 2 * HOUR;
    const hour = realisticSpan(agents, start, 60, 99);
    const half = hour.findIndex((s) => s.time >= start + 30 * 60_000);
    await ingestAll(org, hour.slice(0, half), 400);
    // Mid-stream: a model-config change and a played break, both of which the replay must place right.
    const put = await org.call('PUT', '/v1/model-config', { config: { difficulty: { abusive: 2, targetedAbuse: 3 } } });
    assert.equal(put.status, 200, put.text);
    const lastBeforeBreak = hour.slice(0, half).filter((s) => s.agentId === agents[3]).at(-1)!.time;
    const played = await org.call('POST', '/v1/agentburnout/action', { agentId: agents[3], actionType: 'Break Played', actionDateTime: lastBeforeBreak + 1000 }, { 'X-ORGANIZATION-ID': orgId });
    assert.equal(played.status, 200, played.text);
    // The last batch with an Idempotency-Key: its answer must outlive the kill too.
    const tail = hour.slice(-200);
    await ingestAll(org, hour.slice(half, -tail.length), 400);
    const keyed = await org.call('POST', '/v1/signals', toNdjson(tail), { 'content-type': 'application/x-ndjson', 'idempotency-key': 'last-batch' });
    assert.equal(keyed.status, 200, keyed.text);
    assert.equal(keyed.body.accepted, tail.length);

    const before = await listAllAgents(org);
    const eventsBefore = await listAllEvents(org);
    assert.equal(before.length, agents.length);
    assert.ok(new Set(before.map((a) => a.burnoutIndex)).size > 1, 'agents differ, so a mix-up would show');

    const exit = await first.stop('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL');
    // What the restart must replay: the log entries after the last snapshot (if the periodic one ran at all).
    const store = openSqliteStore(dataDir);
    const snapshot = await store.engineLog.latestSnapshot();
    const pending = await store.engineLog.after(snapshot?.seq ?? 0, 100_000);
    await store.close();
    assert.ok(pending.length > 0, 'the restart has acknowledged log entries to replay');

    const second = await spawnServer({ dataDir });
    servers.push(second);
    // The restore is logged before the server serves: how many log entries it replayed.
    const replayed = second.logs.find((line) => line.msg === 'engine log replayed: restored') as { entries?: number; done?: boolean } | undefined;
    assert.equal(replayed?.entries, pending.length, JSON.stringify(second.logs.slice(0, 5)));
    org = orgClient(callerOf(second), orgId, token);
    assert.deepEqual(await listAllAgents(org), before, 'every agent exactly as before the kill');
    assert.deepEqual(await listAllEvents(org), eventsBefore, 'the event log is intact, nothing added by the replay');

    // The batch's key answers as the first time; without the key, the restored key rings still
    // recognise each of its signals as applied already.
    const keyedRetry = await org.call('POST', '/v1/signals', toNdjson(tail), { 'content-type': 'application/x-ndjson', 'idempotency-key': 'last-batch' });
    assert.deepEqual({ ...keyedRetry.body, trackingId: undefined }, { ...keyed.body, trackingId: undefined });
    assert.equal(keyedRetry.headers.get('idempotent-replayed'), 'true');
    const retry = await ingest(org, tail);
    assert.deepEqual({ accepted: retry.accepted, duplicates: retry.duplicates, rejected: retry.rejected }, { accepted: 0, duplicates: tail.length, rejected: 0 });
    assert.deepEqual(await listAllAgents(org), before);
  } finally {
    for (const s of servers) await s.stop('SIGKILL').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
