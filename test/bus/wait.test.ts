// EventWaiter: the long-poll's wait. It listens from creation, so nothing committed between a read and
// the wait is missed, and it never outlives its wait.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus } from '../../src/bus/memory.ts';
import { EventWaiter } from '../../src/bus/wait.ts';
import type { EventEnvelope } from '../../src/domain/events.ts';

const event = (orgId: string, id: number, agentId = 'a'): EventEnvelope => ({ id, type: 'agent-burnout:index', orgId, agentId, time: id, data: {} });
const HOUR = 3_600_000;
const never = new AbortController().signal;

describe('EventWaiter', () => {
  test('an event published after creation and before wait() ends the wait at once', async () => {
    const bus = new MemoryBus();
    const waiter = new EventWaiter(bus, 'A', () => true);
    bus.publish([event('A', 1)]);
    assert.equal(await waiter.wait(HOUR, never), true);
  });

  test('a matching event published while waiting ends the wait', async () => {
    const bus = new MemoryBus();
    const waiter = new EventWaiter(bus, 'A', (e) => e.agentId === 'x');
    const waiting = waiter.wait(HOUR, never);
    bus.publish([event('A', 1, 'y')]);
    bus.publish([event('B', 2, 'x')]);
    bus.publish([event('A', 3, 'y'), event('A', 4, 'x')]);
    assert.equal(await waiting, true);
  });

  test('events that do not match, or of another organization, do not end the wait', async () => {
    const bus = new MemoryBus();
    const waiter = new EventWaiter(bus, 'A', (e) => e.agentId === 'x');
    const stop = new AbortController();
    const waiting = waiter.wait(HOUR, stop.signal);
    bus.publish([event('A', 1, 'y')]);
    bus.publish([event('B', 2, 'x')]);
    stop.abort();
    // Aborted, not woken: had an event ended it, it would say true.
    assert.equal(await waiting, false);
  });

  test('a timeout ends the wait with false', async () => {
    const bus = new MemoryBus();
    assert.equal(await new EventWaiter(bus, 'A', () => true).wait(5, never), false);
  });

  test('an already aborted signal answers at once', async () => {
    const bus = new MemoryBus();
    const stop = new AbortController();
    stop.abort();
    assert.equal(await new EventWaiter(bus, 'A', () => true).wait(HOUR, stop.signal), false);
  });

  test('the subscription ends with the wait, however it ends', async () => {
    const bus = new MemoryBus();
    const woken = new EventWaiter(bus, 'A', () => true);
    const closed = new EventWaiter(bus, 'A', () => true);
    const waiting = woken.wait(HOUR, never);
    bus.publish([event('A', 1)]);
    assert.equal(await waiting, true);
    const timedOut = new EventWaiter(bus, 'A', () => true);
    assert.equal(await timedOut.wait(1, never), false);
    assert.equal(bus.listenerCount('A'), 1);
    closed.close();
    assert.equal(bus.listenerCount('A'), 0);
  });
});
