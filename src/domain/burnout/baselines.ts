// Handle-time baselines (MODEL-EVIDENCE §5): the median handle time per agent, channel and queue
// over a rolling window of about 28 days, used once the agent has ≥ minInteractions in the window and
// is past the first newAgentDays of tenure; otherwise the queue's median (all agents, same channel
// and queue); otherwise the channel's fallback median from the config.
//
// Simplifications (documented, judgement):
// - A median over exact samples would cost ~1,500 numbers per agent. Instead each key keeps a
//   log-spaced histogram (40 bins, four per doubling, from 15 s up to ~4.3 h; a bin is 19 % wide and
//   the median is interpolated in log space within it) per week, in a ring of ceil(windowDays / 7)
//   weekly rows: the window is the current week plus the three before (22–28 days with the defaults).
// - "Refreshed daily": a key's median is recomputed at most once per UTC day and cached, so it is
//   stable within a day.
// - Tenure starts when Respite first records an interaction of the agent, unless the engine knows
//   better (setTenureStart). After a fresh install every agent uses the queue baseline for 6 weeks.
// - The window length is fixed when the Baselines object is created (ring size); the other
//   settings are read from the config on every query.
// Layout: agent → their few (channel, queue) histograms, queue → one histogram per channel, so a
// lookup builds no composite string keys on the hot path.
import type { ModelConfig } from './config.ts';
import { DEFAULT_MODEL_CONFIG } from './config.ts';

const DAY = 86_400_000;
const ROW_DAYS = 7;
const BINS = 40;
const BINS_PER_DOUBLING = 4;
const LOWEST_SEC = 15;
const AGENT_COUNT_MAX = 0xffff;
const CHANNELS = ['voice', 'chat', 'email'];

interface Histogram {
  /** Week number (since the epoch) of the newest row. */
  newest: number;
  /** rows × BINS counts; week w is row w mod rows. Uint16 per agent (saturating), Uint32 per queue. */
  counts: Uint16Array | Uint32Array;
  /** Cached median in ms (0 = not enough interactions) and the UTC day it was computed on. */
  median: number;
  medianDay: number;
}
interface AgentHistogram extends Histogram {
  channel: string;
  queue: string;
}
interface AgentBaselines {
  /** Tenure start (ms); NaN when unknown (set by the first recorded interaction). */
  since: number;
  histograms: AgentHistogram[];
}

export interface BaselinesJSON {
  v: 2;
  rows: number;
  /** agentId ('' for a queue's histogram), channel, queueId, newest week, counts. */
  histograms: Array<[agentId: string, channel: string, queueId: string, newest: number, counts: number[]]>;
  tenure: Array<[agentId: string, since: number]>;
}

export class Baselines {
  readonly rows: number;
  private readonly agents = new Map<string, AgentBaselines>();
  /** queueId → histograms by channel index (CHANNELS). */
  private readonly queues = new Map<string, Array<Histogram | undefined>>();

  constructor(windowDays: number = DEFAULT_MODEL_CONFIG.baselines.windowDays) {
    this.rows = Math.max(1, Math.ceil(windowDays / ROW_DAYS));
  }

  /** The median handle time (ms) the handle factor divides by. */
  medianMs(agentId: string, channel: string, queueId: string, now: number, config: ModelConfig): number {
    const b = config.baselines;
    const agent = this.agents.get(agentId);
    if (agent !== undefined && now - agent.since >= b.newAgentDays * DAY) {
      const own = findHistogram(agent, channel, queueId);
      const median = own === undefined ? 0 : this.median(own, now, b.minInteractions);
      if (median > 0) return median;
    }
    const queue = this.queues.get(queueId)?.[channelIndex(channel)];
    const median = queue === undefined ? 0 : this.median(queue, now, b.minInteractions);
    if (median > 0) return median;
    const fallbackSec = channel === 'chat' ? b.fallbackChatSec : channel === 'email' ? b.fallbackEmailSec : b.fallbackVoiceSec;
    return fallbackSec * 1000;
  }

  /** Counts one finished interaction for the agent's and the queue's baseline. */
  record(agentId: string, channel: string, queueId: string, durationMs: number, now: number): void {
    if (!(durationMs >= 0)) return;
    let agent = this.agents.get(agentId);
    if (agent === undefined) {
      agent = { since: now, histograms: [] };
      this.agents.set(agentId, agent);
    } else if (Number.isNaN(agent.since)) {
      agent.since = now;
    }
    let own = findHistogram(agent, channel, queueId);
    if (own === undefined) {
      own = { channel, queue: queueId, ...this.emptyHistogram(now, false) };
      agent.histograms.push(own);
    }
    let byChannel = this.queues.get(queueId);
    if (byChannel === undefined) {
      byChannel = [undefined, undefined, undefined];
      this.queues.set(queueId, byChannel);
    }
    const c = channelIndex(channel);
    const queue = (byChannel[c] ??= this.emptyHistogram(now, true));
    const bin = binOf(durationMs);
    this.count(own, bin, now);
    this.count(queue, bin, now);
  }

  /** medianMs, then record: the model's one call per finished interaction. */
  observe(agentId: string, channel: string, queueId: string, durationMs: number, now: number, config: ModelConfig): number {
    const median = this.medianMs(agentId, channel, queueId, now, config);
    this.record(agentId, channel, queueId, durationMs, now);
    return median;
  }

  /** The agent's tenure start (ms), e.g. their hire date from the platform. */
  setTenureStart(agentId: string, since: number): void {
    const agent = this.agents.get(agentId);
    if (agent === undefined) this.agents.set(agentId, { since, histograms: [] });
    else agent.since = since;
  }

  /** Forgets an agent (erase request); the queue baselines keep their anonymous counts. */
  forgetAgent(agentId: string): void {
    this.agents.delete(agentId);
  }

  toJSON(): BaselinesJSON {
    const histograms: BaselinesJSON['histograms'] = [];
    const tenure: BaselinesJSON['tenure'] = [];
    for (const [agentId, agent] of this.agents) {
      if (!Number.isNaN(agent.since)) tenure.push([agentId, agent.since]);
      for (const h of agent.histograms) histograms.push([agentId, h.channel, h.queue, h.newest, Array.from(h.counts)]);
    }
    for (const [queueId, byChannel] of this.queues) {
      byChannel.forEach((h, c) => h && histograms.push(['', CHANNELS[c], queueId, h.newest, Array.from(h.counts)]));
    }
    return { v: 2, rows: this.rows, histograms, tenure };
  }

  static fromJSON(json: BaselinesJSON): Baselines {
    const baselines = new Baselines(json.rows * ROW_DAYS);
    for (const [agentId, since] of json.tenure) baselines.setTenureStart(agentId, since);
    for (const [agentId, channel, queueId, newest, counts] of json.histograms) {
      const h = baselines.emptyHistogram(0, agentId === '');
      h.newest = newest;
      h.counts.set(counts.slice(0, h.counts.length));
      if (agentId === '') {
        let byChannel = baselines.queues.get(queueId);
        if (byChannel === undefined) baselines.queues.set(queueId, (byChannel = [undefined, undefined, undefined]));
        byChannel[channelIndex(channel)] = h;
      } else {
        let agent = baselines.agents.get(agentId);
        if (agent === undefined) baselines.agents.set(agentId, (agent = { since: NaN, histograms: [] }));
        agent.histograms.push({ channel, queue: queueId, ...h });
      }
    }
    return baselines;
  }

  private emptyHistogram(now: number, isQueue: boolean): Histogram {
    const size = this.rows * BINS;
    return { newest: weekOf(now), counts: isQueue ? new Uint32Array(size) : new Uint16Array(size), median: 0, medianDay: -1 };
  }

  private count(h: Histogram, bin: number, now: number): void {
    const week = weekOf(now);
    if (week > h.newest) {
      // Clear the rows of the weeks that start now (at most the whole ring).
      for (let w = Math.max(h.newest + 1, week - this.rows + 1); w <= week; w++) h.counts.fill(0, (w % this.rows) * BINS, (w % this.rows) * BINS + BINS);
      h.newest = week;
    } else if (week <= h.newest - this.rows) {
      return; // older than the window
    }
    const i = (week % this.rows) * BINS + bin;
    if (h.counts instanceof Uint32Array || h.counts[i] < AGENT_COUNT_MAX) h.counts[i]++;
  }

  private median(h: Histogram, now: number, minInteractions: number): number {
    const day = Math.floor(now / DAY);
    if (h.medianDay === day) return h.median;
    h.medianDay = day;
    h.median = 0;
    const perBin = new Float64Array(BINS);
    let total = 0;
    for (let w = Math.max(weekOf(now) - this.rows + 1, h.newest - this.rows + 1); w <= h.newest; w++) {
      const row = (w % this.rows) * BINS;
      for (let b = 0; b < BINS; b++) perBin[b] += h.counts[row + b];
    }
    for (let b = 0; b < BINS; b++) total += perBin[b];
    if (total < minInteractions || total === 0) return 0;
    const half = total / 2;
    let below = 0;
    for (let b = 0; b < BINS; b++) {
      if (below + perBin[b] >= half) {
        const within = (half - below) / perBin[b];
        h.median = LOWEST_SEC * 1000 * 2 ** ((b + within) / BINS_PER_DOUBLING);
        break;
      }
      below += perBin[b];
    }
    return h.median;
  }
}

function findHistogram(agent: AgentBaselines, channel: string, queueId: string): AgentHistogram | undefined {
  const list = agent.histograms;
  for (let i = 0; i < list.length; i++) if (list[i].channel === channel && list[i].queue === queueId) return list[i];
  return undefined;
}

const weekOf = (ms: number) => Math.floor(ms / (ROW_DAYS * DAY));
const channelIndex = (channel: string) => (channel === 'chat' ? 1 : channel === 'email' ? 2 : 0);

function binOf(durationMs: number): number {
  const sec = durationMs / 1000;
  if (sec <= LOWEST_SEC) return 0;
  return Math.min(BINS - 1, Math.floor(Math.log2(sec / LOWEST_SEC) * BINS_PER_DOUBLING));
}
