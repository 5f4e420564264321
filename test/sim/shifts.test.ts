import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { awayDuring, BREAK_MS, LUNCH_MS, maxAwayAtOnce, planShifts } from '../../src/sim/shifts.ts';
import { mulberry32 } from '../../src/sim/random.ts';

const START = Date.UTC(2024, 0, 8, 8);
const HOUR = 3_600_000;

describe('shift plans', () => {
  test('gives an 8 h shift two 15-min breaks around 2 h and 6 h in and a 30-min lunch in between', () => {
    const [plan] = planShifts({ agents: 1, startMs: START, hours: 8, shiftHours: 8, teamSize: 10 }, mulberry32(1));
    assert.equal(plan.endMs - plan.startMs, 8 * HOUR);
    assert.deepEqual(plan.breaks.map((b) => [b.kind, b.durationMs]), [['Break', BREAK_MS], ['Lunch', LUNCH_MS], ['Break', BREAK_MS]]);
    const [first, lunch, second] = plan.breaks.map((b) => (b.startMs - plan.startMs) / HOUR);
    assert.ok(first > 1.7 && first < 2.3, `first break at ${first} h`);
    assert.ok(lunch >= 3.25 && lunch < 5.5, `lunch at ${lunch} h`);
    assert.ok(second > 5.7 && second < 6.5, `second break at ${second} h`);
  });

  test('staggers lunch across the team', () => {
    const plans = planShifts({ agents: 10, startMs: START, hours: 8, shiftHours: 8, teamSize: 10 }, mulberry32(2));
    const lunches = plans.map((p) => p.breaks.find((b) => b.kind === 'Lunch')!.startMs);
    assert.ok(Math.max(...lunches) - Math.min(...lunches) >= 1.5 * HOUR);
  });

  test('covers a window longer than one shift with staggered shifts', () => {
    const plans = planShifts({ agents: 9, startMs: START, hours: 12, shiftHours: 8, teamSize: 10 }, mulberry32(3));
    assert.deepEqual([...new Set(plans.map((p) => (p.startMs - START) / HOUR))], [0, 2, 4]);
    assert.ok(plans.every((p) => p.endMs <= START + 12 * HOUR));
  });

  test('never has more than half a team away, and keeps every break inside its shift', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 2, max: 14, noNaN: true }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer(),
        (agents, hours, teamSize, seed) => {
          const plans = planShifts({ agents, startMs: START, hours, shiftHours: 8, teamSize }, mulberry32(seed));
          const teams = new Set(plans.map((p) => p.teamId));
          for (const team of teams) {
            const members = plans.filter((p) => p.teamId === team);
            const intervals = members.flatMap((p) => p.breaks.map((b) => [b.startMs, b.startMs + b.durationMs] as const));
            assert.ok(awayDuring(intervals, START, START + 24 * HOUR) <= maxAwayAtOnce(members.length));
          }
          for (const plan of plans) {
            let lastEnd = plan.startMs;
            for (const b of plan.breaks) {
              assert.ok(b.startMs >= lastEnd, 'an agent\'s breaks do not overlap');
              lastEnd = b.startMs + b.durationMs;
            }
            assert.ok(lastEnd <= plan.endMs);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test('counts the peak overlap of intervals inside a range', () => {
    assert.equal(awayDuring([[0, 10], [5, 15], [12, 20]], 0, 30), 2);
    assert.equal(awayDuring([[0, 10], [5, 15], [12, 20]], 15, 30), 1);
    assert.equal(awayDuring([], 0, 30), 0);
  });
});
