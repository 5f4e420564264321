// A batch's log entry travels as UTF-8 bytes (log-bytes.ts): it must read back as the JSON array of the
// entries written, and keeping some entries must give exactly those, in order, whatever the pattern.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBytesWriter, keepEntries } from '../../src/engine/log-bytes.ts';
import { SignalBatchBuilder, keptLog } from '../../src/engine/signal-codec.ts';
import type { Signal } from '../../src/domain/signals.ts';

const read = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

/** Entries of every width: ASCII, two- and three-byte characters, surrogate pairs, long ones. */
function entries(count: number, seed: number): string[] {
  let x = seed;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const alphabet = ['a', 'Z', '"', '\\', 'é', 'ß', '中', '😀', ' '];
  return Array.from({ length: count }, (_, i) => {
    const length = next() < 0.1 ? 2_000 : Math.floor(next() * 40);
    const text = Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    return JSON.stringify({ i, text });
  });
}

function written(list: string[], expectedBytes: number): { bytes: Uint8Array<ArrayBuffer>; starts: number[] } {
  const writer = new LogBytesWriter(expectedBytes);
  const starts = list.map((entry) => writer.append(entry));
  return { bytes: writer.finish(), starts };
}

test('writes the entries as one JSON array of them, in any script', () => {
  const list = entries(300, 1);
  const { bytes } = written(list, 64);
  assert.deepEqual(read(bytes), list.map((e) => JSON.parse(e)));
});

test('an empty batch is an empty array', () => {
  assert.deepEqual(read(new LogBytesWriter(0).finish()), []);
});

test('grows past the size it was sized for, even when one entry is larger than the whole guess', () => {
  const huge = JSON.stringify({ text: '中'.repeat(50_000) });
  const { bytes } = written(['1', huge, '2'], 16);
  assert.deepEqual(read(bytes), [1, JSON.parse(huge), 2]);
});

test('the bytes have an ArrayBuffer of their own, which can be transferred', () => {
  const { bytes } = written(['1', '2'], 1);
  assert.equal(bytes.byteOffset, 0);
  assert.ok(bytes.buffer.byteLength >= bytes.length);
  assert.ok(bytes.buffer.byteLength < 8 * 1024, 'not a slice of Buffer\'s shared pool');
  structuredClone(bytes, { transfer: [bytes.buffer] });
  assert.equal(bytes.length, 0, 'moved, not copied');
});

test('keeps exactly the flagged entries, in order, for every pattern of runs', () => {
  const list = entries(40, 7);
  const { bytes, starts } = written(list, 256);
  let x = 99;
  for (let round = 0; round < 300; round++) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    const density = (x % 5) / 4; // none, a quarter, half, three quarters, all
    const keep = new Uint8Array(list.length);
    for (let i = 0; i < list.length; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      keep[i] = x / 2 ** 31 < density ? 1 : 0;
    }
    const kept = keep.reduce((sum, k) => sum + k, 0);
    const out = keepEntries(bytes, (i) => starts[i], list.length, keep, kept);
    assert.deepEqual(read(out), list.filter((_, i) => keep[i] === 1).map((e) => JSON.parse(e)), `round ${round}`);
  }
});

test('keeping every entry hands back the same bytes, not a copy', () => {
  const { bytes, starts } = written(['1', '2', '3'], 64);
  assert.equal(keepEntries(bytes, (i) => starts[i], 3, new Uint8Array([1, 1, 1]), 3), bytes);
});

test('a signal batch\'s kept log holds the entries of the flagged signals', () => {
  const time = Date.UTC(2025, 0, 6, 9);
  const builder = new SignalBatchBuilder(2, 8);
  const signals: Signal[] = Array.from({ length: 9 }, (_, i) => ({ type: 'task.ended', agentId: `agent-${i}`, interactionId: `call-${i}`, time: time + i }));
  signals.forEach((signal, i) => builder.add(signal, i + 1, i, JSON.stringify([i, signal])));
  const batch = builder.finish();
  const keep = new Uint8Array([0, 1, 1, 0, 0, 1, 0, 1, 1]);
  assert.deepEqual(read(keptLog(batch, keep, 5)), [1, 2, 5, 7, 8].map((i) => [i, signals[i]]));
});

test('entries copied from bytes, with or without a prefix, read back among written ones, growing past the guess', () => {
  const line = JSON.stringify({ text: 'x'.repeat(5_000) });
  const source = Buffer.from(`noise${line}noise`);
  const writer = new LogBytesWriter(16);
  writer.append('1');
  writer.appendBytes('', source, 5, 5 + line.length);
  writer.appendBytes('[7,8,', source, 5, 5 + line.length);
  writer.append('2');
  assert.deepEqual(read(writer.finish()), [1, JSON.parse(line), [7, 8, JSON.parse(line)], 2]);
});

test('lines copied from a body back to back, among prefixed, written and skipped ones, read back in order and kept by their starts', () => {
  const lines = entries(400, 3);
  const body = Buffer.from(lines.map((line) => `${line}\n`).join(''));
  const at: number[] = [];
  for (let i = 0, offset = 0; i < lines.length; offset += Buffer.byteLength(lines[i]) + 1, i++) at.push(offset);
  let x = 5;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const writer = new LogBytesWriter(64);
  const expected: unknown[] = [];
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const roll = next();
    const value = JSON.parse(lines[i]);
    if (roll < 0.1) continue; // a rejected line: the next copy is not back to back
    if (roll < 0.2) {
      starts.push(writer.append(lines[i]));
      expected.push(value);
    } else if (roll < 0.3) {
      starts.push(writer.appendBytes(`[${i},`, body, at[i], at[i] + Buffer.byteLength(lines[i])));
      expected.push([i, value]);
    } else {
      starts.push(writer.appendBytes('', body, at[i], at[i] + Buffer.byteLength(lines[i])));
      expected.push(value);
    }
  }
  const bytes = writer.finish();
  assert.deepEqual(read(bytes), expected);
  const keep = Uint8Array.from(expected, () => (next() < 0.5 ? 1 : 0));
  const kept = keep.reduce((sum, k) => sum + k, 0);
  assert.deepEqual(read(keepEntries(bytes, (i) => starts[i], expected.length, keep, kept)), expected.filter((_, i) => keep[i] === 1));
});

test('a run of copied lines grows the buffer past its guess', () => {
  const line = JSON.stringify({ text: 'y'.repeat(3_000) });
  const body = Buffer.from(`${line}\n${line}\n${line}\n`);
  const writer = new LogBytesWriter(16);
  for (let i = 0; i < 3; i++) writer.appendBytes('', body, i * (line.length + 1), i * (line.length + 1) + line.length);
  assert.deepEqual(read(writer.finish()), [JSON.parse(line), JSON.parse(line), JSON.parse(line)]);
});
