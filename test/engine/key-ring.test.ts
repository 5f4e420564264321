// The key ring's fingerprints only save comparisons: "seen?" answers exactly what comparing the hash
// with every pair answers, for keys whose fingerprints collide as well, and a ring's fingerprints are
// the same whether built live or derived again from its pairs (as a restore derives them).
// A snapshot stores the pairs only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emptyRing, KEY_RING_SIZE, pairsOf, rememberKey, ringOf, seenKey, type KeyRing } from '../../src/engine/key-ring.ts';
import { keyHash } from '../../src/engine/key-hash.ts';

const scan = (ring: number[], hash: number): boolean => pairsOf(ring).some((value, i) => i % 2 === 0 && value === hash);

/**
 * 52-bit hashes of few keys (so keys come back, as retries do), each in eight variants that share its
 * low bits (so their fingerprints collide).
 */
const hashes = fc.tuple(fc.string({ maxLength: 2 }), fc.integer({ min: 0, max: 7 })).map(([key, variant]) => (keyHash(key) % 2 ** 40) + variant * 2 ** 40);

test('answers exactly what comparing every pair answers, as keys come and go', () => {
  fc.assert(
    fc.property(fc.array(hashes, { minLength: 1, maxLength: 120 }), fc.array(hashes, { maxLength: 20 }), (remembered, strangers) => {
      const keys: KeyRing = { ring: emptyRing(), kp: 0, fw: 0 };
      for (const [t, hash] of remembered.entries()) {
        rememberKey(keys, hash, 1000 + t);
        for (const probe of [...remembered, ...strangers]) assert.equal(seenKey(keys, probe), scan(keys.ring, probe), `hash ${probe}`);
        assert.deepEqual(keys.ring, ringOf(pairsOf(keys.ring)), 'the live fingerprints are those the pairs give');
      }
    }),
  );
});

test('recognises a key among pairs whose fingerprints are all its own', () => {
  // Same low bits, different hashes: every fingerprint matches, only the full hash tells them apart.
  const keys: KeyRing = { ring: emptyRing(), kp: 0, fw: 0 };
  for (let k = 1; k <= KEY_RING_SIZE; k++) rememberKey(keys, 5 + k * 1024, k);
  assert.ok(seenKey(keys, 5 + 7 * 1024));
  assert.ok(!seenKey(keys, 5), 'same fingerprint, never remembered');
  assert.ok(!seenKey(keys, 5 + (KEY_RING_SIZE + 1) * 1024));
});

test('a ring restored from fewer pairs (as earlier versions stored them) fills its free pairs, then wraps, its fingerprints exact throughout', () => {
  const keys: KeyRing = { ring: ringOf([keyHash('a'), 1, keyHash('b'), 2]), kp: 2, fw: 0 };
  assert.ok(seenKey(keys, keyHash('a')) && seenKey(keys, keyHash('b')));
  for (let k = 0; k < KEY_RING_SIZE; k++) {
    rememberKey(keys, keyHash(`k${k}`), 10 + k);
    assert.deepEqual(keys.ring, ringOf(pairsOf(keys.ring)));
  }
  assert.ok(!seenKey(keys, keyHash('a')) && !seenKey(keys, keyHash('b')), 'the two oldest were overwritten');
  assert.equal(keys.fw, 2);
  for (let k = 0; k < KEY_RING_SIZE; k++) assert.ok(seenKey(keys, keyHash(`k${k}`)));
});
