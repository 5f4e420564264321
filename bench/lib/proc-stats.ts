// What the kernel says about another process (Linux /proc): resident memory and CPU time, so the
// ingest benchmark can measure the server without instrumenting it.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Resident set size in bytes (VmRSS), or NaN where /proc is unavailable. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** User + system CPU time (ms) in a /proc stat line. */
function statCpuMs(stat: string): number {
  // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** User + system CPU time the process has used, in ms (NaN where /proc is unavailable). */
export function cpuMs(pid: number): number {
  try {
    return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return NaN;
  }
}

/** CPU time (ms) of each thread of the process by thread id; the main thread's id is the pid. Empty where /proc is unavailable. */
export function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(Number(tid), statCpuMs(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
  } catch {
    // the process is gone or /proc is not there: report nothing
  }
  return out;
}

/**
 * The busiest threads between two threadCpuMs readings, as "main 95 %, 41 %, …" (percent of one core
 * over `elapsedMs`; threads under 5 % left out). In a Respite server the second is the database writer.
 */
export function describeThreads(pid: number, before: Map<number, number>, after: Map<number, number>, elapsedMs: number): string {
  return [...after]
    .map(([tid, ms]) => ({ tid, share: Math.round(((ms - (before.get(tid) ?? 0)) / elapsedMs) * 100) }))
    .filter((t) => t.share >= 5)
    .sort((a, b) => b.share - a.share)
    .map((t) => `${t.tid === pid ? 'main ' : ''}${t.share} %`)
    .join(', ');
}

/** The whole machine's CPU time so far (all cores, in USER_HZ ticks): busy and total, from /proc/stat's first line. */
export interface MachineTicks {
  busy: number;
  total: number;
}

/** The whole machine's CPU time so far, or undefined where /proc is unavailable. */
export function machineTicks(): MachineTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    // cpu user nice system idle iowait irq softirq steal …: idle and iowait are the time no core worked.
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: total - ticks[3] - (ticks[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/** Share of all cores' time that was busy between two machineTicks readings ("78 %"), or "n/a". */
export function describeMachineBusy(before: MachineTicks | undefined, after: MachineTicks | undefined): string {
  if (!before || !after || after.total === before.total) return 'n/a';
  return `${Math.round(((after.busy - before.busy) / (after.total - before.total)) * 100)} %`;
}

/**
 * Waits (up to `maxMs`) until the machine is quiet: a 50 ms window with all cores under 15 % busy. A
 * store's checkpointer still copying the last round's WAL would otherwise run beside a single-thread
 * measurement such as bench:engine's parse floor. Resolves with the ms waited (at once where /proc is
 * unavailable).
 */
export async function settle(maxMs = 5_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < maxMs) {
    const before = machineTicks();
    if (!before) break;
    await delay(50);
    const after = machineTicks()!;
    if (after.total > before.total && (after.busy - before.busy) / (after.total - before.total) < 0.15) break;
  }
  return performance.now() - started;
}
