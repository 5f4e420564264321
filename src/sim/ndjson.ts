// NDJSON files of signals: one JSON object per line, written and read as streams so a week-long
// simulation never has to sit in memory.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { Signal } from '../domain/signals.ts';

export const toNdjsonLine = (signal: Signal): string => JSON.stringify(signal);

/** Writes the signals one per line, respecting the stream's backpressure. Returns the count written. */
export async function writeNdjson(path: string, signals: Iterable<Signal> | AsyncIterable<Signal>): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let count = 0;
  try {
    for await (const signal of signals) {
      if (!out.write(toNdjsonLine(signal) + '\n')) await once(out, 'drain');
      count++;
    }
  } finally {
    out.end();
    await finished(out);
  }
  return count;
}

/** The file's non-blank lines, streamed. */
export async function* readNdjsonLines(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== '') yield line;
  }
}
