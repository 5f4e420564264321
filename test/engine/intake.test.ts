// Turning a request body into candidate signals: each line on its own, every rejection with its line.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSignal, fromJson, intakeNdjson, splitNdjson, takeBatch, type Candidate, type IntakeRequest, type Rejection } from '../../src/engine/intake.ts';
import { agentKey } from '../../src/engine/key-hash.ts';
import { agentIdAt, agentKeyAt } from '../../src/engine/signal-codec.ts';

const time = Date.UTC(2025, 0, 6, 9);
const offered = { type: 'task.offered', agentId: 'a1', interactionId: 'i1', time, channel: 'voice' };

function split(text: string): { candidates: Candidate[]; rejected: Rejection[] } {
  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  splitNdjson(text, candidates, rejected);
  return { candidates, rejected };
}

describe('splitNdjson', () => {
  test('numbers lines from 0, skips blank lines and accepts CRLF and a missing final newline', () => {
    const line = JSON.stringify(offered);
    const { candidates, rejected } = split(`${line}\r\n\n  \n${line}\n{oops\r\n${line}`);
    assert.deepEqual(candidates.map((c) => c.index), [0, 1, 3]);
    assert.deepEqual(rejected, [{ index: 2, reason: 'line is not valid JSON' }]);
    assert.ok(candidates.every((c) => c.raw === line), 'the raw line keeps no \\r');
  });

  test('every non-blank line becomes exactly one candidate or one rejection, in order', () => {
    const lineArb = fc.oneof(fc.json(), fc.string({ maxLength: 20 }).filter((s) => !s.includes('\n')));
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), (lines) => {
        const { candidates, rejected } = split(lines.join('\n'));
        const nonBlank = lines.filter((l) => l.replace(/\r$/, '').trim() !== '');
        const indexes = [...candidates.map((c) => c.index), ...rejected.map((r) => r.index)].sort((a, b) => a - b);
        assert.deepEqual(indexes, nonBlank.map((_, i) => i));
      }),
    );
  });
});

describe('fromJson', () => {
  test('an array gives one candidate per element, a single value one candidate', () => {
    const many: Candidate[] = [];
    fromJson([offered, 1, null], many);
    assert.deepEqual(many.map((c) => [c.index, c.value]), [[0, offered], [1, 1], [2, null]]);
    const one: Candidate[] = [];
    fromJson(offered, one);
    assert.deepEqual(one, [{ index: 0, value: offered }]);
  });
});

describe('checkSignal', () => {
  test('accepts a valid signal of every kind', () => {
    const on = { agentId: 'a1', interactionId: 'i1', time };
    for (const signal of [
      offered,
      { type: 'task.connected', ...on },
      { type: 'task.held', ...on },
      { type: 'task.resumed', ...on },
      { type: 'task.transferred', ...on },
      { type: 'task.ended', ...on },
      { type: 'task.wrapup_done', ...on, wrapupCode: 'sale' },
      { type: 'agent.state', agentId: 'a1', time, state: 'idle', idleCode: 'Lunch' },
      { type: 'utterance', ...on, speaker: 'customer', text: 'hello' },
      { type: 'utterance', ...on, speaker: 'agent', sentiment: 0.2 },
      { type: 'sentiment', ...on, score: -0.5 },
      { type: 'survey', ...on, csat: 4 },
    ]) {
      assert.deepEqual(checkSignal(signal), signal, signal.type);
    }
  });

  test('names the field at fault', () => {
    const cases: [unknown, RegExp][] = [
      [[offered], /JSON object/],
      ['text', /JSON object/],
      [{ ...offered, type: 'task.lost' }, /^type must be one of/],
      [{ ...offered, type: undefined }, /^type must be one of/],
      [{ ...offered, agentId: undefined }, /agentId/],
      [{ ...offered, agentId: '' }, /^agentId: /],
      [{ ...offered, time: 'now' }, /^time: /],
      [{ ...offered, time: 1_700_000_000 }, /^time: /], // seconds instead of ms
      [{ ...offered, channel: 'fax' }, /channel/],
      [{ ...offered, extra: 1 }, /extra|additional/i],
      [{ type: 'sentiment', agentId: 'a', interactionId: 'i', time, score: -2 }, /^score: /],
      [{ type: 'agent.state', agentId: 'a', time, state: 'asleep' }, /^state: /],
    ];
    for (const [value, reason] of cases) {
      const result = checkSignal(value);
      assert.equal(typeof result, 'string', JSON.stringify(value));
      assert.match(result as string, reason, JSON.stringify(value));
    }
  });
});

describe('intakeNdjson', () => {
  const request: IntakeRequest = { orgId: 'org-1', now: time + 60_000, futureToleranceMs: 300_000 };
  /** The same body as bytes (the server's way) and as text: the text's log entries are encoded from strings. */
  const bothWays = (text: string) => ({ fromBytes: intakeNdjson(Buffer.from(text), request), fromText: intakeNdjson(text, request) });

  test("an ASCII body's log entries, copied from its bytes, are the ones its text gives", () => {
    const lines = [
      JSON.stringify(offered),
      JSON.stringify({ ...offered, key: 'client-key-1' }),
      `${JSON.stringify({ ...offered, agentId: 'a2' })}\r`,
      '',
      '{not json',
      JSON.stringify({ type: 'utterance', agentId: 'a1', interactionId: 'i1', time, speaker: 'customer', text: 'you are useless' }),
      JSON.stringify({ type: 'task.ended', agentId: 'a3', interactionId: 'i9', time, key: 'k-2' }),
      `  ${JSON.stringify({ type: 'task.ended', agentId: 'a4', interactionId: 'i4', time })}  `,
    ];
    const { fromBytes, fromText } = bothWays(lines.join('\n'));
    assert.deepEqual(fromBytes, fromText);
    assert.equal(fromBytes.batch.count, 6);
    assert.equal(fromBytes.rejected.length, 1);
    // Readable as the array of entries: keyed lines alone, the others as [high, low, line].
    const entries = JSON.parse(Buffer.from(fromBytes.batch.log).toString()) as unknown[];
    assert.deepEqual(entries[1], { ...offered, key: 'client-key-1' });
    assert.ok(Array.isArray(entries[0]) && entries[0].length === 3);
  });

  test('any mix of keyed, unkeyed and CRLF lines logs the same from bytes as from text', () => {
    const ascii = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '"', '\\', '-'), maxLength: 12 });
    const line = fc.record({ agent: ascii.filter((a) => a.length > 0), key: fc.option(ascii.filter((k) => k.length > 0)), crlf: fc.boolean() });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (specs) => {
        const text = specs
          .map(({ agent, key, crlf }, i) => JSON.stringify({ ...offered, agentId: agent, interactionId: `i${i}`, ...(key === null ? {} : { key }) }) + (crlf ? '\r' : ''))
          .join('\n');
        const { fromBytes, fromText } = bothWays(text);
        assert.deepEqual(fromBytes, fromText);
        assert.equal(fromBytes.batch.count, specs.length);
        // Escaped characters too: the key is the decoded id's, however the line spelled it.
        specs.forEach(({ agent }, i) => {
          assert.equal(agentIdAt(fromBytes.batch, i), agent);
          assert.equal(agentKeyAt(fromBytes.batch, i), agentKey(agent));
        });
      }),
    );
  });

  test('a body with any non-ASCII character logs its lines as its text does', () => {
    const { fromBytes, fromText } = bothWays([JSON.stringify({ ...offered, agentId: 'Łódź' }), JSON.stringify(offered)].join('\n'));
    assert.deepEqual(fromBytes, fromText);
    assert.equal(JSON.parse(Buffer.from(fromBytes.batch.log).toString())[0][2].agentId, 'Łódź');
  });

  test('a body of many 64 KB pieces (decoded piece by piece) gives what its text gives, line numbers and all', () => {
    // Lines of varied length and kind, so piece ends fall after short, long, non-ASCII and bad lines.
    const kinds = [
      (i: number) => JSON.stringify({ ...offered, agentId: `agent-${i}`, interactionId: `i${'x'.repeat(i % 97)}` }),
      (i: number) => `${JSON.stringify({ ...offered, agentId: `Łódź-${i}`, key: `k-${i}` })}\r`,
      () => '',
      () => '{not json',
      (i: number) => `${' '.repeat(70_000 * (i % 300 === 4 ? 1 : 0))}${JSON.stringify({ type: 'task.ended', agentId: 'a3', interactionId: `e${i}`, time })}`,
    ];
    const text = Array.from({ length: 3_000 }, (_, i) => kinds[i % kinds.length](i)).join('\n');
    assert.ok(Buffer.byteLength(text) > 6 * 64 * 1024, 'several pieces');
    const { fromBytes, fromText } = bothWays(text);
    assert.deepEqual(fromBytes, fromText);
    assert.equal(fromBytes.lines, 2_400);
    assert.equal(fromBytes.rejected.length, 600);
    assert.deepEqual(fromBytes.rejected.slice(0, 2).map((r) => r.index), [2, 6], 'blank lines are not numbered');
  });

  test('a stray byte that is not UTF-8 is logged as the character it decodes to, as from text', () => {
    const [before, after] = JSON.stringify({ ...offered, agentId: 'a#' }).split('#');
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0x80]), Buffer.from(after)]);
    const text = bytes.toString('utf8');
    assert.equal(text.length, bytes.length, 'one character for the one byte');
    assert.deepEqual(intakeNdjson(bytes, request), intakeNdjson(text, request));
  });
});

describe('takeBatch', () => {
  const request: IntakeRequest = { orgId: 'org-1', now: time + 60_000, futureToleranceMs: 300_000 };

  test('hands out the batch once and leaves the intake holding none of its signals, ids or log', () => {
    const intake = intakeNdjson(`${JSON.stringify(offered)}\n${JSON.stringify({ ...offered, agentId: 'a2' })}\nnot json\n`, request);
    const { count, strs } = intake.batch;
    const batch = takeBatch(intake);
    assert.equal(batch.count, count);
    assert.equal(batch.count, 2);
    assert.deepEqual(batch.strs, strs);
    // What the promises that carried the intake still point at: nothing of the batch.
    assert.deepEqual({ count: intake.batch.count, nums: intake.batch.nums.length, strs: intake.batch.strs.length, words: intake.batch.words.length, log: intake.batch.log.length }, { count: 0, nums: 0, strs: 0, words: 0, log: 0 });
    assert.equal(takeBatch(intake).count, 0, 'a second take gets no signals');
    // The rejections stay: they are the answer's.
    assert.deepEqual(intake.rejected, [{ index: 2, reason: 'line is not valid JSON' }]);
  });
});
