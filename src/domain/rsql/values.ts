// Turning the text of a filter value into the field's type, and comparing it with a record's value.
import type { FieldType } from './fields.ts';

export type Scalar = string | number | boolean;
export type Converted = { ok: true; value: Scalar } | { ok: false; reason: string };

// Plain decimal notation only: Number() alone would also accept '', ' ', '0x1f' and 'Infinity'.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function convertValue(raw: string, type: FieldType): Converted {
  switch (type) {
    case 'string':
      return { ok: true, value: raw };
    case 'boolean':
      if (raw === 'true') return { ok: true, value: true };
      if (raw === 'false') return { ok: true, value: false };
      return { ok: false, reason: 'expected true or false' };
    case 'number': {
      const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
      return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: 'expected a finite number' };
    }
  }
}

/**
 * A record's value counts only when it has the field's declared type; anything else (absent, null,
 * a number stored as text) equals nothing, so `==` is false and `!=` true — they stay complements.
 */
export function typedValue(value: unknown, type: FieldType): Scalar | undefined {
  return typeof value === type ? (value as Scalar) : undefined;
}

/**
 * RSQL's `*` wildcard (`name==foo*`). Segments between stars are matched greedily left to right,
 * which is exact for star-only patterns and linear-ish in time — a RegExp built from a user's
 * pattern could backtrack catastrophically on `a*a*a*…b`.
 */
export function compileWildcard(pattern: string): (text: string) => boolean {
  if (!pattern.includes('*')) return (text) => text === pattern;
  const segments = pattern.split('*');
  const first = segments[0];
  const last = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((s) => s.length > 0);
  const minLength = segments.reduce((sum, s) => sum + s.length, 0);
  return (text) => {
    if (text.length < minLength || !text.startsWith(first) || !text.endsWith(last)) return false;
    let from = first.length;
    const until = text.length - last.length;
    for (const segment of middle) {
      const at = text.indexOf(segment, from);
      if (at < 0 || at + segment.length > until) return false;
      from = at + segment.length;
    }
    return true;
  };
}
