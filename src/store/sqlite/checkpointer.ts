// Starts and stops the checkpointer thread (checkpoint-loop.ts).
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';

/** How often the checkpointer copies committed WAL frames into the database file (ms). */
export const CHECKPOINT_EVERY_MS = 10;
/**
 * The writer's own checkpoint threshold (WAL pages): a bound on the WAL for when the checkpointer
 * cannot keep up. Checkpoints resume from the last copied frame, so the writer's is short. It also
 * sets when the WAL file restarts from its beginning: ~40 MB of WAL at most.
 */
export const WRITER_CHECKPOINT_PAGES = 10_000;

export class CheckpointerThread {
  private readonly worker: Worker;
  private closed: Promise<void> | undefined;

  constructor(dbPath: string, everyMs = CHECKPOINT_EVERY_MS) {
    this.worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), { workerData: { dbPath, everyMs } });
    // Never the reason the process stays up.
    this.worker.unref();
    // Only an optimisation: without it the writer checkpoints by itself (at WRITER_CHECKPOINT_PAGES).
    this.worker.on('error', (error) => process.stderr.write(`respite: the checkpointer thread stopped (${error.message}); the writer checkpoints by itself\n`));
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      const exited = once(this.worker, 'exit');
      // Waited for, so referenced again (unreferenced, a process with nothing else left would exit first).
      this.worker.ref();
      this.worker.postMessage('close');
      await exited;
    })();
    return this.closed;
  }
}
