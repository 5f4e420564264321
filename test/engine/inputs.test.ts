// The input log's entries: a keyed signal is logged as its line alone, any other with its hash split in
// two small integers, and entries written before that encoding ([hash, input]) still replay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLogEntries, signalLogEntry } from '../../src/engine/inputs.ts';
import { keyHash } from '../../src/engine/key-hash.ts';

const keyed = { type: 'task.ended', agentId: 'agent-1', interactionId: 'call-1', time: 1_790_000_000_000, key: 'conn-42' };
const unkeyed = { type: 'task.ended', agentId: 'agent-2', interactionId: 'call-2', time: 1_790_000_000_500 };
const rowOf = (entries: string[]) => `[${entries.join(',')}]`;

test('a keyed signal is logged as its line alone and replays with keyHash(key)', () => {
  const line = JSON.stringify(keyed);
  assert.equal(signalLogEntry(line, keyHash(keyed.key), true), line);
  assert.deepEqual(readLogEntries(rowOf([signalLogEntry(line, keyHash(keyed.key), true)])), [[keyHash(keyed.key), keyed]]);
});

test('an unkeyed signal keeps its exact 52-bit hash', () => {
  for (const hash of [0, 1, 2 ** 22 - 1, 2 ** 22, 2 ** 52 - 1, keyHash(JSON.stringify(unkeyed))]) {
    const entry = signalLogEntry(JSON.stringify(unkeyed), hash, false);
    assert.deepEqual(readLogEntries(rowOf([entry])), [[hash, unkeyed]], `hash ${hash}`);
  }
});

test('reads entries written as [hash, input] (the engine\'s own inputs, and logs from earlier versions)', () => {
  const forget = { type: 'engine.forget', agentIds: ['agent-1'] };
  const json = JSON.stringify([[0, forget], [4_503_599_627_370_495, unkeyed]]);
  assert.deepEqual(readLogEntries(json), [[0, forget], [4_503_599_627_370_495, unkeyed]]);
});

test('one row mixes the forms in order', () => {
  const row = rowOf([
    signalLogEntry(JSON.stringify(keyed), keyHash(keyed.key), true),
    signalLogEntry(JSON.stringify(unkeyed), 12_345_678_901, false),
    JSON.stringify([7, unkeyed]),
  ]);
  assert.deepEqual(readLogEntries(row), [[keyHash(keyed.key), keyed], [12_345_678_901, unkeyed], [7, unkeyed]]);
});
