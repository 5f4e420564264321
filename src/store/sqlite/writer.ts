// Group commit on a writer thread. Writes are named operations (see writes.ts) executed by a worker
// that owns the database's write connection: every operation that reaches it while the previous
// commit is fsyncing joins the next transaction, and the fsync never blocks the event loop.
import { Worker } from 'node:worker_threads';
import type { WriteOps } from './writes.ts';

type OpName = keyof WriteOps;
interface Request {
  id: number;
  op: OpName;
  args: unknown[];
}
interface Reply {
  id: number;
  ok: boolean;
  value: unknown;
}

export class WriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: unknown) => void }>();
  private outbox: Request[] = [];
  private nextId = 1;
  private scheduled = false;
  private closed: Promise<void> | undefined;

  constructor(dbPath: string) {
    this.worker = new Worker(new URL('./writer-worker.mjs', import.meta.url), { workerData: { dbPath } });
    this.worker.on('message', (replies: Reply[]) => {
      for (const reply of replies) {
        const waiter = this.pending.get(reply.id)!;
        this.pending.delete(reply.id);
        if (reply.ok) waiter.resolve(reply.value);
        else waiter.reject(Object.assign(new Error(String((reply.value as Error)?.message ?? reply.value)), { cause: reply.value }));
      }
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`database writer stopped (exit ${code})`)));
  }

  /** Runs `op` in the next shared transaction; resolves once that transaction is durable. */
  run<K extends OpName>(op: K, ...args: Parameters<WriteOps[K]>): Promise<ReturnType<WriteOps[K]>> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.outbox.push({ id, op, args });
      if (!this.scheduled) {
        this.scheduled = true;
        // One message per event-loop turn: the writer drains every message waiting for it into one commit.
        setImmediate(() => this.send());
      }
    });
  }

  private send(): void {
    this.scheduled = false;
    if (this.outbox.length === 0) return;
    this.worker.postMessage(this.outbox);
    this.outbox = [];
  }

  private failAll(error: unknown): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  /** Commits what is queued, then closes the write connection and stops the thread. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.send();
      this.worker.once('exit', () => resolve());
      this.worker.postMessage('close');
    });
    return this.closed;
  }
}
