// `npm run bench:snapshot` — what an engine snapshot costs at 100,000 agents (issue #3: the event loop
// must not stall; a restart must come back fast).
//   1. Encode and decode on the event loop, side by side in one run: the binary snapshot
//      (snapshot-codec.ts) and the JSON document the engine wrote before it. The engine encodes in
//      slices (SnapshotJob: the cut, then 2,000 agents per turn of the event loop): its longest pause
//      is the cut or the longest slice, next to the whole encode in one go.
//   2. The save through a real SQLite store, with a probe beside it: back-to-back tiny log appends,
//      each awaited, as requests waiting on commits would be. Chunked (the default, one writer commit
//      per chunk) against the whole snapshot in one commit: the longest a probe waited shows the
//      stall every request sharing the writer would see.
//   3. A restart from that snapshot: Engine.start on the saved store (read the chunks, decode, replay nothing).
// Last line: one JSON object with the headline numbers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OrgRuntime } from '../src/engine/org-runtime.ts';
import { Engine } from '../src/engine/engine.ts';
import { decodeSnapshot, encodeSnapshot, SnapshotJob } from '../src/engine/snapshot-codec.ts';
import { SegmentedBytes } from '../src/store/snapshot-bytes.ts';
import { keyHash } from '../src/engine/key-hash.ts';
import { DEFAULT_MODEL_CONFIG } from '../src/domain/burnout/index.ts';
import { openSqliteStore, type StoreOptions } from '../src/store/sqlite/index.ts';
import { SNAPSHOT_CHUNK_BYTES } from '../src/store/sqlite/engine-log.ts';
import { Traffic } from './lib/signals.ts';
import { ensureExposedGc, fmt, fullGc, median, percentile } from './lib/rounds.ts';

ensureExposedGc(import.meta.url);

const { values: args } = parseArgs({
  options: {
    agents: { type: 'string', default: '100000' },
    /** Signals per agent before the snapshot: past the 32-entry key ring, a few contacts in (as bench:engine's memory part). */
    'signals-per-agent': { type: 'string', default: '64' },
    rounds: { type: 'string', default: '3' },
    /** Chunk size of the chunked save (KiB; default the store's). */
    'chunk-kb': { type: 'string' },
  },
});
const AGENTS = Number(args.agents);
const ROUNDS = Number(args.rounds);
const CHUNK_BYTES = args['chunk-kb'] === undefined ? SNAPSHOT_CHUNK_BYTES : Number(args['chunk-kb']) * 1024;
const DAY = 86_400_000;
const log = (line: string) => process.stderr.write(line + '\n');
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
const round1 = (ms: number) => Math.round(ms * 10) / 10;

function timed<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

log(`building ${fmt(AGENTS)} agents, ${args['signals-per-agent']} signals each …`);
const org = new OrgRuntime('bench-org', DEFAULT_MODEL_CONFIG);
const traffic = new Traffic({ agents: AGENTS, seed: 7, startMs: Date.now() - 3 * DAY });
for (let k = 0; k < Number(args['signals-per-agent']); k++) {
  for (const signal of traffic.next(AGENTS)) org.apply(signal, keyHash(signal.key!), null);
}

// 1. Encode and decode, alternating the two formats within each round.
const results = { jsonEncode: [] as number[], binaryEncode: [] as number[], cut: [] as number[], longestSlice: [] as number[], jsonDecode: [] as number[], binaryDecode: [] as number[] };
/** Agents per slice, as the engine encodes (engine.ts SNAPSHOT_STEP_AGENTS). */
const SLICE = 2_000;
let jsonBytes = 0;
let binary: Uint8Array = new Uint8Array();
for (let round = 1; round <= ROUNDS; round++) {
  fullGc();
  const json = timed(() => JSON.stringify({ orgs: { [org.orgId]: org.snapshot() } }));
  fullGc();
  const bin = timed(() => encodeSnapshot([org]));
  fullGc();
  const job = timed(() => new SnapshotJob([org]));
  let longestSlice = 0;
  for (let done = false; !done; ) {
    const slice = timed(() => job.value.step(SLICE));
    done = slice.value;
    longestSlice = Math.max(longestSlice, slice.ms);
  }
  job.value.release();
  fullGc();
  const jsonBack = timed(() => decodeSnapshot(json.value));
  fullGc();
  const binBack = timed(() => decodeSnapshot(bin.value));
  if (jsonBack.value[0].agents.size !== AGENTS || binBack.value[0].agents.size !== AGENTS) throw new Error('a decoded snapshot lost agents');
  jsonBytes = Buffer.byteLength(json.value);
  binary = bin.value;
  results.jsonEncode.push(json.ms);
  results.binaryEncode.push(bin.ms);
  results.cut.push(job.ms);
  results.longestSlice.push(longestSlice);
  results.jsonDecode.push(jsonBack.ms);
  results.binaryDecode.push(binBack.ms);
  log(
    `  round ${round}: encode JSON ${round1(json.ms)} ms (${mb(jsonBytes)} MB) vs binary ${round1(bin.ms)} ms (${mb(bin.value.length)} MB), ` +
      `in slices: cut ${round1(job.ms)} ms, longest slice ${round1(longestSlice)} ms; ` +
      `decode JSON ${round1(jsonBack.ms)} ms vs binary ${round1(binBack.ms)} ms`,
  );
}

// 2. Saving, with a probe of commit waits beside it.
async function save(options: StoreOptions): Promise<{ saveMs: number; probeMaxMs: number; probeP99Ms: number; probes: number; restartMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'respite-bench-snapshot-'));
  const store = openSqliteStore(dir, options);
  try {
    for (let k = 0; k < 20; k++) await store.engineLog.append('probe-org', '[]', []);
    const waits: number[] = [];
    let saving = true;
    const probe = (async () => {
      while (saving) {
        const start = performance.now();
        await store.engineLog.append('probe-org', '[]', []);
        waits.push(performance.now() - start);
      }
    })();
    const start = performance.now();
    await store.engineLog.saveSnapshot(await store.engineLog.beginSnapshot(), SegmentedBytes.of(binary), Date.now());
    const saveMs = performance.now() - start;
    saving = false;
    await probe;
    await store.close();
    fullGc();
    const restartStart = performance.now();
    const reopened = openSqliteStore(dir, options);
    const engine = await Engine.start(reopened, { snapshotEveryMs: 0, intakeWorkers: 0 });
    const restartMs = performance.now() - restartStart;
    if (engine.org(org.orgId).agents.size !== AGENTS) throw new Error('the restart lost agents');
    await reopened.close();
    return { saveMs, probeMaxMs: Math.max(...waits), probeP99Ms: percentile(waits, 99), probes: waits.length, restartMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const chunked: Awaited<ReturnType<typeof save>>[] = [];
const whole: Awaited<ReturnType<typeof save>>[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  chunked.push(await save({ snapshotChunkBytes: CHUNK_BYTES }));
  whole.push(await save({ snapshotChunkBytes: binary.length }));
  const [c, w] = [chunked.at(-1)!, whole.at(-1)!];
  log(
    `  round ${round}: save chunked ${Math.round(c.saveMs)} ms, probe max ${round1(c.probeMaxMs)} ms p99 ${round1(c.probeP99Ms)} ms (${c.probes} commits), restart ${Math.round(c.restartMs)} ms; ` +
      `one commit ${Math.round(w.saveMs)} ms, probe max ${round1(w.probeMaxMs)} ms (${w.probes} commits)`,
  );
}

const summary = {
  agents: AGENTS,
  jsonEncodeMs: round1(median(results.jsonEncode)),
  binaryEncodeMs: round1(median(results.binaryEncode)),
  cutMs: round1(median(results.cut)),
  longestSliceMs: round1(median(results.longestSlice)),
  jsonMB: mb(jsonBytes),
  binaryMB: mb(binary.length),
  jsonDecodeMs: round1(median(results.jsonDecode)),
  binaryDecodeMs: round1(median(results.binaryDecode)),
  saveMs: Math.round(median(chunked.map((r) => r.saveMs))),
  probeMaxMsChunked: round1(median(chunked.map((r) => r.probeMaxMs))),
  probeMaxMsOneCommit: round1(median(whole.map((r) => r.probeMaxMs))),
  restartMs: Math.round(median(chunked.map((r) => r.restartMs))),
};
log(
  `encode ${summary.binaryEncodeMs} ms vs JSON ${summary.jsonEncodeMs} ms (${round1(summary.jsonEncodeMs / summary.binaryEncodeMs)}× faster); ` +
    `the engine's longest pause: cut ${summary.cutMs} ms, slice ${summary.longestSliceMs} ms; ` +
    `decode ${summary.binaryDecodeMs} ms vs ${summary.jsonDecodeMs} ms; longest commit wait while saving ${summary.probeMaxMsChunked} ms chunked vs ${summary.probeMaxMsOneCommit} ms in one commit`,
);
console.log(JSON.stringify(summary));
