// The signal schemas (src/domain/signals.ts) restated as flat tables the byte scanner (signal-scan.ts)
// checks a line against: derived from the schemas when this module loads, never written out by hand,
// so a schema change reaches the scanner by itself. A keyword the tables cannot state leaves its
// signal type off the fast path (every line of it goes through JSON.parse and the compiled check),
// rather than half-checked.
import type { TSchema } from '@sinclair/typebox';
import { SIGNAL_SCHEMAS } from '../domain/signals.ts';

export const KIND_STRING = 0;
export const KIND_NUMBER = 1;
export const KIND_INTEGER = 2;
export const KIND_BOOLEAN = 3;

export interface FieldRule {
  kind: number;
  minLength: number;
  maxLength: number;
  minimum: number;
  maximum: number;
  /** The only values allowed (a literal or a union of literals), as ASCII bytes; null when any. */
  values: Uint8Array[] | null;
}

export interface TypeRules {
  /** The type's name as it appears on the wire. */
  name: string;
  /** Fields the type allows and requires, as bits of the field numbers (FIELD_NAMES). */
  allowed: number;
  required: number;
  /** Per field number; undefined where the type does not allow the field. */
  rules: (FieldRule | undefined)[];
}

/** Every property name any signal type has; a field's number is its index here. */
export const FIELD_NAMES: readonly string[] = [...new Set(SIGNAL_SCHEMAS.flatMap((s) => Object.keys(s.properties)))];
export const fieldNumber = (name: string): number => FIELD_NAMES.indexOf(name);
/** Fields more than one module reads by number. */
export const F_TYPE = fieldNumber('type');
export const F_TIME = fieldNumber('time');

/** Fields as bits of one small integer: a line's fields are one bitmask. */
const MAX_FIELDS = 30;

/** Keywords a property schema may carry that change nothing about which values pass. */
const INERT_KEYWORDS = new Set(['type', 'description', 'title', 'examples', 'default', '$id']);

/** An ASCII text's bytes. */
export const asciiBytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const isAsciiText = (text: string): boolean => /^[\x20-\x7e]*$/.test(text);

/** A property schema as a FieldRule, or undefined when it says something a FieldRule cannot. */
export function fieldRule(schema: TSchema): FieldRule | undefined {
  const rule: FieldRule = { kind: -1, minLength: 0, maxLength: Infinity, minimum: -Infinity, maximum: Infinity, values: null };
  const literals = literalValues(schema);
  if (literals !== undefined) {
    if (!literals.every(isAsciiText)) return undefined;
    return { ...rule, kind: KIND_STRING, values: literals.map(asciiBytes) };
  }
  for (const keyword of Object.keys(schema)) {
    if (INERT_KEYWORDS.has(keyword)) continue;
    if (schema.type === 'string' && (keyword === 'minLength' || keyword === 'maxLength')) rule[keyword] = schema[keyword];
    else if ((schema.type === 'number' || schema.type === 'integer') && (keyword === 'minimum' || keyword === 'maximum')) rule[keyword] = schema[keyword];
    else return undefined;
  }
  const kinds: Record<string, number> = { string: KIND_STRING, number: KIND_NUMBER, integer: KIND_INTEGER, boolean: KIND_BOOLEAN };
  rule.kind = kinds[schema.type as string] ?? -1;
  return rule.kind < 0 ? undefined : rule;
}

/** The values of a string literal or of a union of string literals; undefined for anything else. */
function literalValues(schema: TSchema): string[] | undefined {
  const literal = (s: TSchema) => Object.keys(s).every((k) => k === 'const' || INERT_KEYWORDS.has(k)) && typeof s.const === 'string';
  if (literal(schema)) return [schema.const];
  if (Array.isArray(schema.anyOf) && Object.keys(schema).every((k) => k === 'anyOf' || INERT_KEYWORDS.has(k)) && schema.anyOf.every(literal)) {
    return schema.anyOf.map((s: TSchema) => s.const as string);
  }
  return undefined;
}

/** One signal type's tables, or undefined when its schema is beyond them (that type is never scanned). */
export function typeRules(schema: TSchema): TypeRules | undefined {
  if (schema.type !== 'object' || schema.additionalProperties !== false || FIELD_NAMES.length > MAX_FIELDS) return undefined;
  const rules: (FieldRule | undefined)[] = new Array(FIELD_NAMES.length).fill(undefined);
  let allowed = 0;
  for (const [name, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const field = fieldNumber(name);
    const rule = fieldRule(property);
    if (field < 0 || rule === undefined) return undefined;
    rules[field] = rule;
    allowed |= 1 << field;
  }
  let required = 0;
  for (const name of (schema.required as string[] | undefined) ?? []) required |= 1 << fieldNumber(name);
  return { name: schema.properties.type.const, allowed, required, rules };
}

/** Per signal type, in SIGNAL_TYPES order (a type's code in the batch is its index). */
export const TYPE_RULES: readonly (TypeRules | undefined)[] = SIGNAL_SCHEMAS.map(typeRules);
