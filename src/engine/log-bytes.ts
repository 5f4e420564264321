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

  /** `expectedBytes`: a guess at the whole array's size (it grows past it). */
  constructor(expectedBytes: number) {
    this.buffer = Buffer.allocUnsafeSlow(Math.max(16, expectedBytes));
    this.buffer[0] = OPEN;
  }

  /** Appends one entry (JSON text); where its bytes start. */
  append(entry: string): number {
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
   */
  appendBytes(prefix: string, source: Buffer, from: number, to: number): number {
    this.reserve(prefix.length + (to - from) + 2);
    const start = this.end;
    if (prefix !== '') this.end += this.buffer.write(prefix, start, 'latin1');
    this.end += source.copy(this.buffer, this.end, from, to);
    if (prefix !== '') this.buffer[this.end++] = CLOSE;
    this.buffer[this.end++] = COMMA;
    return start;
  }

  finish(): Uint8Array<ArrayBuffer> {
    if (this.end > 1) this.buffer[this.end - 1] = CLOSE;
    else this.buffer[this.end++] = CLOSE;
    return new Uint8Array(this.buffer.buffer as ArrayBuffer, this.buffer.byteOffset, this.end);
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
