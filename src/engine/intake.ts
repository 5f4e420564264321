// Turning a request body into candidate signals: NDJSON lines or a JSON value, each validated on its
// own so one bad line never sinks the batch, and every rejection says which line and why.
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { SIGNAL_SCHEMAS, SIGNAL_TYPES, type Signal } from '../domain/signals.ts';

export const MAX_SIGNALS_PER_REQUEST = 20_000;

export interface Candidate {
  index: number;
  value: unknown;
  /** The line as sent (NDJSON), reused for logging and as the default idempotency key. */
  raw?: string;
}

export interface Rejection {
  index: number;
  reason: string;
}

const checkers = new Map<string, TypeCheck<any>>(SIGNAL_SCHEMAS.map((s) => [s.properties.type.const, TypeCompiler.Compile(s)]));

export function splitNdjson(text: string, into: Candidate[], rejected: Rejection[]): void {
  let index = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    start = end + 1;
    if (line.trim() === '') continue;
    try {
      into.push({ index, value: JSON.parse(line), raw: line });
    } catch {
      rejected.push({ index, reason: 'line is not valid JSON' });
    }
    index++;
  }
}

export function fromJson(body: unknown, into: Candidate[]): void {
  const values = Array.isArray(body) ? body : [body];
  values.forEach((value, index) => into.push({ index, value }));
}

/** The signal, or the reason it is refused (naming the field). */
export function checkSignal(value: unknown): Signal | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'signal must be a JSON object';
  const type = (value as { type?: unknown }).type;
  const check = typeof type === 'string' ? checkers.get(type) : undefined;
  if (!check) return `type must be one of ${SIGNAL_TYPES.join(', ')}`;
  if (check.Check(value)) return value as Signal;
  const first = check.Errors(value).First();
  if (!first) return 'signal is not valid';
  const field = first.path.replace(/^\//, '').replaceAll('/', '.') || 'signal';
  return `${field}: ${first.message}`;
}
