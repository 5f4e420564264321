// Paces a time-stamped stream by the wall clock: simulated time runs `speed` × real time.
// Before each real wait it yields IDLE, so a batcher can send what it holds instead of sitting on it.

export const IDLE = Symbol('idle');
export type Idle = typeof IDLE;

export interface PaceOptions<T> {
  /** Simulated ms per real ms; 0 means no pacing (as fast as the consumer pulls). */
  speed: number;
  timeOf: (item: T) => number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Waits shorter than this are not worth announcing or sleeping for. */
  minWaitMs?: number;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function* pace<T>(items: Iterable<T> | AsyncIterable<T>, options: PaceOptions<T>): AsyncGenerator<T | Idle> {
  const { speed, timeOf, now = Date.now, sleep = realSleep, minWaitMs = 50 } = options;
  let origin: { sim: number; real: number } | undefined;
  for await (const item of items) {
    if (speed > 0) {
      const t = timeOf(item);
      origin ??= { sim: t, real: now() };
      const dueReal = origin.real + (t - origin.sim) / speed;
      const waitMs = dueReal - now();
      if (waitMs >= minWaitMs) {
        yield IDLE;
        await sleep(waitMs);
      }
    }
    yield item;
  }
}
