// The organization's wellbeing configuration decides who is scored: disabled → nobody, SPECIFIC → only
// the included agents; switching someone off drops their state entirely, and that survives a restart.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  enableWellbeing,
  freshOrg,
  ingest,
  ingestAll,
  listAllAgents,
  listAllEvents,
  orgClient,
  setAgentInclusion,
  setWellbeing,
  type OrgClient,
} from '../engine/helpers.ts';
import { abusiveCall, plainCall } from '../engine/signal-builder.ts';
import type { Signal } from '../../src/domain/signals.ts';

const HOUR = 3_600_000;

const callsFor = (agentIds: string[], start: number): Signal[] =>
  agentIds.flatMap((id) => [...plainCall(id, `${id}-1`, start).signals, ...abusiveCall(id, `${id}-2`, start + 600_000).signals]).sort((a, b) => a.time - b.time);

describe('configuration rules in the engine', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
  });
  async function server(dataDir?: string): Promise<TestServer> {
    const s = await startTestServer(dataDir ? { dataDir } : {});
    servers.push(s);
    return s;
  }

  /** Stops a server without deleting its data directory, and starts a new one on the same directory. */
  async function restart(t: TestServer, org: OrgClient): Promise<{ t: TestServer; org: OrgClient }> {
    await t.server.close();
    servers.splice(servers.indexOf(t), 1);
    const next = await server(t.dataDir);
    return { t: next, org: orgClient(next, org.orgId, await next.token(undefined, org.orgId)) };
  }

  test('a disabled organization\'s signals are ignored: no agents, no events', async () => {
    const t = await server();
    const org = await freshOrg(t);
    const signals = callsFor(['d1', 'd2'], Date.now() - 2 * HOUR);
    const r = await ingest(org, signals);
    assert.deepEqual({ accepted: r.accepted, ignored: r.ignored, rejected: r.rejected }, { accepted: 0, ignored: signals.length, rejected: 0 });
    assert.deepEqual(await listAllAgents(org), []);
    assert.deepEqual(await listAllEvents(org), []);
    assert.equal((await org.call('GET', '/v1/agents/d1')).status, 404);
    // The same signals once enabled are scored: the test above is not vacuous.
    await enableWellbeing(org);
    assert.equal((await ingest(org, signals)).accepted, signals.length);
    assert.deepEqual((await listAllAgents(org)).map((a) => a.agentId), ['d1', 'd2']);
    assert.ok((await listAllEvents(org)).length > 0);
  });

  test('SPECIFIC inclusion scores only the agents set INCLUDED', async () => {
    const t = await server();
    const org = await freshOrg(t);
    await setWellbeing(org, { enable: true, agentInclusionType: 'SPECIFIC' });
    await setAgentInclusion(org, 'in-1', 'INCLUDED');
    await setAgentInclusion(org, 'in-2', 'INCLUDED');
    await setAgentInclusion(org, 'out-2', 'EXCLUDED');
    const signals = callsFor(['in-1', 'in-2', 'out-1', 'out-2'], Date.now() - 2 * HOUR);
    const r = await ingest(org, signals);
    const perAgent = signals.length / 4;
    assert.equal(r.accepted, 2 * perAgent);
    assert.equal(r.ignored, 2 * perAgent);
    assert.deepEqual((await listAllAgents(org)).map((a) => a.agentId), ['in-1', 'in-2']);
    const eventAgents = new Set((await listAllEvents(org)).map((e) => e.agentId));
    assert.deepEqual([...eventAgents].sort(), ['in-1', 'in-2']);
  });

  test('disabling the organization drops every agent, and that survives a restart', async () => {
    let t = await server();
    let org = await freshOrg(t);
    await enableWellbeing(org);
    await ingestAll(org, callsFor(['x1', 'x2', 'x3'], Date.now() - 2 * HOUR));
    assert.equal((await listAllAgents(org)).length, 3);
    const history = await listAllEvents(org);
    await setWellbeing(org, { enable: false });
    assert.deepEqual(await listAllAgents(org), []);
    assert.equal((await org.call('GET', '/v1/agents/x1')).status, 404);
    // Switching the feature off stops scoring; it does not erase what was recorded (unlike excluding an agent).
    assert.deepEqual(await listAllEvents(org), history);

    ({ t, org } = await restart(t, org));
    assert.deepEqual(await listAllAgents(org), []);
    assert.equal((await org.call('GET', '/v1/agents/x2')).status, 404);
    // Enabling again starts from nothing: the old state does not come back.
    await enableWellbeing(org);
    assert.deepEqual(await listAllAgents(org), []);
  });

  test('excluding one agent under SPECIFIC drops that agent only, and that survives a restart', async () => {
    let t = await server();
    let org = await freshOrg(t);
    await setWellbeing(org, { enable: true, agentInclusionType: 'SPECIFIC' });
    for (const id of ['keep', 'drop']) await setAgentInclusion(org, id, 'INCLUDED');
    await ingestAll(org, callsFor(['keep', 'drop'], Date.now() - 2 * HOUR));
    const kept = (await listAllAgents(org)).find((a) => a.agentId === 'keep');
    assert.ok(kept);

    const eventsOf = async (agentId: string) => (await listAllEvents(org)).filter((e) => e.agentId === agentId);
    const keptEvents = await eventsOf('keep');
    assert.ok(keptEvents.length > 0 && (await eventsOf('drop')).length > 0);

    await setAgentInclusion(org, 'drop', 'EXCLUDED');
    assert.deepEqual(await listAllAgents(org), [kept]);
    assert.equal((await org.call('GET', '/v1/agents/drop')).status, 404);
    // No events at all (DESIGN.md, privacy): the excluded agent's past ones are erased, nobody else's.
    assert.deepEqual(await eventsOf('drop'), []);
    assert.deepEqual((await org.call('GET', '/v1/agents/drop/history')).body.data, []);
    assert.deepEqual(await eventsOf('keep'), keptEvents);
    // Later signals about the excluded agent are ignored, not scored.
    const later = plainCall('drop', 'drop-3', Date.now() - HOUR).signals;
    assert.equal((await ingest(org, later)).ignored, later.length);

    ({ t, org } = await restart(t, org));
    assert.deepEqual(await listAllAgents(org), [kept]);
    assert.equal((await org.call('GET', '/v1/agents/drop')).status, 404);
  });

  test('excluding an agent leaves nothing of their engine state or inputs on disk once the PUT answers', async () => {
    const t = await server();
    const org = await freshOrg(t);
    const [kept, excluded] = ['agent-kept-51c', 'agent-excluded-7f3'];
    await setWellbeing(org, { enable: true, agentInclusionType: 'SPECIFIC' });
    for (const id of [kept, excluded]) await setAgentInclusion(org, id, 'INCLUDED');
    await ingestAll(org, callsFor([kept, excluded], Date.now() - 2 * HOUR));

    // What the engine persists: the input log since the last snapshot, and the snapshot (its chunks
    // hold agent ids as UTF-8 text in the header; every chunk is read, a finished snapshot's or not).
    const engineRows = () => {
      const db = new Database(join(t.dataDir, 'respite.db'), { readonly: true });
      try {
        const log = db.prepare('SELECT inputs FROM engine_log').pluck().all() as string[];
        const legacy = (db.prepare('SELECT state FROM engine_snapshot').pluck().get() as string | undefined) ?? '';
        const chunks = db.prepare('SELECT bytes FROM engine_snapshot_chunk ORDER BY snapshot_id, n').pluck().all() as Buffer[];
        return [...log, legacy, Buffer.concat(chunks).toString('latin1')].join('\n');
      } finally {
        db.close();
      }
    };
    assert.ok(engineRows().includes(excluded), 'the excluded agent\'s inputs were logged before the exclusion');

    await setAgentInclusion(org, excluded, 'EXCLUDED');
    const persisted = engineRows();
    assert.ok(!persisted.includes(excluded), 'nothing of the excluded agent is left in the engine log or snapshot');
    assert.ok(persisted.includes(kept), 'the other agent\'s state is still persisted');
  });
});
