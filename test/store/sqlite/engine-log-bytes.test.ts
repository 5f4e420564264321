// The engine's input log given as UTF-8 bytes (the NDJSON path): stored as the same text, the bytes moved
// to the writer's thread rather than copied, and what cannot be sent fails its own append without
// stopping the writer or the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import type { Store } from '../../../src/store/types.ts';
import type { NewEvent } from '../../../src/domain/events.ts';

async function withStore(body: (store: Store) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'respite-log-bytes-'));
  const store = openSqliteStore(dir);
  try {
    await body(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const utf8 = (text: string) => {
  const bytes = Buffer.from(text);
  return new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};

test('an entry given as bytes reads back as the same text, in order with entries given as text', async () => {
  await withStore(async (store) => {
    const texts = ['[1,"José"]', '[{"agentId":"東京😀"}]', '[3]'];
    const bytes = utf8(texts[1]);
    await store.engineLog.append('org', texts[0], []);
    await store.engineLog.append('org', bytes, []);
    await store.engineLog.append('org', texts[2], []);
    assert.deepEqual((await store.engineLog.after(0, 10)).map((e) => e.inputs), texts);
    assert.equal(bytes.byteLength, 0, 'the bytes moved to the writer, not copied');
  });
});

test('bytes that were already handed over are refused, and the writer goes on', { timeout: 20_000 }, async () => {
  await withStore(async (store) => {
    const gone = utf8('[1]');
    structuredClone(gone, { transfer: [gone.buffer] });
    await assert.rejects(store.engineLog.append('org', gone, []), /handed over already/);
    await store.engineLog.append('org', '[2]', []);
    assert.deepEqual((await store.engineLog.after(0, 10)).map((e) => e.inputs), ['[2]']);
  });
});

test('a request that cannot be sent to the busy writer fails alone instead of stopping the process', async () => {
  await withStore(async (store) => {
    const first = store.engineLog.append('org', '[1]', []); // the writer is busy with it, so the next one waits a turn
    const unsendable = { type: 'agent-burnout:index', orgId: 'org', agentId: Symbol('not cloneable'), time: 1, data: {} } as unknown as NewEvent;
    const bad = store.engineLog.append('org', '[2]', [unsendable]);
    await Promise.all([first, assert.rejects(bad, /could not be cloned/)]);
    await store.engineLog.append('org', '[3]', []);
    assert.deepEqual((await store.engineLog.after(0, 10)).map((e) => e.inputs), ['[1]', '[3]']);
  });
});

test('bytes move to the writer at once even while it is busy, and entries queued before them keep their order', async () => {
  await withStore(async (store) => {
    const first = store.engineLog.append('org', '[1]', []); // the idle writer takes it at once: busy from here
    const second = store.engineLog.append('org', '[2]', []); // small: waits for the next turn of the event loop
    const bytes = utf8('[3]');
    const third = store.engineLog.append('org', bytes, []);
    assert.equal(bytes.byteLength, 0, 'an ingest batch\'s log is sent at once, not at the next turn');
    await Promise.all([first, second, third]);
    assert.deepEqual((await store.engineLog.after(0, 10)).map((e) => e.inputs), ['[1]', '[2]', '[3]']);
  });
});
