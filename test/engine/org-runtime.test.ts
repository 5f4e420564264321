// The per-agent idempotency ring: what is remembered is recognised, what falls out raises the
// forgotten-time watermark, and snapshots from before the ring was one array still restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrgRuntime, WARM_RUN, clearWarmRun, warmRunInput, type AgentRuntime, type OrgSnapshot } from '../../src/engine/org-runtime.ts';
import { KEY_RING_SIZE } from '../../src/engine/key-ring.ts';
import { agentKey } from '../../src/engine/key-hash.ts';
import { DEFAULT_MODEL_CONFIG } from '../../src/domain/burnout/index.ts';

const T0 = Date.UTC(2026, 0, 5, 9);
/** warmRun over these agents (each with whether its signal may end a contact): the runtimes it answers. */
function warmRun(org: OrgRuntime, agents: [agentId: string, endsContact: boolean][], run = warmRunInput()): (AgentRuntime | undefined)[] {
  run.count = agents.length;
  agents.forEach(([agentId, endsContact], j) => {
    run.ids[j] = agentId;
    run.keys[j] = agentKey(agentId);
    run.ends[j] = endsContact ? 1 : 0;
  });
  org.warmRun(run);
  return run.runtimes.slice(0, run.count);
}
const state = (org: OrgRuntime, agentId: string, k: number) => org.apply({ type: 'agent.state', agentId, time: T0 + k * 1000, state: 'available' }, 1000 + k, null);

test('remembers the last keys, forgets older ones and marks the newest forgotten time', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  for (let k = 0; k < KEY_RING_SIZE + 5; k++) state(org, 'a', k);
  const runtime = org.agents.get('a')!;
  for (let k = 5; k < KEY_RING_SIZE + 5; k++) assert.ok(org.seen(runtime, 1000 + k), `key ${k} is remembered`);
  for (let k = 0; k < 5; k++) assert.ok(!org.seen(runtime, 1000 + k), `key ${k} was pushed out`);
  assert.equal(runtime.fw, T0 + 4 * 1000, 'the newest forgotten key\'s time');
});

test('restores a snapshot whose agents kept key hashes and times in two arrays', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  for (let k = 0; k < KEY_RING_SIZE + 3; k++) state(org, 'a', k);
  const current = JSON.parse(JSON.stringify(org.snapshot())) as OrgSnapshot;
  const [agentId, runtime] = current.agents[0];
  const pairs = runtime.ring;
  const old = {
    ...current,
    agents: [[agentId, { m: runtime.m, keys: pairs.filter((_, i) => i % 2 === 0), kt: pairs.filter((_, i) => i % 2 === 1), kp: runtime.kp, fw: runtime.fw, activity: runtime.activity }]],
  } as unknown as OrgSnapshot;
  const restored = OrgRuntime.restore('org', old);
  assert.deepEqual(JSON.parse(JSON.stringify(restored.snapshot())), current);
  const again = restored.agents.get('a')!;
  assert.ok(restored.seen(again, 1000 + KEY_RING_SIZE + 2));
  // The ring goes on where it stopped: the next key overwrites the oldest pair.
  state(restored, 'a', KEY_RING_SIZE + 3);
  assert.ok(!restored.seen(again, 1000 + 3));
  assert.equal(again.fw, T0 + 3 * 1000);
});

test('a new agent\'s ring has nothing in its free pairs: no hash is seen, no time forgotten, until it wraps', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  state(org, 'a', 0);
  const runtime = org.agents.get('a')!;
  for (const hash of [0, -1, 1000 + 1, T0]) assert.ok(!org.seen(runtime, hash), `hash ${hash} was never remembered`);
  for (let k = 1; k < KEY_RING_SIZE; k++) state(org, 'a', k);
  assert.equal(runtime.fw, 0, 'a full ring has forgotten nothing');
  for (let k = 0; k < KEY_RING_SIZE; k++) assert.ok(org.seen(runtime, 1000 + k));
  state(org, 'a', KEY_RING_SIZE);
  assert.ok(!org.seen(runtime, 1000));
  assert.equal(runtime.fw, T0);
});

test('an agent restored with a ring not yet full (as earlier versions grew it) fills it, then wraps', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  state(org, 'a', 0);
  const current = org.snapshot();
  const [agentId, runtime] = current.agents[0];
  const restored = OrgRuntime.restore('org', { ...current, agents: [[agentId, { ...runtime, ring: [1000, T0], kp: 1 }]] });
  for (let k = 1; k <= KEY_RING_SIZE; k++) state(restored, 'a', k);
  const again = restored.agents.get('a')!;
  assert.ok(!restored.seen(again, 1000), 'the restored key was the oldest');
  for (let k = 1; k <= KEY_RING_SIZE; k++) assert.ok(restored.seen(again, 1000 + k));
  assert.equal(again.fw, T0);
});

test('a model config from a snapshot or a log entry written before the break action settings existed gets their defaults', () => {
  const { breakActions: _, ...older } = structuredClone(DEFAULT_MODEL_CONFIG);
  const restored = new OrgRuntime('org', older as typeof DEFAULT_MODEL_CONFIG);
  assert.deepEqual(restored.modelConfig.breakActions, DEFAULT_MODEL_CONFIG.breakActions);
  const replayed = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  replayed.apply({ type: 'engine.model-config', config: { ...older, index: { tau: 30 } } as typeof DEFAULT_MODEL_CONFIG }, 0, null);
  assert.deepEqual(replayed.modelConfig.breakActions, DEFAULT_MODEL_CONFIG.breakActions);
  assert.equal(replayed.modelConfig.index.tau, 30);
});

test('warming agents, known or not, changes nothing the org holds', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  for (let k = 0; k < KEY_RING_SIZE + 3; k++) state(org, 'a', k);
  state(org, 'b', 0);
  // A handled contact: 'a' has handle-time baselines for the warm pass to read too.
  org.apply({ type: 'task.connected', agentId: 'a', time: T0 + 90_000, interactionId: 'i1', channel: 'voice', queueId: 'q' }, 1, null);
  org.apply({ type: 'task.ended', agentId: 'a', time: T0 + 400_000, interactionId: 'i1' }, 2, null);
  assert.ok(org.agents.get('a')!.m.bs >= 0, 'a has a baselines slot');
  // An agent restored with a short ring (older snapshots): the pair `remember` writes next is past its end.
  const snap = org.snapshot();
  const [bId, b] = snap.agents[1];
  const restored = OrgRuntime.restore('org', { ...snap, agents: [snap.agents[0], [bId, { ...b, ring: [1000, T0], kp: 1 }]] });
  const before = JSON.stringify(restored.snapshot());
  const agents: [string, boolean][] = ['a', 'b', 'nobody', 'a'].flatMap((agentId) => [[agentId, false], [agentId, true]] as [string, boolean][]);
  const runtimes = warmRun(restored, agents);
  assert.deepEqual(runtimes, agents.map(([agentId]) => restored.agents.get(agentId)), 'each agent\'s runtime, undefined for one not there');
  assert.equal(JSON.stringify(restored.snapshot()), before);
  assert.equal(restored.agents.size, 2, 'an unknown agent is not created');
});

test('a warm run answers each agent\'s runtime in a full run, a shorter one after it, and holds nothing once cleared', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  const ids = Array.from({ length: WARM_RUN }, (_, i) => `agent-${i}`);
  for (const [i, agentId] of ids.entries()) if (i % 3 !== 0) state(org, agentId, i);
  const run = warmRunInput();
  const full = warmRun(org, ids.map((agentId, i) => [agentId, i % 2 === 0]), run);
  assert.deepEqual(full, ids.map((agentId) => org.agents.get(agentId)));
  assert.ok(full.some((r) => r === undefined) && full.some((r) => r !== undefined));
  // A shorter run in the same input: its places past the run are not read as its agents.
  const short = warmRun(org, [['agent-1', false], ['agent-0', true]], run);
  assert.deepEqual(short, [org.agents.get('agent-1'), undefined]);
  clearWarmRun(run);
  assert.equal(run.count, 0);
  assert.ok(run.runtimes.every((r) => r === undefined) && run.ids.every((id) => id === ''), 'no runtime or id kept alive');
});

/** Two agent ids with the same agentKey: found by trying ids until two meet (~40,000 for 30 bits). */
function idsSharingAKey(): [string, string] {
  const byKey = new Map<number, string>();
  for (let i = 0; ; i++) {
    const id = `agent-${i}`;
    const other = byKey.get(agentKey(id));
    if (other !== undefined) return [other, id];
    byKey.set(agentKey(id), id);
  }
}

test('finds agents by agent key, two that share one included, before and after either is forgotten', () => {
  const [x, y] = idsSharingAKey();
  const key = agentKey(x);
  assert.equal(agentKey(y), key);
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  state(org, x, 0);
  state(org, y, 1);
  state(org, 'z', 2);
  const [rx, ry] = [org.agents.get(x)!, org.agents.get(y)!];
  assert.notEqual(rx, ry);
  assert.equal(org.find(x, key), rx);
  assert.equal(org.find(y, key), ry, 'the second agent of a key');
  assert.deepEqual(warmRun(org, [[y, true], [x, false]]), [ry, rx], 'the warm pass finds both too');
  assert.equal(org.find('z', agentKey('z')), org.agents.get('z'));
  assert.equal(org.find('z', key), org.agents.get('z'), 'a key that is not the id\'s still finds the agent');
  assert.equal(org.find('nobody', agentKey('nobody')), undefined);
  assert.deepEqual(warmRun(org, [['nobody', false]]), [undefined]);

  org.forget(x);
  assert.equal(org.find(x, key), undefined);
  assert.equal(org.find(y, key), ry);
  state(org, x, 3);
  const again = org.agents.get(x)!;
  assert.equal(org.find(x, key), again);
  org.forget(y);
  assert.equal(org.find(y, key), undefined);
  assert.equal(org.find(x, key), again);
  // Everyone forgotten at once, then back: found again.
  org.apply({ type: 'engine.forget' }, 0, null);
  assert.equal(org.find(x, key), undefined);
  assert.equal(org.find('z', agentKey('z')), undefined);
  state(org, 'z', 4);
  assert.equal(org.find('z', agentKey('z')), org.agents.get('z'));
  // A runtime adopted in place of the agent's own is the one found, whichever of a shared key's agents it is.
  for (const id of [x, y]) state(org, id, 5);
  for (const id of [x, y, 'z']) {
    const replacement = { ...org.agents.get(id)! };
    org.adopt(replacement);
    assert.equal(org.agents.get(id), replacement);
    assert.equal(org.find(id, agentKey(id)), replacement);
  }
});

test('an org restored from a JSON snapshot finds its agents by key', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  for (const agentId of ['a', 'b', 'c']) state(org, agentId, 0);
  const restored = OrgRuntime.restore('org', JSON.parse(JSON.stringify(org.snapshot())) as OrgSnapshot);
  for (const agentId of ['a', 'b', 'c']) {
    const runtime = restored.agents.get(agentId)!;
    assert.equal(runtime.id, agentId);
    assert.equal(restored.find(agentId, agentKey(agentId)), runtime);
  }
});
