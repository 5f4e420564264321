// Intraday arrival profile: relative contact volume by hour of the centre's local day.
// Shape (MODEL-EVIDENCE.md §6, judgement): ramp from opening, plateau 10:00–14:00, taper after 16:00.

/** (hour, relative rate) knots; linear in between. */
const KNOTS: ReadonlyArray<readonly [number, number]> = [
  [0, 0.15],
  [7, 0.3],
  [8, 0.55],
  [10, 1],
  [14, 1],
  [16, 0.9],
  [20, 0.45],
  [24, 0.15],
];

/** Relative arrival rate at a (fractional) hour of day, 0 < rate ≤ 1. */
export function intradayRate(hourOfDay: number): number {
  const h = ((hourOfDay % 24) + 24) % 24;
  for (let i = 1; i < KNOTS.length; i++) {
    const [h1, r1] = KNOTS[i];
    if (h <= h1) {
      const [h0, r0] = KNOTS[i - 1];
      return r0 + ((r1 - r0) * (h - h0)) / (h1 - h0);
    }
  }
  return KNOTS[KNOTS.length - 1][1];
}
