// `npm run bench:engine` — in-process model throughput and memory (issue #3, Performance).
//   1. Pre-parsed: Signal objects as the intake hands them to the engine's thread (parsed, validated,
//      key hash, interaction-id hash and agent key computed; each batch's agent ids new string objects,
//      as a structured clone makes them) through OrgRuntime.apply (the engine's per-org path,
//      events built; in warmed runs at 100,000 agents, as the engine applies a batch) and through the
//      bare domain applySignal with a Baselines; repeated for a 1,000-agent org, whose state fits in the
//      CPU caches, to show how much of the cost is cache misses.
//   2. From raw NDJSON: Engine.ingestNdjson on the UTF-8 bytes, as the server hands them over (decode +
//      split + JSON.parse + schema check + org/time checks + hashes + transcript analysis on intake
//      workers, then dedupe + apply + events built) over 8 concurrent lanes, next to a parse-only floor
//      (split + JSON.parse of the same text, already decoded, on one thread). Three engines, each on
//      its own store in a temp dir:
//        - the engine path: what the issue's goal names ("in-process model throughput"); the store's
//          log append resolves at once and keeps nothing (the engine's output ends where the store's
//          work begins, DESIGN.md's picture);
//        - durable: the same with the real SQLite log append (input log + event rows, on the writer
//          thread), what bench:ingest measures end to end over HTTP;
//        - durable with intake on the event loop.
//   3. Memory: live bytes per tracked agent at 100,000 agents after each has seen enough signals to
//      fill its idempotency ring (steady state), after forced full GCs: JS heap plus typed-array
//      backing stores (the baselines' histograms live there, outside heapUsed).
// Every round gets fresh traffic (time moves on, new keys), so nothing is a duplicate by accident.
// Last line: one JSON object with the headline numbers.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { OrgRuntime, WARM_RUN } from '../src/engine/org-runtime.ts';
import { Engine, type EngineOptions } from '../src/engine/engine.ts';
import { DEFAULT_INTAKE_WORKERS } from '../src/engine/intake-workers.ts';
import { agentKey, keyHash } from '../src/engine/key-hash.ts';
import { applySignal, createAgentState, Baselines, DEFAULT_MODEL_CONFIG, type AgentModelState } from '../src/domain/burnout/index.ts';
import { idHash } from '../src/domain/burnout/state.ts';
import { endsContact, type Signal } from '../src/domain/signals.ts';
import { Traffic, toNdjsonBatches } from './lib/signals.ts';
import { preParsedRound, preParsedRunner } from './lib/pre-parsed.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import type { Store } from '../src/store/types.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureExposedGc, fmt, fullGc, median, perSec } from './lib/rounds.ts';
import { GcClock } from './lib/gc-time.ts';
import { describeMachineBusy, describeThreads, machineTicks, settle, threadCpuMs } from './lib/proc-stats.ts';

ensureExposedGc(import.meta.url);

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
    'round-size': { type: 'string', default: '500000' },
    batch: { type: 'string', default: '5000' },
    /** Run one part only (e.g. under --cpu-prof): memory, preparsed or ndjson. */
    only: { type: 'string' },
    /** Intake workers of the two engines that use them (the server's default unless given). */
    'intake-workers': { type: 'string', default: String(DEFAULT_INTAKE_WORKERS) },
  },
});
const runs = (part: 'memory' | 'preparsed' | 'ndjson') => args.only === undefined || args.only === part;
const AGENTS = Number(args.agents);
const ROUNDS = Number(args.rounds);
const ROUND_SIZE = Number(args['round-size']);
const BATCH = Number(args.batch);
const INTAKE_WORKERS = Number(args['intake-workers']);
/** Signals per agent before memory is read: past the 32-entry key ring, a few contacts in. */
const MEMORY_SIGNALS_PER_AGENT = 64;
const DAY = 86_400_000;
const SMALL_ORG = 1_000;
const log = (line: string) => process.stderr.write(line + '\n');

/** Live bytes per agent: JS heap, and the typed arrays' backing stores (outside the JS heap but the agents' all the same). */
function memoryPerAgent(): { heap: number; arrayBuffers: number } {
  const traffic = new Traffic({ agents: AGENTS, seed: 7, startMs: Date.now() - 3 * DAY });
  fullGc();
  const before = process.memoryUsage();
  const org = new OrgRuntime(randomUUID(), DEFAULT_MODEL_CONFIG);
  for (let done = 0; done < MEMORY_SIGNALS_PER_AGENT; done++) {
    for (const signal of traffic.next(AGENTS)) org.apply(signal, keyHash(signal.key!), null);
  }
  fullGc();
  const after = process.memoryUsage();
  if (org.agents.size !== AGENTS) throw new Error(`expected ${AGENTS} agents, tracked ${org.agents.size}`);
  return { heap: (after.heapUsed - before.heapUsed) / AGENTS, arrayBuffers: (after.arrayBuffers - before.arrayBuffers) / AGENTS };
}

function preParsed(agents: number): { orgRuntime: number; domain: number } {
  const traffic = new Traffic({ agents, seed: 11, startMs: Date.now() - 3 * DAY });
  const org = new OrgRuntime(randomUUID(), DEFAULT_MODEL_CONFIG);
  const states = new Map<string, AgentModelState>();
  const baselines = new Baselines();
  // As the engine applies a batch (bench/lib/pre-parsed.ts).
  const runOrg = preParsedRunner({ WARM_RUN }, org, BATCH, endsContact);
  const runDomain = (signals: Signal[], interactions: Float64Array) => {
    for (let i = 0; i < signals.length; i++) {
      const signal = signals[i];
      let state = states.get(signal.agentId);
      if (!state) states.set(signal.agentId, (state = createAgentState(signal.time)));
      applySignal(state, signal, DEFAULT_MODEL_CONFIG, baselines, interactions[i] >= 0 ? interactions[i] : undefined);
    }
  };
  const orgRates: number[] = [];
  const domainRates: number[] = [];
  // Round 0 creates the agents and warms the JIT; it is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    const input = preParsedRound(traffic.next(round === 0 ? Math.max(ROUND_SIZE, 2 * agents) : ROUND_SIZE), keyHash, idHash, agentKey);
    const { signals, interactions } = input;
    fullGc();
    const orgMs = runOrg(input);
    fullGc();
    const start = performance.now();
    runDomain(signals, interactions);
    const domainMs = performance.now() - start;
    if (round === 0) continue;
    orgRates.push(perSec(signals.length, orgMs));
    domainRates.push(perSec(signals.length, domainMs));
    log(`  round ${round}: OrgRuntime.apply ${fmt(orgRates.at(-1)!)}/s, applySignal ${fmt(domainRates.at(-1)!)}/s`);
  }
  return { orgRuntime: median(orgRates), domain: median(domainRates) };
}

/**
 * The engine over a real store in a temp dir, its org enabled the way the config routes do it (update +
 * onConfigChanged). `log: 'discard'`: the store's log append resolves at once and keeps nothing.
 */
async function benchEngine(orgId: string, log: 'sqlite' | 'discard', options: Partial<EngineOptions>): Promise<{ engine: Engine; store: Store; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'respite-bench-engine-'));
  const sqlite = openSqliteStore(dataDir);
  const discard: Store['engineLog']['append'] = async () => ({ seq: 0, events: [] });
  const store: Store = log === 'discard' ? { ...sqlite, engineLog: { ...sqlite.engineLog, append: discard } } : sqlite;
  const current = await store.config.get(orgId, Date.now());
  const enabled = await store.config.update({ ...current, enabled: true }, undefined);
  if (enabled.kind !== 'ok') throw new Error('could not enable the org');
  const engine = await Engine.start(store, { snapshotEveryMs: 0, ...options });
  await engine.onConfigChanged(enabled.record);
  return { engine, store, dataDir };
}

/** split + JSON.parse of every line, nothing else: what any NDJSON consumer pays at least. */
function parseFloor(body: string): number {
  let parsed = 0;
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf('\n', start);
    if (end === -1) end = body.length;
    if (end > start && JSON.parse(body.slice(start, end)) !== null) parsed++;
    start = end + 1;
  }
  return parsed;
}

/** Concurrent requests the NDJSON part keeps in flight, like a server's connections. */
const LANES = 8;

/** The NDJSON engines (module comment, part 2), in the order each round runs them. */
const VARIANTS = [
  { name: 'engine', label: 'engine path', log: 'discard', options: { intakeWorkers: INTAKE_WORKERS, intakeInlineBelow: 0 } },
  { name: 'durable', label: 'with the durable log', log: 'sqlite', options: { intakeWorkers: INTAKE_WORKERS, intakeInlineBelow: 0 } },
  { name: 'inline', label: 'durable, intake on the event loop', log: 'sqlite', options: { intakeWorkers: 0 } },
] as const;
type VariantName = (typeof VARIANTS)[number]['name'];

/**
 * Median signals/s per engine and of the floor, and each engine's median ratio to the floor of its own
 * round (the machine's speed drifts between rounds; within one round the two share it).
 */
type NdjsonRates = Record<VariantName | 'floor', number> & { ratios: Record<VariantName, number>; bytesPerSignal: number };

/** Feeds `bodies` to the engine over LANES concurrent lanes (each body handed over); the accepted count. */
async function ingestAll(engine: Engine, orgId: string, bodies: Uint8Array[]): Promise<number> {
  let next = 0;
  let accepted = 0;
  const lane = async () => {
    while (next < bodies.length) {
      const result = await engine.ingestNdjson(orgId, bodies[next++], Date.now());
      if (result.rejected > 0) throw new Error(`rejected: ${JSON.stringify(result.errors.slice(0, 3))}`);
      accepted += result.accepted;
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));
  return accepted;
}

async function fromNdjson(): Promise<NdjsonRates> {
  const orgId = randomUUID();
  const setups = await Promise.all(VARIANTS.map((v) => benchEngine(orgId, v.log, v.options)));
  const gcClock = new GcClock();
  const traffic = new Traffic({ agents: AGENTS, seed: 13, startMs: Date.now() - 3 * DAY });
  const rates = new Map<VariantName | 'floor', number[]>([['floor', []], ...VARIANTS.map((v) => [v.name, []] as [VariantName, number[]])]);
  const ratios = new Map<VariantName, number[]>(VARIANTS.map((v) => [v.name, []]));
  let bytes = 0;
  let lines = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const count = round === 0 ? Math.max(ROUND_SIZE, 2 * AGENTS) : ROUND_SIZE;
    const bodies = toNdjsonBatches(traffic.next(count), BATCH);
    fullGc();
    // The floor gets the machine to itself: the previous round's stores may still be checkpointing.
    await settle();
    const floorMachine = machineTicks();
    const start = performance.now();
    let parsed = 0;
    for (const body of bodies) parsed += parseFloor(body);
    const floorMs = performance.now() - start;
    if (parsed !== count) throw new Error(`parse floor saw ${parsed} lines, expected ${count}`);
    // One thread parses: all cores well over half busy means something else ran beside it.
    const line = [`parse floor ${fmt(perSec(count, floorMs))}/s (all cores ${describeMachineBusy(floorMachine, machineTicks())} busy)`];
    if (round > 0) rates.get('floor')!.push(perSec(count, floorMs));
    // Each engine has its own store and state, so the same bodies are new to each.
    for (const [i, { engine }] of setups.entries()) {
      // Bytes, as the server receives them; a copy per engine, since the engine takes them over.
      const copies = bodies.map((body) => Buffer.from(body));
      fullGc();
      const [before, machineBefore] = [threadCpuMs(process.pid), machineTicks()];
      const started = performance.now();
      const accepted = await ingestAll(engine, orgId, copies);
      const ms = performance.now() - started;
      const gc = await gcClock.between(started, started + ms);
      if (accepted !== count) throw new Error(`${VARIANTS[i].name} engine accepted ${accepted} of ${count}`);
      if (round > 0) {
        rates.get(VARIANTS[i].name)!.push(perSec(count, ms));
        ratios.get(VARIANTS[i].name)!.push(floorMs / ms);
      }
      // All cores' share too: well under 100 % means the stages wait on each other, not on the CPU.
      const threads = describeThreads(process.pid, before, threadCpuMs(process.pid), ms);
      const gcPause = `GC on the engine's thread ${fmt(gc.ms)} ms in ${gc.scavenges} scavenges${gc.otherMs > 0 ? ` and ${fmt(gc.otherMs)} ms of other pauses` : ''}`;
      line.push(`${VARIANTS[i].label} ${fmt(perSec(count, ms))}/s in ${fmt(ms)} ms (threads: ${threads}; all cores ${describeMachineBusy(machineBefore, machineTicks())} busy; ${gcPause})`);
    }
    log(`  ${round === 0 ? 'warm-up' : `round ${round}`}: ${line.join(', ')}`);
    if (round === 0) continue;
    for (const body of bodies) bytes += body.length;
    lines += count;
  }
  gcClock.stop();
  for (const { engine, store, dataDir } of setups) {
    // The writer thread keeps the process alive until the store is closed.
    await engine.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const medianOf = (name: VariantName | 'floor') => median(rates.get(name)!);
  const ratioOf = (name: VariantName) => Math.round(median(ratios.get(name)!) * 1000) / 1000;
  return {
    floor: medianOf('floor'),
    engine: medianOf('engine'),
    durable: medianOf('durable'),
    inline: medianOf('inline'),
    ratios: { engine: ratioOf('engine'), durable: ratioOf('durable'), inline: ratioOf('inline') },
    bytesPerSignal: bytes / lines,
  };
}

log(`bench:engine — ${fmt(AGENTS)} agents, ${ROUNDS} rounds of ${fmt(ROUND_SIZE)} signals (after a warm-up round), batches of ${fmt(BATCH)}, node ${process.version}`);
let bytesPerAgent = NaN;
if (runs('memory')) {
  log('memory: heap per tracked agent');
  const memory = memoryPerAgent();
  bytesPerAgent = Math.round(memory.heap + memory.arrayBuffers);
  log(`  ${fmt(bytesPerAgent)} bytes/agent after ${MEMORY_SIGNALS_PER_AGENT} signals each: ${fmt(memory.heap)} JS heap + ${fmt(memory.arrayBuffers)} typed-array backing stores (after forced GC; goal ≤ 2,048)`);
  fullGc();
}
let pre = { orgRuntime: NaN, domain: NaN };
if (runs('preparsed')) {
  log(`pre-parsed signals (one core), ${fmt(AGENTS)} agents`);
  pre = preParsed(AGENTS);
  log(`  median: OrgRuntime.apply ${fmt(pre.orgRuntime)}/s, domain applySignal ${fmt(pre.domain)}/s (goal ≥ 1,000,000/s)`);
  // The same work for a small org, whose agents' state fits in the CPU caches: shows what is cache misses.
  log(`pre-parsed signals, ${fmt(SMALL_ORG)} agents (for comparison)`);
  const small = preParsed(SMALL_ORG);
  log(`  median: OrgRuntime.apply ${fmt(small.orgRuntime)}/s, domain applySignal ${fmt(small.domain)}/s`);
  fullGc();
}
let nd: NdjsonRates = { floor: NaN, engine: NaN, durable: NaN, inline: NaN, ratios: { engine: NaN, durable: NaN, inline: NaN }, bytesPerSignal: NaN };
if (runs('ndjson')) {
  log(`raw NDJSON, ${LANES} concurrent lanes, ${INTAKE_WORKERS} intake worker(s) where used`);
  nd = await fromNdjson();
}
if (runs('ndjson')) {
  log(
    `  median (each ratio against its own round's floor): parse floor ${fmt(nd.floor)}/s; engine path ${fmt(nd.engine)}/s, ratio ${nd.ratios.engine} (goal ≥ 0.5); ` +
      `with the durable log ${fmt(nd.durable)}/s, ratio ${nd.ratios.durable}; durable with intake on the event loop ${fmt(nd.inline)}/s, ` +
      `ratio ${nd.ratios.inline}; ${Math.round(nd.bytesPerSignal)} bytes/line`,
  );
}
console.log(
  JSON.stringify({
    signalsPerSecPreParsed: pre.orgRuntime,
    signalsPerSecFromNdjson: nd.engine,
    parseFloorPerSec: nd.floor,
    ratioToParseFloor: nd.ratios.engine,
    signalsPerSecFromNdjsonDurable: nd.durable,
    ratioToParseFloorDurable: nd.ratios.durable,
    signalsPerSecFromNdjsonDurableInlineIntake: nd.inline,
    bytesPerAgent,
  }),
);
