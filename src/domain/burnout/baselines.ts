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
//   per week only the count and the sum of log durations; their median is the geometric mean, exact
//   for lognormal handle times (agent-records.ts, which also holds their memory layout).
// - "Refreshed daily": a key's median is computed at its first query of a UTC day and kept for the
//   rest of that day (the cache is part of the snapshot, so a restored engine answers the same).
// - Tenure starts when Respite first records an interaction of the agent, unless the engine knows
//   better (setTenureStart). After a fresh install every agent uses the queue baseline for 6 weeks.
// Queue ids are interned to small integers: an agent record's key is queue number × 4 + channel
// number, a queue histogram's queue number × 3 + channel number.
import { AgentRecords, rowWordsFromHistogramRows, type AgentRecordsMeta } from './agent-records.ts';
import type { ModelConfig } from './config.ts';
import { DEFAULT_MODEL_CONFIG } from './config.ts';
import { countInHistogram, DAY, histogramMedian, LOWEST_MS, newHistogram, ROW_DAYS, weekOf, type Histogram as QueueHistogram } from './histogram.ts';
import type { PagesCut } from './pages.ts';

const CHANNELS = ['voice', 'chat', 'email'];

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
export interface BaselinesImageMeta extends AgentRecordsMeta {
  rows: number;
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
  private agents: AgentRecords;
  /** queueId → queue number; queue number × 3 + channel number → its histogram. */
  private readonly queueNumbers = new Map<string, number>();
  private readonly queueIds: string[] = [];
  private readonly queues: Array<QueueHistogram | undefined> = [];

  constructor(windowDays: number = DEFAULT_MODEL_CONFIG.baselines.windowDays) {
    this.rows = Math.max(1, Math.ceil(windowDays / ROW_DAYS));
    this.agents = new AgentRecords(this.rows);
  }

  /** The median handle time (ms) the handle factor divides by. */
  medianMs(agentId: string, channel: string, queueId: string, now: number, config: ModelConfig): number {
    const c = channelIndex(channel);
    const slot = this.agents.slotOf(agentId);
    const queue = this.queueNumbers.get(queueId);
    const record = slot < 0 || queue === undefined ? -1 : this.agents.find(slot, queue * 4 + c);
    return this.medianOf(slot, record, queue ?? -1, c, now, config);
  }

  /** Counts one finished interaction for the agent's and the queue's baseline. */
  record(agentId: string, channel: string, queueId: string, durationMs: number, now: number): void {
    if (!(durationMs >= 0)) return;
    const c = channelIndex(channel);
    const queue = this.queueNumber(queueId);
    const slot = this.tenuredSlot(agentId, now);
    let record = this.agents.find(slot, queue * 4 + c);
    if (record < 0) record = this.agents.add(slot, queue * 4 + c, now);
    this.count(record, durationMs, now, queue * 3 + c);
  }

  /**
   * medianMs, then record: the model's one call per finished interaction (each lookup done once).
   * `hint`: the agent's slot as this call last left it there, taken when it is still theirs.
   */
  observe(agentId: string, hint: SlotHint, channel: string, queueId: string, durationMs: number, now: number, config: ModelConfig): number {
    const agents = this.agents;
    const c = channelIndex(channel);
    const queue = this.queueNumber(queueId);
    let slot = hint.bs;
    if (!agents.owns(slot, agentId)) slot = agents.slotOf(agentId);
    let record = slot < 0 ? -1 : agents.find(slot, queue * 4 + c);
    const median = this.medianOf(slot, record, queue, c, now, config);
    if (!(durationMs >= 0)) return median;
    if (slot < 0) slot = this.tenuredSlot(agentId, now);
    else if (Number.isNaN(agents.since(slot))) agents.setSince(slot, now);
    if (record < 0) record = agents.add(slot, queue * 4 + c, now);
    this.count(record, durationMs, now, queue * 3 + c);
    hint.bs = slot;
    return median;
  }

  /**
   * Reads what `observe` will read for the agent whose hint this is, without changing anything (see
   * OrgRuntime.warm). Answers a number for the caller to keep, so that the compiler keeps the reads.
   */
  warm(hint: SlotHint): number {
    return this.agents.warm(hint.bs);
  }

  /** The agent's slot, −1 if they have none (no interaction counted, no tenure known). */
  slotOf(agentId: string): number {
    return this.agents.slotOf(agentId);
  }

  /** The agent's tenure start (ms), e.g. their hire date from the platform. */
  setTenureStart(agentId: string, since: number): void {
    this.agents.setSince(this.agents.slotFor(agentId), since);
  }

  /** Forgets an agent (erase request); the queue baselines keep their anonymous counts. */
  forgetAgent(agentId: string): void {
    this.agents.forget(agentId);
  }

  toJSON(): BaselinesJSON {
    const histograms: BaselinesJSON['histograms'] = [];
    const tenure: BaselinesJSON['tenure'] = [];
    for (const [agentId, slot] of this.agents.agentSlots()) {
      const since = this.agents.since(slot);
      if (!Number.isNaN(since)) tenure.push([agentId, since]);
      for (const { key, newest, rowWords, median, medianDay } of this.agents.entries(slot)) {
        histograms.push([agentId, CHANNELS[key & 3], this.queueIds[key >>> 2], newest, rowWords, median, medianDay]);
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
      baselines.agents.restore(baselines.agents.slotFor(agentId), {
        key: baselines.queueNumber(queueId) * 4 + channelIndex(channel),
        newest,
        rowWords: v3 ? counts : rowWordsFromHistogramRows(counts, rows),
        median: v3 ? (median ?? 0) : 0,
        medianDay: v3 ? (medianDay ?? 0) : 0,
      });
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
    const { meta: agentsMeta, records, agentRows } = this.agents.beginCut();
    const queues: BaselinesImageMeta['queues'] = [];
    this.queues.forEach((h, key) => {
      if (h) queues.push([key, h.newest, h.median, h.medianDay, Array.from(h.counts)]);
    });
    return {
      meta: { rows: this.rows, ...agentsMeta, queueIds: [...this.queueIds], queues },
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
    baselines.agents = AgentRecords.fromImage(baselines.rows, meta, records, agentRows);
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
    if (record >= 0 && now - this.agents.since(slot) >= b.newAgentDays * DAY) {
      const median = this.agents.median(record, now, b.minInteractions);
      if (median > 0) return median;
    }
    const h = queue < 0 ? undefined : this.queues[queue * 3 + c];
    const median = h === undefined ? 0 : histogramMedian(h, this.rows, now, b.minInteractions);
    if (median > 0) return median;
    const fallbackSec = c === 1 ? b.fallbackChatSec : c === 2 ? b.fallbackEmailSec : b.fallbackVoiceSec;
    return fallbackSec * 1000;
  }

  /** Counts a duration into an agent record and its queue's histogram. */
  private count(r: number, durationMs: number, now: number, queueKey: number): void {
    const log = durationMs <= LOWEST_MS ? 0 : Math.log2(durationMs / LOWEST_MS);
    const week = weekOf(now);
    this.agents.count(r, log, week);
    countInHistogram(this.queueHistogram(queueKey, now), this.rows, week, log);
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
  private tenuredSlot(agentId: string, now: number): number {
    const slot = this.agents.slotFor(agentId);
    if (Number.isNaN(this.agents.since(slot))) this.agents.setSince(slot, now);
    return slot;
  }
}

const channelIndex = (channel: string) => (channel === 'chat' ? 1 : channel === 'email' ? 2 : 0);
