// The engine in process over a real SQLite store: "a restart resumes with the same per-agent state",
// from a snapshot plus the log entries acknowledged after it, with no snapshot at all, and across a
// model-config change.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Engine, type RestoreProgress } from '../../src/engine/engine.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { applyConfigChange } from '../../src/domain/burnout-config.ts';
import { abusiveStreak, buildCall, realisticSpan } from './signal-builder.ts';
import { Harness, HOUR, agentIds } from './harness.ts';

describe('engine restart', () => {
  const harnesses: Harness[] = [];
  after(async () => {
    for (const h of harnesses) await h.dispose();
  });
  const harness = async () => {
    const h = await new Harness().open();
    harnesses.push(h);
    await h.enable();
    return h;
  };

  test('a restart resumes with the same per-agent state from a snapshot plus the log after it', async () => {
    const h = await harness();
    const agents = agentIds(20, 'snap');
    const { hour, cut, seq: snapshotSeq } = await h.snapshotAfterHalfAnHour(agents, 20);
    assert.ok(snapshotSeq > 0, 'the snapshot covers the first half');

    // After the snapshot: the rest of the hour, a played break and an exclusion-free config change.
    assert.deepEqual((await h.ingest(hour.slice(cut))).errors, []);
    const lastOfFirst = hour.filter((s) => s.agentId === agents[0]).at(-1)!.time;
    await h.engine.recordAction({ id: randomUUID(), orgId: h.orgId, agentId: agents[0], actionType: 'Break Played', actionDateTime: lastOfFirst + 1000, createdDateTime: Date.now() });
    assert.ok((await h.store.engineLog.after(snapshotSeq, 1000)).length >= 2, 'there are log entries to replay');

    const views = h.views();
    const state = h.state();
    assert.equal(views.length, agents.length);
    assert.ok(new Set(views.map((v) => v.burnoutIndex)).size > 1, 'agents differ, so a mix-up would show');

    await h.reopen();
    assert.deepEqual(h.views(), views, 'every agent\'s index, level, state and factors');
    assert.deepEqual(h.state(), state, 'the whole per-agent runtime, key rings included');
    // The restored key rings still recognise a retry of the last batch.
    const retry = await h.ingest(hour.slice(-40));
    assert.equal(retry.duplicates, 40);
    assert.deepEqual(h.views(), views);
  });

  test('a restart reports the snapshot it loaded and the log entries it replayed', async () => {
    const h = await harness();
    const agents = agentIds(6, 'report');
    const { hour, cut, seq } = await h.snapshotAfterHalfAnHour(agents, 23);
    for (let i = cut; i < hour.length; i += 50) await h.ingest(hour.slice(i, i + 50));
    const after = await h.store.engineLog.after(seq, 10_000);
    await h.crash();

    h.store = openSqliteStore(h.dir);
    const reports: RestoreProgress[] = [];
    h.engine = await Engine.start(h.store, { snapshotEveryMs: 0 }, (p) => reports.push(p));
    assert.deepEqual(reports.map((r) => r.stage), ['snapshot', 'replay']);
    assert.deepEqual({ ...reports[0], bytes: 0, ms: 0 }, { stage: 'snapshot', orgs: 1, agents: agents.length, bytes: 0, ms: 0 });
    assert.ok((reports[0] as { bytes: number }).bytes > 1000);
    assert.deepEqual({ ...reports[1], ms: 0 }, { stage: 'replay', entries: after.length, inputs: hour.length - cut, ms: 0, done: true });
  });

  test('a restart with no snapshot at all rebuilds the same state from the log', async () => {
    const h = await harness();
    const agents = agentIds(20, 'log');
    const hour = realisticSpan(agents, Date.now() - 2 * HOUR, 60, 21);
    for (let i = 0; i < hour.length; i += 97) await h.ingest(hour.slice(i, i + 97));
    assert.equal(await h.store.engineLog.latestSnapshot(), undefined);
    const views = h.views();
    const state = h.state();
    await h.reopen();
    assert.deepEqual(h.views(), views);
    assert.deepEqual(h.state(), state);
  });

  test('a batch mixing applied, duplicate, late and keyed signals logs exactly the applied ones', async () => {
    const h = await harness();
    const agents = agentIds(6, 'mix');
    const span = realisticSpan(agents, Date.now() - 2 * HOUR, 60, 25);
    // Half the signals carry a client key (logged as the line alone), half not ([high, low, line]).
    const signals = span.map((s, i) => (i % 2 === 0 ? { ...s, key: `mix-key-${i}` } : s));
    const half = Math.floor(signals.length / 2);
    await h.ingest(signals.slice(0, half));
    // The next batch has retries of the first batch's tail and a signal far too late among new ones.
    const late = { ...signals[half + 5], time: signals[0].time - HOUR, key: 'mix-late' };
    const second = [...signals.slice(half, half + 10), ...signals.slice(half - 3, half), late, ...signals.slice(half + 10)];
    const result = await h.ingest(second);
    assert.equal(result.duplicates, 3);
    assert.equal(result.rejected, 1);
    assert.equal(result.accepted, signals.length - half);
    const views = h.views();
    const state = h.state();
    await h.reopen();
    assert.deepEqual(h.views(), views);
    assert.deepEqual(h.state(), state, 'the replayed log held each applied signal once, with its key hash');
  });

  test('a clean stop snapshots, and the next start needs no replay', async () => {
    const h = await harness();
    await h.ingest(realisticSpan(agentIds(5, 'stop'), Date.now() - 2 * HOUR, 30, 22));
    const views = h.views();
    await h.engine.stop();
    assert.deepEqual(await h.store.engineLog.after(0, 10), [], 'the snapshot pruned the log it covers');
    await h.reopen();
    assert.deepEqual(h.views(), views);
  });

  test('a model-config change is replayed at its place in the log: earlier interactions keep the old constants', async () => {
    const h = await harness();
    const start = Date.now() - 3 * HOUR;
    // Scored under the defaults, then the abuse multipliers are lowered, then more interactions.
    await h.ingest(abusiveStreak('early', start, 3).signals);
    await h.setModelConfig({ difficulty: { abusive: 1.5, targetedAbuse: 2 } });
    await h.ingest(abusiveStreak('late', start, 3).signals);
    const views = h.views();
    const [early, late] = views;
    assert.ok(early.burnoutIndex > late.burnoutIndex, `the same calls weigh less after the change: ${early.burnoutIndex} > ${late.burnoutIndex}`);
    const state = h.state();

    await h.reopen();
    assert.deepEqual(h.views(), views);
    assert.deepEqual(h.state(), state);
    assert.equal(h.engine.modelConfig(h.orgId).difficulty.targetedAbuse, 2, 'the current config is in force after the restart');
  });

  test('dropping an agent (exclusion) is replayed too', async () => {
    const h = await harness();
    await h.ingest(realisticSpan(['stay', 'go'], Date.now() - 2 * HOUR, 30, 23));
    const current = await h.store.config.get(h.orgId, Date.now());
    const specific = applyConfigChange(current, { agentInclusionType: 'SPECIFIC' }, Date.now());
    const include = { orgId: h.orgId, agentId: 'stay', userLevelBurnoutInclusion: 'INCLUDED' as const, userLevelWellnessBreakReminders: 'ENABLED' as const, updatedTime: Date.now() };
    await h.store.agentSettings.put(include);
    await h.engine.onAgentSettingChanged(include);
    assert.equal((await h.store.config.update(specific, current.version)).kind, 'ok');
    await h.engine.onConfigChanged(specific);
    assert.deepEqual(h.views().map((v) => v.agentId), ['stay']);
    const views = h.views();
    // No snapshot: the reopen replays the log, the drop included (closing the store flushes queued writes).
    await h.reopen();
    assert.deepEqual(h.views(), views);
  });

  test('an exclusion saved just before a crash, whose drop was not logged yet, still drops the agent on restart', async () => {
    const h = await harness();
    await h.ingest(realisticSpan(['kept', 'gone'], Date.now() - 2 * HOUR, 30, 24));
    assert.deepEqual(h.views().map((v) => v.agentId), ['gone', 'kept']);
    // The crash window: the configuration is durable, the engine never heard of it.
    const current = await h.store.config.get(h.orgId, Date.now());
    await h.store.agentSettings.put({ orgId: h.orgId, agentId: 'kept', userLevelBurnoutInclusion: 'INCLUDED', userLevelWellnessBreakReminders: 'ENABLED', updatedTime: Date.now() });
    assert.equal((await h.store.config.update(applyConfigChange(current, { agentInclusionType: 'SPECIFIC' }, Date.now()), current.version)).kind, 'ok');
    const kept = h.views().find((v) => v.agentId === 'kept');
    await h.reopen();
    assert.deepEqual(h.views(), [kept]);
  });
});

describe('engine idempotency beyond the key ring', () => {
  test('a retried batch with more signals per agent than the key ring remembers is never applied twice', async () => {
    const h = await new Harness().open();
    try {
      await h.enable();
      const start = Date.now() - HOUR;
      // 40 utterances in one call: more signals for one agent than the 32 remembered keys.
      const says = Array.from({ length: 40 }, (_, i) => ({ atSec: 2 + i * 2, sentiment: -0.7 }));
      const { signals } = buildCall({ agentId: 'agent-ring', interactionId: 'call-ring', start, talkSec: 90, says });
      const first = await h.ingest(signals);
      assert.equal(first.accepted, signals.length);
      const before = h.state();
      const retry = await h.ingest(signals);
      assert.equal(retry.accepted, 0, 'nothing of the retry is applied');
      assert.equal(retry.duplicates + retry.rejected, signals.length);
      assert.ok(retry.errors.every((e) => /no longer remembered/.test(e.reason)), JSON.stringify(retry.errors.slice(0, 2)));
      const after = h.state() as { agents: [string, { m: unknown }][] };
      assert.deepEqual(after.agents[0][1].m, (before as typeof after).agents[0][1].m, 'model state unchanged by the retry');
      const later = buildCall({ agentId: 'agent-ring', interactionId: 'call-next', start: start + 10 * 60_000, talkSec: 60 });
      assert.equal((await h.ingest(later.signals)).accepted, later.signals.length, 'new signals after the retry are accepted');
    } finally {
      await h.dispose();
    }
  });
});

describe('engine snapshots that fail', () => {
  test('a snapshot the store failed to save is taken again by the next one', async () => {
    const h = new Harness();
    try {
      let failures = 1;
      await h.openSaving((save) => (slot, state, takenAt) => (failures-- > 0 ? Promise.reject(new Error('disk full')) : save(slot, state, takenAt)));
      const { signals } = buildCall({ agentId: 'agent-snap', interactionId: 'call-snap', start: Date.now() - HOUR, talkSec: 60 });
      assert.equal((await h.ingest(signals)).accepted, signals.length);
      await assert.rejects(h.engine.snapshot(), /disk full/);
      await h.engine.snapshot();
      const saved = await h.store.engineLog.latestSnapshot();
      assert.ok(saved && saved.seq > 0, 'the second snapshot was written');
      assert.deepEqual(await h.store.engineLog.after(saved.seq, 10), [], 'and pruned what it covers');
    } finally {
      await h.dispose();
    }
  });

  test('callers while a snapshot is being written share the next one, which covers all they applied', async () => {
    const h = new Harness();
    try {
      // Each save really starts at once (so it covers what it should) but resolves only when its gate opens.
      const gates: Array<() => void> = [];
      const started: Array<() => void> = [];
      const saveStarted = (k: number) => new Promise<void>((resolve) => (started[k] = resolve));
      const firstStarted = saveStarted(0);
      const secondStarted = saveStarted(1);
      let saves = 0;
      await h.openSaving((save) => async (slot, state, takenAt) => {
        const k = saves++;
        const saving = save(slot, state, takenAt);
        started[k]?.();
        await new Promise<void>((resolve) => (gates[k] = resolve));
        return saving;
      });
      const call = (n: number) => buildCall({ agentId: `agent-${n}`, interactionId: `call-${n}`, start: Date.now() - HOUR, talkSec: 60 }).signals;

      await h.ingest(call(1));
      const first = h.engine.snapshot();
      await firstStarted;
      await h.ingest(call(2));
      const second = h.engine.snapshot();
      await h.ingest(call(3));
      const third = h.engine.snapshot();
      assert.equal(third, second, 'queued behind the one being written: shared');
      gates[0]();
      await first;
      await secondStarted;
      await h.ingest(call(4)); // arrives while the shared snapshot is written: left for a later one
      gates[1]();
      await third;
      assert.equal(saves, 2, 'two snapshots for three callers');
      const shared = (await h.store.engineLog.latestSnapshot())!;
      const pending = await h.store.engineLog.after(shared.seq, 10);
      assert.equal(pending.length, 1, 'the shared snapshot covers calls 2 and 3; only call 4 is left in the log');
      const thirdStarted = saveStarted(2);
      const later = h.engine.snapshot();
      await thirdStarted;
      gates[2]();
      await later;
      assert.deepEqual(await h.store.engineLog.after((await h.store.engineLog.latestSnapshot())!.seq, 10), []);
    } finally {
      await h.dispose();
    }
  });
});
