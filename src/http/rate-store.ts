// One rate-limit counter per token (and route group) shared by every route: @fastify/rate-limit's
// default store gives each route its own counters, which would let a client make 300 requests a
// minute on *each* route instead of 300 in all (Webex: 300 per minute per client).
interface Window {
  count: number;
  start: number;
}

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

export class SharedRateStore {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  incr(key: string, callback: Callback, timeWindow: number, _max: number): void {
    const now = Date.now();
    this.sweep(now, timeWindow);
    let window = this.windows.get(key);
    if (!window || now - window.start >= timeWindow) {
      window = { count: 0, start: now };
      this.windows.set(key, window);
    }
    window.count++;
    callback(null, { current: window.count, ttl: timeWindow - (now - window.start) });
  }

  child(): SharedRateStore {
    return this;
  }

  /** Drops finished windows now and then, so idle tokens do not accumulate. */
  private sweep(now: number, timeWindow: number): void {
    if (now - this.lastSweep < timeWindow) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (now - window.start >= timeWindow) this.windows.delete(key);
  }
}
