// A write that fails after the engine applied its inputs in memory: the engine must not remember what the
// store does not hold. Its retry is applied (not answered "duplicate"), no snapshot persists it, and the
// state ends exactly as if the failed write had never been tried.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { Harness, HOUR, agentIds } from './harness.ts';
import { realisticSpan } from './signal-builder.ts';
import type { Signal } from '../../src/domain/signals.ts';
import type { Store } from '../../src/store/types.ts';
import type { ActionRecord } from '../../src/domain/actions.ts';
import type { AppError } from '../../src/domain/errors.ts';

/** Writes fail for real in SQLite (NOT NULL: a log entry and an action need an org) when `armed`. */
class FailingDisk {
  armed = false;
  /** When set, an armed write waits for this before failing (a write still in flight). */
  gate: Promise<void> | undefined;
  reached: () => void = () => undefined;
  /** When set, the next write that is not armed waits for this before it is written. */
  hold: Promise<void> | undefined;
  heldReached: () => void = () => undefined;

  private async write<T>(real: () => Promise<T>, failing: () => Promise<T>): Promise<T> {
    if (this.armed) {
      this.armed = false;
      this.reached();
      await this.gate;
      return failing();
    }
    const hold = this.hold;
    if (hold) {
      this.hold = undefined;
      this.heldReached();
      await hold;
    }
    return real();
  }

  wrap = (store: Store): Store => ({
    ...store,
    engineLog: {
      ...store.engineLog,
      append: (orgId, ...rest) => this.write(() => store.engineLog.append(orgId, ...rest), () => store.engineLog.append(null as unknown as string, ...rest)),
    },
    actions: {
      ...store.actions,
      record: (action, ...rest) => this.write(() => store.actions.record(action, ...rest), () => store.actions.record({ ...action, orgId: null as unknown as string }, ...rest)),
    },
  });
}

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A realistic hour for `agents` in three parts. */
function threeParts(prefix: string, seed: number): [Signal[], Signal[], Signal[]] {
  const hour = realisticSpan(agentIds(8, prefix), Date.now() - 2 * HOUR, 60, seed);
  const third = Math.floor(hour.length / 3);
  return [hour.slice(0, third), hour.slice(third, 2 * third), hour.slice(2 * third)];
}

describe('a write that fails', () => {
  const harnesses: Harness[] = [];
  after(async () => {
    for (const h of harnesses) await h.dispose();
  });
  async function pair(): Promise<{ failing: Harness; reference: Harness; disk: FailingDisk }> {
    const disk = new FailingDisk();
    const failing = await new Harness().openWrapped(disk.wrap);
    const reference = await new Harness().open();
    await reference.enable();
    harnesses.push(failing, reference);
    return { failing, reference, disk };
  }
  /** The reference's state must equal the failing engine's, also after a snapshot and a restart. */
  async function assertSameAfterRestart(failing: Harness, reference: Harness): Promise<void> {
    assert.deepEqual(failing.state(), reference.state(), 'the state is as if the failed write had never been tried');
    await failing.engine.snapshot();
    await failing.reopen();
    assert.deepEqual(failing.state(), reference.state(), 'and so is what a restart loads');
  }

  test('leaves no trace: its retry is applied, not answered as duplicates', async () => {
    const { failing, reference, disk } = await pair();
    const [first, second, third] = threeParts('retry', 31);
    for (const h of [failing, reference]) await h.ingest(first);
    disk.armed = true;
    await assert.rejects(failing.ingest(second), /NOT NULL/);
    const retry = await failing.ingest(second);
    assert.deepEqual({ accepted: retry.accepted, duplicates: retry.duplicates, errors: retry.errors }, { accepted: second.length, duplicates: 0, errors: [] });
    await reference.ingest(second);
    for (const h of [failing, reference]) await h.ingest(third);
    await assertSameAfterRestart(failing, reference);
  });

  test('a snapshot cut while it was in flight is not saved', async () => {
    const { failing, reference, disk } = await pair();
    const [first, second, third] = threeParts('cut', 32);
    for (const h of [failing, reference]) await h.ingest(first);
    const gate = deferred();
    const reached = deferred();
    Object.assign(disk, { gate: gate.promise, reached: reached.resolve, armed: true });
    const failed = failing.ingest(second);
    await reached.promise; // applied in memory, its write held
    const snapshot = failing.engine.snapshot(); // cuts a state that holds `second`
    await setImmediate();
    gate.resolve();
    await assert.rejects(failed, /NOT NULL/);
    await assert.rejects(snapshot, /cut/);
    assert.equal(await failing.store.engineLog.latestSnapshot(), undefined, 'nothing was saved');
    assert.equal((await failing.ingest(second)).accepted, second.length);
    await reference.ingest(second);
    for (const h of [failing, reference]) await h.ingest(third);
    await assertSameAfterRestart(failing, reference);
  });

  test('the state is reloaded only once the writes in flight beside it have settled', async () => {
    const { failing, reference, disk } = await pair();
    const [first, second] = threeParts('beside', 34);
    const others = realisticSpan(agentIds(4, 'others'), Date.now() - 2 * HOUR, 30, 35);
    for (const h of [failing, reference]) await h.ingest(first);
    const gate = deferred();
    const reached = deferred();
    Object.assign(disk, { gate: gate.promise, reached: reached.resolve, armed: true });
    const failed = failing.ingest(second);
    await reached.promise;
    // Other agents' batch: applied, and its write held until the failure above is known.
    const hold = deferred();
    const heldReached = deferred();
    Object.assign(disk, { hold: hold.promise, heldReached: heldReached.resolve });
    const beside = failing.ingest(others);
    await heldReached.promise;
    gate.resolve();
    await assert.rejects(failed, /NOT NULL/);
    hold.resolve();
    assert.equal((await beside).accepted, others.length);
    assert.equal((await failing.ingest(second)).accepted, second.length);
    for (const batch of [others, second]) await reference.ingest(batch);
    await assertSameAfterRestart(failing, reference);
  });

  test('if the store cannot be read back either, inputs are refused with 503 until a restart', async () => {
    const disk = new FailingDisk();
    let readsFail = false;
    const failing = await new Harness().openWrapped((store) => {
      const wrapped = disk.wrap(store);
      const after = wrapped.engineLog.after;
      return { ...wrapped, engineLog: { ...wrapped.engineLog, after: (...args) => (readsFail ? Promise.reject(new Error('I/O error')) : after(...args)) } };
    });
    harnesses.push(failing);
    const [first, second] = threeParts('unreadable', 36);
    await failing.ingest(first);
    disk.armed = true;
    readsFail = true;
    await assert.rejects(failing.ingest(second), /NOT NULL/);
    await assert.rejects(failing.ingest(second), (error: AppError) => error.status === 503 && /restart/.test(error.message));
    assert.equal(failing.engine.unavailable()?.status, 503, 'readyz reports it');
    await assert.rejects(failing.engine.recordAction({ id: randomUUID(), orgId: failing.orgId, agentId: first[0].agentId, actionType: 'Break Played', actionDateTime: Date.now(), createdDateTime: Date.now() }), (error: AppError) => error.status === 503);
    readsFail = false;
    await failing.reopen();
    assert.equal((await failing.ingest(second)).accepted, second.length, 'after a restart, the failed batch is applied');
  });

  test('a played break whose action fails to record leaves no recovery behind', async () => {
    const { failing, reference, disk } = await pair();
    const [first, second] = threeParts('break', 33);
    for (const h of [failing, reference]) await h.ingest(first);
    const agentId = first.at(-1)!.agentId;
    const action: ActionRecord = { id: randomUUID(), orgId: failing.orgId, agentId, actionType: 'Break Played', actionDateTime: first.at(-1)!.time + 1_000, createdDateTime: Date.now() };
    disk.armed = true;
    await assert.rejects(failing.engine.recordAction(action), /NOT NULL/);
    for (const h of [failing, reference]) await h.ingest(second);
    await assertSameAfterRestart(failing, reference);
  });
});
