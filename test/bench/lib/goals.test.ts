import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goalRows, lastJsonLine, yardsticks, type BenchResults } from '../../../bench/lib/goals.ts';

const results: BenchResults = {
  actions: { actionsPerSec: 10_000, p99Ms: 25.1, bareRoutePerSec: 21_000, ratio: 0.48, asCreated: { actionsPerSec: 9_999, p99Ms: 12, ratio: 0.5 } },
  engine: { signalsPerSecPreParsed: 1_000_000, signalsPerSecFromNdjson: null, parseFloorPerSec: null, ratioToParseFloor: null, bytesPerAgent: 2049 },
  ingest: { signalsPerSec: 199_999, p99BatchMs: 190, bytesPerAgent: 1700 },
};

describe('bench:goals', () => {
  test('judges each goal at its bound: at the limit is met, just past it is not', () => {
    const verdicts = Object.fromEntries(goalRows(results).map((g) => [g.goal, g.met]));
    assert.deepEqual(verdicts, {
      'actions, wellbeing on: ≥ 10,000 durable actions/s': true,
      'actions, wellbeing on: p99 ≤ 25 ms': false,
      'actions, wellbeing on: ≥ 0.5× the bare route': false,
      'actions, org as created: ≥ 10,000 durable actions/s': false,
      'actions, org as created: p99 ≤ 25 ms': true,
      'actions, org as created: ≥ 0.5× the bare route': true,
      'pre-parsed: ≥ 1,000,000 signals/s/core (100,000 agents)': true,
      'engine path: ≥ 0.5× the parse-only floor': undefined,
      'HTTP NDJSON ingest: ≥ 200,000 signals/s': false,
      'memory: ≤ 2 KB a tracked agent (bench:engine)': false,
      'memory: ≤ 2 KB a tracked agent (bench:ingest, the server)': true,
    });
  });

  test('a benchmark that did not run leaves its goals unmeasured, not failed', () => {
    const rows = goalRows({ ingest: results.ingest });
    assert.ok(rows.filter((g) => g.issue === 2).every((g) => g.met === undefined && g.measured === 'not measured'));
    assert.equal(rows.find((g) => g.goal.startsWith('HTTP'))?.measured, '199,999/s (batch p99 190 ms)');
  });

  test('gives the yardsticks: the bare route (and when it was under the rate goal), the parse floor and the floor each rate goal needs', () => {
    assert.deepEqual(yardsticks({ actions: { ...results.actions!, bareRoutePerSec: 9_201 } }), [
      'bare Fastify route (validates, stores nothing): 9,201/s — under 10,000/s: no server could show the actions rate goal this hour',
    ]);
    assert.deepEqual(yardsticks({ actions: results.actions, engine: { ...results.engine!, parseFloorPerSec: 800_000 }, ingest: results.ingest }), [
      'bare Fastify route (validates, stores nothing): 21,000/s',
      'JSON.parse of the NDJSON lines, one thread: 800,000/s',
      'pre-parsed made 1.25× the floor: 1,000,000/s would need a floor of ~800,000/s',
      'HTTP ingest made 0.25× the floor: 200,000/s would need a floor of ~800,004/s',
    ]);
  });

  test("reads a benchmark's last JSON line past trailing output and non-JSON braces", () => {
    const stdout = 'round 1: 5 ok\n{"a":1}\n{not json\nwarning: load\n{"a":2,"b":[1]}\n\n';
    assert.deepEqual(lastJsonLine(stdout), { a: 2, b: [1] });
    assert.deepEqual(lastJsonLine('{"a":1}\n{broken'), { a: 1 });
    assert.equal(lastJsonLine('no json here\n'), undefined);
  });
});
