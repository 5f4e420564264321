// Group commit: writes queued during one event-loop turn share one transaction and one fsync.
// Under concurrency this turns N fsyncs into one, which is what makes durable writes fast.
import type { Db } from './db.ts';

interface Pending {
  work: () => unknown;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  /** Runs `work` inside the next shared transaction; resolves once that transaction is durable. */
  enqueue<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is queued now (also used on shutdown). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      this.db.transaction(() => {
        for (const item of batch) {
          try {
            results.push({ ok: true, value: item.work() });
          } catch (error) {
            // A failed statement rolls back only itself; the rest of the batch still commits.
            results.push({ ok: false, value: error });
          }
        }
      })();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => (results[i].ok ? item.resolve(results[i].value) : item.reject(results[i].value)));
  }
}
