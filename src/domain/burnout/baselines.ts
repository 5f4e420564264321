// Handle-time baselines (MODEL-EVIDENCE §5): the median handle time per agent, channel and queue
// over a rolling window of about 28 days, used once the agent has ≥ minInteractions in the window and
// is past the first newAgentDays of tenure; otherwise the queue's median (all agents, same channel
// and queue); otherwise the channel's fallback median from the config.
//
// Simplifications (documented, judgement):
// - Window: weekly rows in a ring of ceil(windowDays / 7): the current week plus the three before
//   (22–28 days with the defaults). The window length is fixed when the Baselines object is created
//   (ring size); the other settings are read from the config on every query.
// - Queue baselines (few: one per queue and channel) keep a log-spaced histogram per week
//   (histogram.ts).
// - Agent baselines (one per agent, channel and queue: the bulk of the memory at 100,000 agents) keep
//   per week only the count and the sum of log2(duration / 15 s), quantised to 1/256 of a doubling
//   (0.3 %) and clamped to 15 s … 4.3 h, like the histogram's range. Their median is estimated as the
//   geometric mean exp(mean log duration): exact for lognormal handle times, which is what service
//   times are (Brown et al. 2005, MODEL-EVIDENCE §2 and §6), and 13 integers instead of 160 counters.
//   Integer sums keep the estimate exact and order-independent, so a snapshot restores it verbatim.
// - "Refreshed daily": a key's median is computed at its first query of a UTC day and kept for the
//   rest of that day (the cache is part of the snapshot, so a restored engine answers the same).
// - Tenure starts when Respite first records an interaction of the agent, unless the engine knows
//   better (setTenureStart). After a fresh install every agent uses the queue baseline for 6 weeks.
// Layout (issue #3, memory and cache misses): an agent is a small integer slot with one row (tenure,
// and a directory of their first records); records are fixed-size runs of Uint32 in pages, chained
// per agent; queue ids are interned to small integers, so a lookup builds no composite keys and
// allocates nothing.
import type { ModelConfig } from './config.ts';
import { DEFAULT_MODEL_CONFIG } from './config.ts';
import {
  BINS,
  BINS_PER_DOUBLING,
  countInHistogram,
  DAY,
  histogramMedian,
  LOWEST_MS,
  newHistogram,
  ROW_DAYS,
  weekOf,
  type Histogram as QueueHistogram,
} from './histogram.ts';
import { Pages, type PagesCut } from './pages.ts';

/** Quantisation of an agent record's log durations: steps per doubling, and the top of the range. */
const LOG_STEPS = 256;
const LOG_MAX = (BINS / BINS_PER_DOUBLING) * LOG_STEPS;
/** Per-week count limit of an agent record (saturating; keeps the Uint32 sum far from overflow). */
const AGENT_COUNT_MAX = 0xffff;
const CHANNELS = ['voice', 'chat', 'email'];

// Agent record words (the record is R_ROWS + 2 × rows words).
/** Next record of the same agent + 1; 0 ends the chain (also links the free list). */
const R_NEXT = 0;
/** Queue number × 4 + channel number. */
const R_KEY = 1;
/** Week number (since the epoch) of the newest row. */
const R_NEWEST = 2;
/** Cached median (ms, 0 = not enough interactions) and the UTC day + 1 it was computed on (0 = never). */
const R_MEDIAN = 3;
const R_MEDIAN_DAY = 4;
/** Week w's row at R_ROWS + 2 × (w mod rows): interaction count, then the sum of quantised log durations. */
const R_ROWS = 5;

// Agent row (8 doubles: about one cache line): tenure start, chain head, record count, and a directory
// of the first DIRECTORY records as key × 2^32 + record, so finding a key usually reads this row and
// the one record instead of walking a chain of records spread over the pages.
/** Tenure start (ms; NaN = unknown). */
const A_SINCE = 0;
/** First record + 1 (0 = none). */
const A_HEAD = 1;
const A_COUNT = 2;
const A_DIRECTORY = 3;
const DIRECTORY = 5;
const A_WIDTH = 8;
const KEY_UNIT = 2 ** 32;

const PAGE_SHIFT = 10;
const PAGE_SIZE = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_SIZE - 1;

/** v3: agent entries' counts are [count, log sum] per row; v2 (still read): BINS counts per row for agents too. */
export interface BaselinesJSON {
  v: 2 | 3;
  rows: number;
  /** agentId ('' for a queue's histogram), channel, queueId, newest week, counts, then (v3) the cached median and its day + 1. */
  histograms: Array<[agentId: string, channel: string, queueId: string, newest: number, counts: number[], median?: number, medianDay?: number]>;
  tenure: Array<[agentId: string, since: number]>;
}

/**
 * Where a caller keeps an agent's slot as `observe` last found it (the model keeps it in the agent's
 * state): at 100,000 agents finding the slot through the agent map misses the CPU's caches three times
 * (its bucket, its entry, the key), so a slot that is still the agent's is taken as it is. −1: unknown.
 */
export interface SlotHint {
  bs: number;
}

/** `Baselines.beginCut()`: everything but the typed-array pages. */
export interface BaselinesImageMeta {
  rows: number;
  recordsUsed: number;
  freeRecords: number;
  slotsUsed: number;
  freeSlots: number[];
  /** The agent → slot map as two lists, in the map's order. */
  agentIds: string[];
  agentSlots: number[];
  queueIds: string[];
  /** Queue histograms: key (queue number × 3 + channel), newest week, cached median and its day + 1, counts. */
  queues: Array<[key: number, newest: number, median: number, medianDay: number, counts: number[]]>;
}

/** `Baselines.beginCut()`: the baselines as they were when it was called, until `end()`. */
export interface BaselinesCut {
  meta: BaselinesImageMeta;
  records: PagesCut<Uint32Array>;
  agentRows: PagesCut<Float64Array>;
  /** Closes the cut: pages are no longer copied before they change. */
  end(): void;
}

export class Baselines {
  readonly rows: number;
  /** Words per agent record. */
  private readonly width: number;
  /** Agent records (R_*), `width` words each; written only through `records.writable` (copy-on-write cuts). */
  private readonly records = new Pages<Uint32Array>(() => new Uint32Array(PAGE_SIZE * this.width));
  private readonly recordPages = this.records.list;
  private recordsUsed = 0;
  /** Head of the free-record list + 1 (records of forgotten agents). */
  private freeRecords = 0;
  /** agentId → agent slot. */
  private readonly agents = new Map<string, number>();
  /** Agent slot → agentId ('' when free): checks a SlotHint. */
  private readonly slotAgents: string[] = [];
  /** Agent rows (A_*), A_WIDTH doubles per agent slot; written only through `agentRows.writable`. */
  private readonly agentRows = new Pages<Float64Array>(() => new Float64Array(A_WIDTH * PAGE_SIZE));
  private readonly agentPages = this.agentRows.list;
  private slotsUsed = 0;
  private readonly freeSlots: number[] = [];
  /** queueId → queue number; queue number × 3 + channel number → its histogram. */
  private readonly queueNumbers = new Map<string, number>();
  private readonly queueIds: string[] = [];
  private readonly queues: Array<QueueHistogram | undefined> = [];

  constructor(windowDays: number = DEFAULT_MODEL_CONFIG.baselines.windowDays) {
    this.rows = Math.max(1, Math.ceil(windowDays / ROW_DAYS));
    this.width = R_ROWS + 2 * this.rows;
  }

  /** The median handle time (ms) the handle factor divides by. */
  medianMs(agentId: string, channel: string, queueId: string, now: number, config: ModelConfig): number {
    const c = channelIndex(channel);
    const slot = this.agents.get(agentId);
    const queue = this.queueNumbers.get(queueId);
    const record = slot === undefined || queue === undefined ? -1 : this.findRecord(slot, queue * 4 + c);
    return this.medianOf(slot ?? -1, record, queue ?? -1, c, now, config);
  }

  /** Counts one finished interaction for the agent's and the queue's baseline. */
  record(agentId: string, channel: string, queueId: string, durationMs: number, now: number): void {
    if (!(durationMs >= 0)) return;
    const c = channelIndex(channel);
    const queue = this.queueNumber(queueId);
    const slot = this.agentSlot(agentId, now);
    let record = this.findRecord(slot, queue * 4 + c);
    if (record < 0) record = this.addRecord(slot, queue * 4 + c, now);
    this.count(record, durationMs, now, queue * 3 + c);
  }

  /**
   * medianMs, then record: the model's one call per finished interaction (each lookup done once).
   * `hint`: the agent's slot as this call last left it there, taken when it is still theirs.
   */
  observe(agentId: string, hint: SlotHint, channel: string, queueId: string, durationMs: number, now: number, config: ModelConfig): number {
    const c = channelIndex(channel);
    const queue = this.queueNumber(queueId);
    let slot = hint.bs;
    if (!(slot >= 0 && this.slotAgents[slot] === agentId)) slot = this.slotOf(agentId);
    let record = slot < 0 ? -1 : this.findRecord(slot, queue * 4 + c);
    const median = this.medianOf(slot, record, queue, c, now, config);
    if (!(durationMs >= 0)) return median;
    if (slot < 0) slot = this.agentSlot(agentId, now);
    else if (Number.isNaN(this.since(slot))) this.setSince(slot, now);
    if (record < 0) record = this.addRecord(slot, queue * 4 + c, now);
    this.count(record, durationMs, now, queue * 3 + c);
    hint.bs = slot;
    return median;
  }

  /**
   * Reads what `observe` will read for the agent whose hint this is, without changing anything (see
   * OrgRuntime.warm): the slot's owner, the agent's row and its first records. Answers a number for the
   * caller to keep, so that the compiler keeps the reads.
   */
  warm(hint: SlotHint): number {
    const slot = hint.bs;
    if (!(slot >= 0 && slot < this.slotsUsed)) return 0;
    const row = this.agentPages[slot >>> PAGE_SHIFT];
    const a = (slot & PAGE_MASK) * A_WIDTH;
    const count = row[a + A_COUNT];
    let sum = this.slotAgents[slot].length + count;
    const listed = count < DIRECTORY ? count : DIRECTORY;
    for (let k = 0; k < listed; k++) {
      const r = row[a + A_DIRECTORY + k] % KEY_UNIT;
      sum += this.recordPages[r >>> PAGE_SHIFT][(r & PAGE_MASK) * this.width];
    }
    return sum;
  }

  /** The agent's slot, −1 if they have none (no interaction counted, no tenure known). */
  slotOf(agentId: string): number {
    return this.agents.get(agentId) ?? -1;
  }

  /** The agent's tenure start (ms), e.g. their hire date from the platform. */
  setTenureStart(agentId: string, since: number): void {
    const slot = this.agents.get(agentId);
    if (slot === undefined) this.setSince(this.newSlot(agentId), since);
    else this.setSince(slot, since);
  }

  /** Forgets an agent (erase request); the queue baselines keep their anonymous counts. */
  forgetAgent(agentId: string): void {
    const slot = this.agents.get(agentId);
    if (slot === undefined) return;
    this.agents.delete(agentId);
    this.slotAgents[slot] = '';
    let next = this.head(slot);
    while (next !== 0) {
      const r = next - 1;
      const page = this.records.writable(r >>> PAGE_SHIFT);
      const o = (r & PAGE_MASK) * this.width;
      next = page[o + R_NEXT];
      page.fill(0, o, o + this.width);
      page[o + R_NEXT] = this.freeRecords;
      this.freeRecords = r + 1;
    }
    this.agentRows.writable(slot >>> PAGE_SHIFT).fill(0, (slot & PAGE_MASK) * A_WIDTH, ((slot & PAGE_MASK) + 1) * A_WIDTH);
    this.setSince(slot, NaN);
    this.freeSlots.push(slot);
  }

  toJSON(): BaselinesJSON {
    const histograms: BaselinesJSON['histograms'] = [];
    const tenure: BaselinesJSON['tenure'] = [];
    for (const [agentId, slot] of this.agents) {
      const since = this.since(slot);
      if (!Number.isNaN(since)) tenure.push([agentId, since]);
      for (let next = this.head(slot); next !== 0; ) {
        const r = next - 1;
        const page = this.recordPages[r >>> PAGE_SHIFT];
        const o = (r & PAGE_MASK) * this.width;
        const key = page[o + R_KEY];
        const counts = Array.from(page.subarray(o + R_ROWS, o + this.width));
        histograms.push([agentId, CHANNELS[key & 3], this.queueIds[key >>> 2], page[o + R_NEWEST], counts, page[o + R_MEDIAN], page[o + R_MEDIAN_DAY]]);
        next = page[o + R_NEXT];
      }
    }
    this.queues.forEach((h, i) => {
      if (h) histograms.push(['', CHANNELS[i % 3], this.queueIds[Math.floor(i / 3)], h.newest, Array.from(h.counts), h.median, h.medianDay]);
    });
    return { v: 3, rows: this.rows, histograms, tenure };
  }

  static fromJSON(json: BaselinesJSON): Baselines {
    const baselines = new Baselines(json.rows * ROW_DAYS);
    const rows = baselines.rows;
    for (const [agentId, since] of json.tenure) baselines.setTenureStart(agentId, since);
    const v3 = json.v === 3;
    for (const [agentId, channel, queueId, newest, counts, median, medianDay] of json.histograms) {
      if (agentId !== '') continue;
      const h = baselines.queueHistogram(baselines.queueNumber(queueId) * 3 + channelIndex(channel), 0);
      h.newest = newest;
      h.counts.set(counts.slice(0, h.counts.length));
      if (v3) [h.median, h.medianDay] = [median ?? 0, medianDay ?? 0];
    }
    // Records are added at the head of an agent's chain: in reverse, so the chain keeps the JSON's order.
    for (let k = json.histograms.length - 1; k >= 0; k--) {
      const [agentId, channel, queueId, newest, counts, median, medianDay] = json.histograms[k];
      if (agentId === '') continue;
      const slot = baselines.agents.get(agentId) ?? baselines.newSlot(agentId);
      const r = baselines.addRecord(slot, baselines.queueNumber(queueId) * 4 + channelIndex(channel), 0);
      const page = baselines.recordPages[r >>> PAGE_SHIFT];
      const o = (r & PAGE_MASK) * baselines.width;
      page[o + R_NEWEST] = newest;
      if (v3) {
        page.set(counts.slice(0, 2 * rows), o + R_ROWS);
        page[o + R_MEDIAN] = median ?? 0;
        page[o + R_MEDIAN_DAY] = medianDay ?? 0;
      } else {
        // v2 histogram rows → count and log sum, each bin's interactions at the bin's middle.
        for (let row = 0; row < rows; row++) {
          let n = 0;
          let sum = 0;
          for (let b = 0; b < BINS; b++) {
            const count = counts[row * BINS + b] ?? 0;
            n += count;
            sum += count * Math.round(((b + 0.5) * LOG_STEPS) / BINS_PER_DOUBLING);
          }
          page[o + R_ROWS + 2 * row] = n;
          page[o + R_ROWS + 2 * row + 1] = sum;
        }
      }
    }
    return baselines;
  }

  /**
   * Opens a snapshot of the baselines as they are now, for the engine's binary snapshot: the maps
   * beside the pages are copied at once (small), the typed-array pages are not. Until `end()`, a page
   * about to change is copied first (copy on write), so the cut's pages read as they were when it
   * opened, however long the snapshot takes to encode and write.
   */
  beginCut(): BaselinesCut {
    const records = this.records.beginCut();
    const agentRows = this.agentRows.beginCut();
    const queues: BaselinesImageMeta['queues'] = [];
    this.queues.forEach((h, key) => {
      if (h) queues.push([key, h.newest, h.median, h.medianDay, Array.from(h.counts)]);
    });
    const meta: BaselinesImageMeta = {
      rows: this.rows,
      recordsUsed: this.recordsUsed,
      freeRecords: this.freeRecords,
      slotsUsed: this.slotsUsed,
      freeSlots: [...this.freeSlots],
      agentIds: [...this.agents.keys()],
      agentSlots: [...this.agents.values()],
      queueIds: [...this.queueIds],
      queues,
    };
    return {
      meta,
      records,
      agentRows,
      end: () => {
        records.end();
        agentRows.end();
      },
    };
  }

  /** Rebuilds baselines from a cut's meta and pages; `records` and `agentRows` are its pages end to end. */
  static fromImage(meta: BaselinesImageMeta, records: Uint32Array, agentRows: Float64Array): Baselines {
    const baselines = new Baselines(meta.rows * ROW_DAYS);
    baselines.records.load(records, PAGE_SIZE * baselines.width);
    baselines.agentRows.load(agentRows, PAGE_SIZE * A_WIDTH);
    baselines.recordsUsed = meta.recordsUsed;
    baselines.freeRecords = meta.freeRecords;
    baselines.slotsUsed = meta.slotsUsed;
    baselines.freeSlots.push(...meta.freeSlots);
    for (let slot = 0; slot < meta.slotsUsed; slot++) baselines.slotAgents.push('');
    for (let i = 0; i < meta.agentIds.length; i++) {
      baselines.agents.set(meta.agentIds[i], meta.agentSlots[i]);
      baselines.slotAgents[meta.agentSlots[i]] = meta.agentIds[i];
    }
    for (const queueId of meta.queueIds) baselines.queueNumber(queueId);
    for (const [key, newest, median, medianDay, counts] of meta.queues) {
      const h = baselines.queueHistogram(key, 0);
      h.newest = newest;
      h.counts.set(counts);
      h.median = median;
      h.medianDay = medianDay;
    }
    return baselines;
  }

  /** The median for an agent (slot, record; −1 = none) and queue (number; −1 = unknown), or the fallback. */
  private medianOf(slot: number, record: number, queue: number, c: number, now: number, config: ModelConfig): number {
    const b = config.baselines;
    if (record >= 0 && now - this.since(slot) >= b.newAgentDays * DAY) {
      const median = this.agentMedian(record, now, b.minInteractions);
      if (median > 0) return median;
    }
    const h = queue < 0 ? undefined : this.queues[queue * 3 + c];
    const median = h === undefined ? 0 : histogramMedian(h, this.rows, now, b.minInteractions);
    if (median > 0) return median;
    const fallbackSec = c === 1 ? b.fallbackChatSec : c === 2 ? b.fallbackEmailSec : b.fallbackVoiceSec;
    return fallbackSec * 1000;
  }

  private agentMedian(r: number, now: number, minInteractions: number): number {
    const o = (r & PAGE_MASK) * this.width;
    const day = Math.floor(now / DAY) + 1;
    const cached = this.recordPages[r >>> PAGE_SHIFT];
    if (cached[o + R_MEDIAN_DAY] === day) return cached[o + R_MEDIAN];
    // Only a recomputation writes (the cache), so only it goes through the copy-on-write page.
    const page = this.records.writable(r >>> PAGE_SHIFT);
    page[o + R_MEDIAN_DAY] = day;
    const rows = this.rows;
    const newest = page[o + R_NEWEST];
    let n = 0;
    let sum = 0;
    for (let w = Math.max(weekOf(now) - rows + 1, newest - rows + 1); w <= newest; w++) {
      const row = o + R_ROWS + 2 * (w % rows);
      n += page[row];
      sum += page[row + 1];
    }
    const median = n < minInteractions || n === 0 ? 0 : Math.round(LOWEST_MS * 2 ** (sum / n / LOG_STEPS));
    page[o + R_MEDIAN] = median;
    return median;
  }

  /** Counts a duration into an agent record and its queue's histogram. */
  private count(r: number, durationMs: number, now: number, queueKey: number): void {
    const log = durationMs <= LOWEST_MS ? 0 : Math.log2(durationMs / LOWEST_MS);
    const week = weekOf(now);
    const rows = this.rows;
    const page = this.records.writable(r >>> PAGE_SHIFT);
    const o = (r & PAGE_MASK) * this.width;
    const newest = page[o + R_NEWEST];
    if (week > newest) {
      // Clear the rows of the weeks that start now (at most the whole ring).
      for (let w = Math.max(newest + 1, week - rows + 1); w <= week; w++) page.fill(0, o + R_ROWS + 2 * (w % rows), o + R_ROWS + 2 * (w % rows) + 2);
      page[o + R_NEWEST] = week;
    }
    if (week > newest - rows) {
      const row = o + R_ROWS + 2 * (week % rows);
      if (page[row] < AGENT_COUNT_MAX) {
        page[row]++;
        page[row + 1] += Math.min(LOG_MAX, Math.round(log * LOG_STEPS));
      }
    }
    countInHistogram(this.queueHistogram(queueKey, now), rows, week, log);
  }

  private queueNumber(queueId: string): number {
    let n = this.queueNumbers.get(queueId);
    if (n === undefined) {
      n = this.queueIds.length;
      this.queueNumbers.set(queueId, n);
      this.queueIds.push(queueId);
      this.queues.push(undefined, undefined, undefined);
    }
    return n;
  }

  private queueHistogram(key: number, now: number): QueueHistogram {
    let h = this.queues[key];
    if (h === undefined) {
      h = newHistogram(this.rows, weekOf(now));
      this.queues[key] = h;
    }
    return h;
  }

  /** The agent's slot, created with tenure from `now` if new or unknown. */
  private agentSlot(agentId: string, now: number): number {
    let slot = this.agents.get(agentId);
    if (slot === undefined) slot = this.newSlot(agentId);
    if (Number.isNaN(this.since(slot))) this.setSince(slot, now);
    return slot;
  }

  private newSlot(agentId: string): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slotsUsed++;
      if (slot >>> PAGE_SHIFT === this.agentPages.length) this.agentRows.add();
      this.setSince(slot, NaN);
    }
    this.agents.set(agentId, slot);
    this.slotAgents[slot] = agentId;
    return slot;
  }

  private head(slot: number): number {
    return this.agentPages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * A_WIDTH + A_HEAD];
  }

  private since(slot: number): number {
    return this.agentPages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * A_WIDTH + A_SINCE];
  }

  private setSince(slot: number, since: number): void {
    this.agentRows.writable(slot >>> PAGE_SHIFT)[(slot & PAGE_MASK) * A_WIDTH + A_SINCE] = since;
  }

  /** The agent's record of `key`, −1 if none. */
  private findRecord(slot: number, key: number): number {
    const row = this.agentPages[slot >>> PAGE_SHIFT];
    const a = (slot & PAGE_MASK) * A_WIDTH;
    const count = row[a + A_COUNT];
    const low = key * KEY_UNIT;
    const listed = count < DIRECTORY ? count : DIRECTORY;
    for (let k = 0; k < listed; k++) {
      const entry = row[a + A_DIRECTORY + k];
      if (entry >= low && entry < low + KEY_UNIT) return entry - low;
    }
    if (count <= DIRECTORY) return -1;
    for (let next = row[a + A_HEAD]; next !== 0; ) {
      const r = next - 1;
      const page = this.recordPages[r >>> PAGE_SHIFT];
      const o = (r & PAGE_MASK) * this.width;
      if (page[o + R_KEY] === key) return r;
      next = page[o + R_NEXT];
    }
    return -1;
  }

  /** A new, empty record of `key` at the head of the agent's chain. */
  private addRecord(slot: number, key: number, now: number): number {
    let r: number;
    if (this.freeRecords !== 0) {
      r = this.freeRecords - 1;
      this.freeRecords = this.recordPages[r >>> PAGE_SHIFT][(r & PAGE_MASK) * this.width + R_NEXT];
    } else {
      r = this.recordsUsed++;
      if (r >>> PAGE_SHIFT === this.recordPages.length) this.records.add();
    }
    const page = this.records.writable(r >>> PAGE_SHIFT);
    const o = (r & PAGE_MASK) * this.width;
    page.fill(0, o, o + this.width);
    const row = this.agentRows.writable(slot >>> PAGE_SHIFT);
    const a = (slot & PAGE_MASK) * A_WIDTH;
    page[o + R_NEXT] = row[a + A_HEAD];
    page[o + R_KEY] = key;
    page[o + R_NEWEST] = weekOf(now);
    row[a + A_HEAD] = r + 1;
    if (row[a + A_COUNT] < DIRECTORY) row[a + A_DIRECTORY + row[a + A_COUNT]] = key * KEY_UNIT + r;
    row[a + A_COUNT]++;
    return r;
  }
}

const channelIndex = (channel: string) => (channel === 'chat' ? 1 : channel === 'email' ? 2 : 0);
