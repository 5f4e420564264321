import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AppError } from '../../src/domain/errors.ts';
import { compileFilter, type FieldSpec } from '../../src/domain/rsql.ts';

const fields: FieldSpec = { s: 'string', n: 'number', b: 'boolean' };

/** RSQL double-quoted literal: backslash escapes the quote and itself. */
const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

// Small domains so that generated comparisons and records often agree; odd values to probe edges.
const stringValue = fc.oneof(fc.constantFrom('a', 'b', 'ab', '', 'a b', 'a*', '*b', '*'), fc.string({ maxLength: 6 }));
const numberValue = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const wrongTypeValue = fc.constantFrom(null, '1', 'true', 0, false, [], {});

const record = fc.record(
  {
    s: fc.oneof(stringValue, wrongTypeValue),
    n: fc.oneof(numberValue, fc.constant(Number.NaN), wrongTypeValue),
    b: fc.oneof(fc.boolean(), wrongTypeValue),
  },
  { requiredKeys: [] },
);

type Field = keyof typeof fields;
const renderOne = (field: Field, value: string | number | boolean) =>
  field === 's' ? quote(value as string) : String(value);
const valueFor = (field: Field): fc.Arbitrary<string | number | boolean> =>
  field === 's' ? stringValue : field === 'n' ? numberValue : fc.boolean();

/** `field==value` / `field!=value` pairs, over every field type. */
const equalityPair = fc
  .constantFrom<Field>('s', 'n', 'b')
  .chain((field) => valueFor(field).map((value) => ({ field, text: renderOne(field, value) })));

/** `field=in=(…)` / `field=out=(…)` pairs. */
const membershipPair = fc.constantFrom<Field>('s', 'n', 'b').chain((field) =>
  fc.array(valueFor(field), { minLength: 1, maxLength: 4 }).map((values) => ({
    field,
    text: `(${values.map((v) => renderOne(field, v)).join(',')})`,
  })),
);

/** Any simple comparison the filter language supports for that field's type. */
const comparison: fc.Arbitrary<string> = fc.oneof(
  equalityPair.chain(({ field, text }) => fc.constantFrom('==', '!=').map((op) => `${field}${op}${text}`)),
  membershipPair.chain(({ field, text }) => fc.constantFrom('=in=', '=out=').map((op) => `${field}${op}${text}`)),
  numberValue.chain((value) =>
    fc.constantFrom('<', '<=', '>', '>=', '=lt=', '=le=', '=gt=', '=ge=').map((op) => `n${op}${value}`),
  ),
);

const evaluate = (filter: string, r: Record<string, unknown>) => compileFilter(filter, fields)(r);

describe('compileFilter properties', () => {
  test('f==v and f!=v are complements on every record', () => {
    fc.assert(
      fc.property(equalityPair, record, ({ field, text }, r) => {
        assert.equal(evaluate(`${field}==${text}`, r), !evaluate(`${field}!=${text}`, r));
      }),
    );
  });

  test('=in= and =out= are complements on every record', () => {
    fc.assert(
      fc.property(membershipPair, record, ({ field, text }, r) => {
        assert.equal(evaluate(`${field}=in=${text}`, r), !evaluate(`${field}=out=${text}`, r));
      }),
    );
  });

  test('(X);(Y) is X and Y, (X),(Y) is X or Y', () => {
    fc.assert(
      fc.property(comparison, comparison, record, (x, y, r) => {
        const [px, py] = [evaluate(x, r), evaluate(y, r)];
        assert.equal(evaluate(`(${x});(${y})`, r), px && py);
        assert.equal(evaluate(`(${x}),(${y})`, r), px || py);
        assert.equal(evaluate(`(${x}) and (${y})`, r), px && py);
        assert.equal(evaluate(`(${x}) or (${y})`, r), px || py);
      }),
    );
  });

  test('< and >= split every numeric record value, as do > and <=', () => {
    fc.assert(
      fc.property(numberValue, numberValue, (bound, value) => {
        const r = { n: value };
        assert.equal(evaluate(`n<${bound}`, r), !evaluate(`n>=${bound}`, r));
        assert.equal(evaluate(`n>${bound}`, r), !evaluate(`n<=${bound}`, r));
        assert.equal(evaluate(`n<${bound}`, r), evaluate(`n=lt=${bound}`, r));
        assert.equal(evaluate(`n>=${bound}`, r), evaluate(`n=ge=${bound}`, r));
      }),
    );
  });

  test('a quoted value round-trips any string without wildcards', () => {
    const noStar = fc.string({ unit: 'binary', maxLength: 30 }).filter((v) => !v.includes('*'));
    fc.assert(
      fc.property(noStar, (value) => {
        const filter = compileFilter(`s==${quote(value)}`, fields);
        assert.equal(filter({ s: value }), true);
        assert.equal(filter({ s: `${value}x` }), false);
      }),
    );
  });

  test('*v* matches exactly the strings containing v, v* those starting with v', () => {
    const part = fc.string({ unit: fc.constantFrom('a', 'b', ' '), maxLength: 3 });
    fc.assert(
      fc.property(part, fc.string({ unit: fc.constantFrom('a', 'b', ' '), maxLength: 6 }), (v, text) => {
        assert.equal(evaluate(`s==${quote(`*${v}*`)}`, { s: text }), text.includes(v));
        assert.equal(evaluate(`s==${quote(`${v}*`)}`, { s: text }), text.startsWith(v));
      }),
    );
  });

  // A grammar-shaped token soup reaches the parser and the compiler far more often than random text.
  const tokenSoup = fc
    .array(
      fc.oneof(
        fc.constantFrom('(', ')', ';', ',', ' and ', ' or ', '==', '!=', '=in=', '=out=', '<', '>=', '=gt=', '=x='),
        fc.constantFrom('s', 'n', 'b', 'zz', 'true', '1', '1e999', '"', "'", '\\', '*', ' '),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: 25 },
    )
    .map((tokens) => tokens.join(''));

  test('any input either compiles to a boolean predicate or is refused with a validation AppError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), tokenSoup), record, (filter, r) => {
        let predicate;
        try {
          predicate = compileFilter(filter, fields);
        } catch (error) {
          assert.ok(error instanceof AppError, `${JSON.stringify(filter)} threw ${String(error)}`);
          assert.equal(error.code, 'validation');
          assert.ok(error.descriptions.length > 0 && error.descriptions.every((d) => d.startsWith('filter: ')));
          return;
        }
        assert.equal(typeof predicate(r), 'boolean');
      }),
      { numRuns: 2_000 },
    );
  });
});
