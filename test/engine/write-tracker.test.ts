// The write tracker waits for writes and counts failures, and holds on to nothing once they settle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WriteTracker } from '../../src/engine/write-tracker.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A promise settled from outside. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('settles once every write tracked before it has, with each failure counted', async () => {
  let failuresSeen = 0;
  const tracker = new WriteTracker(() => failuresSeen++);
  const first = deferred<string>();
  const second = deferred<string>();
  tracker.track(first.promise);
  tracker.track(second.promise).catch(() => undefined);
  let settled = false;
  const waiting = tracker.settled().then(() => (settled = true));
  second.reject(new Error('disk full'));
  await second.promise.catch(() => undefined);
  await Promise.resolve();
  assert.equal(settled, false, 'the first write is still in flight');
  first.resolve('ok');
  await waiting;
  assert.equal(tracker.failures, 1);
  assert.equal(failuresSeen, 1);
});

test('keeps no settled write\'s result alive', async () => {
  const tracker = new WriteTracker(() => undefined);
  const refs: WeakRef<object>[] = [];
  // In a function of its own, whose finished frame holds nothing either.
  async function writeAll() {
    for (let i = 0; i < 100; i++) {
      const result = { rows: new Array(1000).fill(i) };
      refs.push(new WeakRef(result));
      await tracker.track(Promise.resolve(result));
    }
  }
  await writeAll();
  await tracker.settled();
  // WeakRefs stay filled until the task that made them ends.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(refs.filter((r) => r.deref() !== undefined).length, 0);
});
