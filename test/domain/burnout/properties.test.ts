// Laws of the model, checked on random agent histories (fast-check): bounded, monotone in strain,
// recovers with rest, deterministic, explainable (factors add up to the index), snapshot-safe.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyBreak,
  applySignal,
  Baselines,
  createAgentState,
  indexAt,
  levelAt,
  resolveModelConfig,
  type AgentModelState,
  type IndexView,
  type ModelConfig,
  type StepOutput,
} from '../../../src/domain/burnout/index.ts';
import type { Signal } from '../../../src/domain/signals.ts';
import { call, state, T0, SECOND, MINUTE, type CallSpec } from './calls.ts';

const CONFIG = resolveModelConfig({ idleCodes: { inclusion: { Training: 'EXCLUDED' } } }) as ModelConfig;

type CallStep = { kind: 'call' } & Omit<CallSpec, 'id' | 'start'> & { gapMs: number };
type PauseStep = { kind: 'pause'; state: 'available' | 'idle' | 'break' | 'logged_out'; idleCode?: string; ms: number };
type BreakStep = { kind: 'played'; offsetMs: number; ms: number };
type Step = CallStep | PauseStep | BreakStep;
type Action = { signal: Signal } | { breakStart: number; breakMs: number };

const callArb: fc.Arbitrary<CallStep> = fc.record({
  kind: fc.constant('call' as const),
  channel: fc.constantFrom('voice' as const, 'chat' as const, 'email' as const),
  talkMs: fc.integer({ min: 1 * SECOND, max: 60 * MINUTE }),
  holdMs: fc.integer({ min: 0, max: 400 * SECOND }),
  sentiment: fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: undefined }),
  abusive: fc.boolean(),
  targeted: fc.boolean(),
  escalation: fc.boolean(),
  transfer: fc.boolean(),
  wrapMs: fc.option(fc.integer({ min: 0, max: 20 * MINUTE }), { nil: undefined }),
  gapMs: fc.integer({ min: 0, max: 60 * MINUTE }),
});
const pauseArb: fc.Arbitrary<PauseStep> = fc.record({
  kind: fc.constant('pause' as const),
  state: fc.constantFrom('available' as const, 'idle' as const, 'break' as const, 'logged_out' as const),
  idleCode: fc.constantFrom(undefined, 'WellbeingBreak', 'Lunch', 'Training', 'Meeting'),
  ms: fc.integer({ min: 0, max: 3 * 24 * 60 * MINUTE }),
});
const playedArb: fc.Arbitrary<BreakStep> = fc.record({
  kind: fc.constant('played' as const),
  offsetMs: fc.integer({ min: -10 * MINUTE, max: 10 * MINUTE }),
  ms: fc.integer({ min: 0, max: 30 * MINUTE }),
});
const stepArb: fc.Arbitrary<Step> = fc.oneof({ arbitrary: callArb, weight: 4 }, { arbitrary: pauseArb, weight: 2 }, { arbitrary: playedArb, weight: 1 });
const historyArb = fc.array(stepArb, { maxLength: 40 });

/** Turns steps into time-ordered actions starting at `start`; returns them and the end time. */
function actions(steps: Step[], start = T0, prefix = 'c'): { list: Action[]; end: number } {
  const list: Action[] = [];
  let t = start;
  steps.forEach((step, i) => {
    if (step.kind === 'call') {
      const signals = call({ ...step, id: `${prefix}${i}`, start: t });
      for (const signal of signals) list.push({ signal });
      t = Math.max(...signals.map((s) => s.time)) + step.gapMs;
    } else if (step.kind === 'pause') {
      list.push({ signal: state(t, step.state, step.idleCode) });
      t += step.ms;
    } else {
      list.push({ breakStart: Math.max(T0, t + step.offsetMs), breakMs: step.ms });
    }
  });
  return { list, end: t };
}

function play(s: AgentModelState, list: Action[], baselines: Baselines, config = CONFIG): StepOutput[] {
  return list.map((a) => ('signal' in a ? applySignal(s, a.signal, config, baselines) : applyBreak(s, a.breakStart, a.breakMs, config)));
}

const clone = (s: AgentModelState) => JSON.parse(JSON.stringify(s)) as AgentModelState;
const factorSum = (v: IndexView) => Object.values(v.factors).reduce((a, b) => a + b, 0);

describe('burnout model laws', () => {
  test('the index is always within 0–100 and its factors add up to it within 0.5', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: 10 * 24 * 60 * MINUTE }), (steps, later) => {
        const s = createAgentState(T0);
        const { list, end } = actions(steps);
        const views = play(s, list, new Baselines()).flatMap((o) => (o.index ? [o.index] : []));
        views.push(indexAt(s, end, CONFIG), indexAt(s, end + later, CONFIG));
        for (const v of views) {
          assert.ok(v.index >= 0 && v.index <= 100, `index ${v.index}`);
          assert.ok(Math.abs(factorSum(v) - v.index) <= 0.5, `factors ${factorSum(v)} vs index ${v.index}`);
        }
      }),
    );
  });

  test('a harder interaction never yields a lower index than an easier one from the same state', () => {
    const harder = fc.oneof(
      fc.constant({ abusive: true }),
      fc.constant({ targeted: true }),
      fc.constant({ escalation: true }),
      fc.constant({ transfer: true }),
      fc.integer({ min: 1, max: 400 * SECOND }).map((extra) => ({ extraHoldMs: extra })),
      fc.double({ min: -1, max: 0, noNaN: true }).map((score) => ({ score })),
    );
    fc.assert(
      fc.property(historyArb, callArb, harder, historyArb, (prefix, easy, change, suffix) => {
        const start = createAgentState(T0);
        const baselines = new Baselines();
        const before = actions(prefix);
        play(start, before.list, baselines);
        const hard: CallStep = { ...easy };
        if ('extraHoldMs' in change) hard.holdMs = Math.min((easy.holdMs ?? 0) + change.extraHoldMs, easy.talkMs);
        else if ('score' in change) hard.sentiment = Math.min(easy.sentiment ?? 0, change.score);
        else Object.assign(hard, change);
        const outcome = (spec: CallStep) => {
          const s = clone(start);
          const b = Baselines.fromJSON(baselines.toJSON());
          const one = actions([spec], before.end, 'x');
          play(s, one.list, b);
          const atEnd = indexAt(s, one.end, CONFIG).index;
          const rest = actions(suffix, one.end, 'y');
          play(s, rest.list, b);
          return [atEnd, indexAt(s, rest.end, CONFIG).index];
        };
        const [easyEnd, easyLater] = outcome(easy);
        const [hardEnd, hardLater] = outcome(hard);
        assert.ok(hardEnd >= easyEnd, `${hardEnd} < ${easyEnd}`);
        assert.ok(hardLater >= easyLater, `${hardLater} < ${easyLater} after the same later history`);
      }),
    );
  });

  test('rest (time passing in any non-working state) never raises the index', () => {
    const restArb = fc.array(fc.oneof(pauseArb, playedArb), { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(historyArb, restArb, (prefix, rest) => {
        const s = createAgentState(T0);
        const before = actions(prefix);
        play(s, before.list, new Baselines());
        const { list } = actions(rest, before.end);
        let clock = before.end;
        let previous = indexAt(s, clock, CONFIG).index;
        for (const action of list) {
          clock = Math.max(clock, 'signal' in action ? action.signal.time : action.breakStart);
          const waited = indexAt(s, clock, CONFIG).index;
          assert.ok(waited <= previous, `time passing raised ${previous} → ${waited}`);
          play(s, [action], new Baselines());
          clock = Math.max(clock, s.t);
          const now = indexAt(s, clock, CONFIG).index;
          assert.ok(now <= waited, `${'signal' in action ? action.signal.type : 'played break'} raised ${waited} → ${now}`);
          previous = now;
        }
      }),
    );
  });

  test('read later, between signals, the level never rises, and levelAt agrees with indexAt', () => {
    const LEVEL_RANK = { low: 0, moderate: 1, high: 2, critical: 3 };
    fc.assert(
      fc.property(historyArb, fc.array(fc.integer({ min: 0, max: 3 * 86_400_000 }), { minLength: 1, maxLength: 6 }), (history, waits) => {
        const s = createAgentState(T0);
        play(s, actions(history).list, new Baselines());
        let previous = LEVEL_RANK[s.level];
        for (const wait of [...waits].sort((a, b) => a - b)) {
          const later = s.t + wait;
          const level = levelAt(s, later, CONFIG);
          assert.equal(level, indexAt(s, later, CONFIG).level);
          assert.ok(LEVEL_RANK[level] <= previous, `${s.level} rose to ${level} after ${wait} ms`);
          previous = LEVEL_RANK[level];
        }
      }),
    );
  });

  test('the same inputs give the same outputs', () => {
    fc.assert(
      fc.property(historyArb, (steps) => {
        const { list } = actions(steps);
        const a = createAgentState(T0);
        const b = createAgentState(T0);
        assert.deepEqual(play(a, list, new Baselines()), play(b, list, new Baselines()));
        assert.deepEqual(a, b);
      }),
    );
  });

  test('a JSON snapshot and restore in the middle of a history changes nothing', () => {
    fc.assert(
      fc.property(historyArb, historyArb, (first, second) => {
        const one = actions(first);
        const two = actions(second, one.end, 'z');
        const straight = createAgentState(T0);
        const baselines = new Baselines();
        play(straight, one.list, baselines);
        const restored = clone(straight);
        const restoredBaselines = Baselines.fromJSON(JSON.parse(JSON.stringify(baselines)));
        assert.deepEqual(play(restored, two.list, restoredBaselines), play(straight, two.list, baselines));
        assert.deepEqual(restored, straight);
      }),
    );
  });
});
