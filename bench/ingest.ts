// `npm run bench:ingest` — HTTP NDJSON ingest end to end (issue #3, Performance): a real
// `respite serve` child process (durable SQLite event log and input log included), 100,000 agents,
// pre-built NDJSON batches POSTed over a few keep-alive connections for ~15 s.
// Reports signals/s, per-batch latency (p50/p99) and the server's memory per tracked agent: growth of
// its live heap (JS heap + typed arrays after a full GC, from GET /v1/admin/memory; the server runs with
// --expose-gc) from before the first signal to the end of the run, and for comparison the growth of its
// resident set (VmRSS from /proc: an upper bound with SQLite's page cache, JIT code, worker heaps and
// uncollected garbage).
// Client and server share the machine's cores; the client only sends pre-encoded bytes.
// `--profile DIR` writes a V8 CPU profile of the server there when it exits.
// Last line: one JSON object with the headline numbers.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { Traffic, toNdjsonBatches } from './lib/signals.ts';
import { createToken, startRespiteServer } from './lib/child-servers.ts';
import { enableWellbeing } from './lib/wellbeing.ts';
import { cpuMs, describeMachineBusy, describeThreads, machineTicks, residentBytes, threadCpuMs } from './lib/proc-stats.ts';
import { fmt, percentile } from './lib/rounds.ts';

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '15' },
    /** Pre-built traffic; the run stops early if it is all sent (then the rate is still over the time taken). */
    'max-signals': { type: 'string', default: '4200000' },
    profile: { type: 'string' },
  },
});
const AGENTS = Number(args.agents);
const BATCH = Number(args.batch);
const CONNECTIONS = Number(args.connections);
const SECONDS = Number(args.seconds);
const MAX_SIGNALS = Number(args['max-signals']);
const log = (line: string) => process.stderr.write(line + '\n');

interface Totals {
  accepted: number;
  duplicates: number;
  rejected: number;
  ignored: number;
}

interface Sent {
  totals: Totals;
  batches: number;
  latenciesMs: number[];
  elapsedMs: number;
}

/** POSTs `bodies` over `CONNECTIONS` lanes until they run out or `deadline` (performance.now()) passes. */
/** One keep-alive connection per lane: node:http costs the client less CPU than fetch for large bodies. */
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

function post(url: string, headers: Record<string, string>, body: Uint8Array): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.byteLength) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function send(url: string, token: string, bodies: Uint8Array<ArrayBuffer>[], deadline: number): Promise<Sent> {
  const totals: Totals = { accepted: 0, duplicates: 0, rejected: 0, ignored: 0 };
  const latenciesMs: number[] = [];
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' };
  let next = 0;
  const lane = async () => {
    while (next < bodies.length && performance.now() < deadline) {
      const body = bodies[next++];
      const start = performance.now();
      const { status, text } = await post(`${url}/v1/signals`, headers, body);
      latenciesMs.push(performance.now() - start);
      if (status !== 200) throw new Error(`POST /v1/signals → ${status}: ${text.slice(0, 300)}`);
      const result = JSON.parse(text) as Totals & { errors: unknown[] };
      totals.accepted += result.accepted;
      totals.duplicates += result.duplicates;
      totals.rejected += result.rejected;
      totals.ignored += result.ignored;
      if (result.rejected > 0 && totals.rejected === result.rejected) log(`  first rejections: ${JSON.stringify(result.errors.slice(0, 3))}`);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, lane));
  return { totals, batches: latenciesMs.length, latenciesMs, elapsedMs: performance.now() - start };
}

const utf8 = new TextEncoder();

function encode(signalsPerAgent: number, traffic: Traffic): Uint8Array<ArrayBuffer>[] {
  const bodies: Uint8Array<ArrayBuffer>[] = [];
  // Generated a round at a time, so no more than one round of Signal objects is alive at once.
  for (let sent = 0; sent < signalsPerAgent * AGENTS; sent += AGENTS) {
    for (const body of toNdjsonBatches(traffic.next(AGENTS), BATCH)) bodies.push(utf8.encode(body));
  }
  return bodies;
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

/** The server's live memory (after a full GC) and its tracked agents, from GET /v1/admin/memory. */
async function liveMemory(url: string, token: string): Promise<{ live: number; agents: number }> {
  const response = await fetch(`${url}/v1/admin/memory?gc=true`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /v1/admin/memory → ${response.status}: ${await response.text()}`);
  const memory = (await response.json()) as { heapUsed: number; arrayBuffers: number; agents: number; collected: boolean };
  if (!memory.collected) throw new Error('the server did not collect garbage: is it running with --expose-gc?');
  return { live: memory.heapUsed + memory.arrayBuffers, agents: memory.agents };
}

log(`bench:ingest — ${fmt(AGENTS)} agents, NDJSON batches of ${fmt(BATCH)}, ${CONNECTIONS} connections, ~${SECONDS} s, node ${process.version}`);
const dataDir = mkdtempSync(join(tmpdir(), 'respite-bench-ingest-'));
const orgId = randomUUID();
let server: Awaited<ReturnType<typeof startRespiteServer>> | undefined;
try {
  let t = performance.now();
  // Traffic starts a day back, so every signal stays well behind the server clock (future tolerance).
  const traffic = new Traffic({ agents: AGENTS, seed: 42, startMs: Date.now() - 86_400_000 });
  const warmupPerAgent = 2;
  const warmup = encode(warmupPerAgent, traffic);
  const main = encode(Math.max(1, Math.floor(MAX_SIGNALS / AGENTS)), traffic);
  const bytes = main.reduce((sum, b) => sum + b.length, 0);
  log(`built ${fmt(warmup.length + main.length)} batches (${mb(bytes)} timed) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const token = await createToken(dataDir, orgId, ['respite:ingest', 'cjp:config_write', 'cjp:config_read', 'respite:admin']);
  server = await startRespiteServer({ dataDir, cpuProfileDir: args.profile, exposeGc: true });
  const pid = server.child.pid!;
  await enableWellbeing(server.url, token, orgId);
  await delay(500); // let start-up garbage settle before the baseline reading
  const rssBefore = residentBytes(pid);
  const heapBefore = await liveMemory(server.url, token);

  t = performance.now();
  const warm = await send(server.url, token, warmup, Infinity);
  log(`warm-up: ${fmt(warm.totals.accepted)} signals (every agent seen twice) in ${(warm.elapsedMs / 1000).toFixed(1)} s`);
  // Counted in signals, not batches × BATCH: a round's last batch is short when BATCH does not divide it.
  if (warm.totals.accepted !== warmupPerAgent * AGENTS) throw new Error(`warm-up accepted ${warm.totals.accepted}: ${JSON.stringify(warm.totals)}`);
  const rssWarm = residentBytes(pid);

  const cpuBefore = cpuMs(pid);
  const threadsBefore = threadCpuMs(pid);
  const clientCpuBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  const run = await send(server.url, token, main, performance.now() + SECONDS * 1000);
  const serverCpu = cpuMs(pid) - cpuBefore;
  const threads = describeThreads(pid, threadsBefore, threadCpuMs(pid), run.elapsedMs);
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const machineBusy = describeMachineBusy(machineBefore, machineTicks());
  const rssAfter = residentBytes(pid);
  const heapAfter = await liveMemory(server.url, token);
  if (heapAfter.agents !== AGENTS) throw new Error(`the server tracks ${heapAfter.agents} agents, expected ${AGENTS}`);

  const signals = run.totals.accepted + run.totals.duplicates + run.totals.rejected + run.totals.ignored;
  const signalsPerSec = Math.round((signals * 1000) / run.elapsedMs);
  const p50 = Math.round(percentile(run.latenciesMs, 50) * 10) / 10;
  const p99 = Math.round(percentile(run.latenciesMs, 99) * 10) / 10;
  // The memory goal is heap per tracked agent: live JS heap plus typed-array backing stores after a full GC.
  const bytesPerAgent = Math.round((heapAfter.live - heapBefore.live) / AGENTS);
  const rssPerAgent = Math.round((rssAfter - rssBefore) / AGENTS);
  if (run.totals.accepted !== signals) log(`  note: not everything was accepted: ${JSON.stringify(run.totals)}`);
  log(`timed: ${fmt(signals)} signals in ${fmt(run.batches)} batches over ${(run.elapsedMs / 1000).toFixed(1)} s${run.batches === main.length ? ' (all pre-built traffic sent: raise --max-signals)' : ''}`);
  log(`  ${fmt(signalsPerSec)} signals/s (goal ≥ 200,000); batch latency p50 ${p50} ms, p99 ${p99} ms, max ${Math.round(Math.max(...run.latenciesMs))} ms`);
  log(`  ${fmt((bytes * (run.batches / main.length) * 1000) / run.elapsedMs / 1_048_576)} MB/s of NDJSON; CPU: server ${Math.round((serverCpu / run.elapsedMs) * 100)} % (threads: ${threads}), client ${Math.round(((clientCpu.user + clientCpu.system) / 1000 / run.elapsedMs) * 100)} % of one core; all cores ${machineBusy} busy`);
  log(`memory: ${fmt(bytesPerAgent)} B/agent of live heap on the server after the run (JS heap + typed arrays, after a full GC; goal ≤ 2,048)`);
  log(`  server VmRSS (an upper bound: SQLite page cache, JIT code, worker heaps, uncollected garbage): ${mb(rssBefore)} before signals, ${mb(rssWarm)} after warm-up (+${fmt((rssWarm - rssBefore) / AGENTS)} B/agent), ${mb(rssAfter)} after the run (+${fmt(rssPerAgent)} B/agent)`);
  const code = await server.stop();
  server = undefined;
  if (code !== 0) log(`  note: server exited with ${code}`);
  console.log(JSON.stringify({ signalsPerSec, p99BatchMs: p99, bytesPerAgent }));
} finally {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
