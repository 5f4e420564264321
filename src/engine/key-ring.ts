// An agent's recent idempotency keys: a ring of (key hash, signal time) pairs, and beside it a
// fingerprint of each pair's hash, packed so that "was this key seen?" usually reads one cache line.
//
// Why the fingerprints: every signal asks, and the ring is 64 doubles (512 bytes, eight cache lines).
// Comparing a hash against all 32 pairs cost ~250 ns a signal at 100,000 agents (~80 ns of it with
// everything in the caches), about a fifth of applying a batch on the engine's thread. The fingerprints
// answer "no" for nearly every new key after 11 comparisons of small integers; only a fingerprint match
// (a retry, or ~3 % of new keys) compares the full hashes. The answer is exact either way.

/** Recent idempotency-key hashes remembered per agent (a retried batch is recognised within them). */
export const KEY_RING_SIZE = 32;

/** Bits of a fingerprint: the hash's low bits (keyHash's low bits come from its second FNV variant). */
const FP_BITS = 10;
const FP_MASK = (1 << FP_BITS) - 1;
/** Fingerprints per word: 30 bits, within V8's small integers (31 bits), so the words are never boxed numbers. */
const FP_PER_WORD = 3;
const FP_WORDS = Math.ceil(KEY_RING_SIZE / FP_PER_WORD);
/** A 1 in each fingerprint's lowest bit, and in its highest: the classic "has a zero lane" test. */
const LANE_ONES = 1 | (1 << FP_BITS) | (1 << (2 * FP_BITS));
const LANE_HIGHS = LANE_ONES << (FP_BITS - 1);

/**
 * Copied for each ring: a packed array of small integers at its exact size (pushed one by one, the
 * array kept room for 17; `new Array(n)` makes a holey one, checked for holes on every read).
 */
const NO_FINGERPRINTS: readonly number[] = Array.from({ length: FP_WORDS }, () => 0);

export interface KeyRing {
  /**
   * The pairs in one array: one allocation and neighbouring cache lines. A new agent's ring is
   * allocated whole, its free pairs NaN (equal to no hash): grown by push it reallocated three times on
   * the way and ended with room for 82 numbers, not 64 (bench:engine memory: 1,454 bytes an agent
   * against 1,646). Rings restored from older snapshots may be shorter; `rememberKey` still grows those.
   */
  ring: number[];
  /** Pair i's hash & FP_MASK at bits FP_BITS × (i % 3) of word ⌊i / 3⌋; derived from `ring`, never stored. */
  kf: number[];
  /** The ring's next pair to overwrite once full. */
  kp: number;
  /**
   * The newest time among keys pushed out of the ring. An unrecognised signal at or before it may be
   * a retry whose key was forgotten, so it is refused rather than risk applying it twice.
   */
  fw: number;
}

/** A full-size ring with every pair free, allocated at its exact size (pushing NaNs over-allocates: 1,598 bytes an agent). */
export function emptyRing(): number[] {
  return new Array<number>(2 * KEY_RING_SIZE).fill(NaN);
}

/** The fingerprints of a ring's pairs (a free pair's NaN hash gives 0, as it does live). */
export function fingerprints(ring: readonly number[]): number[] {
  const kf = NO_FINGERPRINTS.slice();
  for (let pair = 0; 2 * pair < ring.length; pair++) setFingerprint(kf, pair, ring[2 * pair]);
  return kf;
}

export function seenKey(keys: KeyRing, hash: number): boolean {
  const kf = keys.kf;
  const lanes = (hash & FP_MASK) * LANE_ONES;
  for (let w = 0; w < FP_WORDS; w++) {
    const x = kf[w] ^ lanes;
    if (((x - LANE_ONES) & ~x & LANE_HIGHS) !== 0) return inRing(keys.ring, hash);
  }
  return false;
}

function inRing(ring: readonly number[], hash: number): boolean {
  for (let i = 0; i < ring.length; i += 2) if (ring[i] === hash) return true;
  return false;
}

export function rememberKey(keys: KeyRing, hash: number, time: number): void {
  const ring = keys.ring;
  if (ring.length < 2 * KEY_RING_SIZE) {
    setFingerprint(keys.kf, ring.length / 2, hash);
    ring.push(hash, time);
  } else {
    const o = 2 * keys.kp;
    if (ring[o + 1] > keys.fw) keys.fw = ring[o + 1];
    ring[o] = hash;
    ring[o + 1] = time;
    setFingerprint(keys.kf, keys.kp, hash);
  }
  keys.kp = (keys.kp + 1) % KEY_RING_SIZE;
}

function setFingerprint(kf: number[], pair: number, hash: number): void {
  const word = (pair / FP_PER_WORD) | 0;
  const shift = FP_BITS * (pair % FP_PER_WORD);
  kf[word] = (kf[word] & ~(FP_MASK << shift)) | ((hash & FP_MASK) << shift);
}
