// A small, seeded scenario builder for the calibration tests: one realistic agent day of signals
// (MODEL-EVIDENCE §6 simulator defaults): voice calls with lognormal talk (median 4.5 min, σ 0.8),
// lognormal wrap-up (median 40 s, σ 0.6), exponential idle gaps sized for the target occupancy,
// 30 % of calls with a hold, breaks and lunch as rest idle codes, log-out at the end of the shift.
import type { Signal } from '../../../src/domain/signals.ts';
import {
  applySignal,
  Baselines,
  createAgentState,
  DEFAULT_MODEL_CONFIG,
  indexAt,
  type AgentModelState,
  type ModelConfig,
  type StepOutput,
} from '../../../src/domain/burnout/index.ts';

export const MINUTE = 60_000;
/** Monday 2026-03-02 09:00 UTC. */
export const MONDAY_9AM = Date.UTC(2026, 2, 2, 9, 0, 0);
export const AGENT = 'agent-1';

export interface Pause {
  /** Minutes after shift start at which the pause is due (taken after the call in progress). */
  atMin: number;
  minutes: number;
  idleCode: string;
}

export interface DayOptions {
  seed: number;
  start: number;
  shiftMinutes: number;
  occupancy: number;
  /** Share of calls with mildly negative customer sentiment. */
  negativeShare: number;
  /** Share of calls with abusive language. */
  abusiveShare: number;
  pauses: Pause[];
  /** Make the first `count` calls starting at or after `atMin` abusive (on top of abusiveShare). */
  abusiveBurst?: { atMin: number; count: number };
  talkMedianSec: number;
  talkSigma: number;
  wrapMedianSec: number;
  wrapSigma: number;
  holdShare: number;
}

/**
 * 8-h shift from 09:00, 85 % occupancy, 15 % mildly negative calls, no abuse, two 15-min breaks ~2 h and
 * ~6 h into the shift and a 30-min lunch at 12:30 (§5 standard day, §6 shifts).
 */
export const STANDARD_DAY: Omit<DayOptions, 'seed'> = {
  start: MONDAY_9AM,
  shiftMinutes: 480,
  occupancy: 0.85,
  negativeShare: 0.15,
  abusiveShare: 0,
  pauses: [
    { atMin: 120, minutes: 15, idleCode: 'Break' },
    { atMin: 210, minutes: 30, idleCode: 'Lunch' },
    { atMin: 360, minutes: 15, idleCode: 'Break' },
  ],
  talkMedianSec: 270,
  talkSigma: 0.8,
  wrapMedianSec: 40,
  wrapSigma: 0.6,
  holdShare: 0.3,
};

/** Deterministic PRNG (mulberry32): the same seed always builds the same day. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildDay(options: Partial<DayOptions> & { seed: number }): Signal[] {
  const o: DayOptions = { ...STANDARD_DAY, ...options };
  const rnd = random(o.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const lognormal = (median: number, sigma: number) => median * Math.exp(sigma * normal());
  const meanHandleSec = o.talkMedianSec * Math.exp(o.talkSigma ** 2 / 2) + o.wrapMedianSec * Math.exp(o.wrapSigma ** 2 / 2);
  const meanGapSec = meanHandleSec * (1 / o.occupancy - 1);

  const signals: Signal[] = [];
  const end = o.start + o.shiftMinutes * MINUTE;
  const pauses = [...o.pauses].sort((x, y) => x.atMin - y.atMin);
  let burstLeft = o.abusiveBurst?.count ?? 0;
  let t = o.start;
  let call = 0;
  signals.push({ type: 'agent.state', agentId: AGENT, time: t, state: 'available' });
  while (t < end) {
    if (pauses.length > 0 && t >= o.start + pauses[0].atMin * MINUTE) {
      const pause = pauses.shift()!;
      signals.push({ type: 'agent.state', agentId: AGENT, time: t, state: 'idle', idleCode: pause.idleCode });
      t += pause.minutes * MINUTE;
      signals.push({ type: 'agent.state', agentId: AGENT, time: t, state: 'available' });
      continue;
    }
    const id = `call-${o.seed}-${++call}`;
    const base = { agentId: AGENT, interactionId: id };
    const inBurst = burstLeft > 0 && o.abusiveBurst !== undefined && t >= o.start + o.abusiveBurst.atMin * MINUTE;
    if (inBurst) burstLeft--;
    const abusive = inBurst || rnd() < o.abusiveShare;
    const negative = !abusive && rnd() < o.negativeShare;
    const talkMs = Math.round(lognormal(o.talkMedianSec, o.talkSigma) * 1000);
    signals.push({ type: 'task.offered', ...base, time: t, channel: 'voice', queueId: 'q-service' });
    signals.push({ type: 'task.connected', ...base, time: t + 5_000 });
    const connected = t + 5_000;
    if (rnd() < o.holdShare) {
      const holdAt = connected + Math.round(talkMs / 2);
      const holdMs = Math.min(Math.round(lognormal(45, 0.6) * 1000), Math.round(talkMs / 3));
      signals.push({ type: 'task.held', ...base, time: holdAt });
      signals.push({ type: 'task.resumed', ...base, time: holdAt + holdMs });
    }
    if (abusive) {
      signals.push({ type: 'utterance', ...base, time: connected + Math.round(talkMs / 3), speaker: 'customer', sentiment: -0.8, abusive: true });
    } else if (negative) {
      signals.push({ type: 'sentiment', ...base, time: connected + talkMs - 1_000, score: -0.4 });
    }
    const ended = connected + talkMs;
    signals.push({ type: 'task.ended', ...base, time: ended });
    const wrapDone = ended + Math.round(lognormal(o.wrapMedianSec, o.wrapSigma) * 1000);
    signals.push({ type: 'task.wrapup_done', ...base, time: wrapDone, wrapupCode: 'resolved' });
    t = wrapDone + Math.round(-Math.log(1 - rnd()) * meanGapSec * 1000);
  }
  signals.push({ type: 'agent.state', agentId: AGENT, time: Math.max(t, end), state: 'logged_out' });
  return signals;
}

export interface DayRun {
  state: AgentModelState;
  outputs: Array<{ time: number; output: StepOutput }>;
  /** Highest index emitted during the run (the index only rises when a call ends). */
  peak: number;
}

/** Applies signals to a state (a fresh one unless given) and collects what the model emitted. */
export function run(signals: readonly Signal[], config: ModelConfig = DEFAULT_MODEL_CONFIG, state?: AgentModelState, baselines = new Baselines()): DayRun {
  const s = state ?? createAgentState(signals[0]?.time ?? MONDAY_9AM);
  const outputs: DayRun['outputs'] = [];
  let peak = indexAt(s, s.t, config).index;
  for (const signal of signals) {
    const output = applySignal(s, signal, config, baselines);
    if (output.index || output.levelChanged || output.triggers.length > 0) outputs.push({ time: signal.time, output });
    if (output.index && output.index.index > peak) peak = output.index.index;
  }
  return { state: s, outputs, peak };
}

/** Signals up to (excluding) `time`, and from `time` on. */
export function splitAt(signals: readonly Signal[], time: number): [Signal[], Signal[]] {
  return [signals.filter((s) => s.time < time), signals.filter((s) => s.time >= time)];
}
