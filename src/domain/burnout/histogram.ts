// The queue baselines' weekly handle-time histograms: 40 log-spaced bins, four per doubling, from 15 s
// up to ~4.3 h (a bin is 19 % wide; the median is interpolated in log space within its bin), one row
// per week in a ring of `rows` weeks. Few exist (one per queue and channel), so exactness wins over size.

export const DAY = 86_400_000;
export const ROW_DAYS = 7;
export const BINS = 40;
export const BINS_PER_DOUBLING = 4;
export const LOWEST_MS = 15_000;

export interface Histogram {
  /** Week number (since the epoch) of the newest row. */
  newest: number;
  /** rows × BINS counts; week w is row w mod rows. */
  counts: Uint32Array;
  /** Cached median in ms (0 = not enough interactions) and the UTC day + 1 it was computed on (0 = never). */
  median: number;
  medianDay: number;
}

export const weekOf = (ms: number): number => Math.floor(ms / (ROW_DAYS * DAY));

export function newHistogram(rows: number, newest: number): Histogram {
  return { newest, counts: new Uint32Array(rows * BINS), median: 0, medianDay: 0 };
}

/** Counts one duration, given as log2(duration / 15 s) (≤ 0 for 15 s and less), in `week`. */
export function countInHistogram(h: Histogram, rows: number, week: number, log: number): void {
  if (week > h.newest) {
    // Clear the rows of the weeks that start now (at most the whole ring).
    for (let w = Math.max(h.newest + 1, week - rows + 1); w <= week; w++) h.counts.fill(0, (w % rows) * BINS, (w % rows) * BINS + BINS);
    h.newest = week;
  } else if (week <= h.newest - rows) {
    return; // older than the window
  }
  h.counts[(week % rows) * BINS + Math.min(BINS - 1, Math.floor(Math.max(0, log) * BINS_PER_DOUBLING))]++;
}

/** Scratch for a median (the model is synchronous: one computation at a time). */
const perBin = new Float64Array(BINS);

/** The median (ms) over the window ending at `now`, computed once per UTC day; 0 below minInteractions. */
export function histogramMedian(h: Histogram, rows: number, now: number, minInteractions: number): number {
  const day = Math.floor(now / DAY) + 1;
  if (h.medianDay === day) return h.median;
  h.medianDay = day;
  h.median = 0;
  perBin.fill(0);
  let total = 0;
  for (let w = Math.max(weekOf(now) - rows + 1, h.newest - rows + 1); w <= h.newest; w++) {
    const row = (w % rows) * BINS;
    for (let b = 0; b < BINS; b++) perBin[b] += h.counts[row + b];
  }
  for (let b = 0; b < BINS; b++) total += perBin[b];
  if (total < minInteractions || total === 0) return 0;
  const half = total / 2;
  let below = 0;
  for (let b = 0; b < BINS; b++) {
    if (below + perBin[b] >= half) {
      const within = (half - below) / perBin[b];
      h.median = LOWEST_MS * 2 ** ((b + within) / BINS_PER_DOUBLING);
      break;
    }
    below += perBin[b];
  }
  return h.median;
}
