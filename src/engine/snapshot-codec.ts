// The engine's snapshot as bytes: every org's agents, baselines and model config. A binary image,
// not JSON: at 100,000 agents JSON.stringify held the event loop 1–2 s and built a 115 MB string;
// here every number is one Float64Array write and the baselines' typed-array pages are copied whole.
//
// Layout: 'RSNP', u32 format, u32 header length H, the header (UTF-8 JSON: strings, org ids, agent
// ids, model configs, the baselines' maps, and where each part lies), zero padding to a multiple of
// 8, then the doubles area, then the words area (Uint32). An agent is one run of doubles:
//   t, level, activity, kp, fw, |d|, d…, |queues|, queues…, |abuse|, abuse…, |ring|, ring…
// with level, activity and queue ids as indices into the header's strings.
// Snapshots written before this format (a JSON document starting with '{') still load.
import { Baselines, type BaselinesImageMeta, type Level, type ModelConfig } from '../domain/burnout/index.ts';
import { OrgRuntime, type AgentRuntime, type OrgSnapshot } from './org-runtime.ts';

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

const agentSize = (r: AgentRuntime): number => AGENT_FIXED + r.m.d.length + r.m.queues.length + r.m.abuse.length + r.ring.length;
const total = (pages: readonly ArrayLike<number>[]): number => pages.reduce((n, p) => n + p.length, 0);

export function encodeSnapshot(orgs: Iterable<OrgRuntime>): Uint8Array {
  // Pass 1: sizes, the string table and the header; pass 2 writes straight into the one buffer.
  const strings = new Strings();
  const headers: OrgHeader[] = [];
  const images: ReturnType<Baselines['image']>[] = [];
  const runtimes: OrgRuntime[] = [];
  let doubles = 0;
  let words = 0;
  for (const org of orgs) {
    const agentIds: string[] = [];
    const agentsAt = doubles;
    for (const [agentId, runtime] of org.agents) {
      agentIds.push(agentId);
      doubles += agentSize(runtime);
      strings.of(runtime.m.level);
      strings.of(runtime.activity);
      for (const queue of runtime.m.queues) strings.of(queue);
    }
    const image = org.baselines.image();
    const agentRows = { at: doubles, n: total(image.agentPages) };
    doubles += agentRows.n;
    const records = { at: words, n: total(image.recordPages) };
    words += records.n;
    headers.push({ orgId: org.orgId, modelConfig: org.modelConfig, agentIds, agents: { at: agentsAt, n: agentRows.at - agentsAt }, baselines: image.meta, records, agentRows });
    images.push(image);
    runtimes.push(org);
  }
  const header = new TextEncoder().encode(JSON.stringify({ strings: strings.list, orgs: headers, doubles, words } satisfies Header));
  const start = align8(PREAMBLE + header.length);
  const bytes = new Uint8Array(start + doubles * 8 + words * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, FORMAT, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, PREAMBLE);
  const f64 = new Float64Array(bytes.buffer, start, doubles);
  const u32 = new Uint32Array(bytes.buffer, start + doubles * 8, words);
  for (let k = 0; k < runtimes.length; k++) {
    let at = headers[k].agents.at;
    for (const runtime of runtimes[k].agents.values()) at = writeAgent(f64, at, runtime, strings);
    let rowAt = headers[k].agentRows.at;
    for (const page of images[k].agentPages) {
      f64.set(page, rowAt);
      rowAt += page.length;
    }
    let recordAt = headers[k].records.at;
    for (const page of images[k].recordPages) {
      u32.set(page, recordAt);
      recordAt += page.length;
    }
  }
  return bytes;
}

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
  return writeRun(f64, at, runtime.ring);
}

function writeRun(f64: Float64Array, at: number, values: number[]): number {
  f64[at++] = values.length;
  for (let i = 0; i < values.length; i++) f64[at++] = values[i];
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
      const runtime = readAgent(f64, at, header.strings);
      org.agents.set(agentId, runtime);
      at += agentSize(runtime);
    }
    org.baselines = Baselines.fromImage(h.baselines, u32.subarray(h.records.at, h.records.at + h.records.n), f64.subarray(h.agentRows.at, h.agentRows.at + h.agentRows.n));
    return org;
  });
}

function readAgent(f64: Float64Array, at: number, strings: string[]): AgentRuntime {
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
  const ring = readRun(f64, at);
  // Fields in the order createAgentState and OrgRuntime.agent create them: one object shape for every agent.
  return { m: { v: 2, t, level, d, queues, abuse }, ring, kp, fw, activity };
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
