// A batch's entry in the engine's input log as UTF-8 bytes, written where the batch is validated (an
// intake worker) and moved between threads, not copied: the JSON array `[e0,e1,…]` of its signals'
// entries. Carried as strings, the same text cost the engine's thread a string per signal to receive,
// a join and a copy to the writer: ~a fifth of its time in bench:engine's NDJSON part.
const OPEN = 0x5b; // [
const COMMA = 0x2c;
const CLOSE = 0x5d; // ]

export class LogBytesWriter {
  /** Its own ArrayBuffer (never Buffer's shared pool), so it can be transferred. */
  private buffer: Buffer;
  private end = 1;
  /**
   * Lines copied from one source back to back, each one byte after the last (the newline between them),
   * not yet copied: the whole run is one copy at the end, its separators overwritten with commas. A
   * copy per line cost the intake worker ~0.17 µs a signal (Buffer#copy makes a view of the source each
   * time), a tenth of all its work in bench:engine.
   */
  private run: Buffer | undefined;
  private runFrom = 0;
  private runTo = 0;
  /** Where the run's separators land in the buffer. */
  private readonly runCommas: number[] = [];

  /** `expectedBytes`: a guess at the whole array's size (it grows past it). */
  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(16, expectedBytes));
    this.buffer[0] = OPEN;
  }

  /** Appends one entry (JSON text); where its bytes start. */
  append(entry: string): number {
    this.copyRun();
    // UTF-8 takes at most 3 bytes per UTF-16 unit; measure exactly only when that bound does not fit.
    if (this.end + 3 * entry.length + 1 > this.buffer.length) this.reserve(Buffer.byteLength(entry) + 1);
    const start = this.end;
    this.end += this.buffer.write(entry, start);
    this.buffer[this.end++] = COMMA; // the last one becomes the closing bracket
    return start;
  }

  /**
   * Appends one entry made of `prefix` (ASCII; an array's opening, inputs.ts signalLogPrefix), `source`'s
   * bytes from `from` to `to` (UTF-8 JSON text), and the `]` closing the prefix's array when there is one:
   * a line copied as the request's bytes instead of encoded again from its string. Where its bytes start.
   * `source` must not change before `finish`: lines without a prefix may be copied only then.
   */
  appendBytes(prefix: string, source: Buffer, from: number, to: number): number {
    if (prefix === '') {
      if (source === this.run && from === this.runTo + 1) {
        // The run starts at `end` (nothing is written while one is open).
        const start = this.end + (from - this.runFrom);
        this.runCommas.push(start - 1);
        this.runTo = to;
        return start;
      }
      this.copyRun();
      this.run = source;
      this.runFrom = from;
      this.runTo = to;
      return this.end;
    }
    this.copyRun();
    this.reserve(prefix.length + (to - from) + 2);
    const start = this.end;
    this.end += this.buffer.write(prefix, start, 'latin1');
    this.end += source.copy(this.buffer, this.end, from, to);
    this.buffer[this.end++] = CLOSE;
    this.buffer[this.end++] = COMMA;
    return start;
  }

  finish(): Uint8Array<ArrayBuffer> {
    this.copyRun();
    if (this.end > 1) this.buffer[this.end - 1] = CLOSE;
    else this.buffer[this.end++] = CLOSE;
    return new Uint8Array(this.buffer.buffer as ArrayBuffer, this.buffer.byteOffset, this.end);
  }

  private copyRun(): void {
    const source = this.run;
    if (source === undefined) return;
    const length = this.runTo - this.runFrom;
    this.reserve(length + 1);
    source.copy(this.buffer, this.end, this.runFrom, this.runTo);
    const commas = this.runCommas;
    for (let i = 0; i < commas.length; i++) this.buffer[commas[i]] = COMMA;
    commas.length = 0;
    this.end += length;
    this.buffer[this.end++] = COMMA;
    this.run = undefined;
  }

  private reserve(bytes: number): void {
    if (this.end + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, this.end + bytes + 1));
    this.buffer.copy(bigger, 0, 0, this.end);
    this.buffer = bigger;
  }
}

/**
 * The array of only the entries flagged in `keep` (`kept` of them), in order. With every entry kept,
 * `log` itself. `starts[i]`: where entry i begins (each ends one byte before the next one's start, the
 * last one byte before the end).
 */
export function keepEntries(log: Uint8Array<ArrayBuffer>, starts: (i: number) => number, count: number, keep: Uint8Array, kept: number): Uint8Array<ArrayBuffer> {
  if (kept === count) return log;
  const out = Buffer.allocUnsafeSlow(Math.max(2, log.length));
  out[0] = OPEN;
  let at = 1;
  for (let i = 0; i < count; ) {
    if (keep[i] === 0) {
      i++;
      continue;
    }
    // A run of kept entries is one copy (the commas between them come with it).
    let j = i + 1;
    while (j < count && keep[j] !== 0) j++;
    const from = starts(i);
    const to = (j < count ? starts(j) : log.length) - 1;
    if (at > 1) out[at++] = COMMA;
    out.set(log.subarray(from, to), at);
    at += to - from;
    i = j;
  }
  out[at++] = CLOSE;
  return new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, at);
}
