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

  test('an agent working many queues and channels keeps a separate median for each', () => {
    const b = new Baselines();
    b.setTenureStart('a', T0 - 100 * DAY);
    const keys = ['q1', 'q2', 'q3', 'q4'].flatMap((queue) => (['voice', 'chat', 'email'] as const).map((channel) => ({ queue, channel })));
    keys.forEach(({ queue, channel }, k) => {
      for (let i = 0; i < 110; i++) b.record('a', channel, queue, (100 + 20 * k) * SECOND, T0 + (k * 110 + i) * 10_000);
    });
    keys.forEach(({ queue, channel }, k) => {
      assert.ok(near(b.medianMs('a', channel, queue, T0 + DAY, CONFIG), (100 + 20 * k) * SECOND, 0.01), `${queue} ${channel}`);
    });
    const copy = Baselines.fromJSON(JSON.parse(JSON.stringify(b)));
    for (const { queue, channel } of keys) assert.equal(copy.medianMs('a', channel, queue, T0 + 2 * DAY, CONFIG), b.medianMs('a', channel, queue, T0 + 2 * DAY, CONFIG));
  });

  test("an agent's median is the middle of lognormal handle times, not their mean", () => {
    const b = new Baselines();
    b.setTenureStart('a', T0 - 100 * DAY);
    // Handle times 300 s × e^(±0.16·k), k = 0…9, each sign equally often: the median is 300 s, the mean ~1.2 × that.
    for (let i = 0; i < 200; i++) b.record('a', 'voice', 'q', 300 * SECOND * Math.exp(0.16 * (i % 2 === 0 ? 1 : -1) * (Math.floor(i / 2) % 10)), T0 + i * 60_000);
    assert.ok(near(b.medianMs('a', 'voice', 'q', T0 + DAY, CONFIG), 300 * SECOND, 0.01));
  });

  test('a restored baseline answers like the original for the rest of the day', () => {
    const b = new Baselines();
    fill(b, 'x', 'q', 300, 150, T0);
    const morning = b.medianMs('a', 'voice', 'q', T0 + DAY, CONFIG);
    fill(b, 'x', 'q', 900, 300, T0 + DAY + 60_000);
    const copy = Baselines.fromJSON(JSON.parse(JSON.stringify(b)));
    assert.equal(copy.medianMs('a', 'voice', 'q', T0 + DAY + 8 * 3600_000, CONFIG), morning);
    assert.equal(b.medianMs('a', 'voice', 'q', T0 + DAY + 8 * 3600_000, CONFIG), morning);
  });

  test('reads a version-2 snapshot (per-agent histograms)', () => {
    const rows = 4;
    const bins = new Array(rows * 40).fill(0);
    const week = Math.floor((T0 - DAY) / (7 * DAY));
    const binOf300s = Math.floor(Math.log2(300 / 15) * 4);
    bins[(week % rows) * 40 + binOf300s] = 150;
    const b = Baselines.fromJSON({ v: 2, rows, histograms: [['a', 'voice', 'q', week, bins]], tenure: [['a', T0 - 100 * DAY]] });
    assert.ok(near(b.medianMs('a', 'voice', 'q', T0, CONFIG), 300 * SECOND, 0.1));
  });

  test('a forgotten agent who comes back starts a new baseline', () => {
    const b = new Baselines();
    b.setTenureStart('a', T0 - 100 * DAY);
    fill(b, 'a', 'q', 250, 150, T0);
    fill(b, 'other', 'q', 600, 400, T0);
    b.forgetAgent('a');
    b.setTenureStart('a', T0 - 100 * DAY);
    fill(b, 'a', 'q', 250, 10, T0 + DAY);
    // 10 own interactions are too few: the queue median (mostly 600 s); the forgotten 150 would have made 160.
    assert.ok(near(b.medianMs('a', 'voice', 'q', T0 + 2 * DAY, CONFIG), 600 * SECOND, 0.1));
    assert.ok(near(b.medianMs('other', 'voice', 'q', T0 + 2 * DAY, CONFIG), 600 * SECOND));
  });

  test("observe keeps the agent's slot in the hint and never trusts a slot that is no longer theirs", () => {
    const b = new Baselines();
    const observe = (agent: string, hint: { bs: number }, sec: number, n: number, start: number) => {
      for (let i = 0; i < n; i++) b.observe(agent, hint, 'voice', 'q', sec * SECOND, start + i * 60_000, CONFIG);
    };
    b.setTenureStart('a', T0 - 100 * DAY);
    const a = { bs: -1 };
    observe('a', a, 250, 120, T0);
    assert.equal(a.bs, b.slotOf('a'), "observe leaves a's slot in the hint");
    b.forgetAgent('a');
    // 'b' takes the slot 'a' left; a's hint still names it.
    b.setTenureStart('b', T0 - 100 * DAY);
    const bHint = { bs: -1 };
    observe('b', bHint, 600, 120, T0);
    assert.equal(bHint.bs, a.bs, "b has a's old slot");
    b.setTenureStart('a', T0 - 100 * DAY);
    observe('a', a, 100, 120, T0 + DAY);
    assert.notEqual(a.bs, bHint.bs, 'a has a slot of their own again');
    // b's own interactions only (600 s each); counted into b's record, a's 100 s would pull it to ~245.
    assert.ok(near(b.medianMs('b', 'voice', 'q', T0 + 2 * DAY, CONFIG), 600 * SECOND), `b's median ${b.medianMs('b', 'voice', 'q', T0 + 2 * DAY, CONFIG)}`);
    assert.ok(near(b.medianMs('a', 'voice', 'q', T0 + 2 * DAY, CONFIG), 100 * SECOND));
    // A hint left by another Baselines (a snapshot restored afresh, say) is checked the same way.
    const stranger = { bs: bHint.bs };
    observe('c', stranger, 300, 1, T0 + DAY);
    assert.equal(stranger.bs, b.slotOf('c'));
    assert.ok(near(b.medianMs('b', 'voice', 'q', T0 + 2 * DAY, CONFIG), 600 * SECOND));
  });

  test("a forgotten agent's hint does not name the slot they left, while it is free", () => {
    const b = new Baselines();
    const hint = { bs: -1 };
    b.observe('a', hint, 'voice', 'q', 300 * SECOND, T0, CONFIG);
    b.forgetAgent('a');
    b.observe('a', hint, 'voice', 'q', 300 * SECOND, T0 + DAY, CONFIG);
    assert.ok(hint.bs >= 0);
    assert.equal(hint.bs, b.slotOf('a'), 'the slot the agent map gives them');
  });
});
