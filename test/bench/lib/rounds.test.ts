import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { median, percentile, perSec } from '../../../bench/lib/rounds.ts';

describe('benchmark statistics', () => {
  test('percentiles use the nearest rank of the sorted sample', () => {
    const sample = [50, 10, 40, 20, 30];
    assert.equal(percentile(sample, 50), 30);
    assert.equal(percentile(sample, 99), 50);
    assert.equal(percentile(sample, 0), 10);
    assert.equal(median([4, 1, 3, 2]), 2);
  });

  test('a percentile is always one of the sample values and grows with p', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1 }), fc.integer({ min: 0, max: 99 }), (sample, p) => {
        const at = percentile(sample, p);
        assert.ok(sample.includes(at));
        assert.ok(percentile(sample, p + 1) >= at);
      }),
    );
  });

  test('the percentile of an empty sample is NaN, not a made-up number', () => {
    assert.ok(Number.isNaN(percentile([], 99)));
  });

  test('rates are per second', () => {
    assert.equal(perSec(5_000, 250), 20_000);
  });
});
