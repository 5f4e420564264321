// Which fields a filter may name, and their types. Derived from the resource's TypeBox schema so the
// filterable fields can't drift from the records the list endpoint returns.
import { Type } from '../../typebox.ts';
import type { Static, TSchema } from '@sinclair/typebox';

export const FieldTypeSchema = Type.Union([Type.Literal('string'), Type.Literal('number'), Type.Literal('boolean')]);
export type FieldType = Static<typeof FieldTypeSchema>;

/** Field name (a dotted path such as `agentWellbeing.enable` reaches into nested objects) → its type. */
export type FieldSpec = Readonly<Record<string, FieldType>>;

export interface FieldSpecOptions {
  /** Paths a filter may not use (Webex: organizationId, createdTime, lastUpdatedTime). */
  readonly exclude?: readonly string[];
}

type JsonSchema = {
  type?: unknown;
  const?: unknown;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  properties?: Record<string, JsonSchema>;
};

/**
 * Every scalar property of an object schema, nested objects flattened to dotted paths. Properties
 * whose type is not one scalar kind (arrays, mixed unions) are left out: a filter can't name them.
 */
export function fieldSpecFromSchema(schema: TSchema, options: FieldSpecOptions = {}): FieldSpec {
  const exclude = new Set(options.exclude ?? []);
  const spec: Record<string, FieldType> = {};
  const visit = (node: JsonSchema, prefix: string): void => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const path = prefix + name;
      if (exclude.has(path)) continue;
      if (child.properties) {
        visit(child, `${path}.`);
        continue;
      }
      const type = scalarType(child);
      if (type) spec[path] = type;
    }
  };
  visit(schema as JsonSchema, '');
  return spec;
}

function scalarType(schema: JsonSchema): FieldType | undefined {
  if (schema.const !== undefined) return typeOfValue(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    // Optional-by-null (`T | null`) is still a T for filtering; anything more mixed is not filterable.
    const kinds = new Set(alternatives.filter((a) => a.type !== 'null').map(scalarType));
    const [only] = kinds;
    return kinds.size === 1 ? only : undefined;
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return undefined;
  }
}

function typeOfValue(value: unknown): FieldType | undefined {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' ? type : undefined;
}

/** The value at a dotted path, walking plain objects only; undefined when any step is missing. */
export function readPath(record: Record<string, unknown>, path: string): unknown {
  if (!path.includes('.')) return Object.hasOwn(record, path) ? record[path] : undefined;
  let current: unknown = record;
  for (const step of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
