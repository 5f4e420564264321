// What the engine applies, and so what its durable log holds. Signals are logged after text analysis
// (transcript text replaced by derived scores: text is never stored); breaks and exclusions are
// logged too, so replaying the log after a snapshot rebuilds exactly the state the live engine had.
import type { Signal } from '../domain/signals.ts';
import type { ModelConfig } from '../domain/burnout/index.ts';
import { keyHash } from './key-hash.ts';

export interface BreakInput {
  type: 'action.break';
  agentId: string;
  time: number;
  durationMs: number;
}

/** Drop agents' state (agent excluded, org disabled): without `agentIds`, every agent of the org. */
export interface ForgetInput {
  type: 'engine.forget';
  agentIds?: string[];
}

export interface ModelConfigInput {
  type: 'engine.model-config';
  config: ModelConfig;
}

export type EngineInput = Signal | BreakInput | ForgetInput | ModelConfigInput;

/** A logged input with the idempotency hash it was accepted under (0 for non-signal inputs). */
export type LoggedInput = [keyHash: number, input: EngineInput];

/**
 * How a log entry holds an input and its idempotency hash. A signal with a client key is logged as
 * the line alone (its hash is keyHash(key) again on replay); any other as [high, low, line], the hash
 * split into two small integers, because printing a 52-bit number costs intake ~0.3 µs a signal, as much
 * as all the rest of encoding it. `[hash, input]` is the engine's own inputs' form (and all of them
 * before this encoding): replay reads every form.
 */
type LogEntry = EngineInput | [keyHash: number, input: EngineInput] | [high: number, low: number, input: EngineInput];

const LOW_BITS = 2 ** 22;

/** A signal's log entry (JSON text), from its line as it is to be logged. */
export function signalLogEntry(line: string, hash: number, keyed: boolean): string {
  const prefix = signalLogPrefix(hash, keyed);
  return prefix === '' ? line : `${prefix}${line}]`;
}

/**
 * What a signal's entry holds before its line (ASCII): nothing for a keyed signal, else `[high,low,`,
 * which opens an array the entry closes with `]` after the line.
 */
export function signalLogPrefix(hash: number, keyed: boolean): string {
  if (keyed) return '';
  const low = hash % LOW_BITS;
  return `[${(hash - low) / LOW_BITS},${low},`;
}

/** The inputs of one log row (a JSON array of entries), with their hashes. */
export function readLogEntries(json: string): LoggedInput[] {
  return (JSON.parse(json) as LogEntry[]).map((entry): LoggedInput => {
    if (!Array.isArray(entry)) return [keyHash((entry as { key: string }).key), entry];
    return entry.length === 3 ? [entry[0] * LOW_BITS + entry[1], entry[2]] : entry;
  });
}
