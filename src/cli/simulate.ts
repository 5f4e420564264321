// `respite simulate`: generates a realistic contact-centre day and sends it to a server (or writes NDJSON).
import type { Command } from 'commander';
import { generateDay } from '../sim/generator.ts';
import { MAX_OVERRUN_MS, type SimOptionsInput } from '../sim/options.ts';
import { writeNdjson } from '../sim/ndjson.ts';
import type { TimedLine } from '../sim/deliver.ts';
import { connect, defaultIo, parseInteger, parseNumber, parseTime, runCommand, sendAndSummarize, type CliIo } from '../sim/cli-support.ts';

interface SimulateFlags {
  agents: number;
  hours: number;
  speed: number;
  seed: number;
  url?: string;
  token?: string;
  org?: string;
  out?: string;
  batch: number;
  lanes: number;
  start?: number;
  openingHour: number;
  abusiveShare?: number;
  occupancy?: number;
}

/**
 * Start of the simulated window when none is given: far enough back that the last signal, including
 * contacts finished after closing, is not later than now. Floored to the minute so runs in the same
 * minute produce the same bytes.
 */
export function defaultStartMs(nowMs: number, hours: number): number {
  const start = nowMs - hours * 3_600_000 - MAX_OVERRUN_MS;
  return start - (start % 60_000);
}

export function registerSimulate(program: Command, io: CliIo = defaultIo()): Command {
  return program
    .command('simulate')
    .description('generate realistic contact-centre traffic and send it to a Respite server (or write NDJSON)')
    .option('--agents <n>', 'agents on the simulated floor', parseInteger(1, 5_000), 20)
    .option('--hours <h>', 'length of the simulated window in hours', parseNumber(0.1, 24), 8)
    .option('--speed <x>', 'simulated time runs x times real time; 0 sends as fast as the server accepts', parseNumber(0), 0)
    .option('--seed <s>', 'random seed: the same seed gives the same traffic', parseInteger(-(2 ** 31), 2 ** 32), 1)
    .option('--url <url>', 'server base URL (or RESPITE_URL)')
    .option('--token <token>', 'bearer token (or RESPITE_TOKEN)')
    .option('--org <orgId>', 'organization id to stamp on signals (default: the token\'s org)')
    .option('--out <file>', 'write NDJSON (one signal per line) to this file instead of sending')
    .option('--batch <n>', 'signals per request', parseInteger(1, 100_000), 1000)
    .option('--lanes <n>', 'batches in flight at once (one agent always uses the same lane)', parseInteger(1, 16), 3)
    .option('--start <time>', 'window start, ISO time or epoch ms (default: ends by now)', parseTime)
    .option('--opening-hour <h>', 'centre-local clock hour at the window start (shapes the arrival profile)', parseNumber(0, 23.99), 8)
    .option('--abusive-share <p>', 'share of abusive contacts on service queues (default 0.03)', parseNumber(0, 1))
    .option('--occupancy <p>', 'target occupancy (default 0.85)', parseNumber(0.05, 0.99))
    .action((flags: SimulateFlags) => runCommand(io, () => simulate(io, flags)));
}

async function simulate(io: CliIo, flags: SimulateFlags): Promise<void> {
  const startMs = flags.start ?? defaultStartMs((io.now ?? Date.now)(), flags.hours);
  const dayOptions = (orgId: string): SimOptionsInput => ({
    seed: flags.seed,
    orgId,
    startMs,
    agents: flags.agents,
    hours: flags.hours,
    openingHour: flags.openingHour,
    ...(flags.abusiveShare !== undefined ? { abusiveShare: flags.abusiveShare } : {}),
    ...(flags.occupancy !== undefined ? { occupancy: flags.occupancy } : {}),
  });

  if (flags.out) {
    const count = await writeNdjson(flags.out, generateDay(dayOptions(flags.org ?? 'sim-org')));
    io.stderr.write(`Wrote ${count} signals to ${flags.out}\n`);
    return;
  }

  const client = connect(io, flags);
  const orgId = flags.org ?? (await client.whoami()).orgId;
  const windowMs = flags.hours * 3_600_000;
  function* lines(): Generator<TimedLine> {
    for (const signal of generateDay(dayOptions(orgId))) {
      const fraction = Math.min(1, (signal.time - startMs) / windowMs);
      yield { line: JSON.stringify(signal), agentId: signal.agentId, time: signal.time, fraction };
    }
  }
  await sendAndSummarize(io, client, orgId, lines(), flags);
}
