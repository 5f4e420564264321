// One round of POST /v1/agentburnout/action load, reduced to the figures bench/actions.ts reports, from
// either load generator:
//   - wrk (C, Debian's `wrk` package): the default when it is installed. It costs ~16 µs of CPU a
//     request (measured in bench:actions' rounds), so on a 2-core machine it leaves the servers most of
//     both cores;
//   - autocannon (JavaScript, an npm dev dependency): always there, but it costs 26–31 µs a request,
//     ~90 % of a core at the bare route's rate, taken from the same two cores the servers run on.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

export type LoadGenerator = 'wrk' | 'autocannon';

export interface LoadOptions {
  url: string;
  token: string;
  orgId: string;
  connections: number;
  durationSec: number;
  generator: LoadGenerator;
  /**
   * Distinct agents the bodies go through (so per-agent work is not one hot row), in a scattered order:
   * consecutive requests are for agents far apart, as in real traffic. Cycling through them in order
   * put each commit's actions on neighbouring index pages and flattered the agent indexes.
   */
  agents?: number;
}

export interface RoundResult {
  okPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** CPU the load generator used (ms), user + system: it runs on the same cores as the servers. */
  loadGenCpuMs: number;
}

/** A step coprime with the agent count: every agent equally often, neighbours far apart. */
const STRIDE = 7919;
const PATH = '/v1/agentburnout/action';
const WRK_SCRIPT = fileURLToPath(new URL('./wrk-actions.lua', import.meta.url));
const execFileAsync = promisify(execFile);

const bodyOf = (agent: number) => JSON.stringify({ agentId: `bench-agent-${agent}`, actionType: 'Break Played', clientId: 'bench' });

export function loadActions(options: LoadOptions): Promise<RoundResult> {
  return options.generator === 'wrk' ? loadWithWrk(options) : loadWithAutocannon(options);
}

/** Whether `wrk` runs here. */
export async function wrkInstalled(): Promise<boolean> {
  return execFileAsync('wrk', ['--version']).then(
    () => true,
    // wrk --version prints its banner and exits 1; only a missing binary is "not installed".
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
}

interface WrkSummary {
  requests: number;
  durationUs: number;
  non2xx: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  p50Us: number;
  p99Us: number;
}

async function loadWithWrk(options: LoadOptions): Promise<RoundResult> {
  const agents = options.agents ?? 1000;
  // One thread: it drives far more requests a second than any server here answers. Bash's `times`
  // reports the CPU its finished children used (wrk's), which /proc cannot once wrk has exited.
  const wrk = [
    'wrk', '-t1', `-c${options.connections}`, `-d${options.durationSec}s`, '-s', WRK_SCRIPT, `${options.url}${PATH}`,
    '--', options.token, options.orgId, String(agents), String(STRIDE),
  ];
  const { stdout } = await execFileAsync('bash', ['-c', '"$@" && times', 'wrk', ...wrk], { maxBuffer: 1 << 20 });
  return wrkRound(stdout);
}

/** The round in what `wrk … && times` printed: the script's JSON summary line, then bash's `times`. */
export function wrkRound(stdout: string): RoundResult {
  const lines = stdout.trim().split('\n');
  const summaryLine = lines.find((line) => line.startsWith('{"requests"'));
  if (!summaryLine) throw new Error(`wrk printed no summary:\n${stdout}`);
  const s = JSON.parse(summaryLine) as WrkSummary;
  const ok = s.requests - s.non2xx;
  return {
    okPerSec: ok / (s.durationUs / 1e6),
    p50Ms: Math.round(s.p50Us / 100) / 10,
    p99Ms: Math.round(s.p99Us / 100) / 10,
    ok,
    non2xx: s.non2xx,
    errors: s.connect + s.read + s.write,
    timeouts: s.timeout,
    loadGenCpuMs: childrenCpuMs(lines.at(-1)!),
  };
}

/** The children's line of bash's `times`, "0m1.250s 0m0.310s": user + system, in ms. */
function childrenCpuMs(line: string): number {
  const times = [...line.matchAll(/(\d+)m([\d.]+)s/g)];
  if (times.length !== 2) throw new Error(`unexpected \`times\` output: ${line}`);
  return times.reduce((sum, [, min, sec]) => sum + (Number(min) * 60 + Number(sec)) * 1000, 0);
}

async function loadWithAutocannon(options: LoadOptions): Promise<RoundResult> {
  const agents = options.agents ?? 1000;
  const bodies = Array.from({ length: agents }, (_, i) => bodyOf(i));
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    requests: [
      {
        method: 'POST',
        path: PATH,
        headers: {
          authorization: `Bearer ${options.token}`,
          'x-organization-id': options.orgId,
          'content-type': 'application/json',
        },
        setupRequest(request) {
          request.body = bodies[(next++ * STRIDE) % agents];
          return request;
        },
      },
    ],
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    okPerSec: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    loadGenCpuMs: (cpu.user + cpu.system) / 1000,
  };
}
