// When the engine's state is saved: periodically, when an admin's change must prune the log at once, and
// on stop. Snapshots are chunked writes, so one runs at a time and callers meanwhile share the next.
import { setImmediate } from 'node:timers/promises';
import type { EngineLogRepo } from '../store/types.ts';
import type { OrgRuntime } from './org-runtime.ts';
import { SnapshotJob } from './snapshot-codec.ts';
import type { WriteTracker } from './write-tracker.ts';

/**
 * Agents a snapshot encodes per turn of the event loop, so requests and ingest batches go on in between:
 * ~20 ms a slice at 100,000 agents on this project's machine (bench:snapshot: the longest, median 39 ms).
 */
const SNAPSHOT_STEP_AGENTS = 2_000;

/** What a snapshot reads of the engine. */
export interface SnapshotSource {
  /** Every org's live state (read at the cut). */
  orgs(): Iterable<OrgRuntime>;
  /** Set while the state is being reloaded: a snapshot waits for it. */
  reloading(): Promise<void> | undefined;
}

export class Snapshots {
  private timer: NodeJS.Timeout | undefined;
  /** Inputs were applied since the last snapshot's cut. */
  private dirty = false;
  /** The snapshot being written (snapshots are chunked writes: a second one waits for the first). */
  private running: Promise<void> = Promise.resolve();
  /** The snapshot queued behind it and not started yet, which later callers join. */
  private next: Promise<void> | undefined;

  constructor(
    private readonly log: EngineLogRepo,
    private readonly writes: WriteTracker,
    private readonly source: SnapshotSource,
  ) {}

  /** Inputs were applied: the next snapshot has something to save. */
  markDirty(): void {
    this.dirty = true;
  }

  /** A snapshot every `everyMs` (0: none), failures left to the next one. */
  every(everyMs: number): void {
    if (everyMs <= 0) return;
    this.timer = setInterval(() => void this.take().catch(() => undefined), everyMs);
    this.timer.unref();
  }

  /**
   * Persists every org's state; the log entries it covers are pruned. One snapshot at a time, and callers
   * while one is being written share the next: it starts after their inputs were applied, so it covers
   * them (fifty exclusions in a row cost two snapshots, not fifty).
   */
  take(): Promise<void> {
    if (this.next) return this.next;
    const next = this.running.then(() => {
      this.next = undefined;
      return this.write();
    });
    this.next = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  /** No more periodic snapshots; a last one. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.take();
  }

  private async write(): Promise<void> {
    for (let reload = this.source.reloading(); reload; reload = this.source.reloading()) await reload;
    if (!this.dirty) return;
    this.dirty = false;
    // The cut and the log position it covers, in one synchronous step: the state is exactly the log's up
    // to here, provided every write in flight at the cut succeeds. Then agents are encoded a slice per
    // turn of the event loop (SnapshotJob).
    const job = new SnapshotJob(this.source.orgs());
    const slot = this.log.beginSnapshot();
    slot.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    const failuresAtCut = this.writes.failures;
    const writesAtCut = this.writes.settled();
    try {
      while (!job.step(SNAPSHOT_STEP_AGENTS)) await setImmediate();
      const position = await slot;
      await writesAtCut;
      if (this.writes.failures !== failuresAtCut) throw new Error('a write in flight at the snapshot\'s cut failed: the cut holds inputs the log does not, so it is not saved');
      await this.log.saveSnapshot(position, job.bytes(), Date.now());
    } catch (error) {
      this.dirty = true; // nothing was pruned; the next snapshot tries again
      throw error;
    } finally {
      job.release();
    }
  }
}
