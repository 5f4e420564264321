// Realistic signal sequences for engine tests: one call is offered → connected → [utterances, holds,
// sentiment] → ended → wrapup_done, in time order, the way a contact-center platform reports it.
import type { Channel, Signal } from '../../src/domain/signals.ts';
import { mulberry32 } from '../../src/sim/random.ts';

const SEC = 1000;

export interface CustomerLine {
  /** Seconds after the call connected. */
  atSec: number;
  text?: string;
  sentiment?: number;
}

export interface CallSpec {
  agentId: string;
  interactionId: string;
  /** When the call is offered (epoch ms). */
  start: number;
  talkSec: number;
  channel?: Channel;
  queueId?: string;
  ringSec?: number;
  wrapSec?: number;
  says?: CustomerLine[];
  holds?: { atSec: number; sec: number }[];
  /** An upstream per-interaction sentiment score, sent just before the end. */
  score?: number;
}

export interface BuiltCall {
  signals: Signal[];
  connectedAt: number;
  endedAt: number;
  /** wrapup_done: the agent is free again. */
  doneAt: number;
}

export function buildCall(spec: CallSpec): BuiltCall {
  const { agentId, interactionId } = spec;
  const connectedAt = spec.start + (spec.ringSec ?? 5) * SEC;
  const endedAt = connectedAt + spec.talkSec * SEC;
  const doneAt = endedAt + (spec.wrapSec ?? 30) * SEC;
  const on = { agentId, interactionId };
  const signals: Signal[] = [
    { type: 'task.offered', ...on, time: spec.start, channel: spec.channel ?? 'voice', ...(spec.queueId ? { queueId: spec.queueId } : {}) },
    { type: 'task.connected', ...on, time: connectedAt },
  ];
  for (const line of spec.says ?? []) {
    const u: Signal = { type: 'utterance', ...on, time: connectedAt + line.atSec * SEC, speaker: 'customer' };
    if (line.text !== undefined) u.text = line.text;
    if (line.sentiment !== undefined) u.sentiment = line.sentiment;
    signals.push(u);
  }
  for (const hold of spec.holds ?? []) {
    signals.push({ type: 'task.held', ...on, time: connectedAt + hold.atSec * SEC });
    signals.push({ type: 'task.resumed', ...on, time: connectedAt + (hold.atSec + hold.sec) * SEC });
  }
  if (spec.score !== undefined) signals.push({ type: 'sentiment', ...on, time: endedAt - 1, score: spec.score });
  signals.push({ type: 'task.ended', ...on, time: endedAt });
  signals.push({ type: 'task.wrapup_done', ...on, time: doneAt });
  // Stable sort: equal times keep the order above (offered before connected, etc.).
  signals.sort((a, b) => a.time - b.time);
  return { signals, connectedAt, endedAt, doneAt };
}

/** A targeted-abuse call ("you useless idiot"): the hardest kind of contact. */
export function abusiveCall(agentId: string, interactionId: string, start: number, talkSec = 300): BuiltCall {
  return buildCall({ agentId, interactionId, start, talkSec, says: [{ atSec: 30, text: 'you are a useless idiot' }] });
}

/** A neutral call of typical length. */
export function plainCall(agentId: string, interactionId: string, start: number, talkSec = 270): BuiltCall {
  return buildCall({ agentId, interactionId, start, talkSec, says: [{ atSec: 20, text: 'thanks, that helps a lot' }] });
}

/** `count` abusive calls back to back from `start`; returns the signals and when the last one is done. */
export function abusiveStreak(agentId: string, start: number, count: number, prefix = agentId): { signals: Signal[]; doneAt: number } {
  const signals: Signal[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    const c = abusiveCall(agentId, `${prefix}-abuse-${i}`, at);
    signals.push(...c.signals);
    at = c.doneAt + 10 * SEC;
  }
  return { signals, doneAt: at - 10 * SEC };
}


const CUSTOMER_LINES = [
  { text: 'thanks, that helps a lot' },
  { text: 'this is taking far too long and I am frustrated' },
  { text: 'ok fine' },
  { text: 'you are a useless idiot' },
  { sentiment: -0.7 },
  { sentiment: 0.4 },
];

/**
 * About `minutes` of work for each agent from `start`: logs in, takes calls with short gaps (some
 * with holds, negative or abusive customers, an upstream score), one break. Time-ordered overall.
 */
export function realisticSpan(agentIds: string[], start: number, minutes: number, seed: number): Signal[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const end = start + minutes * 60 * SEC;
  const all: Signal[] = [];
  for (const agentId of agentIds) {
    all.push({ type: 'agent.state', agentId, time: start, state: 'available' });
    let at = start + Math.floor(random() * 60) * SEC;
    let n = 0;
    let hadBreak = false;
    while (at < end) {
      const talkSec = 60 + Math.floor(random() * 540);
      const says: CustomerLine[] = [];
      for (let i = Math.floor(random() * 3); i > 0; i--) says.push({ atSec: Math.floor(random() * talkSec), ...pick(CUSTOMER_LINES) });
      const call = buildCall({
        agentId,
        interactionId: `${agentId}-c${n++}`,
        start: at,
        talkSec,
        channel: random() < 0.8 ? 'voice' : 'chat',
        queueId: pick(['billing', 'support']),
        says,
        holds: random() < 0.3 ? [{ atSec: Math.floor(talkSec / 2), sec: Math.min(Math.floor(talkSec / 2) - 1, 20 + Math.floor(random() * 200)) }] : [],
        score: random() < 0.3 ? Math.round((random() * 2 - 1) * 100) / 100 : undefined,
      });
      all.push(...call.signals);
      at = call.doneAt + Math.floor(random() * 120) * SEC;
      if (!hadBreak && at > start + (minutes / 2) * 60 * SEC) {
        hadBreak = true;
        all.push({ type: 'agent.state', agentId, time: at, state: 'idle', idleCode: 'Break' });
        at += 10 * 60 * SEC;
        all.push({ type: 'agent.state', agentId, time: at, state: 'available' });
      }
    }
  }
  return all.sort((a, b) => a.time - b.time);
}

export const toNdjson = (signals: readonly unknown[]) => signals.map((s) => JSON.stringify(s)).join('\n') + '\n';
