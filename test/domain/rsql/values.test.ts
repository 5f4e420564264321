import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileWildcard, convertValue, typedValue } from '../../../src/domain/rsql/values.ts';

describe('convertValue', () => {
  test('keeps strings as written', () => {
    assert.deepEqual(convertValue(' a b ', 'string'), { ok: true, value: ' a b ' });
  });

  test('accepts decimal and exponent notation for numbers', () => {
    const cases = [
      ['0', 0],
      ['-12', -12],
      ['+3.5', 3.5],
      ['.5', 0.5],
      ['5.', 5],
      ['1e3', 1000],
      ['2E-2', 0.02],
    ] as const;
    for (const [text, value] of cases) {
      assert.deepEqual(convertValue(text, 'number'), { ok: true, value }, text);
    }
  });

  test('refuses text that Number() would quietly accept or that is not finite', () => {
    for (const text of ['', ' ', ' 1', '0x10', '0b1', 'Infinity', '-Infinity', 'NaN', '1e999', '1_000', '1,5', '--1']) {
      assert.equal(convertValue(text, 'number').ok, false, JSON.stringify(text));
    }
  });

  test('accepts only true and false for booleans', () => {
    assert.deepEqual(convertValue('true', 'boolean'), { ok: true, value: true });
    assert.deepEqual(convertValue('false', 'boolean'), { ok: true, value: false });
    for (const text of ['TRUE', 'True', '1', '0', 'yes', '']) {
      assert.equal(convertValue(text, 'boolean').ok, false, text);
    }
  });
});

describe('typedValue', () => {
  test('passes a value of the declared type and drops any other', () => {
    assert.equal(typedValue(3, 'number'), 3);
    assert.equal(typedValue('3', 'number'), undefined);
    assert.equal(typedValue(false, 'boolean'), false);
    assert.equal(typedValue(null, 'string'), undefined);
  });
});

describe('compileWildcard', () => {
  test('without a star it is plain equality', () => {
    const matches = compileWildcard('a.b');
    assert.equal(matches('a.b'), true);
    assert.equal(matches('axb'), false);
  });

  test('prefix and suffix may not overlap', () => {
    assert.equal(compileWildcard('a*a')('a'), false);
    assert.equal(compileWildcard('a*a')('aa'), true);
    assert.equal(compileWildcard('ab*b*bc')('abbc'), false);
    assert.equal(compileWildcard('ab*b*bc')('abbbc'), true);
  });

  test('agrees with a regular-expression oracle on any star pattern', () => {
    const alphabet = fc.constantFrom('a', 'b');
    const oracle = (pattern: string) => new RegExp(`^${pattern.split('*').join('.*')}$`, 's');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '*'), maxLength: 8 }),
        fc.string({ unit: alphabet, maxLength: 10 }),
        (pattern, text) => {
          assert.equal(compileWildcard(pattern)(text), oracle(pattern).test(text));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  test('stays fast on patterns that make backtracking matchers explode', () => {
    const pattern = `${'a*'.repeat(500)}b`;
    const text = 'a'.repeat(2_000);
    const started = performance.now();
    assert.equal(compileWildcard(pattern)(text), false);
    assert.ok(performance.now() - started < 1_000);
  });
});
