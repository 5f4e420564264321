import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Traffic, toNdjsonBatches, agentIdOf } from '../../../bench/lib/signals.ts';
import { checkSignal } from '../../../src/engine/intake.ts';
import { SIGNAL_TYPES, type Signal } from '../../../src/domain/signals.ts';

const START = Date.UTC(2025, 0, 6, 8);

function byAgent(signals: readonly Signal[]): Map<string, Signal[]> {
  const map = new Map<string, Signal[]>();
  for (const s of signals) {
    const list = map.get(s.agentId) ?? [];
    list.push(s);
    map.set(s.agentId, list);
  }
  return map;
}

describe('benchmark traffic', () => {
  test('every signal passes the ingest validator after a JSON round trip', () => {
    const signals = new Traffic({ agents: 50, seed: 3, startMs: START }).next(20_000);
    for (const s of signals) {
      const checked = checkSignal(JSON.parse(JSON.stringify(s)));
      assert.equal(typeof checked, 'object', `${JSON.stringify(s)}: ${String(checked)}`);
    }
  });

  test('every signal type of the ingest API shows up in a realistic mix', () => {
    const counts = new Map<string, number>();
    for (const s of new Traffic({ agents: 200, seed: 5, startMs: START }).next(50_000)) counts.set(s.type, (counts.get(s.type) ?? 0) + 1);
    for (const type of SIGNAL_TYPES) assert.ok((counts.get(type) ?? 0) > 0, `no ${type} signal`);
    // Contacts dominate: each has an offer, so offers far outnumber state changes and surveys.
    assert.ok(counts.get('task.offered')! > 5 * counts.get('agent.state')!);
    assert.ok(counts.get('task.offered')! > 10 * counts.get('survey')!);
  });

  test("an agent's signals never go back in time and each contact runs offered → connected → end → wrap-up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 30 }), (seed, agents) => {
        const traffic = new Traffic({ agents, seed, startMs: START });
        const signals = [...traffic.next(agents * 40), ...traffic.next(agents * 40)];
        for (const [agentId, list] of byAgent(signals)) {
          let open: string | undefined;
          let phase = '';
          for (let i = 0; i < list.length; i++) {
            const s = list[i];
            if (i > 0) assert.ok(s.time >= list[i - 1].time, `${agentId}: time went back at ${i}`);
            if (s.type === 'task.offered') {
              assert.equal(open, undefined, `${agentId}: offered while another contact was open`);
              open = s.interactionId;
              phase = 'offered';
            } else if (s.type === 'task.connected') {
              assert.equal(s.interactionId, open);
              assert.equal(phase, 'offered');
              phase = 'connected';
            } else if (s.type === 'task.ended' || s.type === 'task.transferred') {
              assert.equal(s.interactionId, open);
              assert.equal(phase, 'connected');
              phase = 'ended';
            } else if (s.type === 'task.wrapup_done') {
              assert.equal(s.interactionId, open);
              assert.equal(phase, 'ended');
              open = undefined;
              phase = '';
            } else if ('interactionId' in s && s.type !== 'survey') {
              assert.equal(s.interactionId, open, `${agentId}: ${s.type} outside its contact`);
              assert.equal(phase, 'connected', `${agentId}: ${s.type} while ${phase}`);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  test('the same seed gives the same traffic; another seed gives other traffic', () => {
    const make = (seed: number) => toNdjsonBatches(new Traffic({ agents: 20, seed, startMs: START }).next(500), 100).join('');
    assert.equal(make(9), make(9));
    assert.notEqual(make(9), make(10));
  });

  test('idempotency keys never repeat across rounds, and can be left out', () => {
    const traffic = new Traffic({ agents: 100, seed: 1, startMs: START });
    const keys = new Set<string>();
    for (let round = 0; round < 5; round++) for (const s of traffic.next(1_000)) keys.add(s.key!);
    assert.equal(keys.size, 5_000);
    const keyless = new Traffic({ agents: 10, seed: 1, startMs: START, keys: false }).next(100);
    assert.ok(keyless.every((s) => s.key === undefined));
  });

  test('agents take turns: a round of N signals reaches each of N agents once', () => {
    const signals = new Traffic({ agents: 1_000, seed: 2, startMs: START }).next(1_000);
    const agents = new Set(signals.map((s) => s.agentId));
    assert.equal(agents.size, 1_000);
    assert.ok(agents.has(agentIdOf(0)) && agents.has(agentIdOf(999)));
  });

  test('NDJSON batches hold batchSize newline-terminated lines that parse back to the signals', () => {
    const signals = new Traffic({ agents: 7, seed: 4, startMs: START }).next(250);
    const bodies = toNdjsonBatches(signals, 100);
    assert.deepEqual(bodies.map((b) => b.split('\n').length - 1), [100, 100, 50]);
    assert.ok(bodies.every((b) => b.endsWith('\n')));
    const parsed = bodies.flatMap((b) => b.trimEnd().split('\n').map((line) => JSON.parse(line)));
    assert.deepEqual(parsed, JSON.parse(JSON.stringify(signals)));
  });
});
