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

interface Waiter {
  resolve: (v: any) => void;
  reject: (e: unknown) => void;
  onDurable: ((v: any) => void) | undefined;
}

/**
 * Requests held for the end of the event loop's turn at most; more are sent at once. Under load the
 * connections fall into step: one turn reads and handles a burst of ~50 requests (~20 µs each), and
 * held for the turn's end they left the writer idle for that whole ~1 ms, then the event loop idle
 * while the writer committed them all — both threads ~30 % idle. Sent in groups, the writer commits
 * the first while the event loop handles the rest. bench:actions (wrk, 50 connections, wellbeing on),
 * old and new servers alternating: 1.12–1.44× the actions/s of holding the whole turn. Groups of 12 and
 * 16 gained less (more commits, each with its fixed cost), 32 less again (docs/performance.md).
 */
export const HELD_AT_MOST = 24;

export class WriterThread {
  /** Started at construction, or (`lazy`) by the first write: a read-only command never pays its start (~0.7 s under tsx). */
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Waiter>();
  private outbox: Request[] = [];
  /** Buffers the outbox's requests carry that move to the writer with it instead of being copied. */
  private transfers: ArrayBuffer[] = [];
  private nextId = 1;
  private scheduled = false;
  /** Messages posted and not answered yet. */
  private inFlight = 0;
  private closed: Promise<void> | undefined;

  /**
   * `checkpointPages`: the writer's own WAL checkpoint threshold (SQLite's default, 1,000, when absent).
   * `lazy`: start the thread with the first write, not now.
   */
  constructor(
    private readonly dbPath: string,
    private readonly checkpointPages?: number,
    lazy = false,
  ) {
    if (!lazy) this.start();
  }

  /** Whether the thread was started (a lazy writer starts with its first write). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  private start(): Worker {
    const worker = new Worker(new URL('./writer-worker.mjs', import.meta.url), { workerData: { dbPath: this.dbPath, checkpointPages: this.checkpointPages } });
    this.worker = worker;
    worker.on('message', ({ messages, replies }: { messages: number; replies: Reply[] }) => {
      this.inFlight -= messages;
      for (const reply of replies) {
        const waiter = this.pending.get(reply.id)!;
        this.pending.delete(reply.id);
        if (reply.ok) {
          // Synchronously, in reply order: what hears of commits (the bus) hears of them in commit order.
          try {
            waiter.onDurable?.(reply.value);
          } catch (error) {
            // A bug in what listens, not in the write (the bus catches its listeners' errors): fail loudly,
            // but only after every caller of this commit has its answer.
            setImmediate(() => {
              throw error;
            });
          }
          waiter.resolve(reply.value);
        }
        else waiter.reject(Object.assign(new Error(String((reply.value as Error)?.message ?? reply.value)), { cause: reply.value }));
      }
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`database writer stopped (exit ${code})`)));
    return worker;
  }

  /** Runs `op` in the next shared transaction; resolves once that transaction is durable. */
  run<K extends OpName>(op: K, ...args: Parameters<WriteOps[K]>): Promise<ReturnType<WriteOps[K]>> {
    return this.enqueue(op, args, undefined, undefined);
  }

  /**
   * Like run, and calls `onDurable` with the result as the commit is reported, before any other
   * commit's: a later commit's callback never runs first (a promise's continuations give no such
   * guarantee once callers await at different depths).
   */
  runThen<K extends OpName>(onDurable: (value: ReturnType<WriteOps[K]>) => void, op: K, ...args: Parameters<WriteOps[K]>): Promise<ReturnType<WriteOps[K]>> {
    return this.enqueue(op, args, onDurable, undefined);
  }

  /**
   * Like runThen, and `transfer` (a buffer the arguments hold) moves to the writer's thread rather than
   * being copied, at once (with whatever was queued before it): the caller's views of it are empty when
   * this returns. An empty buffer is refused: it was most likely moved already, and Node silently drops
   * a message whose transfer list holds such a one.
   */
  runThenMoving<K extends OpName>(
    transfer: ArrayBuffer | undefined,
    onDurable: (value: ReturnType<WriteOps[K]>) => void,
    op: K,
    ...args: Parameters<WriteOps[K]>
  ): Promise<ReturnType<WriteOps[K]>> {
    return this.enqueue(op, args, onDurable, transfer);
  }

  private enqueue<K extends OpName>(
    op: K,
    args: unknown[],
    onDurable: ((value: ReturnType<WriteOps[K]>) => void) | undefined,
    transfer: ArrayBuffer | undefined,
  ): Promise<ReturnType<WriteOps[K]>> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    if (transfer?.byteLength === 0) return Promise.reject(new Error('the bytes to move are empty: were they handed over already?'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onDurable });
      this.outbox.push({ id, op, args });
      if (transfer !== undefined) this.transfers.push(transfer);
      if ((this.inFlight === 0 && !this.scheduled) || transfer !== undefined || this.outbox.length >= HELD_AT_MOST) {
        // The writer is idle, or this is an ingest batch's log (~1 MB, its own message costs nothing next
        // to its rows), or a commit's worth of requests is waiting: send now rather than after whatever
        // else this turn of the event loop runs. A batch applied while the event loop is busy applying
        // others would otherwise wait for all of them (~14 ms a batch in bench:engine), and its lane with
        // it. `send` takes the outbox whole, so requests keep their order.
        this.send();
      } else if (!this.scheduled) {
        // The writer is busy and drains everything waiting into its next commit: one message per turn
        // (or per HELD_AT_MOST requests).
        this.scheduled = true;
        setImmediate(() => this.send());
      }
    });
  }

  private send(): void {
    this.scheduled = false;
    if (this.outbox.length === 0) return;
    const outbox = this.outbox;
    const transfers = this.transfers;
    this.outbox = [];
    this.transfers = [];
    try {
      (this.worker ?? this.start()).postMessage(outbox, transfers);
      this.inFlight++;
    } catch (error) {
      // Arguments that cannot be sent (a buffer already moved elsewhere): the requests of this message
      // fail, as a failed commit would, instead of the exception escaping a timer and stopping the process.
      for (const request of outbox) {
        this.pending.get(request.id)?.reject(error);
        this.pending.delete(request.id);
      }
    }
  }

  private failAll(error: unknown): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  /** Commits what is queued, then closes the write connection and stops the thread. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.send();
      const worker = this.worker;
      if (worker === undefined) return resolve(); // never started: nothing was written
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    });
    return this.closed;
  }
}
