// An agent's recent idempotency keys: a ring of (key hash, signal time) pairs, followed in the same
// array by a fingerprint of each pair's hash, packed so that "was this key seen?" usually reads only
// the fingerprints.
//
// Why the fingerprints: every signal asks, and the pairs are 64 doubles (512 bytes, eight cache lines).
// Comparing a hash against all 32 pairs cost ~250 ns a signal at 100,000 agents (~80 ns of it with
// everything in the caches), about a fifth of applying a batch on the engine's thread. The fingerprints
// answer "no" for nearly every new key after 11 comparisons of small integers; only a fingerprint match
// (a retry, or ~3 % of new keys) compares the full hashes. The answer is exact either way. They sit
// after the pairs, not in an array of their own: no second object per agent (48 bytes of headers, one
// more pointer to follow and for the GC to mark).

/** Recent idempotency-key hashes remembered per agent (a retried batch is recognised within them). */
export const KEY_RING_SIZE = 32;
/** Numbers the pairs take at the ring's start; the fingerprints follow. What a snapshot stores. */
export const KEY_PAIRS_LENGTH = 2 * KEY_RING_SIZE;

/** Bits of a fingerprint: the hash's low bits (keyHash's low bits come from its second FNV variant). */
const FP_BITS = 10;
const FP_MASK = (1 << FP_BITS) - 1;
/** Fingerprints per word: 30 bits, so every word is a small integer, exact in a double and for bit operations. */
const FP_PER_WORD = 3;
const FP_WORDS = Math.ceil(KEY_RING_SIZE / FP_PER_WORD);
/** Where the fingerprint words start in the ring. */
const FP_AT = KEY_PAIRS_LENGTH;
/** A 1 in each fingerprint's lowest bit, and in its highest: the classic "has a zero lane" test. */
const LANE_ONES = 1 | (1 << FP_BITS) | (1 << (2 * FP_BITS));
const LANE_HIGHS = LANE_ONES << (FP_BITS - 1);

export interface KeyRing {
  /**
   * The pairs, then the fingerprint words (pair i's hash & FP_MASK at bits FP_BITS × (i % 3) of word
   * ⌊i / 3⌋; derived from the pairs, never stored). One allocation at its exact size: a free pair is
   * NaN (equal to no hash), its fingerprint 0. Grown by push the array reallocated three times on the
   * way and ended with room for 82 numbers, not 64 (bench:engine memory: 1,454 bytes an agent against
   * 1,646).
   */
  ring: number[];
  /** The ring's next pair to overwrite. */
  kp: number;
  /**
   * The newest time among keys pushed out of the ring. An unrecognised signal at or before it may be
   * a retry whose key was forgotten, so it is refused rather than risk applying it twice.
   */
  fw: number;
}

/** A ring with every pair free. */
export function emptyRing(): number[] {
  return ringOf([]);
}

/**
 * A ring holding `pairs` as a snapshot stored them. Snapshots of earlier versions may hold fewer than 32
 * pairs: their rings grew by push, the next pair written being the next one pushed (`kp` is their count),
 * so free pairs after them continue the ring the same way.
 */
export function ringOf(pairs: readonly number[]): number[] {
  const ring = new Array<number>(KEY_PAIRS_LENGTH + FP_WORDS).fill(NaN);
  for (let i = 0; i < pairs.length && i < KEY_PAIRS_LENGTH; i++) ring[i] = pairs[i];
  for (let w = 0; w < FP_WORDS; w++) ring[FP_AT + w] = 0;
  for (let pair = 0; pair < KEY_RING_SIZE; pair++) setFingerprint(ring, pair, ring[2 * pair]);
  return ring;
}

/** The pairs of a ring, as a snapshot stores them. */
export function pairsOf(ring: readonly number[]): number[] {
  return ring.slice(0, KEY_PAIRS_LENGTH);
}

export function seenKey(keys: KeyRing, hash: number): boolean {
  const ring = keys.ring;
  const lanes = (hash & FP_MASK) * LANE_ONES;
  for (let w = FP_AT; w < FP_AT + FP_WORDS; w++) {
    const x = ring[w] ^ lanes;
    if (((x - LANE_ONES) & ~x & LANE_HIGHS) !== 0) return inPairs(ring, hash);
  }
  return false;
}

function inPairs(ring: readonly number[], hash: number): boolean {
  for (let i = 0; i < KEY_PAIRS_LENGTH; i += 2) if (ring[i] === hash) return true;
  return false;
}

export function rememberKey(keys: KeyRing, hash: number, time: number): void {
  const ring = keys.ring;
  const o = 2 * keys.kp;
  if (ring[o + 1] > keys.fw) keys.fw = ring[o + 1];
  ring[o] = hash;
  ring[o + 1] = time;
  setFingerprint(ring, keys.kp, hash);
  keys.kp = (keys.kp + 1) % KEY_RING_SIZE;
}

function setFingerprint(ring: number[], pair: number, hash: number): void {
  const word = FP_AT + ((pair / FP_PER_WORD) | 0);
  const shift = FP_BITS * (pair % FP_PER_WORD);
  ring[word] = (ring[word] & ~(FP_MASK << shift)) | ((hash & FP_MASK) << shift);
}
