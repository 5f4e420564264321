import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/domain/errors.ts';
import { compileFilter, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, type FieldSpec } from '../../src/domain/rsql.ts';

const fields: FieldSpec = {
  id: 'string',
  name: 'string',
  score: 'number',
  enabled: 'boolean',
  'agentWellbeing.enable': 'boolean',
};

const records: Record<string, unknown>[] = [
  { id: 'a', name: 'alpha', score: 10, enabled: true, agentWellbeing: { enable: true } },
  { id: 'b', name: 'beta', score: 20, enabled: false, agentWellbeing: { enable: false } },
  { id: 'c', name: 'gamma ray', score: 30, enabled: true },
  { id: 'd', name: 'al"pha', score: -5.5, enabled: false },
  { id: 'e' },
];

const matching = (filter: string | undefined) => records.filter(compileFilter(filter, fields)).map((r) => r.id);

/** Asserts the filter is refused with a validation AppError whose descriptions match every pattern. */
function assertRefused(filter: string, ...patterns: RegExp[]) {
  assert.throws(
    () => compileFilter(filter, fields),
    (error: unknown) => {
      assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
      assert.equal(error.code, 'validation');
      assert.equal(error.status, 400);
      const text = error.descriptions.join('\n');
      for (const pattern of patterns) assert.match(text, pattern);
      return true;
    },
  );
}

describe('compileFilter: operators', () => {
  test('== and != compare strings exactly', () => {
    assert.deepEqual(matching('id==a'), ['a']);
    assert.deepEqual(matching('id!=a'), ['b', 'c', 'd', 'e']);
    assert.deepEqual(matching('name==alph'), []);
  });

  test('== and != compare numbers by value, whatever the notation', () => {
    assert.deepEqual(matching('score==20'), ['b']);
    assert.deepEqual(matching('score==2e1'), ['b']);
    assert.deepEqual(matching('score==20.0'), ['b']);
    assert.deepEqual(matching('score==-5.5'), ['d']);
    assert.deepEqual(matching('score!=20'), ['a', 'c', 'd', 'e']);
  });

  test('== and != compare booleans', () => {
    assert.deepEqual(matching('enabled==true'), ['a', 'c']);
    assert.deepEqual(matching('enabled==false'), ['b', 'd']);
    assert.deepEqual(matching('enabled!=true'), ['b', 'd', 'e']);
  });

  test('=in= and =out= test membership in a list or a single value', () => {
    assert.deepEqual(matching('id=in=(a,c)'), ['a', 'c']);
    assert.deepEqual(matching('id=in=a'), ['a']);
    assert.deepEqual(matching('score=in=(10,30,99)'), ['a', 'c']);
    assert.deepEqual(matching('id=out=(a,c)'), ['b', 'd', 'e']);
    assert.deepEqual(matching('enabled=out=(true)'), ['b', 'd', 'e']);
  });

  test('ordering operators compare numbers in both spellings', () => {
    const cases: [string, string, string[]][] = [
      ['<', '=lt=', ['a', 'd']],
      ['<=', '=le=', ['a', 'b', 'd']],
      ['>', '=gt=', ['c']],
      ['>=', '=ge=', ['b', 'c']],
    ];
    for (const [symbol, verbose, expected] of cases) {
      assert.deepEqual(matching(`score${symbol}20`), expected, symbol);
      assert.deepEqual(matching(`score${verbose}20`), expected, verbose);
    }
    assert.deepEqual(matching('score<-5'), ['d']);
  });

  test('a record without the field matches only the negative operators', () => {
    assert.ok(matching('score!=10').includes('e'));
    assert.ok(matching('score=out=(10)').includes('e'));
    assert.ok(!matching('score<1000').includes('e'));
    assert.ok(!matching('score>=-1000').includes('e'));
  });

  test('a value of the wrong type in the record never equals the filter value', () => {
    const filter = compileFilter('score==5', fields);
    assert.equal(filter({ score: '5' }), false);
    assert.equal(compileFilter('score!=5', fields)({ score: '5' }), true);
    assert.equal(compileFilter('enabled==true', fields)({ enabled: 'true' }), false);
  });

  test('a dotted field reaches into a nested object', () => {
    assert.deepEqual(matching('agentWellbeing.enable==true'), ['a']);
    assert.deepEqual(matching('agentWellbeing.enable!=true'), ['b', 'c', 'd', 'e']);
  });
});

describe('compileFilter: values and wildcards', () => {
  test('double- and single-quoted values may hold spaces and reserved characters', () => {
    assert.deepEqual(matching('name=="gamma ray"'), ['c']);
    assert.deepEqual(matching("name=='gamma ray'"), ['c']);
    assert.deepEqual(matching('name=="al\\"pha"'), ['d']);
    assert.deepEqual(matching(`name=='al"pha'`), ['d']);
    assert.deepEqual(matching('name=="a;b,(c)"'), []);
    assert.deepEqual(matching(`name=in=("gamma ray",'beta')`), ['b', 'c']);
  });

  test('quoted numbers and booleans are converted like unquoted ones', () => {
    assert.deepEqual(matching('score=="20"'), ['b']);
    assert.deepEqual(matching("enabled=='true'"), ['a', 'c']);
  });

  test('* in an == string value is a wildcard', () => {
    assert.deepEqual(matching('name==al*'), ['a', 'd']);
    assert.deepEqual(matching('name==*a'), ['a', 'b', 'd']);
    assert.deepEqual(matching('name==*mm*'), ['c']);
    assert.deepEqual(matching('name==g*a*y'), ['c']);
    assert.deepEqual(matching('name==*'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(matching('name!=al*'), ['b', 'c', 'e']);
  });

  test('=in= compares literally, without wildcards', () => {
    assert.deepEqual(matching('name=in=(al*)'), []);
  });

  test('whitespace around tokens is ignored', () => {
    assert.deepEqual(matching(' id == a , id == b '), ['a', 'b']);
  });

  test('an absent or blank filter matches everything', () => {
    assert.deepEqual(matching(undefined), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(matching(''), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(matching(' \t\n'), ['a', 'b', 'c', 'd', 'e']);
  });
});

describe('compileFilter: logic and precedence', () => {
  const abc: FieldSpec = { a: 'number', b: 'number', c: 'number' };
  const truthTable = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) => ({
    a: bits & 1 ? 1 : 0,
    b: bits & 2 ? 2 : 0,
    c: bits & 4 ? 3 : 0,
  }));

  function assertSameAs(filter: string, expected: (r: { a: number; b: number; c: number }) => boolean) {
    const predicate = compileFilter(filter, abc);
    for (const record of truthTable) {
      assert.equal(predicate(record), expected(record), `${filter} on ${JSON.stringify(record)}`);
    }
  }

  test('and binds tighter than or: a==1,b==2;c==3 is a==1 or (b==2 and c==3)', () => {
    assertSameAs('a==1,b==2;c==3', (r) => r.a === 1 || (r.b === 2 && r.c === 3));
    assertSameAs('a==1;b==2,c==3', (r) => (r.a === 1 && r.b === 2) || r.c === 3);
  });

  test('the verbose and/or keywords mean the same as ; and ,', () => {
    assertSameAs('a==1 or b==2 and c==3', (r) => r.a === 1 || (r.b === 2 && r.c === 3));
  });

  test('parentheses override precedence', () => {
    assertSameAs('(a==1,b==2);c==3', (r) => (r.a === 1 || r.b === 2) && r.c === 3);
    assertSameAs('a==1;(b==2,c==3)', (r) => r.a === 1 && (r.b === 2 || r.c === 3));
    assertSameAs('((a==1))', (r) => r.a === 1);
  });

  test('long chains of one operator are evaluated in full', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `id==x${i}`);
    const predicate = compileFilter([...ids, 'id==a'].join(','), fields);
    assert.equal(predicate({ id: 'a' }), true);
    assert.equal(predicate({ id: 'x199' }), true);
    assert.equal(predicate({ id: 'y' }), false);
  });
});

describe('compileFilter: errors', () => {
  test('rejects malformed syntax with the parser message and position', () => {
    assertRefused('id==a)', /Unexpected character '\)' at position 6/);
    assertRefused('id==', /Unexpected end at position 5/);
    assertRefused('(id==a', /Unexpected end at position 7.*close parenthesis at position 1/);
    assertRefused('id=="abc', /Unclosed quote '"' at position 5/);
    assertRefused('id==a;;id==b', /Unexpected character ';' at position 7/);
  });

  test('syntax errors do not echo the whole filter back', () => {
    const filter = `id==${'a'.repeat(500)})`;
    assert.throws(
      () => compileFilter(filter, fields),
      (error: unknown) => error instanceof AppError && error.message.length < 200,
    );
  });

  test('rejects an unknown field, naming it and listing the allowed ones', () => {
    assertRefused('colour==red', /unknown field "colour"/, /colour==red/, /allowed fields: .*enabled.*id.*name.*score/);
  });

  test('does not mistake inherited object properties for fields', () => {
    assertRefused('constructor==x', /unknown field "constructor"/);
    assertRefused('__proto__==x', /unknown field "__proto__"/);
  });

  test('rejects an unsupported operator, naming it and the supported ones', () => {
    assertRefused('name=like=al', /unsupported operator "=like="/, /name=like=al/, /supported: ==, !=, =in=, =out=/);
  });

  test('rejects an ordering operator on a field that is not a number', () => {
    assertRefused('name<b', /operator "<" needs a number field but "name" is a string/);
    assertRefused('enabled=ge=true', /"enabled" is a boolean/);
  });

  test('rejects a list after an operator that takes one value', () => {
    assertRefused('id==(a,b)', /operator "==" takes one value/, /id==\(a,b\)/);
  });

  test('rejects a value that does not convert to the field type', () => {
    assertRefused('score==abc', /"abc" is not a valid number for field "score"/);
    assertRefused('score==1e999', /"1e999" is not a valid number/);
    assertRefused('score==0x10', /"0x10" is not a valid number/);
    assertRefused('score==""', /"" is not a valid number/);
    assertRefused('score=in=(1,two)', /"two" is not a valid number/);
    assertRefused('enabled==yes', /"yes" is not a valid boolean for field "enabled" \(expected true or false\)/);
  });

  test('reports every faulty comparison at once', () => {
    assert.throws(
      () => compileFilter('colour==red;score==abc,name=re=x', fields),
      (error: unknown) => error instanceof AppError && error.descriptions.length === 3,
    );
  });

  test(`refuses a filter longer than ${MAX_FILTER_LENGTH} characters`, () => {
    const atLimit = `id==${'a'.repeat(MAX_FILTER_LENGTH - 4)}`;
    assert.equal(compileFilter(atLimit, fields)({ id: 'a'.repeat(MAX_FILTER_LENGTH - 4) }), true);
    assertRefused(`${atLimit}a`, new RegExp(`longer than the limit of ${MAX_FILTER_LENGTH}`));
  });

  /**
   * `levels` alternating and/or groups, each nested inside the previous; the filler comparisons are
   * neutral (true in an and, false in an or), so the whole filter means `id==a`.
   */
  const nested = (levels: number): string =>
    levels === 0 ? 'id==a' : levels % 2 ? `id!=z;(${nested(levels - 1)})` : `id==z,(${nested(levels - 1)})`;

  test(`accepts ${MAX_FILTER_DEPTH} levels of nested groups and refuses one more`, () => {
    const deepest = compileFilter(nested(MAX_FILTER_DEPTH), fields);
    assert.equal(deepest({ id: 'a' }), true);
    assert.equal(deepest({ id: 'b' }), false);
    assertRefused(nested(MAX_FILTER_DEPTH + 1), new RegExp(`nested deeper than ${MAX_FILTER_DEPTH} levels`));
  });

  test('redundant parentheses do not count as nesting', () => {
    const depth = 900;
    const predicate = compileFilter(`${'('.repeat(depth)}id==a${')'.repeat(depth)}`, fields);
    assert.equal(predicate({ id: 'a' }), true);
  });
});
