// A deterministic, cheap source of realistic signal traffic for the benchmarks: every agent walks
// through shifts of contacts (offered → connected → utterances/holds/sentiment → ended or transferred →
// wrap-up done), with the odd break, idle spell and survey. Utterances carry upstream sentiment, never
// text (text analysis is a separate cost, measured elsewhere). Each agent's times only increase, and
// calls interleave across agents the way a busy contact centre's feed does.
//
// Why not src/sim's generateDay: it simulates routing and shifts with an event heap — realistic, but
// it costs more per signal than the engine does, and the benchmarks need millions of signals for
// 100,000 agents, continued round after round without repeating an idempotency key.
import type { Signal } from '../../src/domain/signals.ts';
import { mulberry32, type Random } from '../../src/sim/random.ts';

export interface TrafficOptions {
  agents: number;
  seed: number;
  /** Epoch ms of every agent's first signal (agents are staggered a little after it). */
  startMs: number;
  /** Give each signal a short client idempotency key (as connectors and the simulator do). */
  keys?: boolean;
}

const QUEUES = ['q-sales', 'q-support', 'q-billing', 'q-retention'] as const;
const CHANNELS = ['voice', 'voice', 'voice', 'voice', 'voice', 'voice', 'voice', 'chat', 'chat', 'email'] as const;
const MINUTE = 60_000;

/** Where an agent is in its script; each step emits one signal. */
const Step = { LoggedOut: 0, Available: 1, Offered: 2, Talking: 3, Ended: 4, WrappedUp: 5, Away: 6 } as const;
type Step = (typeof Step)[keyof typeof Step];

interface Common {
  agentId: string;
  time: number;
  key?: string;
}

interface AgentScript {
  agentId: string;
  prefix: string;
  t: number;
  step: Step;
  seq: number;
  contacts: number;
  interactionId: string;
  channel: (typeof CHANNELS)[number];
  queueId: string;
  /** Signals left to send while talking (utterances, holds, sentiment) before the contact ends. */
  extras: number;
  /** Time the contact is due to end. */
  endsAt: number;
  onHold: boolean;
  hard: boolean;
  /** The latest contact has had its survey (at most one each). */
  surveyed: boolean;
  /** How long the current break or idle spell lasts. */
  awayMs: number;
}

/** The agent id of agent number `i` (0-based): fixed width so ids sort like numbers. */
export const agentIdOf = (i: number): string => `agent-${String(i + 1).padStart(6, '0')}`;

export class Traffic {
  private readonly rng: Random;
  private readonly scripts: AgentScript[];
  private readonly order: Uint32Array;
  private cursor = 0;

  constructor(private readonly options: TrafficOptions) {
    this.rng = mulberry32(options.seed);
    this.scripts = Array.from({ length: options.agents }, (_, i) => ({
      agentId: agentIdOf(i),
      prefix: `${(options.seed >>> 0).toString(36)}.${i.toString(36)}`,
      t: options.startMs + Math.floor(this.rng() * MINUTE),
      step: Step.LoggedOut as Step,
      seq: 0,
      contacts: 0,
      interactionId: '',
      channel: 'voice',
      queueId: QUEUES[0],
      extras: 0,
      endsAt: 0,
      onHold: false,
      hard: false,
      surveyed: true,
      awayMs: 0,
    }));
    this.order = shuffled(options.agents, this.rng);
  }

  /** The next `count` signals: agents take turns in a fixed shuffled order, one signal each. */
  next(count: number): Signal[] {
    const out = new Array<Signal>(count);
    for (let i = 0; i < count; i++) {
      out[i] = this.step(this.scripts[this.order[this.cursor]]);
      this.cursor = this.cursor + 1 === this.order.length ? 0 : this.cursor + 1;
    }
    return out;
  }

  /** The fields every signal carries, at `time` (which becomes the agent's latest). */
  private at(s: AgentScript, time: number): Common {
    s.t = Math.round(time);
    if (this.options.keys === false) return { agentId: s.agentId, time: s.t };
    return { agentId: s.agentId, time: s.t, key: `${s.prefix}.${(s.seq++).toString(36)}` };
  }

  // No closures here: under tsx (esbuild keepNames) each closure created costs a defineProperty.
  private step(s: AgentScript): Signal {
    const r = this.rng;
    switch (s.step) {
      case Step.LoggedOut:
        s.step = Step.Available;
        return { type: 'agent.state', ...this.at(s, s.t), state: 'available' };
      case Step.Away:
        s.step = Step.Available;
        return { type: 'agent.state', ...this.at(s, s.t + s.awayMs), state: 'available' };
      case Step.WrappedUp: {
        const pick = r();
        if (pick < 0.03 && !s.surveyed) {
          s.surveyed = true;
          return { type: 'survey', ...this.at(s, s.t + 1_000), interactionId: s.interactionId, csat: 1 + Math.floor(r() * 5) };
        }
        if (pick < 0.06) {
          s.step = Step.Away;
          s.awayMs = 15 * MINUTE;
          return { type: 'agent.state', ...this.at(s, s.t + 1_000), state: 'break' };
        }
        if (pick < 0.08) {
          s.step = Step.Away;
          s.awayMs = 5 * MINUTE;
          return { type: 'agent.state', ...this.at(s, s.t + 1_000), state: 'idle', idleCode: 'meeting' };
        }
        return this.offer(s);
      }
      case Step.Available:
        return this.offer(s);
      case Step.Offered: {
        const start = s.t + 2_000 + r() * 10_000;
        // Log-normal-ish handle time around 5 min (voice), longer for chat and email.
        const median = s.channel === 'voice' ? 5 * MINUTE : 9 * MINUTE;
        s.endsAt = start + median * Math.exp(0.5 * (r() + r() + r() - 1.5));
        s.extras = Math.floor(r() * 4) + (s.hard ? 3 : 0);
        s.onHold = false;
        s.step = Step.Talking;
        return { type: 'task.connected', ...this.at(s, start), interactionId: s.interactionId, channel: s.channel, queueId: s.queueId, escalation: r() < 0.03 };
      }
      case Step.Talking: {
        if (s.extras === 0 && !s.onHold) {
          s.step = Step.Ended;
          const time = Math.max(s.endsAt, s.t + 1_000);
          if (r() < 0.05) return { type: 'task.transferred', ...this.at(s, time), interactionId: s.interactionId };
          return { type: 'task.ended', ...this.at(s, time), interactionId: s.interactionId };
        }
        const time = s.t + Math.max(1_000, (s.endsAt - s.t) / (s.extras + 2));
        if (s.onHold) {
          s.onHold = false;
          return { type: 'task.resumed', ...this.at(s, time), interactionId: s.interactionId };
        }
        s.extras--;
        const pick = r();
        if (pick < 0.1) {
          s.onHold = true;
          return { type: 'task.held', ...this.at(s, time), interactionId: s.interactionId };
        }
        if (pick < 0.25) return { type: 'sentiment', ...this.at(s, time), interactionId: s.interactionId, score: s.hard ? -0.5 - r() * 0.5 : r() * 1.4 - 0.4 };
        const abusive = s.hard && r() < 0.4;
        return {
          type: 'utterance',
          ...this.at(s, time),
          interactionId: s.interactionId,
          speaker: r() < 0.7 ? 'customer' : 'agent',
          sentiment: s.hard ? -0.3 - r() * 0.7 : r() * 1.2 - 0.3,
          ...(abusive ? { abusive: true, targeted: r() < 0.5 } : {}),
        };
      }
      case Step.Ended:
        s.step = Step.WrappedUp;
        return { type: 'task.wrapup_done', ...this.at(s, s.t + 5_000 + r() * 40_000), interactionId: s.interactionId };
    }
  }

  private offer(s: AgentScript): Signal {
    const r = this.rng;
    s.contacts++;
    s.interactionId = uuidFrom(r);
    s.channel = CHANNELS[Math.floor(r() * CHANNELS.length)];
    s.queueId = QUEUES[Math.floor(r() * QUEUES.length)];
    s.hard = r() < 0.08;
    s.surveyed = false;
    s.step = Step.Offered;
    return { type: 'task.offered', ...this.at(s, s.t + 2_000 + r() * 40_000), interactionId: s.interactionId, channel: s.channel, queueId: s.queueId };
  }
}

/** A UUID-shaped id (platform interaction ids are UUIDs: their length matters to parse costs). */
function uuidFrom(r: Random): string {
  return `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 6)}${hex(r, 6)}`;
}

function hex(r: Random, digits: number): string {
  return Math.floor(r() * 16 ** digits)
    .toString(16)
    .padStart(digits, '0');
}

function shuffled(n: number, rng: Random): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = a[i];
    a[i] = a[j];
    a[j] = tmp;
  }
  return a;
}

/**
 * One NDJSON body per `batchSize` signals (each line newline-terminated, as HTTP clients send it). Each
 * body is one flat string, as a request body is: a body built with `+=` is a rope of thousands of
 * pieces, and whatever reads it first pays to flatten it — the parse floor, which ran first, took
 * about twice as long on ropes as on the same bodies flat.
 */
export function toNdjsonBatches(signals: readonly Signal[], batchSize: number): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < signals.length; i += batchSize) {
    const lines = signals.slice(i, i + batchSize).map((signal) => JSON.stringify(signal));
    lines.push(''); // the last line's newline, without concatenating (which would make a rope again)
    bodies.push(lines.join('\n'));
  }
  return bodies;
}
