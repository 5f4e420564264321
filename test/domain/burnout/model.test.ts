// Behaviour of applySignal / applyBreak / indexAt on hand-built signal sequences.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  advanceTo,
  applyBreak,
  applySignal,
  Baselines,
  createAgentState,
  DEFAULT_MODEL_CONFIG as CONFIG,
  indexAt,
  NO_OUTPUT,
  resolveModelConfig,
  type AgentModelState,
  type ModelConfig,
  type StepOutput,
} from '../../../src/domain/burnout/index.ts';
import { ACUTE_COUNT, D_A, D_C } from '../../../src/domain/burnout/state.ts';
import type { Signal } from '../../../src/domain/signals.ts';
import { call, MINUTE, SECOND, state, T0 } from './calls.ts';

const MEDIAN = 270 * SECOND; // the voice fallback median

function apply(s: AgentModelState, signals: Signal[], config: ModelConfig = CONFIG, baselines = new Baselines()): StepOutput[] {
  return signals.map((signal) => applySignal(s, signal, config, baselines));
}

/** A state with some acute strain: `n` back-to-back median voice calls from T0, ending at the returned time. */
function worked(n: number, extra: Partial<Parameters<typeof call>[0]> = {}): { s: AgentModelState; end: number } {
  const s = createAgentState(T0);
  let t = T0;
  for (let i = 0; i < n; i++) {
    apply(s, call({ id: `c${i}`, start: t, talkMs: MEDIAN, wrapMs: 30 * SECOND, ...extra }));
    t += MEDIAN + 30 * SECOND;
  }
  return { s, end: t };
}

/** The acute load that gives `index` with the default τ. */
const loadFor = (index: number) => -CONFIG.index.tau * Math.log(1 - index / 100);

describe('applySignal', () => {
  test('a neutral voice call of median length adds one load unit when it ends, with the index and its factors', () => {
    const s = createAgentState(T0);
    const outputs = apply(s, call({ id: 'a', start: T0, talkMs: MEDIAN }));
    const last = outputs.at(-1)!;
    assert.ok(last.index);
    assert.ok(Math.abs(last.index.acute - 1) < 0.01);
    assert.ok(Math.abs(last.index.factors.base - last.index.index) < 0.01);
    for (const output of outputs.slice(0, -1)) assert.equal(output, NO_OUTPUT);
  });

  test('returns the shared NO_OUTPUT when nothing is emitted', () => {
    const s = createAgentState(T0);
    const out = applySignal(s, { type: 'task.offered', agentId: 'a', interactionId: 'x', time: T0, channel: 'voice' }, CONFIG, new Baselines());
    assert.equal(out, NO_OUTPUT);
    assert.ok(Object.isFrozen(NO_OUTPUT));
  });

  test('each difficulty flag shows up as its own factor', () => {
    const s = createAgentState(T0);
    const out = apply(s, call({ id: 'a', start: T0, talkMs: MEDIAN, escalation: true, transfer: true, holdMs: 200 * SECOND, sentiment: -0.9 })).at(-1)!;
    const f = out.index!.factors;
    for (const name of ['escalation', 'transfer', 'hold', 'negativeSentiment']) assert.ok(f[name] > 0, name);
    assert.equal(f.abuse, 0);
    // 1.2 × 1.1 × 1.25 × 2 = 3.3
    assert.ok(Math.abs(out.index!.acute - 3.3) < 0.01);
  });

  test('abuse replaces the sentiment multiplier and targeted abuse replaces abuse; the product is capped', () => {
    const abusive = apply(createAgentState(T0), call({ id: 'a', start: T0, talkMs: MEDIAN, abusive: true, sentiment: -0.9 })).at(-1)!.index!;
    assert.ok(Math.abs(abusive.acute - CONFIG.difficulty.abusive) < 0.01);
    assert.equal(abusive.factors.negativeSentiment, 0);
    const targeted = apply(createAgentState(T0), call({ id: 'a', start: T0, talkMs: MEDIAN, targeted: true })).at(-1)!.index!;
    assert.ok(Math.abs(targeted.acute - CONFIG.difficulty.targetedAbuse) < 0.01);
    assert.equal(targeted.factors.abuse, 0);
    const stacked = apply(createAgentState(T0), call({ id: 'a', start: T0, talkMs: MEDIAN, targeted: true, escalation: true, transfer: true, holdMs: 200 * SECOND })).at(-1)!.index!;
    assert.ok(Math.abs(stacked.acute - CONFIG.difficulty.cap) < 0.01);
  });

  test('the handle factor is concave and capped at three medians', () => {
    const load = (talkMs: number) => apply(createAgentState(T0), call({ id: 'a', start: T0, talkMs })).at(-1)!.index!.acute;
    assert.ok(Math.abs(load(2 * MEDIAN) - Math.SQRT2) < 0.01);
    assert.ok(Math.abs(load(6 * MEDIAN) - Math.sqrt(3)) < 0.01); // capped at 3× (27 min: still inside the flat streak)
    assert.ok(load(MEDIAN / 4) < 0.51);
  });

  test('continuous engagement raises the load of later calls; a 5-minute pause resets the streak', () => {
    const { s, end } = worked(20); // 20 × 5 min back to back = 100 min
    const lastLoad = (st: AgentModelState, start: number) => {
      st.d.fill(0, D_A, D_A + ACUTE_COUNT); // measure this call's load alone
      const signals = call({ id: `n${start}`, start, talkMs: MEDIAN, wrapMs: 0 });
      return apply(st, signals)[signals.findIndex((x) => x.type === 'task.ended')].index!.acute;
    };
    const streaked = lastLoad(s, end);
    assert.ok(Math.abs(streaked - 1.5) < 0.02, `after 90 min the streak factor is ×1.5, got ${streaked}`);
    const rested = worked(20);
    assert.ok(Math.abs(lastLoad(rested.s, rested.end + 5 * MINUTE) - 1) < 0.02, 'after a 5-minute pause it is ×1');
  });

  test('chat sessions weigh half a voice call, more above two concurrent sessions', () => {
    const chats = (n: number) => {
      const s = createAgentState(T0);
      const signals = Array.from({ length: n }, (_, i) => call({ id: `chat${i}`, start: T0, talkMs: 480 * SECOND, channel: 'chat' }));
      // connect all first, then end all
      const connects = signals.flatMap((x) => x.filter((y) => y.type === 'task.offered' || y.type === 'task.connected'));
      const ends = signals.flatMap((x) => x.filter((y) => y.type === 'task.ended'));
      return apply(s, [...connects, ...ends]).at(-1)!.index!.acute / n;
    };
    assert.ok(Math.abs(chats(1) - 0.5) < 0.01);
    assert.ok(Math.abs(chats(2) - 0.5) < 0.01);
    assert.ok(Math.abs(chats(3) - 0.625) < 0.01);
  });

  test('late sentiment during wrap-up adds the difference; after wrap-up it is ignored', () => {
    const s = createAgentState(T0);
    apply(s, call({ id: 'a', start: T0, talkMs: MEDIAN }));
    const before = indexAt(s, s.t, CONFIG).acute;
    const late = applySignal(s, { type: 'sentiment', agentId: 'a', interactionId: 'a', time: s.t, score: -0.9 }, CONFIG, new Baselines());
    assert.ok(Math.abs(late.index!.acute - before * 2) < 0.01);
    apply(s, [{ type: 'task.wrapup_done', agentId: 'a', interactionId: 'a', time: s.t + 10 * SECOND }]);
    const out = applySignal(s, { type: 'utterance', agentId: 'a', interactionId: 'a', time: s.t, speaker: 'customer', abusive: true }, CONFIG, new Baselines());
    assert.equal(out, NO_OUTPUT);
  });

  test('a signal earlier than the state time is applied with no elapsed time', () => {
    const { s, end } = worked(2);
    const before = indexAt(s, end, CONFIG);
    apply(s, [state(end, 'available')]);
    apply(s, [state(end - 10 * MINUTE, 'idle', 'Break')]);
    assert.equal(s.t, end);
    assert.deepEqual(indexAt(s, end, CONFIG), { ...before, level: before.level });
  });

  test('the state survives a JSON snapshot and continues identically', () => {
    const a = worked(5);
    const b = { s: JSON.parse(JSON.stringify(a.s)) as AgentModelState };
    const more = [...call({ id: 'z', start: a.end, talkMs: MEDIAN, sentiment: -0.5, wrapMs: 20 * SECOND }), state(a.end + 10 * MINUTE, 'logged_out')];
    assert.deepEqual(apply(b.s, more), apply(a.s, more));
    assert.deepEqual(b.s, a.s);
  });
});

describe('recovery', () => {
  test('a played 60 s break removes little of A, a 15-minute one most', () => {
    const removed = (ms: number) => {
      const { s, end } = worked(6);
      const a0 = indexAt(s, end, CONFIG).acute;
      const out = applyBreak(s, end, ms, CONFIG);
      assert.ok(Math.abs(out.index!.acute - a0) < 0.01, 'never an instant reset');
      return 1 - indexAt(s, end + ms, CONFIG).acute / a0;
    };
    const oneMinute = removed(60 * SECOND);
    const fifteen = removed(15 * MINUTE);
    assert.ok(oneMinute > 0.08 && oneMinute < 0.2, `60 s removed ${oneMinute}`);
    assert.ok(fifteen > 0.85, `15 min removed ${fifteen}`);
    assert.ok(removed(5 * MINUTE) > oneMinute && removed(5 * MINUTE) < fifteen);
  });

  test('a break recorded after it was played still credits its time', () => {
    const { s, end } = worked(6);
    const a0 = indexAt(s, end, CONFIG).acute;
    apply(s, [state(end + 10 * MINUTE, 'available')]);
    applyBreak(s, end, 10 * MINUTE, CONFIG);
    assert.ok(Math.abs(indexAt(s, s.t, CONFIG).acute - a0 / 4) < 0.05);
  });

  test('a rest idle code recovers faster than being available; an excluded idle code freezes the model', () => {
    const config = resolveModelConfig({ idleCodes: { inclusion: { Training: 'EXCLUDED' } } }) as ModelConfig;
    const after = (signal: Signal) => {
      const { s, end } = worked(6);
      const a0 = indexAt(s, end, config);
      apply(s, [{ ...signal, time: end } as Signal, state(end + 30 * MINUTE, 'available')], config);
      return { before: a0, after: indexAt(s, s.t, config) };
    };
    const available = after(state(0, 'available'));
    const rest = after(state(0, 'idle', 'WellbeingBreak'));
    const excluded = after(state(0, 'idle', 'Training'));
    assert.ok(rest.after.acute < available.after.acute / 3);
    assert.ok(Math.abs(available.after.acute - available.before.acute / 4) < 0.05);
    assert.deepEqual(excluded.after, excluded.before);
  });

  test('log-out moves strain into C and never raises the index; an abusive day moves more', () => {
    const shiftEnd = (abusive: boolean) => {
      const { s, end } = worked(6, { abusive });
      const before = indexAt(s, end, CONFIG);
      const out = applySignal(s, state(end, 'logged_out'), CONFIG, new Baselines());
      const after = indexAt(s, end, CONFIG);
      assert.ok(Math.abs(after.index - before.index) < 0.01);
      assert.ok(after.chronic > before.chronic && after.acute < before.acute);
      assert.ok(out === NO_OUTPUT || out.index === undefined || out.index.index <= before.index + 0.01);
      return after.chronic / (before.acute + before.chronic);
    };
    const plain = shiftEnd(false);
    const abusive = shiftEnd(true);
    assert.ok(Math.abs(plain - 0.05) < 0.001);
    assert.ok(abusive > plain * 2);
  });

  test('A clears overnight; C decays slower on working days than on days off', () => {
    const { s, end } = worked(6, { abusive: true });
    apply(s, [state(end, 'logged_out')]);
    const c0 = s.d[D_C];
    const nextMorning = indexAt(s, end + 14 * 60 * MINUTE, CONFIG);
    assert.ok(nextMorning.acute < 0.02 * indexAt(s, end, CONFIG).acute);
    const day = 24 * 60 * MINUTE;
    // First 24 h logged out at the working-day half-life (5 d), the rest at the day-off one (2.5 d).
    const afterThreeDays = indexAt(s, end + 3 * day, CONFIG).chronic;
    const expected = c0 * 2 ** (-1 / 5) * 2 ** (-2 / 2.5);
    assert.ok(Math.abs(afterThreeDays - expected) < 0.01, `${afterThreeDays} vs ${expected}`);
  });

  test('a wrap-up without wrapup_done counts as handling for at most 15 minutes', () => {
    const { s, end } = worked(1);
    const s2 = JSON.parse(JSON.stringify(s)) as AgentModelState;
    apply(s, call({ id: 'open', start: end, talkMs: MEDIAN }));
    apply(s2, call({ id: 'open', start: end, talkMs: MEDIAN, wrapMs: 15 * MINUTE }));
    const later = end + MEDIAN + 60 * MINUTE;
    assert.ok(Math.abs(indexAt(s, later, CONFIG).acute - indexAt(s2, later, CONFIG).acute) < 1e-6);
  });
});

describe('levels', () => {
  test('hysteresis: a level does not drop until 5 points below its threshold', () => {
    const s = createAgentState(T0);
    s.d[D_A] = loadFor(42);
    const up = advanceTo(s, T0, CONFIG);
    assert.deepEqual(up.levelChanged, { from: 'low', to: 'moderate' });
    // Available: A halves every 15 minutes; find the times the index crosses 37 and 34.
    const timeFor = (index: number) => T0 + 15 * MINUTE * Math.log2(loadFor(42) / loadFor(index));
    assert.equal(advanceTo(s, timeFor(37), CONFIG), NO_OUTPUT);
    assert.equal(s.level, 'moderate');
    const down = advanceTo(s, timeFor(34.9), CONFIG);
    assert.deepEqual(down.levelChanged, { from: 'moderate', to: 'low' });
    assert.equal(down.index!.level, 'low');
  });

  test('levels rise as soon as a threshold is reached and carry the index with them', () => {
    const s = createAgentState(T0);
    s.d[D_A] = loadFor(81);
    const out = advanceTo(s, T0, CONFIG);
    assert.deepEqual(out.levelChanged, { from: 'low', to: 'critical' });
    assert.equal(indexAt(s, T0, CONFIG).level, 'critical');
  });
});

describe('abuse cluster', () => {
  const abusiveCall = (id: string, start: number) => call({ id, start, talkMs: MEDIAN, abusive: true, wrapMs: 0 });
  const triggersOf = (outputs: StepOutput[]) => outputs.flatMap((o) => o.triggers);

  test('2 abusive contacts within 60 min trigger offer-break, 3 also alert-supervisor', () => {
    const s = createAgentState(T0);
    assert.deepEqual(triggersOf(apply(s, abusiveCall('a', T0))), []);
    assert.deepEqual(triggersOf(apply(s, abusiveCall('b', T0 + 30 * MINUTE))), ['offer-break']);
    assert.deepEqual(triggersOf(apply(s, abusiveCall('c', T0 + 50 * MINUTE))), ['offer-break', 'alert-supervisor']);
  });

  test('abusive contacts more than 60 min apart trigger nothing; one contact counts once', () => {
    const s = createAgentState(T0);
    const first = call({ id: 'a', start: T0, talkMs: MEDIAN, abusive: true });
    first.splice(3, 0, { ...first[2] }, { ...first[2] }); // three abusive utterances in the same contact
    assert.deepEqual(triggersOf(apply(s, first)), []);
    assert.deepEqual(triggersOf(apply(s, abusiveCall('b', T0 + 61 * MINUTE))), []);
  });
});

describe('state snapshots', () => {
  test('a state survives a JSON round trip in the middle of calls and chats and continues identically', () => {
    const { s, end } = worked(3);
    // Mid-call: a voice call connected and on hold, three chats connected (one more slot than ever used).
    const open: Signal[] = [
      ...call({ id: 'v', start: end, talkMs: MEDIAN, holdMs: 90 * SECOND, sentiment: -0.7, wrapMs: 20 * SECOND }),
      ...['c1', 'c2', 'c3'].flatMap((id, k) => call({ id, start: end + k * SECOND, talkMs: 480 * SECOND, channel: 'chat', queueId: 'chat-q', abusive: id === 'c2' })),
    ].sort((x, y) => x.time - y.time);
    const cut = end + 60 * SECOND;
    const before = open.filter((x) => x.time < cut);
    const after = [...open.filter((x) => x.time >= cut), state(end + 30 * MINUTE, 'logged_out')];
    const baselines = new Baselines();
    apply(s, before, CONFIG, baselines);
    assert.ok(before.some((x) => x.type === 'task.held') && !before.some((x) => x.type === 'task.ended'), 'the cut is mid-call');
    const restored = JSON.parse(JSON.stringify(s)) as AgentModelState;
    assert.deepEqual(restored, s);
    const restoredBaselines = Baselines.fromJSON(JSON.parse(JSON.stringify(baselines)));
    const expected = apply(s, after, CONFIG, baselines);
    assert.deepEqual(apply(restored, after, CONFIG, restoredBaselines), expected);
    assert.deepEqual(restored, s);
    assert.ok(expected.filter((o) => o.index).length >= 4, 'every contact was charged after the restore');
  });
});
