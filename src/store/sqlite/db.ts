// Opens the embedded database and brings its schema up to date from the versioned migration files.
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export type Db = Database.Database;

/** Told of each migration of an existing database as it starts and as it ends (a fresh one is not reported). */
export type MigrationReport = (line: string) => void;

/** Before the server's logger exists, like the checkpointer's notice: one line on stderr. */
const toStderr: MigrationReport = (line) => process.stderr.write(`respite: ${line}\n`);

/** Opens the database in `dataDir`, bringing its schema up to date first. */
export function openDatabase(dataDir: string, report: MigrationReport = toStderr): { db: Db; path: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'respite.db');
  const db = openConnection(path);
  migrate(db, report);
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

/**
 * Some migrations rebuild tables or indexes (3 s for a million actions and a million events), so an
 * existing database's upgrade says what it is doing; a new one is created silently.
 */
function migrate(db: Db, report: MigrationReport): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.*\.sql$/.test(f))
    .sort();
  for (const file of files) {
    const version = Number.parseInt(file, 10);
    if (version <= current) continue;
    const sql = readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8');
    const started = performance.now();
    if (current > 0) report(`upgrading the database to version ${version} (${file})…`);
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    })();
    if (current > 0) report(`database at version ${version} after ${Math.round(performance.now() - started)} ms`);
  }
}
