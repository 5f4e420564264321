// `respite token create|list|revoke` against the same data directory the server uses.
import type { Command } from 'commander';
import { settingsFromEnv } from '../config.ts';
import { createToken } from '../auth/tokens.ts';
import { SCOPES } from '../domain/scopes.ts';
import type { Store } from '../store/types.ts';

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  // Loaded on demand, as the server is (serve.ts): other commands start without the store's modules.
  const { openSqliteStore } = await import('../store/sqlite/index.ts');
  const store = openSqliteStore(settingsFromEnv().dataDir, { checkpointer: false, lazyWriter: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];

export function registerToken(program: Command): void {
  const token = program.command('token').description('manage bearer tokens (stored hashed in RESPITE_DATA_DIR)');
  token
    .command('create')
    .description('create a token; prints only the token on stdout')
    .requiredOption('--org <orgId>', 'organization id (UUID) the token is bound to')
    .option('--scope <scope>', `scope to grant, repeatable (${SCOPES.join(', ')})`, collect, [])
    .option('--label <label>', 'a note to recognise the token by')
    .action(async (opts: { org: string; scope: string[]; label?: string }) => {
      const { token: secret, record } = await withStore((store) => createToken(store, { orgId: opts.org, scopes: opts.scope, label: opts.label }));
      process.stdout.write(`${secret}\n`);
      process.stderr.write(`token ${record.id} for org ${record.orgId} with scopes ${record.scopes.join(' ')}\n`);
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--org <orgId>', 'only this organization')
    .action(async (opts: { org?: string }) => {
      const tokens = await withStore((store) => store.tokens.list(opts.org));
      for (const t of tokens) {
        const state = t.revokedAt === null ? 'active' : `revoked ${new Date(t.revokedAt).toISOString()}`;
        process.stdout.write(`${t.id}\t${t.orgId}\t${t.scopes.join(',')}\t${state}\t${t.label ?? ''}\n`);
      }
    });
  token
    .command('revoke')
    .description('revoke a token by its id (from `token list`)')
    .argument('<id>', 'token id')
    .action(async (id: string) => {
      const done = await withStore((store) => store.tokens.revoke(id, Date.now()));
      if (!done) {
        process.stderr.write(`no active token with id ${id}\n`);
        process.exitCode = 1;
      }
    });
}
