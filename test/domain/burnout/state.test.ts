import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createAgentState, D_FREE_SINCE, D_SLOTS, D_STREAK_START, FREE_SLOT, idHash, slotCount } from '../../../src/domain/burnout/state.ts';

describe('agent model state', () => {
  test('a fresh state is one packed number array plus t and level, and survives JSON', () => {
    const now = Date.UTC(2026, 2, 2, 9);
    const s = createAgentState(now);
    assert.ok(s.d.every((x) => Number.isFinite(x) && !Object.is(x, -0)));
    assert.equal(slotCount(s), 1);
    assert.deepEqual(s.d.slice(D_SLOTS), FREE_SLOT, 'its one slot is free');
    assert.equal(s.d[D_STREAK_START], now);
    assert.equal(s.d[D_FREE_SINCE], -1);
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  });

  test('an id hash is a whole number below 2^52, the same for the same id', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 128, unit: 'grapheme' }), (id) => {
        const h = idHash(id);
        assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 52);
        assert.equal(idHash(id.slice()), h);
      }),
    );
  });

  test('similar ids (counters, UUID-like, one character apart) get distinct hashes', () => {
    const seen = new Set<number>();
    const ids: string[] = [];
    for (let i = 0; i < 100_000; i++) ids.push(`call-${i}`, i.toString(16).padStart(32, '0'), `${'x'.repeat(i % 100)}${String.fromCharCode(i % 65_536)}`);
    for (const id of new Set(ids)) {
      const h = idHash(id);
      assert.ok(!seen.has(h), `collision at ${JSON.stringify(id)}`);
      seen.add(h);
    }
  });
});
