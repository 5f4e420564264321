// A simulated contact-centre day as a stream of the signals the real platform would send.
// Discrete-event simulation: arrivals (inhomogeneous Poisson per queue), routing to the longest-idle
// free agent, shifts, breaks and lunch. Pure: all randomness comes from the seed, time from `startMs`.
import type { Signal } from '../domain/signals.ts';
import { planHandling, drawMood, type Mood } from './contacts.ts';
import { byTimeThenSeq, MinHeap } from './heap.ts';
import { resolveSimOptions, type QueueSpec, type SimOptions, type SimOptionsInput } from './options.ts';
import { dayFactor, exponential, lognormal, streamFor } from './random.ts';
import { planShifts, type BreakPlan, type ShiftPlan } from './shifts.ts';
import { arrivalModel } from './arrivals.ts';

interface Contact {
  interactionId: string;
  queue: QueueSpec;
  arrivedMs: number;
  mood?: Mood;
  escalated: boolean;
}

interface Agent {
  plan: ShiftPlan;
  speed: number;
  status: 'off' | 'working' | 'away' | 'gone';
  /** When the agent last became free of all tasks: the router favours the longest idle. */
  freeSinceMs: number;
  lastAssignedMs: number;
  voice: number;
  chats: number;
  emails: number;
  pendingBreak?: BreakPlan;
  pendingLogout: boolean;
  /** Bumped whenever an away spell starts, so a stale "back from break" event is ignored. */
  awaySpell: number;
}

type SimEvent =
  | { time: number; seq: number; kind: 'shiftStart' | 'shiftEnd'; agent: Agent }
  | { time: number; seq: number; kind: 'breakDue'; agent: Agent; plan: BreakPlan }
  | { time: number; seq: number; kind: 'breakEnd'; agent: Agent; spell: number }
  | { time: number; seq: number; kind: 'taskDone'; agent: Agent; channel: QueueSpec['channel'] }
  | { time: number; seq: number; kind: 'arrival'; queueIndex: number }
  | { time: number; seq: number; kind: 'requeue'; contact: Contact }
  | { time: number; seq: number; kind: 'close' };
type Pending = { time: number; seq: number; signal: Signal };
type Unsequenced<E> = E extends SimEvent ? Omit<E, 'seq'> : never;

const CHANNEL_PRIORITY = ['voice', 'chat', 'email'] as const;

/** Signals for one simulated window, in time order (ties keep causal order). */
export function* generateDay(input: SimOptionsInput): Generator<Signal> {
  const opts = resolveSimOptions(input);
  yield* new DaySimulation(opts).run();
}

class DaySimulation {
  private readonly events = new MinHeap<SimEvent>(byTimeThenSeq);
  private readonly output = new MinHeap<Pending>(byTimeThenSeq);
  private seq = 0;
  private emitted = 0;
  private contactCount = 0;
  private closed = false;
  private readonly waiting: Record<QueueSpec['channel'], Contact[]> = { voice: [], chat: [], email: [] };
  private readonly agents: Agent[];
  private readonly rngArrivals;
  private readonly rngContacts;
  private readonly arrivals;
  private readonly endMs: number;
  /** Makes ids unique per run window, so a second run never collides with an earlier one's keys. */
  private readonly runTag: string;

  constructor(private readonly opts: SimOptions) {
    const plans = planShifts(opts, streamFor(opts.seed, 'shifts'));
    const rngAgents = streamFor(opts.seed, 'agents');
    this.agents = plans.map((plan) => ({
      plan,
      speed: lognormal(rngAgents, 1, opts.agentSpeedSigma),
      status: 'off',
      freeSinceMs: plan.startMs,
      lastAssignedMs: plan.startMs,
      voice: 0,
      chats: 0,
      emails: 0,
      pendingLogout: false,
      awaySpell: 0,
    }));
    this.rngArrivals = streamFor(opts.seed, 'arrivals');
    this.rngContacts = streamFor(opts.seed, 'contacts');
    this.endMs = opts.startMs + Math.round(opts.hours * 3_600_000);
    const factor = dayFactor(streamFor(opts.seed, 'day'), opts.dayFactorCv);
    this.arrivals = arrivalModel(opts, plans, factor);
    this.runTag = `${opts.seed.toString(36)}-${opts.startMs.toString(36)}`;
  }

  *run(): Generator<Signal> {
    for (const agent of this.agents) {
      this.schedule({ time: agent.plan.startMs, kind: 'shiftStart', agent });
      for (const plan of agent.plan.breaks) this.schedule({ time: plan.startMs, kind: 'breakDue', agent, plan });
      this.schedule({ time: agent.plan.endMs, kind: 'shiftEnd', agent });
    }
    this.arrivals.queues.forEach((_, queueIndex) => this.scheduleNextArrival(queueIndex, this.opts.startMs));
    this.schedule({ time: this.endMs, kind: 'close' });

    for (let event = this.events.pop(); event; event = this.events.pop()) {
      // Everything planned before this instant is final: nothing can be inserted earlier any more.
      yield* this.flush(event.time);
      this.handle(event);
    }
    yield* this.flush(Infinity);
  }

  private *flush(beforeMs: number): Generator<Signal> {
    while (this.output.size > 0 && this.output.peek()!.time < beforeMs) {
      const { signal } = this.output.pop()!;
      yield { ...signal, key: `sim-${this.runTag}-${(this.emitted++).toString(36)}` };
    }
  }

  private schedule(event: Unsequenced<SimEvent>): void {
    this.events.push({ ...event, seq: this.seq++ } as SimEvent);
  }

  private emit(signal: Signal): void {
    this.output.push({ time: signal.time, seq: this.seq++, signal });
  }

  private state(agent: Agent, time: number, state: 'available' | 'idle' | 'logged_out', idleCode?: string): void {
    this.emit({
      type: 'agent.state',
      orgId: this.opts.orgId,
      agentId: agent.plan.agentId,
      time,
      state,
      ...(idleCode ? { idleCode } : {}),
    });
  }

  private handle(event: SimEvent): void {
    const t = event.time;
    switch (event.kind) {
      case 'shiftStart':
        event.agent.status = 'working';
        event.agent.freeSinceMs = t;
        this.state(event.agent, t, 'available');
        return this.route(t);
      case 'breakDue': {
        const agent = event.agent;
        if (agent.status !== 'working' || agent.pendingLogout) return;
        // A break waits for the current contact to finish, like a real "pending idle" state.
        if (busy(agent)) agent.pendingBreak = event.plan;
        else this.startBreak(agent, event.plan, t);
        return;
      }
      case 'breakEnd': {
        const agent = event.agent;
        if (agent.status !== 'away' || agent.awaySpell !== event.spell) return;
        agent.status = 'working';
        agent.freeSinceMs = t;
        this.state(agent, t, 'available');
        return this.route(t);
      }
      case 'shiftEnd': {
        const agent = event.agent;
        if (agent.status === 'away') {
          agent.awaySpell++;
          return this.logOut(agent, t);
        }
        if (busy(agent)) agent.pendingLogout = true;
        else this.logOut(agent, t);
        return;
      }
      case 'taskDone': {
        const agent = event.agent;
        if (event.channel === 'voice') agent.voice--;
        else if (event.channel === 'chat') agent.chats--;
        else agent.emails--;
        if (!busy(agent)) {
          agent.freeSinceMs = t;
          if (agent.pendingLogout) return this.logOut(agent, t);
          if (agent.pendingBreak) {
            const plan = agent.pendingBreak;
            agent.pendingBreak = undefined;
            // A delayed break keeps its full length but never runs past the shift.
            if (t < agent.plan.endMs) return this.startBreak(agent, plan, t);
          }
        }
        return this.route(t);
      }
      case 'arrival': {
        const queue = this.arrivals.queues[event.queueIndex];
        if (this.arrivals.accept(this.rngArrivals, event.queueIndex, t)) {
          this.waiting[queue.channel].push({ interactionId: this.nextInteractionId(), queue, arrivedMs: t, escalated: false });
        }
        this.scheduleNextArrival(event.queueIndex, t);
        return this.route(t);
      }
      case 'requeue':
        if (this.closed) return;
        // A transferred caller goes to the head of the line: they have waited already.
        this.waiting.voice.unshift(event.contact);
        return this.route(t);
      case 'close':
        // Callers still waiting at closing hang up: they were never offered, so they leave no signals.
        this.closed = true;
        for (const channel of CHANNEL_PRIORITY) this.waiting[channel].length = 0;
        return;
    }
  }

  private nextInteractionId(): string {
    return `sim-ix-${this.runTag}-${(this.contactCount++).toString(36)}`;
  }

  private scheduleNextArrival(queueIndex: number, fromMs: number): void {
    const rate = this.arrivals.maxRatePerMs[queueIndex];
    if (rate <= 0) return;
    const time = fromMs + Math.max(1, Math.round(exponential(this.rngArrivals, rate)));
    if (time < this.endMs) this.schedule({ time, kind: 'arrival', queueIndex });
  }

  private startBreak(agent: Agent, plan: BreakPlan, t: number): void {
    agent.status = 'away';
    const spell = ++agent.awaySpell;
    this.state(agent, t, 'idle', plan.kind);
    const endMs = Math.min(t + plan.durationMs, agent.plan.endMs);
    this.schedule({ time: endMs, kind: 'breakEnd', agent, spell });
  }

  private logOut(agent: Agent, t: number): void {
    agent.status = 'gone';
    agent.pendingLogout = false;
    agent.pendingBreak = undefined;
    this.state(agent, t, 'logged_out');
  }

  /** Offers waiting contacts to free agents until either runs out. */
  private route(t: number): void {
    if (this.closed) return;
    for (const channel of CHANNEL_PRIORITY) {
      const line = this.waiting[channel];
      while (line.length > 0) {
        const agent = this.pickAgent(channel);
        if (!agent) break;
        this.assign(line.shift()!, agent, t);
      }
    }
  }

  private pickAgent(channel: QueueSpec['channel']): Agent | undefined {
    let best: Agent | undefined;
    let bestKey: [number, number] = [Infinity, Infinity];
    for (const agent of this.agents) {
      if (agent.status !== 'working' || agent.pendingBreak || agent.pendingLogout) continue;
      const fits = channel === 'chat' ? agent.voice + agent.emails === 0 && agent.chats < this.opts.chatConcurrency : !busy(agent);
      if (!fits) continue;
      // Free agents first, longest idle first; among agents already chatting, the least loaded.
      const key: [number, number] = [agent.chats, agent.chats === 0 ? agent.freeSinceMs : agent.lastAssignedMs];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
        best = agent;
        bestKey = key;
      }
    }
    return best;
  }

  private assign(contact: Contact, agent: Agent, t: number): void {
    contact.mood ??= drawMood(this.rngContacts, this.opts, contact.queue, t - contact.arrivedMs);
    const channel = contact.queue.channel;
    if (channel === 'voice') agent.voice++;
    else if (channel === 'chat') agent.chats++;
    else agent.emails++;
    agent.lastAssignedMs = t;
    const plan = planHandling(this.rngContacts, this.opts, {
      interactionId: contact.interactionId,
      agentId: agent.plan.agentId,
      orgId: this.opts.orgId,
      queue: contact.queue,
      mood: contact.mood,
      escalated: contact.escalated,
      speed: agent.speed,
      offeredMs: t,
    });
    for (const signal of plan.signals) this.emit(signal);
    this.schedule({ time: plan.doneMs, kind: 'taskDone', agent, channel });
    if (plan.transferredAtMs !== undefined) {
      this.schedule({ time: plan.transferredAtMs, kind: 'requeue', contact: { ...contact, arrivedMs: plan.transferredAtMs, escalated: true } });
    }
  }
}

function busy(agent: Agent): boolean {
  return agent.voice + agent.chats + agent.emails > 0;
}
