// `respite replay FILE`: sends an NDJSON file of signals (from `simulate --out` or a real export), streaming it.
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { validationError } from '../domain/errors.ts';
import { readNdjsonLines } from '../sim/ndjson.ts';
import type { TimedLine } from '../sim/deliver.ts';
import { connect, defaultIo, parseInteger, parseNumber, runCommand, sendAndSummarize, type CliIo } from '../sim/cli-support.ts';

interface ReplayFlags {
  url?: string;
  token?: string;
  org?: string;
  speed: number;
  batch: number;
  lanes: number;
}

export function registerReplay(program: Command, io: CliIo = defaultIo()): Command {
  return program
    .command('replay')
    .description('send an NDJSON file of signals to a Respite server')
    .argument('<file>', 'NDJSON file, one signal per line')
    .option('--url <url>', 'server base URL (or RESPITE_URL)')
    .option('--token <token>', 'bearer token (or RESPITE_TOKEN)')
    .option('--org <orgId>', 'organization to send as (default: the token\'s org); signals are restamped with it')
    .option('--speed <x>', 'replay at x times the recorded pace; 0 sends as fast as the server accepts', parseNumber(0), 0)
    .option('--batch <n>', 'signals per request', parseInteger(1, 100_000), 1000)
    .option('--lanes <n>', 'batches in flight at once (one agent always uses the same lane)', parseInteger(1, 16), 3)
    .action((file: string, flags: ReplayFlags) => runCommand(io, () => replay(io, file, flags)));
}

async function replay(io: CliIo, file: string, flags: ReplayFlags): Promise<void> {
  const totalBytes = (await stat(file)).size;
  const client = connect(io, flags);
  const orgId = flags.org ?? (await client.whoami()).orgId;
  let restamped = 0;
  async function* lines(): AsyncGenerator<TimedLine> {
    let bytes = 0;
    let lineNumber = 0;
    for await (const raw of readNdjsonLines(file)) {
      lineNumber++;
      bytes += Buffer.byteLength(raw) + 1;
      let signal: { agentId?: unknown; time?: unknown; orgId?: unknown };
      try {
        signal = JSON.parse(raw);
      } catch {
        throw validationError(`${file}:${lineNumber}: not a JSON object`);
      }
      if (typeof signal.agentId !== 'string' || typeof signal.time !== 'number') {
        throw validationError(`${file}:${lineNumber}: a signal needs a string agentId and a numeric time`);
      }
      // A file made for another org (or with the simulator's default org) is sent as the token's org.
      let line = raw;
      if (signal.orgId !== undefined && signal.orgId !== orgId) {
        line = JSON.stringify({ ...signal, orgId });
        restamped++;
      }
      yield { line, agentId: signal.agentId, time: signal.time, fraction: Math.min(1, bytes / Math.max(1, totalBytes)) };
    }
  }
  await sendAndSummarize(io, client, orgId, lines(), flags);
  if (restamped > 0) io.stderr.write(`Restamped ${restamped} signals with org ${orgId}\n`);
}
