// Intake workers: NDJSON bodies are split, parsed, validated and their transcripts analysed on worker
// threads, so the engine's thread spends its time applying signals (state stays on that thread). A
// body goes to the worker with the fewest jobs; small bodies are done in place, where a round trip to a
// worker would cost more than it saves. Answers are handed out in the order the bodies came in, so
// the engine applies requests in arrival order however many workers there are (with two, a later
// batch finished first would make an earlier one's signals look late).
import { Worker } from 'node:worker_threads';
import { DEFAULT_INTAKE_WORKERS } from './intake-workers.ts';
import { intakeJson, intakeNdjson, type Intake, type IntakeRequest, type NdjsonBody } from './intake.ts';
import type { IntakeJob } from './intake-loop.ts';

/**
 * Bodies smaller than this are validated in place (bytes) when the engine has little else to do. With one
 * or two connections a round trip to a worker costs more than it saves up to ~64 KB (bench:ingest with
 * 250-signal batches of 42 KB on one connection: 149,000–153,000 signals/s in place, 127,000–142,000/s on
 * the worker).
 */
export const DEFAULT_INLINE_BELOW = 64 * 1024;
/**
 * The same threshold while other ingests are in flight (BUSY_FROM or more): then the event loop is the
 * bottleneck and a worker beside it pays off sooner. bench:ingest at 16 connections: 17 KB bodies
 * 238,000–246,000/s in place against 217,000–223,000/s on the worker, 27 KB even, 34 KB 246,000–272,000/s
 * against 277,000–285,000/s, 42 KB 250,000–251,000/s against 262,000–285,000/s.
 */
export const BUSY_INLINE_BELOW = 32 * 1024;
/** Other ingests in flight from which the engine counts as busy (at 4 connections, 42 KB bodies already gain on the worker). */
export const BUSY_FROM = 2;

interface Lane {
  worker: Worker;
  jobs: Map<number, { resolve: (intake: Intake) => void; reject: (error: Error) => void }>;
}

export class IntakePool {
  private lanes: Lane[] | undefined;
  private nextId = 1;
  private closed = false;
  /** Settles after every body handed in so far has been answered: the next answer waits for it. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly size: number = DEFAULT_INTAKE_WORKERS,
    private readonly inlineBelow: number = DEFAULT_INLINE_BELOW,
    private readonly busyInlineBelow: number = Math.min(inlineBelow, BUSY_INLINE_BELOW),
  ) {}

  /**
   * Validates an NDJSON body on a worker (in place when the pool has no workers or the body is small:
   * smaller still when `othersInFlight`, the ingests the engine has in flight besides this one, reach
   * BUSY_FROM); answers in the order the bodies were handed in.
   */
  ndjson(body: NdjsonBody, request: IntakeRequest, othersInFlight = 0): Promise<Intake> {
    const inlineBelow = othersInFlight >= BUSY_FROM ? this.busyInlineBelow : this.inlineBelow;
    const inPlace = this.size === 0 || this.closed || body.length < inlineBelow;
    return this.inOrder(inPlace ? Promise.resolve(intakeNdjson(body, request)) : this.onWorker(body, request));
  }

  /**
   * Starts the workers now instead of with the first body that needs one: a worker takes ~0.6 s to start
   * under tsx, which the first large batch after a (re)start would otherwise wait for. Idle, they keep no
   * process alive.
   */
  start(): void {
    if (this.size > 0 && !this.closed) this.lanes ??= Array.from({ length: this.size }, () => this.startLane());
  }

  /** Worker threads running now. */
  get running(): number {
    return this.lanes?.length ?? 0;
  }

  /** Validates a JSON body (already parsed by the HTTP layer) in place, answering in arrival order too. */
  json(body: unknown, request: IntakeRequest): Promise<Intake> {
    return this.inOrder(Promise.resolve(intakeJson(body, request)));
  }

  private inOrder(work: Promise<Intake>): Promise<Intake> {
    const answer = this.tail.then(() => work);
    // Without the batch's result: `catch` alone would pass it through and keep the last one alive.
    this.tail = answer.then(() => undefined, () => undefined);
    return answer;
  }

  private onWorker(body: NdjsonBody, request: IntakeRequest): Promise<Intake> {
    this.start();
    const lanes = this.lanes!;
    let lane = lanes[0];
    for (const candidate of lanes) if (candidate.jobs.size < lane.jobs.size) lane = candidate;
    const id = this.nextId++;
    return new Promise<Intake>((resolve, reject) => {
      // Referenced only while it has work: an idle pool never keeps the process alive.
      if (lane.jobs.size === 0) lane.worker.ref();
      lane.jobs.set(id, { resolve, reject });
      if (typeof body === 'string') lane.worker.postMessage({ id, body, ...request } satisfies IntakeJob);
      else {
        // Bytes move to the worker (a string would be copied there: ~2 ms of the event loop per MB).
        const own = ownBuffer(body);
        lane.worker.postMessage({ id, body: own, ...request } satisfies IntakeJob, [own.buffer]);
      }
    });
  }

  private startLane(): Lane {
    const worker = new Worker(new URL('./intake-worker.mjs', import.meta.url));
    worker.unref();
    const lane: Lane = { worker, jobs: new Map() };
    worker.on('message', (reply: { id: number; intake?: Intake; error?: { message: string } }) => {
      const job = lane.jobs.get(reply.id);
      if (!job) return;
      lane.jobs.delete(reply.id);
      if (lane.jobs.size === 0) worker.unref();
      if (reply.intake) job.resolve(reply.intake);
      else job.reject(new Error(reply.error?.message ?? 'intake worker failed'));
    });
    const fail = (error: Error) => {
      for (const job of lane.jobs.values()) job.reject(error);
      lane.jobs.clear();
      // A lane that died is replaced on the next body.
      if (this.lanes) this.lanes = this.lanes.filter((l) => l !== lane);
      if (this.lanes?.length === 0) this.lanes = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`intake worker stopped (exit ${code})`)));
    return lane;
  }

  async close(): Promise<void> {
    this.closed = true;
    const lanes = this.lanes ?? [];
    this.lanes = undefined;
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }
}

/**
 * `bytes` itself when it spans an ArrayBuffer of its own, which can then be transferred; otherwise a copy:
 * a Buffer over part of a larger ArrayBuffer (a socket read, Buffer's shared pool) shares it with others,
 * which a transfer would empty (Node refuses to transfer the pool itself: it ignores it up to 20, throws from 22).
 */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return bytes as Uint8Array<ArrayBuffer>;
  return new Uint8Array(bytes);
}
