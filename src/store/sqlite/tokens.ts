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

export function sqliteTokens(db: Db): TokenRepo {
  const insert = db.prepare(
    'INSERT INTO tokens (id, secret_hash, org_id, scopes, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare<[string], Row>('SELECT * FROM tokens WHERE secret_hash = ?');
  const all = db.prepare<[], Row>('SELECT * FROM tokens ORDER BY created_at, id');
  const ofOrg = db.prepare<[string], Row>('SELECT * FROM tokens WHERE org_id = ? ORDER BY created_at, id');
  const revoke = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  return {
    async create(t, secretHash) {
      insert.run(t.id, secretHash, t.orgId, JSON.stringify(t.scopes), t.label, t.createdAt, t.revokedAt);
    },
    async findByHash(secretHash) {
      const row = byHash.get(secretHash);
      return row && toRecord(row);
    },
    async list(orgId) {
      return (orgId ? ofOrg.all(orgId) : all.all()).map(toRecord);
    },
    async revoke(id, at) {
      return revoke.run(at, id).changes > 0;
    },
  };
}
