// The embedded store: one SQLite database file in the data directory. Reads run on this thread's
// connection; writes go to the writer thread, which group-commits them (see writer.ts); the
// checkpointer thread copies committed WAL frames into the database file (checkpointer.ts).
import { openDatabase, type MigrationReport } from './db.ts';
import { WriterThread } from './writer.ts';
import { CheckpointerThread, WRITER_CHECKPOINT_PAGES } from './checkpointer.ts';
import { sqliteTokens } from './tokens.ts';
import { sqliteActions } from './actions.ts';
import { sqliteConfig, sqliteAgentSettings } from './config.ts';
import { sqliteEvents, EventStamper } from './events.ts';
import { sqliteEngineLog, sqliteIngestKeys, sqliteModelConfig } from './engine-log.ts';
import type { Store } from '../types.ts';
import { NO_SINK, type EventSink } from '../../bus/types.ts';

export interface StoreOptions {
  /**
   * Run the checkpointer thread (checkpointer.ts). A server wants it; a short-lived command (`respite
   * token …`) does not: it would only add a thread's start-up, and SQLite checkpoints when the last
   * connection closes anyway.
   */
  checkpointer?: boolean;
  /**
   * Start the writer thread with the first write instead of at once: a command that may only read (`respite
   * token list`) then never waits for it. A server starts it at once, so no request waits for its start.
   */
  lazyWriter?: boolean;
  /** Engine snapshot bytes per writer commit (SNAPSHOT_CHUNK_BYTES); benchmarks compare sizes. */
  snapshotChunkBytes?: number;
  /** Told of every commit's events once they are durable, in commit order (the server's bus). */
  events?: EventSink;
  /** Told of each migration of an existing database (default: a line on stderr). */
  onMigration?: MigrationReport;
}

export function openSqliteStore(dataDir: string, options: StoreOptions = {}): Store {
  const { db, path } = openDatabase(dataDir, options.onMigration);
  const checkpointer = options.checkpointer === false ? undefined : new CheckpointerThread(path);
  // Without a checkpointer the writer keeps SQLite's own threshold, so the WAL stays small.
  const writer = new WriterThread(path, checkpointer && WRITER_CHECKPOINT_PAGES, options.lazyWriter);
  const stamper = new EventStamper(db);
  const sink = options.events ?? NO_SINK;
  return {
    tokens: sqliteTokens(db),
    actions: sqliteActions(db, writer, stamper, sink),
    config: sqliteConfig(db, writer),
    agentSettings: sqliteAgentSettings(db, writer),
    events: sqliteEvents(db, writer, stamper, sink),
    engineLog: sqliteEngineLog(db, writer, stamper, sink, options.snapshotChunkBytes),
    modelConfig: sqliteModelConfig(db, writer),
    ingestKeys: sqliteIngestKeys(db),
    async ping() {
      return db.prepare('SELECT 1 AS ok').get() !== undefined;
    },
    async close() {
      await writer.close();
      await checkpointer?.close();
      db.close();
    },
  };
}
