// The hand-over to the writer's thread: what is sent when, and that order survives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import { HELD_AT_MOST, WriterThread } from '../../../src/store/sqlite/writer.ts';
import { openDatabase } from '../../../src/store/sqlite/db.ts';

test('requests queued in one turn while the writer is busy reach it in groups, before the turn ends', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'respite-writer-'));
  const store = openSqliteStore(dir);
  const reader = new Database(join(dir, 'respite.db'), { readonly: true });
  try {
    const entries = 2 * HELD_AT_MOST + 5;
    const appends = [store.engineLog.append('org', '[0]', [])]; // the idle writer takes it at once: busy from here
    for (let i = 1; i < entries; i++) appends.push(store.engineLog.append('org', `[${i}]`, []));
    // Still in the same turn of the event loop: read the database synchronously until the writer has
    // committed a group it could only have received during this turn.
    const committed = reader.prepare<[], number>('SELECT count(*) FROM engine_log').pluck();
    const deadline = Date.now() + 15_000;
    let seen = committed.get()!;
    while (seen < 1 + HELD_AT_MOST && Date.now() < deadline) seen = committed.get()!;
    assert.ok(seen >= 1 + HELD_AT_MOST, `${seen} entries committed before the turn ended; a group of ${HELD_AT_MOST} should have been sent`);
    await Promise.all(appends);
    const inputs = (await store.engineLog.after(0, entries + 1)).map((e) => e.inputs);
    assert.deepEqual(inputs, Array.from({ length: entries }, (_, i) => `[${i}]`), 'every entry, in the order queued');
  } finally {
    reader.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lazy writer starts its thread with the first write, and one that never wrote closes without starting it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'respite-writer-'));
  const { db, path } = openDatabase(dir);
  try {
    const idle = new WriterThread(path, undefined, true);
    assert.equal(idle.started, false);
    await idle.close();
    assert.equal(idle.started, false, 'closing an unused lazy writer starts nothing');
    await assert.rejects(idle.run('appendLog', 'org', '["late"]', []), /closed/);

    const lazy = new WriterThread(path, undefined, true);
    assert.equal(lazy.started, false);
    const seq = await lazy.run('appendLog', 'org', '["first"]', []);
    assert.equal(lazy.started, true);
    await lazy.close();
    assert.deepEqual(db.prepare('SELECT seq, inputs FROM engine_log').all(), [{ seq, inputs: '["first"]' }], 'the write is durable');
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
