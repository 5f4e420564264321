// `npm run bench:actions`: durable POST /v1/agentburnout/action on a real Respite process versus a bare Fastify
// route that validates the same body and stores nothing, loaded alternately (bare, respite, bare, respite, …)
// so machine noise hits both. Prints a table, then as its last line one JSON object:
// {"actionsPerSec", "p99Ms", "bareRoutePerSec", "ratio"} — medians over the rounds.
//
// Settings (environment): BENCH_DURATION seconds per round (10), BENCH_ROUNDS per server (2),
// BENCH_CONNECTIONS (50), BENCH_WARMUP seconds per server before measuring (3),
// BENCH_CPU_PROFILE=<dir> to write a V8 CPU profile of the Respite server there, BENCH_WELLBEING=0 to
// leave the organization's wellbeing off (then an action is only stored: the engine ignores the org).
// By default it is on, as for any org that uses Respite: every action then also goes through the
// engine (a Break Played applies recovery; the action lands on the timeline) in the same commit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Table from 'cli-table3';
import { startBareServer, startRespiteServer, createToken, type ChildServer } from './lib/child-servers.ts';
import { loadActions, type RoundResult } from './lib/action-load.ts';
import { fmt } from './lib/rounds.ts';
import { cpuMs, describeMachineBusy, describeThreads, machineTicks, threadCpuMs } from './lib/proc-stats.ts';
import { enableWellbeing } from './lib/wellbeing.ts';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

const durationSec = setting('BENCH_DURATION', 10);
const rounds = setting('BENCH_ROUNDS', 2);
const connections = setting('BENCH_CONNECTIONS', 50);
const warmupSec = setting('BENCH_WARMUP', 3);
const cpuProfileDir = process.env.BENCH_CPU_PROFILE ? resolve(process.env.BENCH_CPU_PROFILE) : undefined;
const wellbeing = setting('BENCH_WELLBEING', 1) !== 0;

/** The middle value, or the mean of the two middle values (with two rounds, nearest-rank would pick the worse one). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const GOAL = { actionsPerSec: 10_000, p99Ms: 25, ratio: 0.5 };

interface Round extends RoundResult {
  server: 'bare' | 'respite';
  round: number;
  /** The server's busiest threads, as "main 95 %, 41 %" (percent of one core). */
  serverThreads: string;
  /** The load generator's (this process's) share of a core: it runs on the same 2 cores. */
  loadGenPercent: number;
  /**
   * How busy all cores were, as "97 %": near 100 % the round was bound by CPU; well below, by the wait
   * between stages (a request waits for its group's commit).
   */
  machineBusy: string;
}

// Sampled before anything starts: a busy machine (other jobs) makes every figure below unreliable.
const [load1] = loadavg();
const dataDir = mkdtempSync(join(tmpdir(), 'respite-bench-'));
const orgId = randomUUID();
let respite: ChildServer | undefined;
let bare: ChildServer | undefined;
try {
  const token = await createToken(dataDir, orgId, ['cjp:config_write']);
  respite = await startRespiteServer({ dataDir, cpuProfileDir });
  if (wellbeing) await enableWellbeing(respite.url, token, orgId);
  process.stderr.write(`organization wellbeing ${wellbeing ? 'on: every action also goes through the engine' : 'off: actions are only stored'}\n`);
  bare = await startBareServer();
  const load = (server: ChildServer, seconds: number) =>
    loadActions({ url: server.url, token, orgId, connections, durationSec: seconds });

  let respiteAcked = 0;
  let respiteRuns = 0;
  if (warmupSec > 0) {
    process.stderr.write(`warming up both servers (${warmupSec} s each)…\n`);
    await load(bare, warmupSec);
    respiteAcked += (await load(respite, warmupSec)).ok;
    respiteRuns++;
  }
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const [name, server] of [['bare', bare], ['respite', respite]] as const) {
      process.stderr.write(`round ${round}/${rounds}: ${name}, ${connections} connections, ${durationSec} s…\n`);
      const pid = server.child.pid!;
      const [threadsBefore, selfBefore, machineBefore, startedAt] = [threadCpuMs(pid), cpuMs(process.pid), machineTicks(), performance.now()];
      const result = await load(server, durationSec);
      const elapsedMs = performance.now() - startedAt;
      const serverThreads = describeThreads(pid, threadsBefore, threadCpuMs(pid), elapsedMs);
      const loadGenPercent = Math.round(((cpuMs(process.pid) - selfBefore) / elapsedMs) * 100);
      const machineBusy = describeMachineBusy(machineBefore, machineTicks());
      if (name === 'respite') {
        respiteAcked += result.ok;
        respiteRuns++;
      }
      results.push({ server: name, round, serverThreads, loadGenPercent, machineBusy, ...result });
    }
  }

  const respiteExit = await respite.stop();
  respite = undefined;
  await bare.stop();
  bare = undefined;

  // "Durable actions/s" only means something if every 200 is really a row on disk.
  const db = new Database(join(dataDir, 'respite.db'), { readonly: true });
  const stored = (db.prepare('SELECT count(*) AS n FROM actions WHERE org_id = ?').get(orgId) as { n: number }).n;
  db.close();

  const table = new Table({
    head: ['round', 'server', 'ok/s', 'p50 ms', 'p99 ms', '2xx', 'non-2xx', 'errors', 'timeouts', 'server CPU', 'load gen CPU', 'all cores busy'],
    style: { head: [], border: [] },
  });
  for (const r of results) {
    table.push([r.round, r.server, fmt(r.okPerSec), r.p50Ms, r.p99Ms, fmt(r.ok), r.non2xx, r.errors, r.timeouts, r.serverThreads, `${r.loadGenPercent} %`, r.machineBusy]);
  }
  const ofServer = (name: Round['server']) => results.filter((r) => r.server === name);
  const actionsPerSec = Math.round(median(ofServer('respite').map((r) => r.okPerSec)));
  const p99Ms = median(ofServer('respite').map((r) => r.p99Ms));
  const bareRoutePerSec = Math.round(median(ofServer('bare').map((r) => r.okPerSec)));
  const ratio = Math.round((actionsPerSec / bareRoutePerSec) * 100) / 100;

  console.log(table.toString());
  console.log(`respite: ${respiteAcked} actions acknowledged, ${stored} stored, exit code ${respiteExit} after SIGTERM`);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`goal ≥ ${fmt(GOAL.actionsPerSec)} actions/s: ${verdict(actionsPerSec >= GOAL.actionsPerSec)} (${fmt(actionsPerSec)})`);
  console.log(`goal p99 ≤ ${GOAL.p99Ms} ms: ${verdict(p99Ms <= GOAL.p99Ms)} (${p99Ms} ms)`);
  console.log(`goal ≥ ${GOAL.ratio}× bare route: ${verdict(ratio >= GOAL.ratio)} (${ratio}× of ${fmt(bareRoutePerSec)}/s)`);
  if (cpuProfileDir) console.log(`CPU profile of the Respite server written to ${cpuProfileDir}`);
  // autocannon stops counting at the deadline, so up to one request per connection per run is stored unanswered.
  if (stored < respiteAcked || stored > respiteAcked + connections * respiteRuns) {
    console.error(`MISMATCH: ${respiteAcked} acknowledged but ${stored} stored`);
    process.exitCode = 1;
  }
  if (load1 > availableParallelism() / 2 + 0.5) {
    console.log(`warning: load average was ${load1.toFixed(1)} on ${availableParallelism()} cores before the run; other work skews these numbers`);
  }
  console.log(JSON.stringify({ actionsPerSec, p99Ms, bareRoutePerSec, ratio }));
} finally {
  await respite?.stop();
  await bare?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
