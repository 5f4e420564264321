// Validated signals in compact form, for handing a batch from an intake worker to the engine's thread:
// the numbers of every signal in one Float64Array (transferred, not copied) and its few strings in one
// array. A structured clone of the signal objects would cost the engine's thread about as much as
// parsing the JSON again; decoding this costs a fraction of it.
import { SIGNAL_TYPES, endsContact, type AgentStateKind, type Channel, type Signal, type SignalType } from '../domain/signals.ts';
import { idHash } from '../domain/burnout/state.ts';
import { agentKey } from './key-hash.ts';
import { LogBytesWriter, keepEntries } from './log-bytes.ts';
import { F_TIME, fieldNumber } from './signal-rules.ts';
import { VALUE_TRUE, hashBytes, latin1, type LineScan } from './signal-scan.ts';

/** Numbers per signal. */
export const NUMS = 13;
const N_TYPE = 0;
const N_TIME = 1;
/** keyHash of the signal's idempotency key (client-given or derived from the line). */
const N_HASH = 2;
/** The signal's index in the request (line number), for rejections. */
const N_INDEX = 3;
/** Optional numbers: NaN when absent. */
const N_SENTIMENT = 4;
const N_SCORE = 5;
const N_CSAT = 6;
/** Optional booleans, two bits each: present, value. */
const N_FLAGS = 7;
const FLAG_ESCALATION = 0;
const FLAG_ABUSIVE = 2;
const FLAG_TARGETED = 4;
const FLAG_INTERRUPTION = 6;
/** idHash of the interaction id (−1 without one): the model's contact lookup, computed off the engine's thread. */
const N_INTERACTION = 8;
/** The two type-specific strings (below) as indexes into the batch's `words` (−1 when absent). */
const N_WORD_A = 9;
const N_WORD_B = 10;
/** Where the signal's entry starts in the batch's `log` bytes. */
const N_LOG = 11;
/** agentKey of the agent id: how the engine's thread finds the agent (OrgRuntime.find). */
const N_AGENT = 12;

/** Strings per signal: agentId and interactionId ('' without one; every id has minLength 1). */
export const STRS = 2;

const TYPE_CODES = new Map<string, number>(SIGNAL_TYPES.map((t, i) => [t, i]));
/** endsContact by type code. */
const ENDS_CONTACT = SIGNAL_TYPES.map(endsContact);

export interface SignalBatch {
  /** Signals encoded. */
  count: number;
  nums: Float64Array<ArrayBuffer>;
  strs: string[];
  /**
   * Each distinct type-specific string once — channel and queueId (task.offered, task.connected),
   * state and idleCode (agent.state), speaker (utterance), wrapupCode (task.wrapup_done) — which a
   * batch repeats thousands of times: fewer strings to copy to the engine's thread, and the engine
   * gets the same string object for the same queue every time.
   */
  words: string[];
  /**
   * The batch's entry in the engine's input log, as UTF-8 bytes (log-bytes.ts): the JSON array of every
   * signal's entry (inputs.ts, signalLogEntry), the line as sent or re-serialised when text was replaced
   * by derived scores. Built here, off the engine's thread; in its own ArrayBuffer, which is transferred.
   */
  log: Uint8Array<ArrayBuffer>;
}

/**
 * Collects encoded signals; `finish` hands out the batch. The numbers go straight into a Float64Array
 * sized for the request (a number[] that grows, mixes in NaN and is copied at the end cost more than
 * parsing the line did).
 */
export class SignalBatchBuilder {
  private nums: Float64Array<ArrayBuffer>;
  private count = 0;
  private readonly strs: string[] = [];
  private readonly words: string[] = [];
  private readonly wordIndex = new Map<string, number>();
  /** Words by hashBytes of their bytes (a small integer): a scanned line's words are found without making their strings. */
  private readonly wordByHash = new Map<number, number>();
  private readonly log: LogBytesWriter;

  /** `capacity`: signals expected, `logBytes`: their log entries' size expected (both grow past it). */
  constructor(capacity = 64, logBytes = 256 * capacity) {
    this.nums = new Float64Array(Math.max(1, capacity) * NUMS);
    this.log = new LogBytesWriter(logBytes);
  }

  /** Adds a signal whose log entry is `logEntry` (JSON text). */
  add(signal: Signal, hash: number, index: number, logEntry: string): void {
    this.encode(signal, hash, index, this.log.append(logEntry));
  }

  /** Adds a signal whose log entry is copied from the request's bytes (LogBytesWriter.appendBytes). */
  addCopied(signal: Signal, hash: number, index: number, prefix: string, source: Buffer, from: number, to: number): void {
    this.encode(signal, hash, index, this.log.appendBytes(prefix, source, from, to));
  }

  private encode(signal: Signal, hash: number, index: number, logStart: number): void {
    const s = signal as Partial<Record<string, unknown>> & Signal;
    if ((this.count + 1) * NUMS > this.nums.length) this.grow();
    const nums = this.nums;
    const n = this.count++ * NUMS;
    nums[n + N_TYPE] = TYPE_CODES.get(signal.type)!;
    nums[n + N_TIME] = signal.time;
    nums[n + N_HASH] = hash;
    nums[n + N_INDEX] = index;
    nums[n + N_SENTIMENT] = optionalNumber(s.sentiment);
    nums[n + N_SCORE] = optionalNumber(s.score);
    nums[n + N_CSAT] = optionalNumber(s.csat);
    nums[n + N_FLAGS] = flag(s.escalation, FLAG_ESCALATION) | flag(s.abusive, FLAG_ABUSIVE) | flag(s.targeted, FLAG_TARGETED) | flag(s.interruption, FLAG_INTERRUPTION);
    const interactionId = 'interactionId' in signal ? signal.interactionId : '';
    nums[n + N_INTERACTION] = interactionId === '' ? -1 : idHash(interactionId);
    nums[n + N_WORD_A] = this.word(typeString(signal, 0));
    nums[n + N_WORD_B] = this.word(typeString(signal, 1));
    nums[n + N_LOG] = logStart;
    nums[n + N_AGENT] = agentKey(signal.agentId);
    this.strs.push(signal.agentId, interactionId);
  }

  /**
   * Adds a line the scanner read (signal-scan.ts) as what `addCopied` makes of the same line parsed:
   * the same numbers, strings and log entry, read from the body's bytes.
   */
  addScanned(scan: LineScan, hash: number, index: number, prefix: string, source: Buffer, from: number, to: number): void {
    const logStart = this.log.appendBytes(prefix, source, from, to);
    if ((this.count + 1) * NUMS > this.nums.length) this.grow();
    const nums = this.nums;
    const n = this.count++ * NUMS;
    nums[n + N_TYPE] = scan.type;
    nums[n + N_TIME] = scan.numbers[F_TIME];
    nums[n + N_HASH] = hash;
    nums[n + N_INDEX] = index;
    nums[n + N_SENTIMENT] = scan.has(F_SENTIMENT) ? scan.numbers[F_SENTIMENT] : NaN;
    nums[n + N_SCORE] = scan.has(F_SCORE) ? scan.numbers[F_SCORE] : NaN;
    nums[n + N_CSAT] = scan.has(F_CSAT) ? scan.numbers[F_CSAT] : NaN;
    nums[n + N_FLAGS] = scannedFlag(scan, F_ESCALATION, FLAG_ESCALATION) | scannedFlag(scan, F_ABUSIVE, FLAG_ABUSIVE) | scannedFlag(scan, F_TARGETED, FLAG_TARGETED) | scannedFlag(scan, F_INTERRUPTION, FLAG_INTERRUPTION);
    const interactionId = scan.has(F_INTERACTION) ? scan.text(source, F_INTERACTION) : '';
    nums[n + N_INTERACTION] = interactionId === '' ? -1 : idHash(interactionId);
    const [a, b] = WORD_FIELD_NUMBERS[scan.type];
    nums[n + N_WORD_A] = a >= 0 && scan.has(a) ? this.scannedWord(source, scan.starts[a], scan.ends[a]) : -1;
    nums[n + N_WORD_B] = b >= 0 && scan.has(b) ? this.scannedWord(source, scan.starts[b], scan.ends[b]) : -1;
    nums[n + N_LOG] = logStart;
    const agentId = scan.text(source, F_AGENT);
    nums[n + N_AGENT] = agentKey(agentId);
    this.strs.push(agentId, interactionId);
  }

  finish(): SignalBatch {
    const used = this.count * NUMS;
    // Exactly sized: the buffer is transferred to the engine's thread.
    const nums = used === this.nums.length ? this.nums : this.nums.slice(0, used);
    return { count: this.count, nums, strs: this.strs, words: this.words, log: this.log.finish() };
  }

  private word(value: string): number {
    if (value === '') return -1;
    let index = this.wordIndex.get(value);
    if (index === undefined) {
      index = this.words.push(value) - 1;
      this.wordIndex.set(value, index);
    }
    return index;
  }

  /** word() of the ASCII text source[from, to). */
  private scannedWord(source: Buffer, from: number, to: number): number {
    const hash = hashBytes(source, from, to) & 0x3fffffff;
    const known = this.wordByHash.get(hash);
    if (known !== undefined && sameText(this.words[known], source, from, to)) return known;
    const index = this.word(latin1(source, from, to));
    if (known === undefined) this.wordByHash.set(hash, index);
    return index;
  }

  private grow(): void {
    const bigger = new Float64Array(this.nums.length * 2);
    bigger.set(this.nums);
    this.nums = bigger;
  }
}

/**
 * The fields whose strings a batch carries as words (SignalBatch.words), per signal type: the two
 * `decodeSignal` reads back as `a` and `b`. One table for both ways in (a signal object, a scanned line).
 */
const WORD_FIELDS: Record<SignalType, readonly [a?: string, b?: string]> = {
  'task.offered': ['channel', 'queueId'],
  'task.connected': ['channel', 'queueId'],
  'task.held': [],
  'task.resumed': [],
  'task.transferred': [],
  'task.ended': [],
  'task.wrapup_done': ['wrapupCode'],
  'agent.state': ['state', 'idleCode'],
  utterance: ['speaker'],
  sentiment: [],
  survey: [],
};
/** The same, by type code and as field numbers (signal-rules.ts), −1 where none. */
const WORD_FIELD_NUMBERS: readonly (readonly [number, number])[] = SIGNAL_TYPES.map((type) => {
  const [a, b] = WORD_FIELDS[type];
  return [a === undefined ? -1 : fieldNumber(a), b === undefined ? -1 : fieldNumber(b)];
});

/** A signal's type-specific string `which` (0 or 1), '' when absent. */
function typeString(signal: Signal, which: 0 | 1): string {
  const name = WORD_FIELDS[signal.type][which];
  return name === undefined ? '' : (((signal as unknown as Record<string, string | undefined>)[name]) ?? '');
}

const F_AGENT = fieldNumber('agentId');
const F_INTERACTION = fieldNumber('interactionId');
const F_SENTIMENT = fieldNumber('sentiment');
const F_SCORE = fieldNumber('score');
const F_CSAT = fieldNumber('csat');
const F_ESCALATION = fieldNumber('escalation');
const F_ABUSIVE = fieldNumber('abusive');
const F_TARGETED = fieldNumber('targeted');
const F_INTERRUPTION = fieldNumber('interruption');

const scannedFlag = (scan: LineScan, field: number, shift: number) => (scan.has(field) ? (1 | (scan.kinds[field] === VALUE_TRUE ? 2 : 0)) << shift : 0);
function sameText(text: string, bytes: Uint8Array, from: number, to: number): boolean {
  if (text.length !== to - from) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[from + i]) return false;
  return true;
}

const optionalNumber = (value: unknown) => (typeof value === 'number' ? value : NaN);
const flag = (value: unknown, shift: number) => (typeof value === 'boolean' ? (1 | (value ? 2 : 0)) << shift : 0);

export const hashAt = (batch: SignalBatch, i: number): number => batch.nums[i * NUMS + N_HASH];
export const agentIdAt = (batch: SignalBatch, i: number): string => batch.strs[i * STRS];
export const agentKeyAt = (batch: SignalBatch, i: number): number => batch.nums[i * NUMS + N_AGENT];
export const indexAt = (batch: SignalBatch, i: number): number => batch.nums[i * NUMS + N_INDEX];
/** endsContact(type) of signal i, without decoding it. */
export const endsContactAt = (batch: SignalBatch, i: number): boolean => ENDS_CONTACT[batch.nums[i * NUMS + N_TYPE]];
/** idHash(interactionId) of signal i, undefined when it has none. */
export const interactionHashAt = (batch: SignalBatch, i: number): number | undefined => {
  const hash = batch.nums[i * NUMS + N_INTERACTION];
  return hash >= 0 ? hash : undefined;
};

/** The batch's log entry holding only the signals flagged in `keep` (`kept` of them): with all kept, `batch.log` itself. */
export function keptLog(batch: SignalBatch, keep: Uint8Array, kept: number): Uint8Array<ArrayBuffer> {
  const nums = batch.nums;
  return keepEntries(batch.log, (i) => nums[i * NUMS + N_LOG], batch.count, keep, kept);
}

/**
 * Signal i of the batch, as the engine applies it (fields the model never reads, like orgId and key, are
 * left out). `agentId`: the known agent's own id string (AgentRuntime.id), equal to the batch's but the
 * object every later comparison finds identical at once.
 */
export function decodeSignal(batch: SignalBatch, i: number, agentId = agentIdAt(batch, i)): Signal {
  const n = i * NUMS;
  const s = i * STRS;
  const { nums, strs, words } = batch;
  const type = SIGNAL_TYPES[nums[n + N_TYPE]] as SignalType;
  const time = nums[n + N_TIME];
  const interactionId = strs[s + 1];
  const a = wordAt(words, nums[n + N_WORD_A]);
  const b = wordAt(words, nums[n + N_WORD_B]);
  const flags = nums[n + N_FLAGS];
  switch (type) {
    case 'agent.state':
      return { type, agentId, time, state: a as AgentStateKind, idleCode: b };
    case 'task.offered':
      return { type, agentId, time, interactionId, channel: a as Channel, queueId: b };
    case 'task.connected':
      return { type, agentId, time, interactionId, channel: a as Channel | undefined, queueId: b, escalation: bool(flags, FLAG_ESCALATION) };
    case 'utterance':
      return {
        type,
        agentId,
        time,
        interactionId,
        speaker: a as 'customer' | 'agent',
        sentiment: orUndefined(nums[n + N_SENTIMENT]),
        abusive: bool(flags, FLAG_ABUSIVE),
        targeted: bool(flags, FLAG_TARGETED),
        interruption: bool(flags, FLAG_INTERRUPTION),
      };
    case 'sentiment':
      return { type, agentId, time, interactionId, score: nums[n + N_SCORE] };
    case 'survey':
      return { type, agentId, time, interactionId, csat: nums[n + N_CSAT] };
    case 'task.wrapup_done':
      return { type, agentId, time, interactionId, wrapupCode: a };
    default:
      return { type, agentId, time, interactionId } as Signal;
  }
}

// Module-level, not closures in decodeSignal: it runs for every signal, and a closure per call costs.
function bool(flags: number, shift: number): boolean | undefined {
  return (flags >> shift) & 1 ? ((flags >> shift) & 2) !== 0 : undefined;
}

function wordAt(words: string[], index: number): string | undefined {
  return index >= 0 ? words[index] : undefined;
}

function orUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}
