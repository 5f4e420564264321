// The intake's fast path for an NDJSON line of an ASCII body: its fields read straight from the body's
// bytes and checked against the schemas' tables (signal-rules.ts), with no JSON.parse and no object
// made for the line. It takes only the plain shape connectors send — one flat object, string values
// without escapes, booleans, numbers — and only a line that is a valid signal; on anything else it
// answers false and the line goes the way every line went before: JSON.parse, the compiled schema
// check, a reason when it fails. So the scanner never decides a line's fate on its own: a test holds
// every line it takes to what the slow path makes of it.
//
// Why by hand: JSON.parse builds an object per line that the intake reads once and drops, and that is
// most of the intake's cost (docs/performance.md). Ajv's compiled JTD parser, the one maintained
// library that parses and checks a schema in one pass, took 2.6 times as long as JSON.parse here.
import { FIELD_NAMES, F_TYPE, asciiBytes, KIND_BOOLEAN, KIND_INTEGER, KIND_NUMBER, KIND_STRING, TYPE_RULES, type TypeRules } from './signal-rules.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const SPACE = 0x20;
const TAB = 0x09;

/** A value's kind as scanned. */
export const VALUE_STRING = 1;
export const VALUE_NUMBER = 2;
export const VALUE_TRUE = 3;
export const VALUE_FALSE = 4;

/** Names looked up by their bytes: FNV-1a over the bytes into an open-addressing table. */
class ByteNames {
  private readonly table: Int32Array;
  private readonly names: Uint8Array[];

  constructor(names: readonly string[]) {
    this.names = names.map(asciiBytes);
    let size = 16;
    while (size < names.length * 4) size *= 2;
    this.table = new Int32Array(size).fill(-1);
    this.names.forEach((name, i) => {
      let slot = hashBytes(name, 0, name.length) & (size - 1);
      while (this.table[slot] !== -1) slot = (slot + 1) & (size - 1);
      this.table[slot] = i;
    });
  }

  /** The index of the name spelled by bytes[from, to) whose hashBytes is `hash`; −1 when none. */
  find(bytes: Uint8Array, from: number, to: number, hash: number): number {
    const mask = this.table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const i = this.table[slot];
      if (i === -1) return -1;
      if (equalBytes(this.names[i], bytes, from, to)) return i;
    }
  }
}

/** FNV-1a of bytes[from, to). */
export function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

function equalBytes(name: Uint8Array, bytes: Uint8Array, from: number, to: number): boolean {
  if (name.length !== to - from) return false;
  for (let i = 0; i < name.length; i++) if (name[i] !== bytes[from + i]) return false;
  return true;
}

const FIELDS = new ByteNames(FIELD_NAMES);
const TYPES = new ByteNames(TYPE_RULES.map((rules, i) => rules?.name ?? `\u0000unscanned ${i}`));

/**
 * One line's fields as found: where each string value sits in the body, each number's value. Reused
 * from line to line (one per intake): a line's scan overwrites only the fields it has, and `present`
 * says which those are.
 */
export class LineScan {
  readonly starts = new Int32Array(FIELD_NAMES.length);
  readonly ends = new Int32Array(FIELD_NAMES.length);
  readonly numbers = new Float64Array(FIELD_NAMES.length);
  readonly kinds = new Uint8Array(FIELD_NAMES.length);
  /** Fields the line has, as bits of their numbers. */
  present = 0;
  /** The signal type's code (its index in SIGNAL_TYPES). */
  type = -1;

  has(field: number): boolean {
    return (this.present & (1 << field)) !== 0;
  }

  /** The line's value of a string field (latin1: the body is ASCII). */
  text(bytes: Buffer, field: number): string {
    return latin1(bytes, this.starts[field], this.ends[field]);
  }

  /**
   * Reads bytes[from, to) as one flat JSON object of a valid signal; false when it is anything else
   * (the line then goes through JSON.parse and the schema check, which say what is wrong with it).
   */
  scan(bytes: Uint8Array, from: number, to: number): boolean {
    this.present = 0;
    let p = skipSpace(bytes, from, to);
    if (p >= to || bytes[p] !== OPEN) return false;
    p = skipSpace(bytes, p + 1, to);
    for (;;) {
      if (p >= to || bytes[p] !== QUOTE) return false;
      const nameFrom = ++p;
      let hash = 0x811c9dc5;
      // No escapes or control characters to look for: a name holding any matches no field's.
      for (; p < to; p++) {
        const c = bytes[p];
        if (c === QUOTE) break;
        hash = Math.imul(hash ^ c, 0x01000193);
      }
      if (p >= to) return false;
      const field = FIELDS.find(bytes, nameFrom, p, hash >>> 0);
      if (field < 0 || this.has(field)) return false;
      this.present |= 1 << field;
      p = skipSpace(bytes, p + 1, to);
      if (p >= to || bytes[p] !== COLON) return false;
      p = this.value(bytes, field, skipSpace(bytes, p + 1, to), to);
      if (p < 0) return false;
      p = skipSpace(bytes, p, to);
      if (p >= to) return false;
      if (bytes[p] === CLOSE) break;
      if (bytes[p] !== COMMA) return false;
      p = skipSpace(bytes, p + 1, to);
    }
    return skipSpace(bytes, p + 1, to) === to && this.valid(bytes);
  }

  /** Scans the value at p into `field`; where it ends, −1 when it is not one the scanner takes. */
  private value(bytes: Uint8Array, field: number, p: number, to: number): number {
    if (p >= to) return -1;
    const c = bytes[p];
    if (c === QUOTE) {
      const start = p + 1;
      // To the first byte that ends or spoils the string: the closing quote, else an escape, a control
      // character or a byte past ASCII (one the caller should not have sent).
      for (p = start; p < to && ORDINARY_IN_STRING[bytes[p]] === 1; p++);
      if (p >= to || bytes[p] !== QUOTE) return -1;
      this.kinds[field] = VALUE_STRING;
      this.starts[field] = start;
      this.ends[field] = p;
      if (field === F_TYPE) this.type = TYPES.find(bytes, start, p, hashBytes(bytes, start, p));
      return p + 1;
    }
    if (c === 0x74 /* t */) return this.literal(bytes, field, p, to, TRUE_BYTES, VALUE_TRUE);
    if (c === 0x66 /* f */) return this.literal(bytes, field, p, to, FALSE_BYTES, VALUE_FALSE);
    if (c === MINUS || (c >= ZERO && c <= NINE)) return this.number(bytes, field, p, to);
    return -1;
  }

  private literal(bytes: Uint8Array, field: number, p: number, to: number, word: Uint8Array, kind: number): number {
    if (p + word.length > to || !equalBytes(word, bytes, p, p + word.length)) return -1;
    this.kinds[field] = kind;
    return p + word.length;
  }

  /** A number exactly as JSON writes one: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private number(bytes: Uint8Array, field: number, p: number, to: number): number {
    const start = p;
    const negative = bytes[p] === MINUS;
    if (negative) p++;
    if (p >= to) return -1;
    // The digits as one integer, and how many of them follow the point.
    let digits = 0;
    let count = 0;
    let decimals = 0;
    if (bytes[p] === ZERO) p++;
    else if (bytes[p] > ZERO && bytes[p] <= NINE) for (; p < to && isDigit(bytes[p]); p++, count++) digits = digits * 10 + (bytes[p] - ZERO);
    else return -1;
    if (p < to && bytes[p] === DOT) {
      if (++p >= to || !isDigit(bytes[p])) return -1;
      for (; p < to && isDigit(bytes[p]); p++, count++, decimals++) digits = digits * 10 + (bytes[p] - ZERO);
    }
    let exact = count <= MAX_EXACT_DIGITS;
    if (p < to && (bytes[p] === 0x65 || bytes[p] === 0x45) /* e E */) {
      exact = false;
      if (++p < to && (bytes[p] === PLUS || bytes[p] === MINUS)) p++;
      if (p >= to || !isDigit(bytes[p])) return -1;
      while (p < to && isDigit(bytes[p])) p++;
    }
    this.kinds[field] = VALUE_NUMBER;
    // Up to 15 digits are an exact integer, and so is 10^decimals (decimals ≤ 15 < 23): one division of
    // two exact doubles rounds correctly, as JSON.parse does (Clinger's fast path). Else JSON's own
    // reading of it; `-0` stays −0 either way.
    const value = exact ? (decimals === 0 ? digits : digits / POWERS_OF_TEN[decimals]) : Number(latin1(bytes as Buffer, start, p));
    this.numbers[field] = exact && negative ? -value : value;
    return p;
  }

  /** Whether the fields scanned make a valid signal of their type, as the compiled schema would say. */
  private valid(bytes: Uint8Array): boolean {
    if (!this.has(F_TYPE) || this.kinds[F_TYPE] !== VALUE_STRING || this.type < 0) return false;
    const rules = TYPE_RULES[this.type];
    if (rules === undefined || (this.present & ~rules.allowed) !== 0 || (this.present & rules.required) !== rules.required) return false;
    for (let field = 0, fields = this.present; fields !== 0; field++, fields >>>= 1) {
      if ((fields & 1) !== 0 && !this.fieldValid(bytes, rules, field)) return false;
    }
    return true;
  }

  private fieldValid(bytes: Uint8Array, rules: TypeRules, field: number): boolean {
    const rule = rules.rules[field]!;
    const kind = this.kinds[field];
    switch (rule.kind) {
      case KIND_STRING: {
        if (kind !== VALUE_STRING) return false;
        const from = this.starts[field];
        const to = this.ends[field];
        const values = rule.values;
        if (values !== null) {
          for (let i = 0; i < values.length; i++) if (equalBytes(values[i], bytes, from, to)) return true;
          return false;
        }
        return to - from >= rule.minLength && to - from <= rule.maxLength;
      }
      case KIND_BOOLEAN:
        return kind === VALUE_TRUE || kind === VALUE_FALSE;
      case KIND_NUMBER:
      case KIND_INTEGER: {
        const value = this.numbers[field];
        return kind === VALUE_NUMBER && Number.isFinite(value) && (rule.kind === KIND_NUMBER || Number.isInteger(value)) && value >= rule.minimum && value <= rule.maximum;
      }
      default:
        return false;
    }
  }
}

/** 1 for the bytes a string value may hold as they are (the scanner's strings: printable ASCII but `"` and `\\`). */
const ORDINARY_IN_STRING = Uint8Array.from({ length: 256 }, (_, b) => (b >= SPACE && b <= 0x7e && b !== QUOTE && b !== BACKSLASH ? 1 : 0));

const TRUE_BYTES = asciiBytes('true');
const FALSE_BYTES = asciiBytes('false');

/**
 * bytes[from, to) as a string, one character a byte. Buffer's own latin1Slice, which toString('latin1')
 * calls after checking its arguments again: this runs for every field of every line.
 */
export const latin1 = (bytes: Buffer, from: number, to: number): string => (bytes as unknown as { latin1Slice(from: number, to: number): string }).latin1Slice(from, to);

/** Decimal digits a double holds exactly as an integer (2^53 > 10^15). */
const MAX_EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: MAX_EXACT_DIGITS + 1 }, (_, i) => 10 ** i);

const isDigit = (c: number) => c >= ZERO && c <= NINE;

function skipSpace(bytes: Uint8Array, p: number, to: number): number {
  while (p < to && (bytes[p] === SPACE || bytes[p] === TAB)) p++;
  return p;
}
