// What the kernel says about another process (Linux /proc): resident memory and CPU time, so the
// ingest benchmark can measure the server without instrumenting it.
import { readdirSync, readFileSync } from 'node:fs';

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
