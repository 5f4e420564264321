// The engine's binary snapshot: whatever an org holds comes back exactly (agents, key rings, baselines
// with freed slots, model config), the restored org behaves like the original from then on, and
// snapshots saved as JSON before the binary format still load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OrgRuntime } from '../../src/engine/org-runtime.ts';
import { decodeSnapshot, encodeSnapshot, SnapshotJob } from '../../src/engine/snapshot-codec.ts';
import { agentKey, keyHash } from '../../src/engine/key-hash.ts';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from '../../src/domain/burnout/index.ts';
import type { NewEvent } from '../../src/domain/events.ts';
import type { Signal } from '../../src/domain/signals.ts';
import { analyseUtterance } from '../../src/domain/text/analyse-utterance.ts';
import { generateDay } from '../../src/sim/generator.ts';
import { agentIdFor } from '../../src/sim/shifts.ts';

const START = Date.UTC(2026, 2, 2, 8);

/** A simulated day's signals as the intake hands them to the engine: transcript text analysed and dropped. */
function day(seed: number, agents: number, hours: number): Signal[] {
  return [...generateDay({ startMs: START, agents, hours, seed })].map((s) => {
    if (s.type !== 'utterance' || s.text === undefined) return s;
    const { text, ...rest } = s;
    return { ...rest, ...analyseUtterance(text) };
  });
}

/** Applies signals the way the engine does (key hash remembered) and returns the events they produced. */
function feed(org: OrgRuntime, signals: Signal[]): NewEvent[] {
  const events: NewEvent[] = [];
  for (const s of signals) org.apply(s, keyHash(JSON.stringify(s)), events);
  return events;
}

/** The org's whole state in comparable form (JSON: agents with rings, baselines, model config). */
const stateOf = (org: OrgRuntime) => JSON.parse(JSON.stringify(org.snapshot()));
/** The baselines' memory layout too (free slots and records included), which the JSON view does not show. */
const baselinesOf = (org: OrgRuntime) => {
  const cut = org.baselines.beginCut();
  try {
    const pages = <T>(count: number, page: (p: number) => ArrayLike<T>) => Array.from({ length: count }, (_, p) => Array.from(page(p)));
    return { meta: cut.meta, records: pages(cut.records.count, cut.records.page), rows: pages(cut.agentRows.count, cut.agentRows.page) };
  } finally {
    cut.end();
  }
};
const roundTrip = (orgs: OrgRuntime[]) => decodeSnapshot(encodeSnapshot(orgs));

test('restores every org exactly: agents, key rings, baselines and model config', () => {
  const signals = day(3, 25, 6);
  const calmer: ModelConfig = { ...DEFAULT_MODEL_CONFIG, levels: { ...DEFAULT_MODEL_CONFIG.levels, moderateAt: 45 } };
  const a = new OrgRuntime('org-a', DEFAULT_MODEL_CONFIG);
  const b = new OrgRuntime('org-b', calmer);
  feed(a, signals);
  feed(b, signals.slice(0, signals.length / 3));
  assert.ok(a.agents.size === 25 && a.baselines.toJSON().histograms.length > 25, 'agents and baselines to carry');

  const [ra, rb] = roundTrip([a, b]);
  assert.equal(ra.orgId, 'org-a');
  assert.equal(rb.orgId, 'org-b');
  assert.deepEqual(stateOf(ra), stateOf(a));
  assert.deepEqual(stateOf(rb), stateOf(b));
  assert.equal(rb.modelConfig.levels.moderateAt, 45);
  for (const [agentId, runtime] of ra.agents) {
    assert.equal(runtime.id, agentId);
    assert.equal(ra.find(agentId, agentKey(agentId)), runtime, `${agentId} is found by key`);
  }
});

test('a restored org goes on exactly like the original: same events, same state', () => {
  const signals = day(5, 20, 8);
  const half = Math.floor(signals.length / 2);
  const original = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  feed(original, signals.slice(0, half));
  const [restored] = roundTrip([original]);
  // The keys' fingerprints are not stored: derived again from the rings, they are the live ones.
  for (const [agentId, runtime] of original.agents) assert.deepEqual(restored.agents.get(agentId)!.ring, runtime.ring);
  const last = signals[half - 1];
  assert.ok(restored.seen(restored.agents.get(last.agentId)!, keyHash(JSON.stringify(last))), 'the first half is recognised');

  const rest = signals.slice(half);
  const expected = feed(original, rest);
  assert.ok(expected.length > 50, 'the second half produces events to compare');
  assert.deepEqual(feed(restored, rest), expected);
  assert.deepEqual(stateOf(restored), stateOf(original));
  // The key rings came back too: the second half again is all duplicates.
  const again = rest.at(-1)!;
  assert.ok(restored.seen(restored.agents.get(again.agentId)!, keyHash(JSON.stringify(again))));
});

test('forgotten agents leave free baseline slots and records that a restored org reuses the same way', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000 }), fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 3, maxLength: 6 }), (seed, forgotten) => {
      const signals = day(seed, 12, 3);
      const third = Math.floor(signals.length / 3);
      const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
      feed(org, signals.slice(0, third));
      const forget = (k: number) => {
        assert.ok(org.agents.has(agentIdFor(k)) || signals.slice(0, third).every((s) => s.agentId !== agentIdFor(k)));
        org.forget(agentIdFor(k));
      };
      // Forgotten before more traffic (their slots are taken again) and just before the snapshot (free at the cut).
      forgotten.slice(0, 2).forEach(forget);
      feed(org, signals.slice(third, 2 * third));
      forgotten.slice(2).forEach(forget);
      const [restored] = roundTrip([org]);
      assert.deepEqual(stateOf(restored), stateOf(org));
      assert.deepEqual(baselinesOf(restored), baselinesOf(org));
      const tail = signals.slice(2 * third);
      assert.deepEqual(feed(restored, tail), feed(org, tail));
      assert.deepEqual(stateOf(restored), stateOf(org));
      assert.deepEqual(baselinesOf(restored), baselinesOf(org), 'freed slots and records reused alike');
    }),
    { numRuns: 15 },
  );
});

test('an empty engine and an org without agents round-trip', () => {
  assert.deepEqual(roundTrip([]), []);
  const [empty] = roundTrip([new OrgRuntime('quiet', DEFAULT_MODEL_CONFIG)]);
  assert.equal(empty.agents.size, 0);
  assert.deepEqual(stateOf(empty), stateOf(new OrgRuntime('quiet', DEFAULT_MODEL_CONFIG)));
});

test('decodes a snapshot that does not start on an 8-byte boundary (a buffer read from the database)', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  feed(org, day(9, 5, 2));
  const bytes = encodeSnapshot([org]);
  const shifted = new Uint8Array(bytes.length + 1).subarray(1);
  shifted.set(bytes);
  assert.deepEqual(stateOf(decodeSnapshot(shifted)[0]), stateOf(org));
});

test('loads a snapshot saved as JSON before the binary format, as text or as bytes', () => {
  const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
  feed(org, day(4, 6, 2));
  const legacy = JSON.stringify({ orgs: { org: org.snapshot() } });
  assert.deepEqual(stateOf(decodeSnapshot(legacy)[0]), stateOf(org));
  assert.deepEqual(stateOf(decodeSnapshot(new TextEncoder().encode(legacy))[0]), stateOf(org));
});

test('refuses a snapshot of a newer format, naming both versions', () => {
  const bytes = encodeSnapshot([new OrgRuntime('org', DEFAULT_MODEL_CONFIG)]);
  new DataView(bytes.buffer).setUint32(4, 2, true);
  assert.throws(() => decodeSnapshot(bytes), /format 2 is newer than this build reads \(1\)/);
});

/** The state with agents in id order: a snapshot taken in slices restores agents in the order it encoded them. */
const byAgent = (org: OrgRuntime) => {
  const state = stateOf(org) as { agents: [string, unknown][] };
  state.agents.sort(([a], [b]) => (a < b ? -1 : 1));
  return state;
};

test('a snapshot taken in slices is the org at its cut, though agents and baselines change while it is encoded and read', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000 }),
      fc.array(fc.record({ slice: fc.integer({ min: 1, max: 6 }), signals: fc.integer({ min: 0, max: 40 }), forget: fc.option(fc.integer({ min: 0, max: 14 })) }), { minLength: 1, maxLength: 12 }),
      (seed, turns) => {
        const signals = day(seed, 15, 6);
        const cutAt = Math.floor(signals.length / 2);
        const org = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
        const reference = new OrgRuntime('org', DEFAULT_MODEL_CONFIG);
        const both = (from: number, to: number) => {
          feed(org, signals.slice(from, to));
          feed(reference, signals.slice(from, to));
        };
        both(0, cutAt);
        const atCut = { state: byAgent(org), baselines: baselinesOf(org) };

        const job = new SnapshotJob([org]);
        let next = cutAt;
        let done = false;
        for (const turn of turns) {
          // Between slices the engine goes on: signals (agents captured first, pages copied first) and exclusions.
          if (!done) done = job.step(turn.slice);
          both(next, (next = Math.min(signals.length, next + turn.signals)));
          if (turn.forget !== null) {
            org.forget(agentIdFor(turn.forget));
            reference.forget(agentIdFor(turn.forget));
          }
        }
        while (!done) done = job.step(3);
        const bytes = job.bytes();
        both(next, signals.length); // the baselines change again before their pages are read
        const [restored] = decodeSnapshot(bytes.read(0, bytes.byteLength));
        job.release();

        assert.deepEqual(byAgent(restored), atCut.state);
        assert.deepEqual(baselinesOf(restored), atCut.baselines);
        // The snapshot changed nothing the live org does.
        assert.deepEqual(byAgent(org), byAgent(reference));
        assert.deepEqual(baselinesOf(org), baselinesOf(reference));
      },
    ),
    { numRuns: 25 },
  );
});

