import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { IDLE, pace } from '../../src/sim/pace.ts';

async function collect(speed: number, times: number[]) {
  let now = 10_000;
  const sleeps: number[] = [];
  const out: Array<number | typeof IDLE> = [];
  for await (const item of pace(times, { speed, timeOf: (t) => t, now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) })) {
    out.push(item);
  }
  return { out, sleeps };
}

describe('pacing by the wall clock', () => {
  test('runs simulated time at the given multiple of real time, announcing each wait first', async () => {
    const { out, sleeps } = await collect(2, [0, 1_000, 1_000, 5_000]);
    assert.deepEqual(sleeps, [500, 2_000]);
    assert.deepEqual(out, [0, IDLE, 1_000, 1_000, IDLE, 5_000]);
  });

  test('does not wait at speed 0', async () => {
    const { out, sleeps } = await collect(0, [0, 60_000, 3_600_000]);
    assert.deepEqual(sleeps, []);
    assert.deepEqual(out, [0, 60_000, 3_600_000]);
  });
});
