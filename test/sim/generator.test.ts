import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TypeCompiler } from '../../src/typebox.ts';
import { SignalSchema, type Signal } from '../../src/domain/signals.ts';
import { AppError } from '../../src/domain/errors.ts';
import { generateDay } from '../../src/sim/generator.ts';
import { MAX_OVERRUN_MS, type SimOptionsInput } from '../../src/sim/options.ts';
import { measureDay } from './measure.ts';

const START = Date.UTC(2024, 0, 8, 8);
const HOUR = 3_600_000;
const SignalCheck = TypeCompiler.Compile(SignalSchema);
const day = (o: Partial<SimOptionsInput> = {}): Signal[] => [...generateDay({ startMs: START, agents: 12, hours: 8, seed: 11, ...o })];
const VOICE_SERVICE = [{ id: 'q-voice', channel: 'voice' as const, weight: 1, collections: false }];

// One mid-size default day shared by the structural tests (it takes well under a second).
const standard = day({ agents: 30, hours: 10, orgId: 'org-test' });

describe('simulated day: determinism and shape', () => {
  test('reproduces the identical stream for the same seed', () => {
    assert.deepEqual(day({ agents: 30, hours: 10, orgId: 'org-test' }), standard);
  });

  test('produces a different stream for a different seed', () => {
    const other = day({ agents: 30, hours: 10, orgId: 'org-test', seed: 12 });
    assert.notDeepEqual(other.slice(0, 200), standard.slice(0, 200));
  });

  test('emits only signals that validate against SignalSchema, with the org and a unique key', () => {
    for (const s of standard) assert.ok(SignalCheck.Check(s), JSON.stringify([...SignalCheck.Errors(s)][0]));
    assert.ok(standard.every((s) => s.orgId === 'org-test'));
    assert.equal(new Set(standard.map((s) => s.key)).size, standard.length);
  });

  test('emits signals in time order, inside the window plus the bounded overrun', () => {
    for (let i = 1; i < standard.length; i++) assert.ok(standard[i].time >= standard[i - 1].time, `signal ${i} out of order`);
    assert.ok(standard[0].time >= START);
    assert.ok(standard.at(-1)!.time <= START + 10 * HOUR + MAX_OVERRUN_MS);
    assert.ok(standard.filter((s) => s.type === 'task.offered').every((s) => s.time < START + 10 * HOUR));
  });

  test('offers every agent work, with every offered task connected, ended and wrapped up in order', () => {
    const legs = new Map<string, string[]>();
    for (const s of standard) {
      if (s.type === 'agent.state') continue;
      const leg = `${s.agentId}/${s.interactionId}`;
      legs.set(leg, [...(legs.get(leg) ?? []), s.type]);
    }
    for (const [leg, types] of legs) {
      assert.equal(types[0], 'task.offered', leg);
      assert.equal(types[1], 'task.connected', leg);
      assert.equal(types.at(-2), 'task.ended', leg);
      assert.equal(types.at(-1), 'task.wrapup_done', leg);
      assert.equal(types.filter((t) => t === 'task.held').length, types.filter((t) => t === 'task.resumed').length, leg);
    }
    assert.equal(new Set(standard.filter((s) => s.type === 'task.offered').map((s) => s.agentId)).size, 30);
  });

  test('never puts an agent on two voice calls, or on voice while holding a chat or email', () => {
    const open = new Map<string, Map<string, string>>(); // agent → interaction → channel
    const channelOf = new Map<string, string>();
    for (const s of standard) {
      if (s.type === 'task.offered') {
        channelOf.set(s.interactionId, s.channel);
        const mine = open.get(s.agentId) ?? new Map();
        const channels = [...mine.values()];
        if (s.channel !== 'chat') assert.equal(channels.length, 0, `${s.agentId} offered ${s.channel} while busy`);
        else assert.ok(channels.every((c) => c === 'chat') && channels.length < 2, `${s.agentId} over chat capacity`);
        mine.set(s.interactionId, s.channel);
        open.set(s.agentId, mine);
      } else if (s.type === 'task.wrapup_done') {
        open.get(s.agentId)!.delete(s.interactionId);
      }
    }
  });

  test('gives each agent a lifecycle: available at start, breaks and lunch as idle, logged out last, no work while away', () => {
    const byAgent = new Map<string, Signal[]>();
    for (const s of standard) byAgent.set(s.agentId, [...(byAgent.get(s.agentId) ?? []), s]);
    for (const [agentId, signals] of byAgent) {
      const states = signals.filter((s) => s.type === 'agent.state');
      assert.equal(states[0].state, 'available', agentId);
      assert.equal(states.at(-1)!.state, 'logged_out', agentId);
      assert.equal(signals.at(-1)!.type, 'agent.state', `${agentId} does nothing after logging out`);
      const codes = states.flatMap((s) => (s.type === 'agent.state' && s.idleCode ? [s.idleCode] : []));
      assert.deepEqual(codes, ['Break', 'Lunch', 'Break'], agentId);
      let away = false;
      for (const s of signals) {
        if (s.type === 'agent.state') away = s.state !== 'available';
        else if (s.type === 'task.offered') assert.ok(!away, `${agentId} offered work while away`);
      }
    }
  });

  test('exercises the text analyser with abusive utterances and sends negative sentiment scores', () => {
    const utterances = standard.filter((s) => s.type === 'utterance');
    assert.ok(utterances.some((s) => s.type === 'utterance' && /idiot|moron|bastard|shit|fuck/.test(s.text ?? '')));
    assert.ok(utterances.every((s) => s.type === 'utterance' && s.speaker === 'customer' && s.text && s.abusive === undefined));
    const scores = standard.flatMap((s) => (s.type === 'sentiment' ? [s.score] : []));
    assert.ok(scores.length > 0 && scores.every((x) => x < 0));
  });

  test('sends transferred calls to a second agent as an escalation', () => {
    const transferred = standard.flatMap((s) => (s.type === 'task.transferred' ? [s] : []));
    assert.ok(transferred.length > 0);
    const escalations = standard.flatMap((s) => (s.type === 'task.connected' && s.escalation ? [s] : []));
    const again = escalations.filter((e) => transferred.some((t) => t.interactionId === e.interactionId && t.agentId !== e.agentId));
    assert.ok(again.length >= transferred.length * 0.8, `${again.length} second legs for ${transferred.length} transfers`);
  });

  test('ramps arrivals up to the late-morning plateau', () => {
    const offeredIn = (fromH: number, toH: number) =>
      standard.filter((s) => s.type === 'task.offered' && s.time >= START + fromH * HOUR && s.time < START + toH * HOUR).length;
    // Window starts at 08:00: the first hour (08–09) is the ramp, 11–12 is on the plateau.
    assert.ok(offeredIn(3, 4) > offeredIn(0, 1) * 1.3, `${offeredIn(0, 1)} → ${offeredIn(3, 4)}`);
  });

  test('rejects invalid options with a validation error naming the field', () => {
    assert.throws(() => day({ occupancy: 2 }), (e: unknown) => e instanceof AppError && e.code === 'validation' && /occupancy/.test(e.message));
    assert.throws(() => day({ agents: 0 }), (e: unknown) => e instanceof AppError && /agents/.test(e.message));
  });
});

describe('simulated day: measured rates over large runs', () => {
  test('lands occupancy near the configured target', () => {
    for (const occupancy of [0.8, 0.85]) {
      const measured = measureDay(generateDay({ startMs: START, seed: 21, agents: 80, hours: 8, occupancy, dayFactorCv: 0 })).occupancy;
      assert.ok(Math.abs(measured - occupancy) < 0.04, `target ${occupancy}, measured ${measured.toFixed(3)}`);
    }
  });

  test('lands the abusive share near 3 % on service queues and 10 % on collections', () => {
    const service = measureDay(generateDay({ startMs: START, seed: 22, agents: 80, hours: 8, queues: VOICE_SERVICE, longWaitAbuseFactor: 1 }));
    assert.ok(Math.abs(service.abusiveShare - 0.03) < 0.008, `service ${service.abusiveShare}`);
    const collections = measureDay(
      generateDay({ startMs: START, seed: 23, agents: 40, hours: 8, queues: [{ ...VOICE_SERVICE[0], collections: true }], longWaitAbuseFactor: 1 }),
    );
    assert.ok(Math.abs(collections.abusiveShare - 0.1) < 0.02, `collections ${collections.abusiveShare}`);
  });

  test('raises abuse after long waits when the centre is overloaded', () => {
    const crowded = { startMs: START, seed: 24, agents: 40, hours: 8, queues: VOICE_SERVICE, occupancy: 0.99, abusiveShare: 0.05 };
    const calm = measureDay(generateDay({ ...crowded, longWaitAbuseFactor: 1 })).abusiveShare;
    const angry = measureDay(generateDay({ ...crowded, longWaitAbuseFactor: 3, longWaitMs: 0 })).abusiveShare;
    assert.ok(angry > calm * 2, `${calm} → ${angry}`);
  });

  test('lands median talk time, hold, transfer and negative shares near the defaults', () => {
    const m = measureDay(generateDay({ startMs: START, seed: 25, agents: 80, hours: 8, queues: VOICE_SERVICE, agentSpeedSigma: 0 }));
    assert.ok(Math.abs(m.medianVoiceTalkMs / 270_000 - 1) < 0.05, `median talk ${m.medianVoiceTalkMs}`);
    assert.ok(Math.abs(m.holdShare - 0.3) < 0.03, `hold ${m.holdShare}`);
    assert.ok(Math.abs(m.transferShare - 0.1) < 0.02, `transfer ${m.transferShare}`);
    assert.ok(Math.abs(m.negativeShare - 0.18) < 0.025, `negative ${m.negativeShare}`);
  });
});
