// Small measurement helpers shared by bench/engine.ts and bench/ingest.ts: medians, percentiles,
// readable rates, and forcing a full GC so heap figures mean "live objects" rather than garbage.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0–100) of an unsorted sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const perSec = (count: number, ms: number): number => Math.round((count * 1000) / ms);

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Forces full collections (twice: finalizers of the first can free more) — needs --expose-gc. */
export function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
}

/**
 * Heap figures need `global.gc`: without it, re-run this very script with --expose-gc (same tsx loader,
 * same arguments) and exit with its status. Returns only when gc is available.
 */
export function ensureExposedGc(scriptUrl: string): void {
  if ((globalThis as { gc?: unknown }).gc) return;
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, fileURLToPath(scriptUrl), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
