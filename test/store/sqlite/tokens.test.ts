// The token cache: every request authenticates, so live tokens are served from memory, but a change
// committed by another process (`respite token revoke`) must reach the server within FRESHNESS_MS.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openDatabase, openConnection, type Db } from '../../../src/store/sqlite/db.ts';
import { sqliteTokens, FRESHNESS_MS } from '../../../src/store/sqlite/tokens.ts';
import type { TokenRecord } from '../../../src/store/types.ts';

const record = (): TokenRecord => ({ id: randomUUID(), orgId: randomUUID(), scopes: ['cjp:config_read'], label: null, createdAt: 1, revokedAt: null });

describe('token cache', () => {
  let dir: string;
  let server: Db;
  let otherProcess: Db;
  let now: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'respite-tokens-'));
    const opened = openDatabase(dir);
    server = opened.db;
    otherProcess = openConnection(opened.path);
    now = 1_000;
  });
  afterEach(() => {
    server.close();
    otherProcess.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a token revoked by another connection is refused once FRESHNESS_MS has passed', async () => {
    const tokens = sqliteTokens(server, () => now);
    const token = record();
    await tokens.create(token, 'hash-1');
    assert.equal((await tokens.findByHash('hash-1'))?.revokedAt, null);

    assert.ok(await sqliteTokens(otherProcess).revoke(token.id, 5));
    // Within the window the cached record still answers: that is the documented bound, not a leak.
    assert.equal((await tokens.findByHash('hash-1'))?.revokedAt, null);
    now += FRESHNESS_MS;
    assert.equal((await tokens.findByHash('hash-1'))?.revokedAt, 5);
  });

  test('a revocation in the same process takes effect on the very next lookup', async () => {
    const tokens = sqliteTokens(server, () => now);
    const token = record();
    await tokens.create(token, 'hash-2');
    await tokens.findByHash('hash-2');
    assert.ok(await tokens.revoke(token.id, 7));
    assert.equal((await tokens.findByHash('hash-2'))?.revokedAt, 7);
  });

  test('cached answers only tokens it holds live, without reading them, and drops one revoked elsewhere once FRESHNESS_MS has passed', async () => {
    const tokens = sqliteTokens(server, () => now);
    const token = record();
    await tokens.create(token, 'hash-4');
    // Not looked up yet: "ask findByHash", even though the database has it.
    assert.equal(tokens.cached!('hash-4'), undefined);
    await tokens.findByHash('hash-4');
    assert.equal(tokens.cached!('hash-4')?.id, token.id);

    assert.ok(await sqliteTokens(otherProcess).revoke(token.id, 9));
    now += FRESHNESS_MS;
    assert.equal(tokens.cached!('hash-4'), undefined);
    assert.equal((await tokens.findByHash('hash-4'))?.revokedAt, 9);
    // A revoked token is never held: every later lookup reads it again.
    assert.equal(tokens.cached!('hash-4'), undefined);
  });

  test('a token created by another connection is found at once (a miss always reads the database)', async () => {
    const tokens = sqliteTokens(server, () => now);
    await tokens.findByHash('hash-3');
    await sqliteTokens(otherProcess).create(record(), 'hash-3');
    assert.ok(await tokens.findByHash('hash-3'));
  });
});
