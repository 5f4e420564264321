// A data directory written by an earlier release is brought up to date in place: later migrations
// rebuild tables and indexes, and nothing recorded before is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../../src/store/sqlite/index.ts';
import { tempDataDir } from '../../helpers/server.ts';
import { everyActionId } from './action-pages.ts';

const MIGRATIONS = new URL('../../../src/store/sqlite/migrations/', import.meta.url);
const migration = (file: string) => readFileSync(new URL(file, MIGRATIONS), 'utf8');
const latestVersion = Math.max(...readdirSync(MIGRATIONS).map((f) => Number.parseInt(f, 10)));

test('upgrades a version-2 database and keeps its actions, events and tokens', async () => {
  const dir = tempDataDir();
  try {
    const old = new Database(join(dir, 'respite.db'));
    old.exec(migration('001_init.sql'));
    old.exec(migration('002_engine.sql'));
    old.pragma('user_version = 2');
    old.prepare(`INSERT INTO actions (id, org_id, agent_id, action_type, action_time, created_time, idempotency_key, request_hash) VALUES ('a-1', 'org', 'agent-1', 'Break Played', 1000, 1000, 'k', 'h')`).run();
    const insertEvent = old.prepare(`INSERT INTO events (org_id, id, type, agent_id, time, data) VALUES ('org', ?, 'agent-burnout:index', 'agent-1', ?, '{}')`);
    for (const [id, time] of [[1, 500], [5000, 900], [5001, 700]]) insertEvent.run(id, time);
    old.prepare(`INSERT INTO tokens (id, secret_hash, org_id, scopes, created_at) VALUES ('t-1', 'hash', 'org', '[]', 0)`).run();
    old.close();

    const store = openSqliteStore(dir);
    try {
      const actions = await store.actions.list({ orgId: 'org', limit: 10 });
      assert.deepEqual(actions.items.map((a) => a.id), ['a-1']);
      assert.equal((await store.actions.findByKey('org', 'k'))?.requestHash, 'h');
      const events = await store.events.list({ orgId: 'org', agentId: 'agent-1', after: 0, limit: 10 });
      assert.deepEqual(events.map((e) => e.id), [1, 5000, 5001]);
      const late = await store.events.list({ orgId: 'org', agentId: 'agent-1', after: 0, fromTime: 600, limit: 10 });
      assert.deepEqual(late.map((e) => e.id), [5000, 5001], 'block time ranges were filled from the old events');
      assert.equal((await store.tokens.findByHash('hash'))?.id, 't-1');
    } finally {
      await store.close();
    }
    const upgraded = new Database(join(dir, 'respite.db'), { readonly: true });
    assert.equal(upgraded.pragma('user_version', { simple: true }), latestVersion);
    upgraded.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('upgrading a version-6 database indexes its full blocks of actions by agent and keeps finding every action', async () => {
  const dir = tempDataDir();
  try {
    const old = new Database(join(dir, 'respite.db'));
    for (const file of readdirSync(MIGRATIONS).filter((f) => Number.parseInt(f, 10) <= 6).sort()) old.exec(migration(file));
    old.pragma('user_version = 6');
    const insert = old.prepare(`INSERT INTO actions (id, org_id, agent_id, action_type, action_time, created_time) VALUES (?, 'org', ?, 'Break Played', ?, 0)`);
    // 9,000 actions: blocks 0 and 1 full, block 2 the tail; times fall as seqs rise, so order is by time alone.
    old.transaction(() => {
      for (let i = 0; i < 9_000; i++) insert.run(`a-${i}`, `agent-${i % 3}`, 1_000_000 - i);
    })();
    old.close();

    const reported: string[] = [];
    const store = openSqliteStore(dir, { onMigration: (line) => reported.push(line) });
    try {
      assert.deepEqual(reported.filter((line) => line.startsWith('upgrading')), [
        'upgrading the database to version 7 (007_action_agent_blocks.sql)…',
        'upgrading the database to version 8 (008_event_agent_blocks.sql)…',
        'upgrading the database to version 9 (009_ingest_keys.sql)…',
      ]);
      assert.match(reported.at(-1)!, new RegExp(`^database at version ${latestVersion} after \\d+ ms$`));
      const ids = await everyActionId(store, { orgId: 'org', agentId: 'agent-1' }, 500);
      assert.deepEqual(ids, Array.from({ length: 3_000 }, (_, k) => `a-${3 * k + 1}`));
    } finally {
      await store.close();
    }
    const upgraded = new Database(join(dir, 'respite.db'), { readonly: true });
    assert.equal(upgraded.prepare('SELECT next_block FROM action_seal').pluck().get(), 2);
    assert.equal(upgraded.prepare(`SELECT count(*) FROM action_agents`).pluck().get(), 2 * 4096 - 1, 'seqs 1–8,191 (seq 0 is never used)');
    upgraded.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new database is created without migration reports', async () => {
  const dir = tempDataDir();
  try {
    const reported: string[] = [];
    const store = openSqliteStore(dir, { onMigration: (line) => reported.push(line) });
    await store.close();
    assert.deepEqual(reported, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
