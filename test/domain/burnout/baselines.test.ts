import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Baselines, DEFAULT_MODEL_CONFIG as CONFIG } from '../../../src/domain/burnout/index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9);
const SECOND = 1000;

/** `n` interactions of `sec` seconds on consecutive minutes from `start`. */
function fill(b: Baselines, agent: string, queue: string, sec: number, n: number, start: number) {
  for (let i = 0; i < n; i++) b.record(agent, 'voice', queue, sec * SECOND, start + i * 60_000);
}
const near = (actual: number, expected: number, share = 0.08) => Math.abs(actual / expected - 1) <= share;

describe('Baselines', () => {
  test('uses the channel fallback until the queue has 100 interactions in the window', () => {
    const b = new Baselines();
    fill(b, 'a1', 'q', 600, 99, T0);
    assert.equal(b.medianMs('a1', 'voice', 'q', T0 + DAY, CONFIG), CONFIG.baselines.fallbackVoiceSec * SECOND);
    assert.equal(b.medianMs('a1', 'chat', 'q', T0 + DAY, CONFIG), CONFIG.baselines.fallbackChatSec * SECOND);
    fill(b, 'a2', 'q', 600, 1, T0 + DAY);
    assert.ok(near(b.medianMs('a1', 'voice', 'q', T0 + 2 * DAY, CONFIG), 600 * SECOND));
  });

  test('a new agent uses the queue median for the first six weeks, then their own', () => {
    const b = new Baselines();
    fill(b, 'veteran', 'q', 200, 300, T0);
    fill(b, 'newbie', 'q', 500, 150, T0);
    const queue = b.medianMs('newbie', 'voice', 'q', T0 + DAY, CONFIG);
    assert.ok(near(queue, 200 * SECOND, 0.15), `queue median ${queue}`);
    // After six weeks of tenure and 100+ recent interactions of their own: the agent's median.
    const later = T0 + 43 * DAY;
    fill(b, 'newbie', 'q', 500, 120, later - DAY);
    assert.ok(near(b.medianMs('newbie', 'voice', 'q', later, CONFIG), 500 * SECOND));
  });

  test('a known tenure start lifts the new-agent rule early', () => {
    const b = new Baselines();
    b.setTenureStart('old-hand', T0 - 365 * DAY);
    fill(b, 'someone', 'q', 200, 200, T0);
    fill(b, 'old-hand', 'q', 400, 120, T0);
    assert.ok(near(b.medianMs('old-hand', 'voice', 'q', T0 + DAY, CONFIG), 400 * SECOND));
  });

  test('interactions older than the rolling window no longer count', () => {
    const b = new Baselines();
    fill(b, 'a', 'q', 300, 200, T0);
    assert.ok(near(b.medianMs('a', 'voice', 'q', T0 + DAY, CONFIG), 300 * SECOND));
    assert.equal(b.medianMs('a', 'voice', 'q', T0 + 40 * DAY, CONFIG), CONFIG.baselines.fallbackVoiceSec * SECOND);
  });

  test('the median is refreshed daily, not on every interaction', () => {
    const b = new Baselines();
    fill(b, 'a', 'q', 300, 100, T0);
    const morning = b.medianMs('a', 'voice', 'q', T0 + 3 * 3600_000, CONFIG);
    fill(b, 'a', 'q', 900, 300, T0 + 3 * 3600_000);
    assert.equal(b.medianMs('a', 'voice', 'q', T0 + 5 * 3600_000, CONFIG), morning);
    assert.ok(b.medianMs('a', 'voice', 'q', T0 + DAY, CONFIG) > morning * 2);
  });

  test('survives a JSON round trip', () => {
    const b = new Baselines();
    fill(b, 'a', 'q', 250, 150, T0);
    b.setTenureStart('a', T0 - 100 * DAY);
    const copy = Baselines.fromJSON(JSON.parse(JSON.stringify(b)));
    for (const agent of ['a', 'b']) {
      assert.equal(copy.medianMs(agent, 'voice', 'q', T0 + DAY, CONFIG), b.medianMs(agent, 'voice', 'q', T0 + DAY, CONFIG));
    }
    assert.deepEqual(copy.toJSON(), b.toJSON());
  });

  test('forgetting an agent removes their baseline and tenure', () => {
    const b = new Baselines();
    b.setTenureStart('a', T0 - 100 * DAY);
    fill(b, 'a', 'q', 250, 150, T0);
    b.forgetAgent('a');
    assert.ok(b.toJSON().histograms.every(([agentId]) => agentId !== 'a'));
    assert.deepEqual(b.toJSON().tenure, []);
  });
});
