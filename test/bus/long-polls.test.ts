// LongPolls: the waits of GET /v1/events. Each listens from creation (nothing committed between a read
// and the wait is missed), ends on the first event its filter accepts, and never outlives its wait.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus } from '../../src/bus/memory.ts';
import { LongPolls } from '../../src/bus/long-polls.ts';
import type { EventEnvelope, EventType } from '../../src/domain/events.ts';

const HOUR = 3_600_000;
const never = new AbortController().signal;
let nextId = 1;
const event = (orgId: string, agentId: string, type: EventType = 'agent-burnout:index', id = nextId++): EventEnvelope => ({ id, type, orgId, agentId, time: id, data: {} });

function setup() {
  const bus = new MemoryBus();
  return { bus, polls: new LongPolls(bus) };
}

describe('LongPolls', () => {
  test('an event committed after listen() and before wait() ends the wait at once', async () => {
    const { bus, polls } = setup();
    const poll = polls.listen('A', { after: 0 });
    bus.publish([event('A', 'x')]);
    assert.equal(await poll.wait(HOUR, never), true);
  });

  test('each waiter ends on the first event its filter accepts, and only then', async () => {
    const { bus, polls } = setup();
    const stop = new AbortController();
    const forX = polls.listen('A', { after: 0, agentId: 'x' });
    const forLevels = polls.listen('A', { after: 0, types: ['agent-burnout:level-changed'] });
    const forXActions = polls.listen('A', { after: 0, agentId: 'x', types: ['agent-burnout:action-recorded'] });
    const afterLater = polls.listen('A', { after: 1_000_000 });
    const waits = [forX, forLevels, forXActions, afterLater].map((p) => p.wait(HOUR, stop.signal));
    bus.publish([event('B', 'x', 'agent-burnout:level-changed')]); // another org: nobody here
    bus.publish([event('A', 'y')]);
    bus.publish([event('A', 'x'), event('A', 'y', 'agent-burnout:level-changed')]);
    bus.publish([event('A', 'x', 'agent-burnout:level-changed')]);
    // The woken ones answer without the abort below.
    assert.deepEqual(await Promise.all(waits.slice(0, 2)), [true, true]);
    stop.abort();
    assert.deepEqual(await Promise.all(waits.slice(2)), [false, false]);
  });

  test('an empty type list means any type, as in the log\'s queries', async () => {
    const { bus, polls } = setup();
    const poll = polls.listen('A', { after: 0, types: [] });
    const waiting = poll.wait(HOUR, never);
    bus.publish([event('A', 'x', 'supervisor:alert')]);
    assert.equal(await waiting, true);
    assert.equal(bus.listenerCount('A'), 0);
  });

  test('a timeout or an abort ends the wait with false', async () => {
    const { polls } = setup();
    assert.equal(await polls.listen('A', { after: 0 }).wait(5, never), false);
    const stop = new AbortController();
    stop.abort();
    assert.equal(await polls.listen('A', { after: 0 }).wait(HOUR, stop.signal), false);
  });

  test('an org holds one bus subscription while any of its waits is open, and none after', async () => {
    const { bus, polls } = setup();
    const woken = polls.listen('A', { after: 0, agentId: 'x' });
    const timedOut = polls.listen('A', { after: 0, agentId: 'z' });
    const closed = polls.listen('A', { after: 0, types: ['supervisor:alert', 'wellness-break:recommended'] });
    assert.equal(bus.listenerCount('A'), 1);
    const waiting = woken.wait(HOUR, never);
    bus.publish([event('A', 'x')]);
    assert.equal(await waiting, true);
    assert.equal(await timedOut.wait(1, never), false);
    assert.equal(bus.listenerCount('A'), 1);
    closed.close();
    assert.equal(bus.listenerCount('A'), 0);
    // And a new wait on the same org listens again.
    const again = polls.listen('A', { after: 0 });
    bus.publish([event('A', 'q')]);
    assert.equal(await again.wait(HOUR, never), true);
  });
});
