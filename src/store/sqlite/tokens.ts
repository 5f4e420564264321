import type { Db } from './db.ts';
import type { TokenRecord, TokenRepo } from '../types.ts';
import type { Scope } from '../../domain/scopes.ts';

interface Row {
  id: string;
  org_id: string;
  scopes: string;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}

const toRecord = (r: Row): TokenRecord => ({
  id: r.id,
  orgId: r.org_id,
  scopes: JSON.parse(r.scopes) as Scope[],
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** How stale the token cache may be: a revoke committed by another process takes effect within this. */
export const FRESHNESS_MS = 1;

/** `clock`: milliseconds from any origin (tests pass their own to step past FRESHNESS_MS). */
export function sqliteTokens(db: Db, clock: () => number = performance.now.bind(performance)): TokenRepo {
  const insert = db.prepare(
    'INSERT INTO tokens (id, secret_hash, org_id, scopes, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare<[string], Row>('SELECT * FROM tokens WHERE secret_hash = ?');
  const all = db.prepare<[], Row>('SELECT * FROM tokens ORDER BY created_at, id');
  const ofOrg = db.prepare<[string], Row>('SELECT * FROM tokens WHERE org_id = ? ORDER BY created_at, id');
  const revoke = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  // Every request authenticates, so live tokens are cached. The cache is dropped when the tokens
  // changed in another connection (e.g. `respite token revoke` in another process bumps token_changes,
  // migration 004) and on our own revocations. Reading the generation is a read transaction (file
  // locks, and after each of the writer thread's commits a cold page cache): 6 µs on a quiet database,
  // 17 µs after a commit. So it is read at most once per FRESHNESS_MS, which bounds how long a token
  // revoked by another process can still be used. (PRAGMA data_version first, to skip the read when no
  // other connection committed, cost more than it saved: the writer thread commits all the time, and
  // the pair took 23 µs after a commit.)
  const tokenGeneration = db.prepare<[], number>('SELECT generation FROM token_changes WHERE id = 1').pluck();
  const cache = new Map<string, TokenRecord>();
  let seenGeneration = -1;
  let checkedAt = -Infinity;
  const cached = (secretHash: string): TokenRecord | undefined => {
    const now = clock();
    if (now - checkedAt >= FRESHNESS_MS) {
      checkedAt = now;
      const generation = tokenGeneration.get()!;
      if (generation !== seenGeneration) {
        cache.clear();
        seenGeneration = generation;
      }
    }
    return cache.get(secretHash);
  };
  return {
    async create(t, secretHash) {
      insert.run(t.id, secretHash, t.orgId, JSON.stringify(t.scopes), t.label, t.createdAt, t.revokedAt);
    },
    cached,
    async findByHash(secretHash) {
      const known = cached(secretHash);
      if (known) return known;
      const row = byHash.get(secretHash);
      if (!row) return undefined;
      const record = toRecord(row);
      if (record.revokedAt === null && cache.size < 10_000) cache.set(secretHash, record);
      return record;
    },
    async list(orgId) {
      return (orgId ? ofOrg.all(orgId) : all.all()).map(toRecord);
    },
    async revoke(id, at) {
      cache.clear();
      return revoke.run(at, id).changes > 0;
    },
  };
}
