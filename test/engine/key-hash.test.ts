// Idempotency keys are remembered as 52-bit hashes: equal keys hash equal, different keys (practically) differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { keyHash, keyHashOfAscii } from '../../src/engine/key-hash.ts';

test('a key always hashes to the same safe integer below 2^53, and the empty key not to 0', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (key) => {
      const h = keyHash(key);
      assert.equal(h, keyHash(key.split('').join('')));
      assert.ok(Number.isSafeInteger(h) && h >= 0 && h < 2 ** 53);
    }),
  );
  // 0 marks "no key" in the engine log (non-signal inputs); real keys must not collide with it.
  assert.notEqual(keyHash(''), 0);
});

test('no two of 200,000 similar keys share a hash', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 100_000; i++) {
    seen.add(keyHash(`agent-${i % 97}/interaction-${i}/task.ended`));
    seen.add(keyHash(JSON.stringify({ type: 'utterance', agentId: `a${i % 13}`, time: 1_736_150_400_000 + i })));
  }
  assert.equal(seen.size, 200_000);
});

test('an ASCII key hashes the same from its bytes as from its string, anywhere in a buffer', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), fc.string({ unit: 'binary-ascii', maxLength: 20 }), (key, before) => {
      const bytes = Buffer.from(`${before}${key}\n`, 'latin1');
      assert.equal(keyHashOfAscii(bytes, before.length, before.length + key.length), keyHash(key));
    }),
  );
});
