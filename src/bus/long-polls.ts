// The long-polls waiting on GET /v1/events: one bus subscription per org that has any, and each commit's
// events looked up by agent and by type, so a commit costs its events plus the waiters it wakes, not
// events × waiters (a dashboard that long-polls per agent, hundreds at once, must not slow ingest).
import type { EventEnvelope } from '../domain/events.ts';
import type { Bus, Subscription } from './types.ts';
import { getOrAdd } from '../domain/maps.ts';

/** Which events end a wait: ids after `after`, and optionally of some types and of one agent. */
export interface WaitFilter {
  after: number;
  types?: readonly string[];
  agentId?: string;
}

export class LongPolls {
  private readonly orgs = new Map<string, OrgWaiters>();

  constructor(private readonly bus: Bus) {}

  /**
   * Starts listening at once, so a caller can read the log after this and then wait without missing an
   * event committed in between.
   */
  listen(orgId: string, filter: WaitFilter): LongPoll {
    const org = getOrAdd(this.orgs, orgId, () => new OrgWaiters(this.bus, orgId, () => this.orgs.delete(orgId)));
    // No types means any type, as in the log's own queries.
    const poll = new LongPoll(filter.types?.length === 0 ? { ...filter, types: undefined } : filter, org);
    org.add(poll);
    return poll;
  }
}

export class LongPoll {
  heard = false;
  private wake: (() => void) | undefined;

  constructor(
    readonly filter: WaitFilter,
    private readonly org: OrgWaiters,
  ) {}

  /** Ends this wait if its filter accepts `e` (it stops listening then). */
  offer(e: EventEnvelope): void {
    const f = this.filter;
    if (this.heard || e.id <= f.after || (f.types !== undefined && !f.types.includes(e.type)) || (f.agentId !== undefined && e.agentId !== f.agentId)) return;
    this.heard = true;
    const wake = this.wake;
    this.close();
    wake?.();
  }

  /**
   * True once a matching event was committed since listen(), false when `ms` pass or `signal` aborts
   * first. Stops listening either way.
   */
  async wait(ms: number, signal: AbortSignal): Promise<boolean> {
    if (this.heard || signal.aborted || ms <= 0) {
      this.close();
      return this.heard;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      this.wake = done;
    });
    this.close();
    return this.heard;
  }

  close(): void {
    this.wake = undefined;
    this.org.remove(this);
  }
}

/** One org's waiters, indexed the way events are looked up. */
class OrgWaiters {
  private readonly subscription: Subscription;
  /** Waiters for one agent (whatever their types). */
  private readonly byAgent = new Map<string, Set<LongPoll>>();
  /** Waiters for any agent, under each type they accept. */
  private readonly byType = new Map<string, Set<LongPoll>>();
  /** Waiters for any agent and any type: the next event wakes them all. */
  private readonly any = new Set<LongPoll>();
  private size = 0;

  constructor(bus: Bus, orgId: string, private readonly onEmpty: () => void) {
    this.subscription = bus.subscribe(orgId, (events) => this.hear(events));
  }

  private setsOf(poll: LongPoll): Set<LongPoll>[] {
    const { agentId, types } = poll.filter;
    if (agentId !== undefined) return [getOrAdd(this.byAgent, agentId, newSet)];
    if (types !== undefined) return types.map((t) => getOrAdd(this.byType, t, newSet));
    return [this.any];
  }

  add(poll: LongPoll): void {
    for (const set of this.setsOf(poll)) set.add(poll);
    this.size++;
  }

  remove(poll: LongPoll): void {
    let found = false;
    for (const set of this.setsOf(poll)) found = set.delete(poll) || found;
    if (!found) return;
    const { agentId, types } = poll.filter;
    if (agentId !== undefined && this.byAgent.get(agentId)?.size === 0) this.byAgent.delete(agentId);
    for (const t of types ?? []) if (this.byType.get(t)?.size === 0) this.byType.delete(t);
    if (--this.size === 0) {
      this.subscription.close();
      this.onEmpty();
    }
  }

  private hear(events: readonly EventEnvelope[]): void {
    for (const e of events) {
      if (this.any.size > 0) offerAll(this.any, e);
      if (this.byType.size > 0) offerAll(this.byType.get(e.type), e);
      if (this.byAgent.size > 0 && e.agentId !== undefined) offerAll(this.byAgent.get(e.agentId), e);
      if (this.size === 0) return;
    }
  }
}

const newSet = () => new Set<LongPoll>();

/** Offers `e` to each waiter in `set` (a woken one leaves the set as it goes). */
function offerAll(set: Set<LongPoll> | undefined, e: EventEnvelope): void {
  if (set === undefined) return;
  for (const poll of [...set]) poll.offer(e);
}
