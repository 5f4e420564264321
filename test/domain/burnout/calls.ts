// Terse builders of single-interaction signal sequences for the behaviour and property tests.
import type { Signal } from '../../../src/domain/signals.ts';
import type { Channel } from '../../../src/domain/signals.ts';

export const AGENT_ID = 'agent-1';
export const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
export const SECOND = 1_000;
export const MINUTE = 60_000;

export interface CallSpec {
  id: string;
  start: number;
  talkMs: number;
  channel?: Channel;
  queueId?: string;
  holdMs?: number;
  /** Per-interaction sentiment score sent just before the end. */
  sentiment?: number;
  abusive?: boolean;
  targeted?: boolean;
  escalation?: boolean;
  transfer?: boolean;
  /** Wrap-up length; omit for no wrapup_done signal. */
  wrapMs?: number;
}

/** offered → connected → (hold) → (abuse) → (sentiment) → ended|transferred → (wrapup_done). */
export function call(spec: CallSpec): Signal[] {
  const base = { agentId: AGENT_ID, interactionId: spec.id };
  const { start, talkMs } = spec;
  const out: Signal[] = [
    { type: 'task.offered', ...base, time: start, channel: spec.channel ?? 'voice', queueId: spec.queueId ?? 'q1' },
    { type: 'task.connected', ...base, time: start, ...(spec.escalation ? { escalation: true } : {}) },
  ];
  const holdMs = Math.min(spec.holdMs ?? 0, talkMs);
  if (holdMs > 0) {
    out.push({ type: 'task.held', ...base, time: start });
    out.push({ type: 'task.resumed', ...base, time: start + holdMs });
  }
  if (spec.abusive || spec.targeted) {
    out.push({ type: 'utterance', ...base, time: start + holdMs, speaker: 'customer', abusive: true, ...(spec.targeted ? { targeted: true } : {}) });
  }
  if (spec.sentiment !== undefined) out.push({ type: 'sentiment', ...base, time: start + talkMs, score: spec.sentiment });
  out.push({ type: spec.transfer ? 'task.transferred' : 'task.ended', ...base, time: start + talkMs });
  if (spec.wrapMs !== undefined) out.push({ type: 'task.wrapup_done', ...base, time: start + talkMs + spec.wrapMs });
  return out;
}

export const state = (time: number, kind: 'available' | 'idle' | 'break' | 'logged_out', idleCode?: string): Signal => ({
  type: 'agent.state',
  agentId: AGENT_ID,
  time,
  state: kind,
  ...(idleCode !== undefined ? { idleCode } : {}),
});
