import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '../../../src/typebox.ts';
import { fieldSpecFromSchema, readPath } from '../../../src/domain/rsql/fields.ts';
import { compileFilter } from '../../../src/domain/rsql.ts';

const ConfigSchema = Type.Object({
  id: Type.String(),
  organizationId: Type.String(),
  enabled: Type.Boolean(),
  pageCount: Type.Integer(),
  ratio: Type.Number(),
  agentInclusionType: Type.Union([Type.Literal('ALL'), Type.Literal('SPECIFIC')]),
  note: Type.Union([Type.String(), Type.Null()]),
  mixed: Type.Union([Type.String(), Type.Number()]),
  tags: Type.Array(Type.String()),
  createdTime: Type.Number(),
  agentWellbeing: Type.Optional(Type.Object({ enable: Type.Boolean(), threshold: Type.Optional(Type.Integer()) })),
});

describe('fieldSpecFromSchema', () => {
  test('maps scalar properties to filter types and flattens nested objects to dotted paths', () => {
    assert.deepEqual(fieldSpecFromSchema(ConfigSchema, { exclude: ['organizationId', 'createdTime'] }), {
      id: 'string',
      enabled: 'boolean',
      pageCount: 'number',
      ratio: 'number',
      agentInclusionType: 'string',
      note: 'string',
      'agentWellbeing.enable': 'boolean',
      'agentWellbeing.threshold': 'number',
    });
  });

  test('the derived spec drives compileFilter, refusing excluded fields', () => {
    const spec = fieldSpecFromSchema(ConfigSchema, { exclude: ['organizationId'] });
    const predicate = compileFilter('agentInclusionType==ALL;agentWellbeing.enable==true', spec);
    assert.equal(predicate({ agentInclusionType: 'ALL', agentWellbeing: { enable: true } }), true);
    assert.equal(predicate({ agentInclusionType: 'ALL', agentWellbeing: { enable: false } }), false);
    assert.throws(() => compileFilter('organizationId==x', spec), /unknown field "organizationId"/);
  });
});

describe('readPath', () => {
  test('reads top-level and nested own properties', () => {
    const record = { a: 1, b: { c: { d: 'x' } } };
    assert.equal(readPath(record, 'a'), 1);
    assert.equal(readPath(record, 'b.c.d'), 'x');
  });

  test('is undefined when a step is missing, inherited or not a plain object', () => {
    assert.equal(readPath({ a: 1 }, 'b'), undefined);
    assert.equal(readPath({ a: 1 }, 'a.b'), undefined);
    assert.equal(readPath({ a: [{ b: 1 }] }, 'a.0.b'), undefined);
    assert.equal(readPath({}, 'toString'), undefined);
    assert.equal(readPath({ a: {} }, 'a.constructor'), undefined);
  });
});
