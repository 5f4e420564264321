import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentRecords, rowWordsFromHistogramRows } from '../../../src/domain/burnout/agent-records.ts';
import { weekOf } from '../../../src/domain/burnout/histogram.ts';

const T0 = Date.UTC(2026, 0, 5, 9);
const DAY = 86_400_000;
const ROWS = 4;
/** log2(duration / 15 s) of a duration in seconds, as the baselines pass it. */
const logOf = (sec: number) => Math.log2(sec / 15);

describe('AgentRecords', () => {
  test("a record's median is the geometric mean of its durations", () => {
    const records = new AgentRecords(ROWS);
    const slot = records.slotFor('a');
    const r = records.add(slot, 7, T0);
    for (const sec of [100, 400]) for (let i = 0; i < 50; i++) records.count(r, logOf(sec), weekOf(T0));
    assert.ok(Math.abs(records.median(r, T0, 100) / 200_000 - 1) < 0.005, 'sqrt(100 × 400) s');
    assert.equal(records.median(records.add(slot, 8, T0), T0, 1), 0, 'an empty record has no median');
  });

  test('below minInteractions a record has no median', () => {
    const records = new AgentRecords(ROWS);
    const r = records.add(records.slotFor('a'), 1, T0);
    for (let i = 0; i < 99; i++) records.count(r, logOf(300), weekOf(T0));
    assert.equal(records.median(r, T0, 100), 0);
  });

  test('finds each of many keys, past the five the agent row lists', () => {
    const records = new AgentRecords(ROWS);
    const slot = records.slotFor('a');
    const made = new Map<number, number>();
    for (let key = 0; key < 12; key++) made.set(key * 4 + 1, records.add(slot, key * 4 + 1, T0));
    for (const [key, r] of made) assert.equal(records.find(slot, key), r, `key ${key}`);
    assert.equal(records.find(slot, 2), -1);
  });

  test("a forgotten agent's slot and records are reused, not added", () => {
    const records = new AgentRecords(ROWS);
    const first = records.slotFor('a');
    const used = [records.add(first, 1, T0), records.add(first, 2, T0)];
    records.forget('a');
    assert.equal(records.slotOf('a'), -1);
    assert.equal(records.owns(first, 'a'), false, 'a remembered slot is no longer theirs');
    const second = records.slotFor('b');
    assert.equal(second, first);
    assert.ok(Number.isNaN(records.since(second)), 'the new owner has no tenure yet');
    const reused = [records.add(second, 3, T0), records.add(second, 4, T0)];
    assert.deepEqual(reused.sort(), used.sort());
    assert.equal(records.find(second, 1), -1, "the old owner's keys are gone");
  });

  test('entries and restore keep the chain order and every word', () => {
    const records = new AgentRecords(ROWS);
    const slot = records.slotFor('a');
    for (let key = 1; key <= 7; key++) {
      const r = records.add(slot, key, T0);
      for (let i = 0; i < key; i++) records.count(r, logOf(60 * key), weekOf(T0) - (i % 2));
      records.median(r, T0, 1);
    }
    const listed = records.entries(slot);
    const copy = new AgentRecords(ROWS);
    const copySlot = copy.slotFor('a');
    for (let k = listed.length - 1; k >= 0; k--) copy.restore(copySlot, listed[k]);
    assert.deepEqual(copy.entries(copySlot), listed);
  });

  test("a cut's pages read as they were while the records change", () => {
    const records = new AgentRecords(ROWS);
    const r = records.add(records.slotFor('a'), 1, T0);
    records.count(r, logOf(300), weekOf(T0));
    const cut = records.beginCut();
    const before = Array.from(cut.records.page(0));
    records.count(r, logOf(300), weekOf(T0));
    records.add(records.slotFor('b'), 1, T0 + DAY);
    assert.deepEqual(Array.from(cut.records.page(0)), before);
    const restored = AgentRecords.fromImage(ROWS, cut.meta, cut.records.page(0), cut.agentRows.page(0));
    cut.records.end();
    cut.agentRows.end();
    assert.equal(restored.slotOf('b'), -1, 'b came after the cut');
    const counted = restored.entries(restored.slotOf('a'))[0].rowWords.filter((_, i) => i % 2 === 0);
    assert.equal(counted.reduce((n, w) => n + w, 0), 1, 'the interaction counted after the cut is not in it');
  });

  test("reads a version-2 histogram row as its count and the log sum of its bins' middles", () => {
    const bins = new Array(2 * 40).fill(0);
    bins[40 + 8] = 3; // row 1, bin 8: two doublings above 15 s, plus half a bin
    assert.deepEqual(rowWordsFromHistogramRows(bins, 2), [0, 0, 3, 3 * Math.round((8.5 * 256) / 4)]);
  });
});
