// The compact form an intake worker hands to the engine's thread must decode to the signal that was
// validated: every type, with and without each optional field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NUMS, STRS, SignalBatchBuilder, agentKeyAt, decodeSignal, hashAt, indexAt, interactionHashAt } from '../../src/engine/signal-codec.ts';
import { agentKey } from '../../src/engine/key-hash.ts';
import { idHash } from '../../src/domain/burnout/state.ts';
import type { Signal } from '../../src/domain/signals.ts';

const time = Date.UTC(2025, 0, 6, 9);
const on = { agentId: 'agent-7', interactionId: 'call-1', time };
const SIGNALS: Signal[] = [
  { type: 'task.offered', ...on, channel: 'chat' },
  { type: 'task.offered', ...on, channel: 'email', queueId: 'billing' },
  { type: 'task.connected', ...on },
  { type: 'task.connected', ...on, channel: 'voice', queueId: 'q', escalation: true },
  { type: 'task.connected', ...on, escalation: false },
  { type: 'task.held', ...on },
  { type: 'task.resumed', ...on },
  { type: 'task.transferred', ...on },
  { type: 'task.ended', ...on },
  { type: 'task.wrapup_done', ...on },
  { type: 'task.wrapup_done', ...on, wrapupCode: 'sale' },
  { type: 'agent.state', agentId: 'agent-7', time, state: 'logged_out' },
  { type: 'agent.state', agentId: 'agent-7', time, state: 'idle', idleCode: 'Lunch' },
  { type: 'utterance', ...on, speaker: 'agent' },
  { type: 'utterance', ...on, speaker: 'customer', sentiment: -0.25, abusive: true, targeted: false, interruption: true },
  { type: 'utterance', ...on, speaker: 'customer', sentiment: 0, abusive: false },
  { type: 'sentiment', ...on, score: -0.5 },
  { type: 'survey', ...on, csat: 2 },
];

/** What decoding must give back: the signal without the fields the model never reads. */
const applied = (signal: Signal) => {
  const { orgId: _org, key: _key, ...rest } = signal as Signal & { orgId?: string; key?: string };
  return rest;
};
/** Drops keys whose value is undefined (decoding may set absent optional fields to undefined). */
const defined = (value: object) => JSON.parse(JSON.stringify(value));

test('decodes every signal kind to the signal that was encoded, with its hash and line index', () => {
  const builder = new SignalBatchBuilder();
  SIGNALS.forEach((s, i) => builder.add({ ...s, orgId: 'org', key: `k${i}` } as Signal, 1_000_000 + i, i * 3, JSON.stringify(s)));
  const batch = builder.finish();
  assert.equal(batch.count, SIGNALS.length);
  const log = JSON.parse(Buffer.from(batch.log).toString()) as unknown[];
  SIGNALS.forEach((signal, i) => {
    assert.deepEqual(defined(decodeSignal(batch, i)), applied(signal), `signal ${i} (${signal.type})`);
    assert.equal(hashAt(batch, i), 1_000_000 + i);
    assert.equal(indexAt(batch, i), i * 3);
    assert.deepEqual(log[i], JSON.parse(JSON.stringify(signal)), 'the log entry is carried as given');
  });
});

test('sends each distinct type-specific string once per batch', () => {
  const builder = new SignalBatchBuilder();
  for (let i = 0; i < 50; i++) builder.add({ type: 'task.offered', ...on, time: time + i, channel: 'voice', queueId: 'q-support' } as Signal, i, i, '0');
  builder.add({ type: 'agent.state', agentId: 'agent-7', time, state: 'idle', idleCode: 'Lunch' } as Signal, 50, 50, '0');
  const batch = builder.finish();
  assert.deepEqual([...batch.words].sort(), ['Lunch', 'idle', 'q-support', 'voice']);
  assert.equal(batch.strs.length, 51 * STRS);
  const offered = decodeSignal(batch, 49) as Extract<Signal, { type: 'task.offered' }>;
  assert.equal(offered.queueId, 'q-support');
  assert.equal(offered.channel, 'voice');
});

test('grows past the capacity it was sized for', () => {
  const builder = new SignalBatchBuilder(1);
  for (let i = 0; i < 100; i++) builder.add({ type: 'task.ended', ...on, time: time + i }, i, i, '0');
  const batch = builder.finish();
  assert.equal(batch.count, 100);
  assert.equal(batch.nums.length, 100 * NUMS, 'exactly sized for the transfer');
  assert.equal(decodeSignal(batch, 99).time, time + 99);
  assert.equal(hashAt(batch, 0), 0);
});

test('keeps 52-bit hashes and epoch-ms times exact', () => {
  const builder = new SignalBatchBuilder();
  const hash = 2 ** 52 - 1;
  builder.add({ type: 'task.ended', ...on, time: 4_102_444_800_000 }, hash, 0, '0');
  const batch = builder.finish();
  assert.equal(hashAt(batch, 0), hash);
  assert.equal(decodeSignal(batch, 0).time, 4_102_444_800_000);
});

test('carries the interaction id\'s idHash, so the engine\'s thread never hashes it', () => {
  const builder = new SignalBatchBuilder();
  builder.add({ type: 'task.ended', ...on }, 1, 0, '0');
  builder.add({ type: 'agent.state', agentId: 'agent-7', time, state: 'available' }, 2, 1, '0');
  const batch = builder.finish();
  assert.equal(interactionHashAt(batch, 0), idHash('call-1'));
  assert.equal(interactionHashAt(batch, 1), undefined);
});

test('carries each agent id\'s agentKey, and decodes a known agent\'s signal with the id string it is given', () => {
  const builder = new SignalBatchBuilder();
  builder.add({ type: 'task.ended', ...on }, 1, 0, '0');
  builder.add({ type: 'agent.state', agentId: 'agent-8', time, state: 'available' }, 2, 1, '0');
  const batch = builder.finish();
  assert.equal(agentKeyAt(batch, 0), agentKey('agent-7'));
  assert.equal(agentKeyAt(batch, 1), agentKey('agent-8'));
  assert.equal(decodeSignal(batch, 0, 'given').agentId, 'given');
  assert.equal(decodeSignal(batch, 1).agentId, 'agent-8');
});
