import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dayFactor, exponential, gamma, lognormal, mulberry32, streamFor, weightedIndex } from '../../src/sim/random.ts';

const draw = (n: number, f: () => number) => Array.from({ length: n }, f);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('seeded random numbers', () => {
  test('repeats the same sequence for the same seed and stays in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = draw(50, mulberry32(seed));
        assert.deepEqual(a, draw(50, mulberry32(seed)));
        assert.ok(a.every((x) => x >= 0 && x < 1));
      }),
    );
  });

  test('gives independent streams per purpose from one seed', () => {
    assert.notDeepEqual(draw(5, streamFor(1, 'arrivals')), draw(5, streamFor(1, 'contacts')));
    assert.notDeepEqual(draw(5, streamFor(1, 'arrivals')), draw(5, streamFor(2, 'arrivals')));
  });

  test('samples exponential gaps with mean 1/rate', () => {
    const rng = mulberry32(3);
    assert.ok(Math.abs(mean(draw(20_000, () => exponential(rng, 4))) - 0.25) < 0.01);
  });

  test('samples a lognormal by its median and log-sigma', () => {
    const rng = mulberry32(4);
    const xs = draw(20_000, () => lognormal(rng, 270, 0.8));
    assert.ok(Math.abs(median(xs) / 270 - 1) < 0.04);
    assert.ok(Math.abs(sd(xs.map(Math.log)) - 0.8) < 0.02);
  });

  test('samples gamma with the requested mean and variance, including shape below 1', () => {
    const rng = mulberry32(5);
    for (const [shape, scale] of [[0.5, 2], [3, 1.5], [44.4, 1 / 44.4]]) {
      const xs = draw(20_000, () => gamma(rng, shape, scale));
      assert.ok(Math.abs(mean(xs) / (shape * scale) - 1) < 0.04, `mean for shape ${shape}`);
      assert.ok(Math.abs(sd(xs) / (Math.sqrt(shape) * scale) - 1) < 0.05, `sd for shape ${shape}`);
    }
  });

  test('draws a day factor with mean 1 and the given coefficient of variation', () => {
    const rng = mulberry32(6);
    const xs = draw(20_000, () => dayFactor(rng, 0.15));
    assert.ok(Math.abs(mean(xs) - 1) < 0.01);
    assert.ok(Math.abs(sd(xs) - 0.15) < 0.01);
    assert.equal(dayFactor(rng, 0), 1);
  });

  test('picks indexes in proportion to their weights', () => {
    const rng = mulberry32(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[weightedIndex(rng, [1, 2, 7])]++;
    assert.ok(Math.abs(counts[2] / 30_000 - 0.7) < 0.015);
    assert.ok(Math.abs(counts[0] / 30_000 - 0.1) < 0.01);
  });
});
