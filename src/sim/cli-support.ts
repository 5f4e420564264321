// Pieces shared by the `simulate` and `replay` commands: option parsers, I/O seams for tests,
// connecting to the server and printing the summary.
import { InvalidArgumentError } from 'commander';
import { AppError } from '../domain/errors.ts';
import { ApiError, RespiteClient } from './client.ts';
import { createProgress } from './progress.ts';
import { deliver, ensureWellbeingEnabled, type TimedLine } from './deliver.ts';
import { fetchOutcome, renderSummary } from './summary.ts';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: NodeJS.WriteStream;
  fetch?: typeof fetch;
  now?: () => number;
}

export const defaultIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr });

export function parseNumber(min: number, max = Infinity) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a number from ${min}${max === Infinity ? ' up' : ` to ${max}`}, got "${raw}"`);
    }
    return value;
  };
}

export function parseInteger(min: number, max = Infinity) {
  const number = parseNumber(min, max);
  return (raw: string): number => {
    const value = number(raw);
    if (!Number.isInteger(value)) throw new InvalidArgumentError(`expected a whole number, got "${raw}"`);
    return value;
  };
}

/** An ISO date-time or epoch milliseconds. */
export function parseTime(raw: string): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`expected an ISO time or epoch ms, got "${raw}"`);
  return value;
}

export interface ConnectionOptions {
  url?: string;
  token?: string;
}

/** Runs a command body; errors become one clear line on stderr and exit code 1 instead of a stack trace. */
export async function runCommand(io: CliIo, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof ApiError || error instanceof AppError || error instanceof InvalidArgumentError) {
      io.stderr.write(`error: ${error.message}\n`);
    } else {
      io.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}

export function connect(io: CliIo, options: ConnectionOptions): RespiteClient {
  const url = options.url ?? process.env.RESPITE_URL;
  const token = options.token ?? process.env.RESPITE_TOKEN;
  if (!url || !token) throw new AppError('bad_request', ['--url and --token are required to send (or set RESPITE_URL / RESPITE_TOKEN)']);
  return new RespiteClient({
    url,
    token,
    ...(io.fetch ? { fetch: io.fetch } : {}),
    onRetry: (reason, delayMs) => io.stderr.write(`retrying in ${Math.round(delayMs)} ms: ${reason}\n`),
  });
}

export interface SendRunOptions {
  speed: number;
  batch: number;
  lanes: number;
}

/** Sends the lines, then asks the server what it made of them and prints the summary table. */
export async function sendAndSummarize(
  io: CliIo,
  client: RespiteClient,
  orgId: string,
  source: Iterable<TimedLine> | AsyncIterable<TimedLine>,
  options: SendRunOptions,
): Promise<void> {
  const log = (line: string) => io.stderr.write(line + '\n');
  await ensureWellbeingEnabled(client, orgId, log);
  const { totals, elapsedMs } = await deliver(client, source, {
    speed: options.speed,
    batchSize: options.batch,
    lanes: options.lanes,
    progress: createProgress(io.stderr, io.now),
    ...(io.now ? { now: io.now } : {}),
  });
  for (const reason of totals.rejections) log(`rejected: ${reason}`);
  if (totals.ignored > 0) log(`${totals.ignored} signals were valid but not scored: agent wellbeing is off for org ${orgId} or the agents are not included`);
  const outcome = await fetchOutcome(client);
  for (const problem of outcome.problems) log(`summary incomplete: ${problem}`);
  io.stdout.write(renderSummary(totals, elapsedMs, outcome) + '\n');
}
