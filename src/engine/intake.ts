// Turning a request body into validated signals: NDJSON lines or a JSON value, each validated on its
// own so one bad line never sinks the batch, and every rejection says which line and why. Everything
// here depends only on the request (not on engine state), so it can run on an intake worker
// (intake-pool.ts) while the engine's thread applies the previous batch.
import { isAscii } from 'node:buffer';
import { TypeCompiler } from '../typebox.ts';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import { SIGNAL_SCHEMAS, SIGNAL_TYPES, type Signal } from '../domain/signals.ts';
import { analyseUtterance } from '../domain/text/analyse-utterance.ts';
import { keyHash, keyHashOfAscii } from './key-hash.ts';
import { signalLogEntry, signalLogPrefix } from './inputs.ts';
import { SignalBatchBuilder, type SignalBatch } from './signal-codec.ts';
import { LineScan, latin1 } from './signal-scan.ts';
import { F_TIME, fieldNumber } from './signal-rules.ts';
import { bodyHash, jsonBodyHash } from './body-hash.ts';

export const MAX_SIGNALS_PER_REQUEST = 20_000;

export interface Candidate {
  index: number;
  value: unknown;
  /** The line as sent (NDJSON), reused for logging and as the default idempotency key. */
  raw?: string;
  /** Where `raw` starts in an ASCII body's bytes (a line the byte scanner left to JSON.parse). */
  at?: number;
}

export interface Rejection {
  index: number;
  reason: string;
}

const checkers = new Map<string, TypeCheck<any>>(SIGNAL_SCHEMAS.map((s) => [s.properties.type.const, TypeCompiler.Compile(s)]));

/**
 * Splits NDJSON text into candidates (lines numbered from `firstIndex`) and unparseable lines; returns
 * the next line's number.
 */
export function splitNdjson(text: string, into: Candidate[], rejected: Rejection[], firstIndex = 0): number {
  let index = firstIndex;
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
  return index;
}

/**
 * Text decoded from bytes at most this long at a time. V8 puts a string of 128 KiB or more in its
 * large-object space, fresh pages for every one: decoding cost 3.7–4.4 ns a byte from 131,072 bytes on
 * against 0.06–0.15 below (Node 20 on the 2-core machine), ~0.45 µs of a 170-byte line.
 */
const DECODE_PIECE_BYTES = 64 * 1024;

/**
 * splitNdjson over UTF-8 bytes (a body that is not all ASCII), decoded a piece at a time, each piece
 * ending at a newline (a byte no multi-byte character contains, so the pieces decode as the whole would).
 */
function splitNdjsonBytes(bytes: Buffer, into: Candidate[], rejected: Rejection[]): void {
  let index = 0;
  for (let start = 0; start < bytes.length; ) {
    const newline = start + DECODE_PIECE_BYTES < bytes.length ? bytes.indexOf(0x0a, start + DECODE_PIECE_BYTES) : -1;
    const end = newline === -1 ? bytes.length : newline + 1;
    index = splitNdjson(bytes.toString('utf8', start, end), into, rejected, index);
    start = end;
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

/**
 * Transcript characters analysed per request at most (~0.5 s of CPU at the measured ~4 µs/char worst
 * case), so one huge batch cannot hold a thread for long.
 */
export const MAX_TEXT_CHARS_PER_REQUEST = 1_000_000;
const TEXT_BUDGET_SPENT = `text: this request carries more than ${MAX_TEXT_CHARS_PER_REQUEST} characters of transcript; send the rest in another request`;

export interface IntakeRequest {
  /** The token's organization: a signal naming another one is refused. */
  orgId: string;
  now: number;
  /** Signals timestamped further ahead of `now` are refused (ms). */
  futureToleranceMs: number;
  /** Hash the body too (bodyHash): the request has an Idempotency-Key. */
  hashBody?: boolean;
}

export interface Intake {
  /** Signals (lines) in the request, valid or not. */
  lines: number;
  batch: SignalBatch;
  rejected: Rejection[];
  /** The body's hash, when the request asked for it. */
  bodyHash?: string;
}

/** What an intake holds once its batch is taken. */
const TAKEN: SignalBatch = { count: 0, nums: new Float64Array(0), strs: [], words: [], log: new Uint8Array(0) };

/**
 * The intake's batch, leaving an empty one in its place. The engine takes it as it applies the batch,
 * because the intake is also the value of promises made when the body came in: they waited while other
 * batches were applied, so a scavenge has often promoted them to the old generation by then, and once
 * dead they would still point at the batch. V8's scavenger counts every old object's pointers as live,
 * so it copied the batch's ~1 MB of ids through the following scavenges (bench:engine's engine path:
 * 2.6 MB surviving each scavenge of the engine's thread, and as much promoted; docs/performance.md).
 */
export function takeBatch(intake: Intake): SignalBatch {
  const batch = intake.batch;
  intake.batch = TAKEN;
  return batch;
}

/** An NDJSON body as the HTTP layer receives it (UTF-8 bytes), or already as text. */
export type NdjsonBody = string | Uint8Array;

/**
 * Validates every line of an NDJSON body (bytes are decoded here: on an intake worker, off the engine's
 * thread), and hashes it when asked (likewise off the engine's thread: ~0.9 ms a MB).
 */
export function intakeNdjson(body: NdjsonBody, request: IntakeRequest): Intake {
  const hashed = request.hashBody ? bodyHash(body) : undefined;
  const intake = validateNdjson(body, request);
  if (hashed !== undefined) intake.bodyHash = hashed;
  return intake;
}

function validateNdjson(body: NdjsonBody, request: IntakeRequest): Intake {
  const bytes = typeof body === 'string' ? undefined : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // All ASCII (not merely as many characters as bytes: a stray byte ≥ 0x80 decodes to one U+FFFD), so a
  // line's characters are its bytes, at the same offsets: its fields can be read from the bytes, and its
  // log entry copied from them instead of encoded again.
  if (bytes !== undefined && isAscii(bytes)) return intakeAsciiNdjson(bytes, request);
  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  if (bytes === undefined) splitNdjson(body as string, candidates, rejected);
  else splitNdjsonBytes(bytes, candidates, rejected);
  // The log holds the lines as sent, most with a short hash prefix (inputs.ts, signalLogEntry).
  return intakeCandidates(candidates, rejected, request, (bytes ?? (body as string)).length + 24 * candidates.length);
}

/**
 * An ASCII NDJSON body, line by line: a line the scanner takes (signal-scan.ts) goes into the batch
 * from its bytes; any other is parsed and checked as a JSON body's signals are. Lines are numbered and
 * blank ones skipped exactly as splitNdjson does.
 */
function intakeAsciiNdjson(bytes: Buffer, request: IntakeRequest): Intake {
  const firstLine = bytes.indexOf(0x0a);
  // Sized from the first line (no more than a request may hold); the builder grows past it and trims at the end.
  const expected = firstLine > 0 ? Math.min(MAX_SIGNALS_PER_REQUEST, Math.ceil((bytes.length / (firstLine + 1)) * 1.1)) : 1;
  const steps = new IntakeSteps(request, expected, bytes.length + 24 * expected, [], bytes);
  const scan = new LineScan();
  let index = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const next = end + 1;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    if (!isBlank(bytes, start, end)) {
      if (!(scan.scan(bytes, start, end) && steps.scanned(scan, index, start, end))) steps.line(latin1(bytes, start, end), index, start);
      index++;
    }
    start = next;
  }
  return steps.finish(index);
}

/** What String.prototype.trim removes, of ASCII: a line of only these is skipped, as splitNdjson does. */
function isBlank(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i];
    if (c !== 0x20 && (c < 0x09 || c > 0x0d)) return false;
  }
  return true;
}

/** Validates a JSON body: an array of signals or one signal. */
export function intakeJson(body: unknown, request: IntakeRequest): Intake {
  const candidates: Candidate[] = [];
  // Hashed first: validating the signals may change them (text replaced by its scores).
  const hashed = request.hashBody ? jsonBodyHash(body) : undefined;
  fromJson(body, candidates);
  const intake = intakeCandidates(candidates, [], request);
  if (hashed !== undefined) intake.bodyHash = hashed;
  return intake;
}

/** Parsed candidates (and the lines already refused), each checked as IntakeSteps.candidate does. */
function intakeCandidates(candidates: Candidate[], rejected: Rejection[], request: IntakeRequest, logBytes?: number): Intake {
  const lines = candidates.length + rejected.length;
  const steps = new IntakeSteps(request, candidates.length, logBytes, rejected);
  for (const candidate of candidates) steps.candidate(candidate);
  return steps.finish(lines);
}

/**
 * Checks each candidate on its own (schema, organization, clock), derives its idempotency hash, and
 * analyses transcript text in memory: only the derived scores go on (privacy rule, DESIGN.md).
 */
class IntakeSteps {
  private readonly batch: SignalBatchBuilder;
  private readonly latest: number;
  private textBudget = MAX_TEXT_CHARS_PER_REQUEST;

  /** `ascii`: the body's bytes when it is all ASCII (candidates' `at` are offsets into it). */
  constructor(
    private readonly request: IntakeRequest,
    capacity: number,
    logBytes?: number,
    private readonly rejected: Rejection[] = [],
    private readonly ascii?: Buffer,
  ) {
    this.batch = new SignalBatchBuilder(capacity, logBytes);
    this.latest = request.now + request.futureToleranceMs;
  }

  /** A line of the ASCII body the fast path did not take: parsed, then checked as any candidate. */
  line(line: string, index: number, at: number): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.rejected.push({ index, reason: 'line is not valid JSON' });
      return;
    }
    this.candidate({ index, value, raw: line, at });
  }

  /**
   * A valid signal the scanner read from the ASCII body's bytes [from, to): added unless the request
   * refuses it or it carries text (then false, and it goes through `line`, which says why or analyses it).
   */
  scanned(scan: LineScan, index: number, from: number, to: number): boolean {
    const ascii = this.ascii!;
    if (scan.has(F_TEXT) || this.refusal(scan.has(F_ORG) ? scan.text(ascii, F_ORG) : undefined, scan.numbers[F_TIME]) !== undefined) return false;
    const keyed = scan.has(F_KEY);
    const hash = keyed ? keyHashOfAscii(ascii, scan.starts[F_KEY], scan.ends[F_KEY]) : keyHashOfAscii(ascii, from, to);
    this.batch.addScanned(scan, hash, index, signalLogPrefix(hash, keyed), ascii, from, to);
    return true;
  }

  candidate(candidate: Candidate): void {
    const ascii = this.ascii;
    const signal = checkSignal(candidate.value);
    const reason = typeof signal === 'string' ? signal : this.refusal(signal.orgId, signal.time);
    if (reason !== undefined) {
      this.rejected.push({ index: candidate.index, reason });
      return;
    }
    const valid = signal as Signal;
    const hash = idempotencyHash(valid, candidate, ascii);
    let line = candidate.raw;
    if (valid.type === 'utterance' && valid.text !== undefined) {
      this.textBudget -= valid.text.length;
      if (this.textBudget < 0) {
        this.rejected.push({ index: candidate.index, reason: TEXT_BUDGET_SPENT });
        return;
      }
      const derived = analyseUtterance(valid.text, { interruption: valid.interruption });
      valid.sentiment ??= derived.sentiment;
      valid.abusive = (valid.abusive ?? false) || derived.abusive;
      valid.targeted = (valid.targeted ?? false) || derived.targeted;
      delete valid.text;
      line = undefined;
    }
    const keyed = valid.key !== undefined;
    if (line !== undefined && ascii !== undefined) {
      const at = candidate.at!;
      this.batch.addCopied(valid, hash, candidate.index, signalLogPrefix(hash, keyed), ascii, at, at + line.length);
    } else this.batch.add(valid, hash, candidate.index, signalLogEntry(line ?? JSON.stringify(valid), hash, keyed));
  }

  /** Why this request refuses a valid signal naming `orgId` and timed `time`, if it does: the request's own rules. */
  private refusal(orgId: string | undefined, time: number): string | undefined {
    if (orgId !== undefined && orgId !== this.request.orgId) return 'orgId is not the organization of this token';
    if (time > this.latest) return `time is more than ${this.request.futureToleranceMs / 1000} s ahead of the server clock`;
    return undefined;
  }

  finish(lines: number): Intake {
    return { lines, batch: this.batch.finish(), rejected: this.rejected };
  }
}

const F_TEXT = fieldNumber('text');
const F_ORG = fieldNumber('orgId');
const F_KEY = fieldNumber('key');

/** The hash of the signal's idempotency key: the client's, else the line as sent (its bytes when the body is ASCII). */
function idempotencyHash(signal: Signal, candidate: Candidate, ascii: Buffer | undefined): number {
  if (signal.key !== undefined) return keyHash(signal.key);
  const raw = candidate.raw;
  if (raw === undefined) return keyHash(JSON.stringify(signal));
  return ascii === undefined ? keyHash(raw) : keyHashOfAscii(ascii, candidate.at!, candidate.at! + raw.length);
}
