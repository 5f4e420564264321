// The engine's snapshot as bytes: every org's agents, baselines and model config. A binary image,
// not JSON: at 100,000 agents JSON.stringify held the event loop 3.4–4.6 s for a 182 MB string
// (bench:snapshot); here every number is one Float64Array write (126 MB in all), the baselines'
// typed-array pages are copied whole, and the engine encodes in slices (SnapshotJob).
//
// Layout: 'RSNP', u32 format, u32 header length H, the header (UTF-8 JSON: strings, org ids, agent
// ids, model configs, the baselines' maps, and where each part lies), zero padding to a multiple of
// 8, then the doubles area, then the words area (Uint32). An agent is one run of doubles:
//   t, level, activity, kp, fw, |d|, d…, |queues|, queues…, |abuse|, abuse…, |ring|, ring…
// with level, activity and queue ids as indices into the header's strings.
// Snapshots written before this format (a JSON document starting with '{') still load.
import { Baselines, type BaselinesCut, type BaselinesImageMeta, type Level, type ModelConfig } from '../domain/burnout/index.ts';
import type { PagesCut } from '../domain/burnout/pages.ts';
import { OrgRuntime, type AgentCapture, type AgentRuntime, type OrgSnapshot } from './org-runtime.ts';
import { KEY_PAIRS_LENGTH, ringOf } from './key-ring.ts';
import { fixedSegment, SegmentedBytes, type Segment } from '../store/snapshot-bytes.ts';
import type { SnapshotBytes } from '../store/types.ts';

const MAGIC = 'RSNP';
const FORMAT = 1;
/** Bytes before the header: magic, format, header length. */
const PREAMBLE = 12;
/** Doubles of an agent's run besides the arrays' elements. */
const AGENT_FIXED = 9;

interface Span {
  /** Offset in elements within its area. */
  at: number;
  n: number;
}

interface OrgHeader {
  orgId: string;
  modelConfig: ModelConfig;
  agentIds: string[];
  agents: Span;
  baselines: BaselinesImageMeta;
  records: Span;
  agentRows: Span;
}

interface Header {
  strings: string[];
  orgs: OrgHeader[];
  doubles: number;
  words: number;
}

/** Small string table: levels, activities and queue ids are few, agents many. */
class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  of(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(s, i);
      this.list.push(s);
    }
    return i;
  }
}

const agentSize = (r: AgentRuntime): number => AGENT_FIXED + r.m.d.length + r.m.queues.length + r.m.abuse.length + KEY_PAIRS_LENGTH;
/** Doubles per block of encoded agents (512 KB): an agent never spans two. */
const BLOCK = 65_536;

let lastSnapshotNumber = 0;

/**
 * A snapshot being taken: the cut is its constructor (synchronous, so the state is the log's up to
 * there); agents are then encoded a slice at a time (`step`), between which the engine goes on. An
 * agent about to change before its turn is encoded first (OrgRuntime.agent → capture), and the
 * baselines copy a page before it changes (Baselines.beginCut), so the bytes are the org as it was
 * at the cut. Agents come back in the order they were encoded (one that changed comes early); nothing
 * depends on that order (read models sort).
 */
export class SnapshotJob {
  readonly id = ++lastSnapshotNumber;
  private readonly strings = new Strings();
  private readonly cuts: OrgCut[];
  private next = 0;

  constructor(orgs: Iterable<OrgRuntime>) {
    this.cuts = [...orgs].map((org) => new OrgCut(this.id, org, this.strings));
  }

  /** Encodes up to `agents` agents not captured yet; true once every agent is. */
  step(agents: number): boolean {
    let budget = agents;
    while (budget > 0 && this.next < this.cuts.length) {
      const cut = this.cuts[this.next];
      budget -= cut.step(budget);
      if (cut.done) this.next++;
    }
    return this.next >= this.cuts.length;
  }

  /** The snapshot, once `step` said done; readable until `release` (the baselines' pages are read as they are written). */
  bytes(): SnapshotBytes {
    if (this.next < this.cuts.length) throw new Error('the snapshot is not fully encoded yet');
    const headers: OrgHeader[] = [];
    const doubleSegments: Segment[] = [];
    const wordSegments: Segment[] = [];
    let doubles = 0;
    let words = 0;
    for (const cut of this.cuts) {
      cut.detach();
      const agents = { at: doubles, n: 0 };
      for (const block of cut.blocks) {
        agents.n += block.length;
        doubleSegments.push(fixedSegment(asBytes(block)));
      }
      doubles += agents.n;
      const agentRows = appendPages(doubleSegments, doubles, cut.baselines.agentRows);
      doubles += agentRows.n;
      const records = appendPages(wordSegments, words, cut.baselines.records);
      words += records.n;
      headers.push({ orgId: cut.orgId, modelConfig: cut.modelConfig, agentIds: cut.ids, agents, baselines: cut.baselines.meta, records, agentRows });
    }
    const header = new TextEncoder().encode(JSON.stringify({ strings: this.strings.list, orgs: headers, doubles, words } satisfies Header));
    const preamble = new Uint8Array(align8(PREAMBLE + header.length));
    preamble.set(new TextEncoder().encode(MAGIC), 0);
    const view = new DataView(preamble.buffer);
    view.setUint32(4, FORMAT, true);
    view.setUint32(8, header.length, true);
    preamble.set(header, PREAMBLE);
    return new SegmentedBytes([fixedSegment(preamble), ...doubleSegments, ...wordSegments]);
  }

  /** Ends the snapshot: nothing is captured or copied for it any more. */
  release(): void {
    for (const cut of this.cuts) cut.release();
  }
}

/** One org's part of a snapshot. */
class OrgCut implements AgentCapture {
  readonly orgId: string;
  readonly modelConfig: ModelConfig;
  readonly baselines: BaselinesCut;
  /** Agent ids in the order encoded, and their runs in blocks. */
  readonly ids: string[] = [];
  readonly blocks: Float64Array[] = [];
  private readonly entries: [string, AgentRuntime][];
  private cursor = 0;
  private block = new Float64Array(0);
  private at = 0;

  constructor(
    readonly id: number,
    private readonly org: OrgRuntime,
    private readonly strings: Strings,
  ) {
    this.orgId = org.orgId;
    this.modelConfig = org.modelConfig;
    this.entries = [...org.agents];
    this.baselines = org.baselines.beginCut();
    org.cut = this;
  }

  get done(): boolean {
    return this.cursor >= this.entries.length;
  }

  capture(agentId: string, runtime: AgentRuntime): void {
    const size = agentSize(runtime);
    if (this.at + size > this.block.length) {
      this.closeBlock();
      this.block = new Float64Array(Math.max(BLOCK, size));
    }
    this.at = writeAgent(this.block, this.at, runtime, this.strings);
    this.ids.push(agentId);
    runtime.sn = this.id;
  }

  /** Captures up to `budget` of the agents not captured yet; returns how many it did. */
  step(budget: number): number {
    let captured = 0;
    while (captured < budget && this.cursor < this.entries.length) {
      const [agentId, runtime] = this.entries[this.cursor++];
      if (runtime.sn === this.id) continue;
      this.capture(agentId, runtime);
      captured++;
    }
    return captured;
  }

  /** Every agent is captured: the org stops calling back. */
  detach(): void {
    if (this.org.cut === this) this.org.cut = null;
    this.closeBlock();
    this.entries.length = 0;
  }

  release(): void {
    this.detach();
    this.baselines.end();
  }

  private closeBlock(): void {
    if (this.at > 0) this.blocks.push(this.block.subarray(0, this.at));
    this.block = new Float64Array(0);
    this.at = 0;
  }
}

/** Encodes every org at once (tests, tools): the whole snapshot in one buffer. */
export function encodeSnapshot(orgs: Iterable<OrgRuntime>): Uint8Array {
  const job = new SnapshotJob(orgs);
  try {
    job.step(Infinity);
    const bytes = job.bytes();
    return bytes.read(0, bytes.byteLength);
  } finally {
    job.release();
  }
}

/** A segment per page of a baselines cut, each read when its chunk is written; their span in elements from `at`. */
function appendPages(into: Segment[], at: number, pages: PagesCut<Float64Array | Uint32Array>): Span {
  const span = { at, n: 0 };
  for (let p = 0; p < pages.count; p++) {
    span.n += pages.page(p).length;
    into.push({ length: pages.page(p).byteLength, bytes: () => asBytes(pages.page(p)) });
  }
  return span;
}

const asBytes = (a: Float64Array | Uint32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function writeAgent(f64: Float64Array, at: number, runtime: AgentRuntime, strings: Strings): number {
  const m = runtime.m;
  f64[at++] = m.t;
  f64[at++] = strings.of(m.level);
  f64[at++] = strings.of(runtime.activity);
  f64[at++] = runtime.kp;
  f64[at++] = runtime.fw;
  at = writeRun(f64, at, m.d);
  f64[at++] = m.queues.length;
  for (const queue of m.queues) f64[at++] = strings.of(queue);
  at = writeRun(f64, at, m.abuse);
  return writeRun(f64, at, runtime.ring, KEY_PAIRS_LENGTH);
}

/** `values`' first `length` numbers (all by default), after their count. */
function writeRun(f64: Float64Array, at: number, values: number[], length = values.length): number {
  f64[at++] = length;
  for (let i = 0; i < length; i++) f64[at++] = values[i];
  return at;
}

/** Every org of a snapshot, binary or (older) JSON. */
export function decodeSnapshot(state: Uint8Array | string): OrgRuntime[] {
  if (typeof state === 'string') return decodeJson(state);
  if (state.length < PREAMBLE || new TextDecoder().decode(state.subarray(0, 4)) !== MAGIC) return decodeJson(new TextDecoder().decode(state));
  const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
  const format = view.getUint32(4, true);
  if (format !== FORMAT) throw new Error(`engine snapshot format ${format} is newer than this build reads (${FORMAT})`);
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(state.subarray(PREAMBLE, PREAMBLE + headerLength))) as Header;
  const start = align8(PREAMBLE + headerLength);
  // Typed-array views need aligned offsets; a buffer read from the database need not be.
  const aligned = (state.byteOffset + start) % 8 === 0 ? state : state.slice();
  const f64 = new Float64Array(aligned.buffer, aligned.byteOffset + start, header.doubles);
  const u32 = new Uint32Array(aligned.buffer, aligned.byteOffset + start + header.doubles * 8, header.words);
  return header.orgs.map((h) => {
    const org = new OrgRuntime(h.orgId, h.modelConfig);
    let at = h.agents.at;
    for (const agentId of h.agentIds) {
      const { runtime, next } = readAgent(agentId, f64, at, header.strings);
      org.adopt(runtime);
      at = next;
    }
    org.baselines = Baselines.fromImage(h.baselines, u32.subarray(h.records.at, h.records.at + h.records.n), f64.subarray(h.agentRows.at, h.agentRows.at + h.agentRows.n));
    // The image keeps every agent's slot: the agents find theirs again without a lookup.
    for (const [agentId, runtime] of org.agents) runtime.m.bs = org.baselines.slotOf(agentId);
    return org;
  });
}

/** The agent written at `at`, and where the next one starts (the pairs stored may be fewer than a full ring's, from older versions). */
function readAgent(agentId: string, f64: Float64Array, at: number, strings: string[]): { runtime: AgentRuntime; next: number } {
  const t = f64[at];
  const level = strings[f64[at + 1]] as Level;
  const activity = strings[f64[at + 2]];
  const kp = f64[at + 3];
  const fw = f64[at + 4];
  at += 5;
  const d = readRun(f64, at);
  at += 1 + d.length;
  const queues: string[] = [];
  for (let i = 0, n = f64[at++]; i < n; i++) queues.push(strings[f64[at++]]);
  const abuse = readRun(f64, at);
  at += 1 + abuse.length;
  const pairs = readRun(f64, at);
  // Fields in the order createAgentState and OrgRuntime.agent create them: one object shape for every agent.
  const runtime = { m: { v: 2 as const, t, level, d, queues, abuse, bs: -1 }, ring: ringOf(pairs), kp, fw, activity, sn: 0, id: agentId };
  return { runtime, next: at + 1 + pairs.length };
}

function readRun(f64: Float64Array, at: number): number[] {
  // Double elements from the start, like the live state's arrays (state.ts): no transition on the first fraction.
  const values = [0.5];
  values.length = 0;
  for (let i = 0, n = f64[at]; i < n; i++) values.push(f64[at + 1 + i]);
  return values;
}

function decodeJson(state: string): OrgRuntime[] {
  const parsed = JSON.parse(state) as { orgs: Record<string, OrgSnapshot> };
  return Object.entries(parsed.orgs).map(([orgId, snap]) => OrgRuntime.restore(orgId, snap));
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;
