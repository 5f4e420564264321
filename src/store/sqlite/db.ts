// Opens the embedded database and brings its schema up to date from the versioned migration files.
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export type Db = Database.Database;

/** Opens the database in `dataDir`, bringing its schema up to date first. */
export function openDatabase(dataDir: string): { db: Db; path: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'respite.db');
  const db = openConnection(path);
  migrate(db);
  return { db, path };
}

/** One connection with the durability settings every connection must share. */
export function openConnection(path: string): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Acknowledged writes must survive power loss, not just a process crash: fsync the WAL on every commit.
  // Group commit keeps this affordable (one fsync per batch of concurrent requests).
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.*\.sql$/.test(f))
    .sort();
  for (const file of files) {
    const version = Number.parseInt(file, 10);
    if (version <= current) continue;
    const sql = readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
  }
}
