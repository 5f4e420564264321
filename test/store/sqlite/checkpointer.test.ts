// The checkpointer thread copies committed WAL frames into the database file in the background, so the
// writer thread does not (it only checkpoints past WRITER_CHECKPOINT_PAGES, far more than written here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import { WRITER_CHECKPOINT_PAGES } from '../../../src/store/sqlite/checkpointer.ts';

/**
 * Events in the database file alone, as if the WAL were lost: only what a checkpoint copied is there.
 * A copy taken while a checkpoint is writing the file can be torn (SQLITE_CORRUPT): that reads as
 * "not there yet" (-1), and the caller looks again.
 */
function eventsInDatabaseFile(dir: string, scratch: string): number {
  const copy = join(scratch, 'main-file-only.db');
  rmSync(copy, { force: true });
  copyFileSync(join(dir, 'respite.db'), copy);
  let db: Database.Database | undefined;
  try {
    db = new Database(copy, { readonly: true });
    return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } catch {
    return -1;
  } finally {
    db?.close();
  }
}

test('committed events reach the database file in the background, with no checkpoint by the writer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'respite-ckpt-'));
  const scratch = mkdtempSync(join(tmpdir(), 'respite-ckpt-copy-'));
  const store = openSqliteStore(dir);
  try {
    const events = Array.from({ length: 2_000 }, (_, i) => ({ type: 'agent-burnout:index' as const, orgId: 'org-a', agentId: `agent-${i % 50}`, time: 1_790_000_000_000 + i, data: { n: i } }));
    for (let i = 0; i < events.length; i += 100) await store.events.append(events.slice(i, i + 100));
    const walPages = statSync(join(dir, 'respite.db-wal')).size / 4096;
    assert.ok(walPages < WRITER_CHECKPOINT_PAGES, `the WAL (${Math.round(walPages)} pages) is below the writer's own threshold`);
    // Waits for the condition, not for a fixed time: the checkpointer runs every few milliseconds.
    const deadline = Date.now() + 20_000;
    let copied = eventsInDatabaseFile(dir, scratch);
    while (copied < events.length && Date.now() < deadline) {
      await tick();
      copied = eventsInDatabaseFile(dir, scratch);
    }
    assert.equal(copied, events.length, 'every committed event is in the database file itself');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});
