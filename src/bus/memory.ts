// The single-process bus: listeners per org, called synchronously as each commit completes.
import type { EventEnvelope } from '../domain/events.ts';
import type { Bus, EventListener, Subscription } from './types.ts';
import { getOrAdd } from '../domain/maps.ts';

export class MemoryBus implements Bus {
  private readonly listeners = new Map<string, Set<EventListener>>();

  /** `onListenerError`: where a throwing listener is reported (the server logs it). */
  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  publish(events: readonly EventEnvelope[]): void {
    // Runs for every commit; with nobody following an org this is one map lookup.
    if (this.listeners.size === 0 || events.length === 0) return;
    let start = 0;
    for (let i = 1; i <= events.length; i++) {
      if (i < events.length && events[i].orgId === events[start].orgId) continue;
      const set = this.listeners.get(events[start].orgId);
      if (set) this.deliver(set, start === 0 && i === events.length ? events : events.slice(start, i));
      start = i;
    }
  }

  private deliver(set: Set<EventListener>, events: readonly EventEnvelope[]): void {
    // A copy: a listener subscribed by another listener hears from the next commit on; one closed by
    // another listener hears nothing more.
    for (const listener of [...set]) {
      if (!set.has(listener)) continue;
      try {
        listener(events);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  listenerCount(orgId: string): number {
    return this.listeners.get(orgId)?.size ?? 0;
  }

  subscribe(orgId: string, listener: EventListener): Subscription {
    const set = getOrAdd(this.listeners, orgId, () => new Set<EventListener>());
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const entry: EventListener = (events) => listener(events);
    set.add(entry);
    return {
      close: () => {
        set.delete(entry);
        if (set.size === 0 && this.listeners.get(orgId) === set) this.listeners.delete(orgId);
      },
    };
  }
}
