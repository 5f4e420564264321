// Seeded randomness for the simulator. Everything random in a simulated day flows from one seed,
// so the same seed reproduces the same day byte for byte.

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** mulberry32: a tiny 32-bit generator, plenty for simulation (not for cryptography). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a hash of a label, so each purpose gets its own stream and adding draws to one does not shift the others. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** An independent stream for one purpose ("arrivals", "contacts", …) derived from the run's seed. */
export function streamFor(seed: number, label: string): Random {
  return mulberry32((Math.imul(seed | 0, 0x9e3779b1) ^ hashLabel(label)) >>> 0);
}

export function bernoulli(rng: Random, p: number): boolean {
  return rng() < p;
}

export function uniform(rng: Random, low: number, high: number): number {
  return low + (high - low) * rng();
}

/** Exponential gap with the given rate (events per unit time): the Poisson process's inter-arrival time. */
export function exponential(rng: Random, rate: number): number {
  return -Math.log(1 - rng()) / rate;
}

/** Standard normal via Box–Muller (one of the pair is dropped: simpler, and speed is not an issue here). */
export function standardNormal(rng: Random): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Lognormal described the way the evidence quotes it: by its median and the σ of its logarithm. */
export function lognormal(rng: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(rng));
}

/** Mean of a lognormal with this median and σ (used to calibrate arrival rates to a target occupancy). */
export function lognormalMean(median: number, sigma: number): number {
  return median * Math.exp((sigma * sigma) / 2);
}

/** Gamma(shape, scale) by Marsaglia–Tsang; shape < 1 is boosted with the usual U^(1/shape) trick. */
export function gamma(rng: Random, shape: number, scale: number): number {
  if (shape < 1) return gamma(rng, shape + 1, scale) * Math.pow(rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}

/** Gamma with mean 1 and the given coefficient of variation: the day factor of a Poisson–gamma arrival model. */
export function dayFactor(rng: Random, cv: number): number {
  if (cv <= 0) return 1;
  const shape = 1 / (cv * cv);
  return gamma(rng, shape, 1 / shape);
}

export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** Index chosen with probability proportional to its weight. */
export function weightedIndex(rng: Random, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}
