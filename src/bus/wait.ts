// Waiting for the next matching event of one org (the long-poll of GET /v1/events). It listens from
// the moment it is created, so a caller can create it, read the log, and then wait without missing an
// event committed in between.
import type { EventEnvelope } from '../domain/events.ts';
import type { Bus, Subscription } from './types.ts';

export class EventWaiter {
  private readonly subscription: Subscription;
  private seen = false;
  private wake: (() => void) | undefined;

  constructor(bus: Bus, orgId: string, private readonly matches: (event: EventEnvelope) => boolean) {
    this.subscription = bus.subscribe(orgId, (events) => this.hear(events));
  }

  private hear(events: readonly EventEnvelope[]): void {
    if (this.seen || !events.some(this.matches)) return;
    this.seen = true;
    this.wake?.();
  }

  /**
   * Resolves true once a matching event was published since this waiter was created, false when `ms`
   * pass or `signal` aborts first. Stops listening either way.
   */
  async wait(ms: number, signal: AbortSignal): Promise<boolean> {
    try {
      if (this.seen) return true;
      if (signal.aborted || ms <= 0) return false;
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
      return this.seen;
    } finally {
      this.close();
    }
  }

  close(): void {
    this.wake = undefined;
    this.subscription.close();
  }
}
