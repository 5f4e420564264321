// The agent half of the handle-time baselines (baselines.ts): per agent and key (the caller's queue and
// channel), weekly rows of the interaction count and the sum of log2(duration / 15 s), quantised to
// 1/256 of a doubling (0.3 %) and clamped to 15 s … 4.3 h like the queue histograms' range. The
// median is the geometric mean exp(mean log duration): exact for lognormal handle times, which is what
// service times are (Brown et al. 2005, MODEL-EVIDENCE §2 and §6), and 2 integers a week instead of 40
// counters. Integer sums keep the estimate exact and order-independent, so a snapshot restores it verbatim.
//
// Layout (issue #3, memory and cache misses at 100,000 agents): an agent is a small integer slot with
// one row (tenure, and a directory of their first records); records are fixed-size runs of Uint32 in
// pages, chained per agent. Both live in copy-on-write Pages (pages.ts), so a snapshot's cut reads them
// as they were without copying them up front. A lookup builds no composite keys and allocates nothing.
import { BINS, BINS_PER_DOUBLING, DAY, LOWEST_MS, weekOf } from './histogram.ts';
import { Pages, type PagesCut } from './pages.ts';

/** Quantisation of a record's log durations: steps per doubling, and the top of the range. */
const LOG_STEPS = 256;
const LOG_MAX = (BINS / BINS_PER_DOUBLING) * LOG_STEPS;
/** Per-week count limit of a record (saturating; keeps the Uint32 sum far from overflow). */
const COUNT_MAX = 0xffff;

// Record words (a record is R_ROWS + 2 × rows words).
/** Next record of the same agent + 1; 0 ends the chain (also links the free list). */
const R_NEXT = 0;
/** The caller's key (baselines.ts: queue number × 4 + channel number). */
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

/** A record as the JSON snapshot lists it. */
export interface RecordEntry {
  key: number;
  newest: number;
  /** [count, log sum] per row, week w at row w mod rows. */
  rowWords: number[];
  median: number;
  medianDay: number;
}

/** What a snapshot image keeps beside the pages (part of `BaselinesImageMeta`; names are the format). */
export interface AgentRecordsMeta {
  recordsUsed: number;
  freeRecords: number;
  slotsUsed: number;
  freeSlots: number[];
  /** The agent → slot map as two lists, in the map's order. */
  agentIds: string[];
  agentSlots: number[];
}

export interface AgentRecordsCut {
  meta: AgentRecordsMeta;
  records: PagesCut<Uint32Array>;
  agentRows: PagesCut<Float64Array>;
}

export class AgentRecords {
  /** Words per record. */
  private readonly width: number;
  /** Records (R_*), `width` words each; written only through `records.writable` (copy-on-write cuts). */
  private readonly records = new Pages<Uint32Array>(() => new Uint32Array(PAGE_SIZE * this.width));
  private readonly recordPages = this.records.list;
  private recordsUsed = 0;
  /** Head of the free-record list + 1 (records of forgotten agents). */
  private freeRecords = 0;
  /** agentId → slot. */
  private readonly agents = new Map<string, number>();
  /** Slot → agentId ('' when free): checks a caller's remembered slot. */
  private readonly slotAgents: string[] = [];
  /** Agent rows (A_*), A_WIDTH doubles per slot; written only through `agentRows.writable`. */
  private readonly agentRows = new Pages<Float64Array>(() => new Float64Array(A_WIDTH * PAGE_SIZE));
  private readonly agentPages = this.agentRows.list;
  private slotsUsed = 0;
  private readonly freeSlots: number[] = [];

  constructor(private readonly rows: number) {
    this.width = R_ROWS + 2 * rows;
  }

  /** The agent's slot, −1 if they have none. */
  slotOf(agentId: string): number {
    return this.agents.get(agentId) ?? -1;
  }

  /** Whether `slot` (remembered by a caller) is still the agent's. */
  owns(slot: number, agentId: string): boolean {
    return slot >= 0 && this.slotAgents[slot] === agentId;
  }

  /** The agent's slot, a new one (tenure unknown) if they have none. */
  slotFor(agentId: string): number {
    const slot = this.agents.get(agentId);
    return slot === undefined ? this.newSlot(agentId) : slot;
  }

  /** Tenure start (ms; NaN = unknown). */
  since(slot: number): number {
    return this.agentPages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * A_WIDTH + A_SINCE];
  }

  setSince(slot: number, since: number): void {
    this.agentRows.writable(slot >>> PAGE_SHIFT)[(slot & PAGE_MASK) * A_WIDTH + A_SINCE] = since;
  }

  /** The agent's record of `key`, −1 if none. */
  find(slot: number, key: number): number {
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
  add(slot: number, key: number, now: number): number {
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

  /** The record's median (ms) over the window ending at `now`, computed once per UTC day; 0 below minInteractions. */
  median(r: number, now: number, minInteractions: number): number {
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

  /** Counts a duration, given as log2(duration / 15 s), in `week`'s row of the record. */
  count(r: number, log: number, week: number): void {
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
      if (page[row] < COUNT_MAX) {
        page[row]++;
        page[row + 1] += Math.min(LOG_MAX, Math.round(log * LOG_STEPS));
      }
    }
  }

  /**
   * Reads what a lookup of the slot will read (its owner, its row, its first records) without changing
   * anything, and answers a number for the caller to keep so that the compiler keeps the reads.
   */
  warm(slot: number): number {
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

  /** Frees the agent's slot and records. */
  forget(agentId: string): void {
    const slot = this.agents.get(agentId);
    if (slot === undefined) return;
    this.agents.delete(agentId);
    this.slotAgents[slot] = '';
    let next = this.agentPages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * A_WIDTH + A_HEAD];
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

  /** Every agent with their slot, in the map's order. */
  agentSlots(): IterableIterator<[string, number]> {
    return this.agents.entries();
  }

  /** The slot's records in chain order. */
  entries(slot: number): RecordEntry[] {
    const list: RecordEntry[] = [];
    for (let next = this.agentPages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * A_WIDTH + A_HEAD]; next !== 0; ) {
      const r = next - 1;
      const page = this.recordPages[r >>> PAGE_SHIFT];
      const o = (r & PAGE_MASK) * this.width;
      list.push({ key: page[o + R_KEY], newest: page[o + R_NEWEST], rowWords: Array.from(page.subarray(o + R_ROWS, o + this.width)), median: page[o + R_MEDIAN], medianDay: page[o + R_MEDIAN_DAY] });
      next = page[o + R_NEXT];
    }
    return list;
  }

  /** Adds a listed record at the head of the slot's chain (restore them last first to keep the order). */
  restore(slot: number, entry: RecordEntry): void {
    const r = this.add(slot, entry.key, 0);
    const page = this.recordPages[r >>> PAGE_SHIFT];
    const o = (r & PAGE_MASK) * this.width;
    page[o + R_NEWEST] = entry.newest;
    page.set(entry.rowWords.slice(0, 2 * this.rows), o + R_ROWS);
    page[o + R_MEDIAN] = entry.median;
    page[o + R_MEDIAN_DAY] = entry.medianDay;
  }

  /** The records and rows as they are now, until the caller ends both page cuts (pages.ts). */
  beginCut(): AgentRecordsCut {
    const meta: AgentRecordsMeta = {
      recordsUsed: this.recordsUsed,
      freeRecords: this.freeRecords,
      slotsUsed: this.slotsUsed,
      freeSlots: [...this.freeSlots],
      agentIds: [...this.agents.keys()],
      agentSlots: [...this.agents.values()],
    };
    return { meta, records: this.records.beginCut(), agentRows: this.agentRows.beginCut() };
  }

  /** Rebuilds from a cut's meta and pages; `records` and `agentRows` are its pages end to end. */
  static fromImage(rows: number, meta: AgentRecordsMeta, records: Uint32Array, agentRows: Float64Array): AgentRecords {
    const image = new AgentRecords(rows);
    image.records.load(records, PAGE_SIZE * image.width);
    image.agentRows.load(agentRows, PAGE_SIZE * A_WIDTH);
    image.recordsUsed = meta.recordsUsed;
    image.freeRecords = meta.freeRecords;
    image.slotsUsed = meta.slotsUsed;
    image.freeSlots.push(...meta.freeSlots);
    for (let slot = 0; slot < meta.slotsUsed; slot++) image.slotAgents.push('');
    for (let i = 0; i < meta.agentIds.length; i++) {
      image.agents.set(meta.agentIds[i], meta.agentSlots[i]);
      image.slotAgents[meta.agentSlots[i]] = meta.agentIds[i];
    }
    return image;
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
}

/** A version-2 snapshot's per-week histogram rows (BINS counts each) as [count, log sum] rows: each bin's interactions at its middle. */
export function rowWordsFromHistogramRows(counts: number[], rows: number): number[] {
  const words: number[] = [];
  for (let row = 0; row < rows; row++) {
    let n = 0;
    let sum = 0;
    for (let b = 0; b < BINS; b++) {
      const count = counts[row * BINS + b] ?? 0;
      n += count;
      sum += count * Math.round(((b + 0.5) * LOG_STEPS) / BINS_PER_DOUBLING);
    }
    words.push(n, sum);
  }
  return words;
}
