// One contact's handling by one agent, planned up front: every signal it will produce and when the
// agent is free again. Planning ahead is safe because nothing later in the day changes a contact
// once it is connected.
import type { Signal } from '../domain/signals.ts';
import { ABUSIVE_LINES, MILD_NEGATIVE_LINES, STRONG_NEGATIVE_LINES } from './texts.ts';
import { DURATIONS, RING_MS, type QueueSpec, type SimOptions } from './options.ts';
import { bernoulli, lognormal, pick, uniform, type Random } from './random.ts';

export type Mood =
  | { kind: 'neutral' }
  | { kind: 'negative'; strong: boolean; asText: boolean }
  | { kind: 'abusive'; lines: number };

/** The caller's mood. Abuse is likelier on collections and after a long wait; negative includes abusive. */
export function drawMood(rng: Random, opts: SimOptions, queue: QueueSpec, waitedMs: number): Mood {
  const base = queue.collections ? opts.collectionsAbusiveShare : opts.abusiveShare;
  const pAbusive = Math.min(1, base * (waitedMs > opts.longWaitMs ? opts.longWaitAbuseFactor : 1));
  if (bernoulli(rng, pAbusive)) return { kind: 'abusive', lines: 1 + Math.floor(rng() * 3) };
  // Abusive contacts already count towards the negative share, so the rest is scaled to keep the total.
  const pNegative = pAbusive >= 1 ? 0 : Math.max(0, (opts.negativeShare - pAbusive) / (1 - pAbusive));
  if (!bernoulli(rng, pNegative)) return { kind: 'neutral' };
  // Email carries no live customer turn, so its sentiment comes as an upstream score.
  const asText = queue.channel !== 'email' && bernoulli(rng, 0.5);
  return { kind: 'negative', strong: bernoulli(rng, opts.strongNegativeShare), asText };
}

export interface Assignment {
  interactionId: string;
  agentId: string;
  orgId: string;
  queue: QueueSpec;
  mood: Mood;
  /** Second leg of a transferred call: it reached this agent as an escalation. */
  escalated: boolean;
  /** The agent's handle-time multiplier (agents differ: Gans et al. 2010). */
  speed: number;
  offeredMs: number;
}

export interface HandlingPlan {
  signals: Signal[];
  /** When the agent finishes wrap-up and the capacity is free again. */
  doneMs: number;
  /** Set when the agent transfers the contact out; the caller then waits for the next agent. */
  transferredAtMs?: number;
}

function duration(rng: Random, spec: { median: number; sigma: number; cap: number }, speed: number): number {
  return Math.max(1_000, Math.round(Math.min(spec.cap, lognormal(rng, spec.median, spec.sigma) * speed)));
}

export function planHandling(rng: Random, opts: SimOptions, a: Assignment): HandlingPlan {
  const channel = a.queue.channel;
  const base = { orgId: a.orgId, agentId: a.agentId, interactionId: a.interactionId };
  const signals: Signal[] = [];
  const connectedMs = a.offeredMs + Math.round(uniform(rng, RING_MS.min, RING_MS.max));
  signals.push({ type: 'task.offered', time: a.offeredMs, ...base, channel, queueId: a.queue.id });
  signals.push({
    type: 'task.connected',
    time: connectedMs,
    ...base,
    channel,
    queueId: a.queue.id,
    ...(a.escalated ? { escalation: true } : {}),
  });

  const spec = channel === 'voice' ? DURATIONS.voiceTalk : channel === 'chat' ? DURATIONS.chat : DURATIONS.email;
  const activeMs = duration(rng, spec, a.speed);
  let holdStartMs = Infinity;
  let holdMs = 0;
  if (channel === 'voice' && bernoulli(rng, opts.holdShare)) {
    holdStartMs = connectedMs + Math.round(activeMs * uniform(rng, 0.2, 0.8));
    holdMs = duration(rng, DURATIONS.hold, 1);
    signals.push({ type: 'task.held', time: holdStartMs, ...base });
    signals.push({ type: 'task.resumed', time: holdStartMs + holdMs, ...base });
  }
  const endMs = connectedMs + activeMs + holdMs;
  // Customer turns fall in the active part of the contact, never inside the hold.
  const during = (fraction: number) => {
    const t = connectedMs + Math.round(activeMs * fraction);
    return t >= holdStartMs ? t + holdMs : t;
  };
  signals.push(...moodSignals(rng, a.mood, base, during));

  let transferredAtMs: number | undefined;
  if (channel === 'voice' && !a.escalated && bernoulli(rng, opts.transferShare)) {
    transferredAtMs = endMs;
    signals.push({ type: 'task.transferred', time: endMs, ...base });
  }
  signals.push({ type: 'task.ended', time: endMs, ...base });
  const doneMs = endMs + duration(rng, DURATIONS.wrapup, a.speed);
  const wrapupCode = transferredAtMs !== undefined ? 'Transferred' : a.mood.kind === 'neutral' ? 'Resolved' : 'Complaint';
  signals.push({ type: 'task.wrapup_done', time: doneMs, ...base, wrapupCode });
  return { signals, doneMs, ...(transferredAtMs !== undefined ? { transferredAtMs } : {}) };
}

type Base = { orgId: string; agentId: string; interactionId: string };

function moodSignals(rng: Random, mood: Mood, base: Base, during: (fraction: number) => number): Signal[] {
  if (mood.kind === 'neutral') return [];
  if (mood.kind === 'abusive') {
    const fractions = Array.from({ length: mood.lines }, () => uniform(rng, 0.1, 0.95)).sort((x, y) => x - y);
    return fractions.map((f) => ({ type: 'utterance', time: during(f), ...base, speaker: 'customer', text: pick(rng, ABUSIVE_LINES) }));
  }
  const time = during(uniform(rng, 0.1, 0.9));
  if (mood.asText) {
    const text = pick(rng, mood.strong ? STRONG_NEGATIVE_LINES : MILD_NEGATIVE_LINES);
    return [{ type: 'utterance', time, ...base, speaker: 'customer', text }];
  }
  const score = mood.strong ? uniform(rng, -1, -0.6) : uniform(rng, -0.6, -0.25);
  return [{ type: 'sentiment', time, ...base, score: Math.round(score * 1000) / 1000 }];
}
