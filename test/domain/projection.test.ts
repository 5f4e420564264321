import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Type } from '../../src/typebox.ts';
import { AppError } from '../../src/domain/errors.ts';
import {
  attributePathsFromSchema,
  compileProjection,
  MAX_ATTRIBUTES_LENGTH,
  project,
} from '../../src/domain/projection.ts';

const allowed = ['id', 'name', 'enabled', 'agentWellbeing', 'agentWellbeing.enable', 'agentWellbeing.mode'];
const record = {
  id: 'c1',
  name: 'Config',
  enabled: true,
  agentWellbeing: { enable: false, mode: 'AUTO', extra: 1 },
};

function assertRefused(attributes: string, ...patterns: RegExp[]) {
  assert.throws(
    () => compileProjection(attributes, allowed),
    (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'validation');
      for (const pattern of patterns) assert.match(error.descriptions.join('\n'), pattern);
      return true;
    },
  );
}

describe('project', () => {
  test('returns every attribute when attributes is absent or blank', () => {
    assert.deepEqual(project(record, undefined, allowed), record);
    assert.deepEqual(project(record, '', allowed), record);
    assert.deepEqual(project(record, ' , ', allowed), record);
  });

  test('keeps only the listed top-level attributes, in the record order', () => {
    const result = project(record, 'enabled, id', allowed);
    assert.deepEqual(result, { id: 'c1', enabled: true });
    assert.deepEqual(Object.keys(result), ['id', 'enabled']);
  });

  test('ignores empty entries and duplicates', () => {
    assert.deepEqual(project(record, 'id,,id,', allowed), { id: 'c1' });
  });

  test('omits a listed attribute the record does not have', () => {
    assert.deepEqual(project({ id: 'x' }, 'id,name', allowed), { id: 'x' });
  });

  test('a dotted path keeps only that member of a nested object', () => {
    assert.deepEqual(project(record, 'id,agentWellbeing.enable', allowed), {
      id: 'c1',
      agentWellbeing: { enable: false },
    });
    assert.deepEqual(project(record, 'agentWellbeing.mode,agentWellbeing.enable', allowed), {
      agentWellbeing: { enable: false, mode: 'AUTO' },
    });
  });

  test('a whole object wins over a path inside it, in either order', () => {
    for (const attributes of ['agentWellbeing,agentWellbeing.enable', 'agentWellbeing.enable,agentWellbeing']) {
      assert.deepEqual(project(record, attributes, allowed), { agentWellbeing: record.agentWellbeing }, attributes);
    }
  });

  test('a dotted path through a missing or non-object value leaves the attribute out', () => {
    assert.deepEqual(project({ id: 'x', agentWellbeing: 'off' }, 'id,agentWellbeing.enable', allowed), { id: 'x' });
    assert.deepEqual(project({ id: 'x', agentWellbeing: {} }, 'id,agentWellbeing.enable', allowed), { id: 'x' });
  });

  test('does not change the record it reads', () => {
    const copy = structuredClone(record);
    project(record, 'agentWellbeing.enable', allowed);
    assert.deepEqual(record, copy);
  });

  test('the result is always a subset of the record with only requested top-level keys', () => {
    const topLevel = ['id', 'name', 'enabled', 'agentWellbeing'];
    fc.assert(
      fc.property(fc.subarray(topLevel), (names) => {
        const result = project(record, names.join(','), allowed);
        const expected = names.length === 0 ? topLevel : names;
        assert.deepEqual(Object.keys(result).sort(), [...expected].sort());
        for (const key of Object.keys(result)) assert.deepEqual(result[key], record[key as keyof typeof record]);
      }),
    );
  });
});

describe('compileProjection errors', () => {
  test('rejects unknown attributes, naming each and listing the allowed ones', () => {
    assertRefused('id,colour,size,colour', /unknown attribute\(s\) "colour", "size";/, /allowed: id, name, enabled/);
  });

  test('rejects a nested path that is not itself allowed', () => {
    assertRefused('agentWellbeing.extra', /"agentWellbeing.extra"/);
  });

  test('does not mistake inherited object properties for attributes', () => {
    assertRefused('constructor,__proto__', /"constructor", "__proto__"/);
  });

  test(`refuses attributes longer than ${MAX_ATTRIBUTES_LENGTH} characters`, () => {
    assertRefused('id,'.repeat(MAX_ATTRIBUTES_LENGTH), new RegExp(`limit of ${MAX_ATTRIBUTES_LENGTH}`));
  });
});

describe('attributePathsFromSchema', () => {
  const Schema = Type.Object({
    id: Type.String(),
    agentWellbeing: Type.Optional(Type.Object({ enable: Type.Boolean(), inner: Type.Object({ x: Type.Number() }) })),
    tags: Type.Array(Type.String()),
  });

  test('lists top-level properties, and with nested also the dotted path of every nested property', () => {
    assert.deepEqual(attributePathsFromSchema(Schema), ['id', 'agentWellbeing', 'tags']);
    assert.deepEqual(attributePathsFromSchema(Schema, { nested: true }), [
      'id',
      'agentWellbeing',
      'agentWellbeing.enable',
      'agentWellbeing.inner',
      'agentWellbeing.inner.x',
      'tags',
    ]);
  });
});
