// Garbage collection on this thread during a measured window, from `gc` performance entries.
// Entries reach an observer asynchronously, so they are matched to the window by their start time, not
// by when they arrive: counting what arrived during the window took in the forced full collections run
// just before it (hundreds of ms at 100,000 agents).
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

export interface GcTime {
  /** Total pause in the window, ms. */
  ms: number;
  scavenges: number;
  /** Pause of every other kind (mark-compact, incremental marking steps), ms. */
  otherMs: number;
}

export class GcClock {
  private readonly entries: { start: number; duration: number; scavenge: boolean }[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) this.entries.push({ start: e.startTime, duration: e.duration, scavenge: kindOf(e) === constants.NODE_PERFORMANCE_GC_MINOR });
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /**
   * GC that started in [from, to) (performance.now() times), once the window's entries have arrived:
   * they come two turns of the event loop after the pause (Node queues each hop with setImmediate), so
   * this waits a timer's worth, outside any measured window.
   */
  async between(from: number, to: number): Promise<GcTime> {
    await delay(10);
    const inWindow = this.entries.filter((e) => e.start >= from && e.start < to);
    this.entries.length = 0;
    const scavenges = inWindow.filter((e) => e.scavenge);
    const sum = (list: typeof inWindow) => list.reduce((total, e) => total + e.duration, 0);
    return { ms: sum(inWindow), scavenges: scavenges.length, otherMs: sum(inWindow) - sum(scavenges) };
  }

  stop(): void {
    this.observer.disconnect();
  }
}

const kindOf = (e: PerformanceEntry): number | undefined => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
