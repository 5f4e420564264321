// The `attributes` query parameter of the Webex list endpoints: a comma-separated list of the fields
// to return (absent → all of them). Top-level names, or dotted paths into nested objects
// (`agentWellbeing.enable`) when the caller allows those paths.
import type { TSchema } from '@sinclair/typebox';
import { validationError } from './errors.ts';

export type Projection = (record: Record<string, unknown>) => Record<string, unknown>;

export const MAX_ATTRIBUTES_LENGTH = 2_000;

/** A requested subtree: `true` keeps the whole value, a map keeps only the listed members. */
type Selection = Map<string, Selection | true>;

const everything: Projection = (record) => record;

/**
 * Validate `attributes` once per request; the result trims each record. Empty entries (`id,,name`,
 * a trailing comma) are ignored, so a blank list means "all attributes" like an absent one.
 * @throws AppError (validation) naming every attribute that is not in `allowed`.
 */
export function compileProjection(attributes: string | undefined, allowed: readonly string[]): Projection {
  if (attributes === undefined) return everything;
  if (attributes.length > MAX_ATTRIBUTES_LENGTH) {
    const limit = MAX_ATTRIBUTES_LENGTH;
    throw validationError(`attributes: ${attributes.length} characters is longer than the limit of ${limit}`);
  }
  const requested = attributes
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (requested.length === 0) return everything;

  const known = new Set(allowed);
  const unknown = [...new Set(requested.filter((name) => !known.has(name)))];
  if (unknown.length > 0) {
    const names = unknown.map((name) => JSON.stringify(name.length > 60 ? `${name.slice(0, 59)}…` : name));
    throw validationError(`attributes: unknown attribute(s) ${names.join(', ')}; allowed: ${allowed.join(', ')}`);
  }
  const selection = selectionOf(requested);
  return (record) => pick(record, selection);
}

/** One-off form of {@link compileProjection}. */
export function project(
  record: Record<string, unknown>,
  attributes: string | undefined,
  allowed: readonly string[],
): Record<string, unknown> {
  return compileProjection(attributes, allowed)(record);
}

function selectionOf(paths: readonly string[]): Selection {
  const root: Selection = new Map();
  for (const path of paths) {
    const steps = path.split('.');
    let node = root;
    for (const [index, step] of steps.entries()) {
      const existing = node.get(step);
      if (existing === true) break; // an ancestor is already kept whole
      if (index === steps.length - 1) {
        node.set(step, true);
        break;
      }
      const child: Selection = existing ?? new Map();
      node.set(step, child);
      node = child;
    }
  }
  return root;
}

// Keys come out in the record's own order, not the request's, so responses are stable.
function pick(record: Record<string, unknown>, selection: Selection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const wanted = selection.get(key);
    if (wanted === undefined) continue;
    const value = record[key];
    if (wanted === true) {
      out[key] = value;
    } else if (isPlainObject(value)) {
      const inner = pick(value, wanted);
      // A nested path the record doesn't have is simply absent, like a missing top-level field.
      if (Object.keys(inner).length > 0) out[key] = inner;
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type ObjectSchema = { properties?: Record<string, ObjectSchema> };

/**
 * Every property path of an object schema: each top-level name, and with `nested` also the dotted
 * path of every property of a nested object — the `allowed` list for {@link compileProjection}.
 */
export function attributePathsFromSchema(schema: TSchema, options: { nested?: boolean } = {}): string[] {
  const paths: string[] = [];
  const visit = (node: ObjectSchema, prefix: string): void => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      paths.push(prefix + name);
      if (options.nested && child.properties) visit(child, `${prefix}${name}.`);
    }
  };
  visit(schema as ObjectSchema, '');
  return paths;
}
