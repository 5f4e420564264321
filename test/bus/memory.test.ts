// The in-process bus: each org's listeners hear that org's committed events, in order, from when they subscribe.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBus } from '../../src/bus/memory.ts';
import type { EventEnvelope } from '../../src/domain/events.ts';

const event = (orgId: string, id: number): EventEnvelope => ({ id, type: 'agent-burnout:index', orgId, agentId: 'a', time: id, data: {} });
const ids = (batches: (readonly EventEnvelope[])[]) => batches.map((b) => b.map((e) => `${e.orgId}:${e.id}`));

describe('MemoryBus', () => {
  test('a listener hears only its own organization, in publish order', () => {
    const bus = new MemoryBus();
    const heardA: (readonly EventEnvelope[])[] = [];
    const heardB: (readonly EventEnvelope[])[] = [];
    bus.subscribe('A', (events) => heardA.push(events));
    bus.subscribe('B', (events) => heardB.push(events));
    bus.publish([event('A', 1), event('A', 2)]);
    bus.publish([event('C', 1)]);
    bus.publish([event('B', 1)]);
    bus.publish([event('A', 3)]);
    assert.deepEqual(ids(heardA), [['A:1', 'A:2'], ['A:3']]);
    assert.deepEqual(ids(heardB), [['B:1']]);
  });

  test('a commit that spans organizations reaches each one with its own events, in order', () => {
    const bus = new MemoryBus();
    const heard: Record<string, (readonly EventEnvelope[])[]> = { A: [], B: [] };
    for (const org of ['A', 'B']) bus.subscribe(org, (events) => heard[org].push(events));
    bus.publish([event('A', 1), event('A', 2), event('B', 7), event('A', 3), event('B', 8)]);
    assert.deepEqual(ids(heard.A), [['A:1', 'A:2'], ['A:3']]);
    assert.deepEqual(ids(heard.B), [['B:7'], ['B:8']]);
  });

  test('a subscriber hears nothing published before it subscribed or after it closed', () => {
    const bus = new MemoryBus();
    bus.publish([event('A', 1)]);
    const heard: (readonly EventEnvelope[])[] = [];
    const subscription = bus.subscribe('A', (events) => heard.push(events));
    bus.publish([event('A', 2)]);
    subscription.close();
    bus.publish([event('A', 3)]);
    assert.deepEqual(ids(heard), [['A:2']]);
    assert.equal(bus.listenerCount('A'), 0);
  });

  test('the same function subscribed twice is two subscriptions, closed one at a time', () => {
    const bus = new MemoryBus();
    let calls = 0;
    const listener = () => calls++;
    const first = bus.subscribe('A', listener);
    bus.subscribe('A', listener);
    bus.publish([event('A', 1)]);
    first.close();
    bus.publish([event('A', 2)]);
    assert.equal(calls, 3);
    assert.equal(bus.listenerCount('A'), 1);
  });

  test('a listener that throws is reported, and the others still hear the events', () => {
    const reported: unknown[] = [];
    const bus = new MemoryBus((error) => reported.push(error));
    const heard: (readonly EventEnvelope[])[] = [];
    bus.subscribe('A', () => {
      throw new Error('listener bug');
    });
    bus.subscribe('A', (events) => heard.push(events));
    assert.doesNotThrow(() => bus.publish([event('A', 1)]));
    assert.deepEqual(ids(heard), [['A:1']]);
    assert.equal((reported[0] as Error).message, 'listener bug');
  });

  test('a listener added during a publish hears from the next one; one closed during a publish hears no more', () => {
    const bus = new MemoryBus();
    const late: (readonly EventEnvelope[])[] = [];
    const closedEarly: (readonly EventEnvelope[])[] = [];
    let victim: { close(): void } | undefined;
    let added = false;
    bus.subscribe('A', () => {
      victim?.close();
      if (!added) bus.subscribe('A', (events) => late.push(events));
      added = true;
    });
    victim = bus.subscribe('A', (events) => closedEarly.push(events));
    bus.publish([event('A', 1)]);
    bus.publish([event('A', 2)]);
    assert.deepEqual(ids(closedEarly), []);
    assert.deepEqual(ids(late), [['A:2']]);
  });
});
