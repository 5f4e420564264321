// The embedded store: one SQLite database file in the data directory.
import { openDatabase } from './db.ts';
import { GroupCommitter } from './group-commit.ts';
import { sqliteTokens } from './tokens.ts';
import { sqliteActions } from './actions.ts';
import { sqliteConfig, sqliteAgentSettings } from './config.ts';
import { sqliteEvents, EventWriter } from './events.ts';
import { sqliteEngineLog, sqliteModelConfig } from './engine-log.ts';
import type { Store } from '../types.ts';

export function openSqliteStore(dataDir: string): Store {
  const db = openDatabase(dataDir);
  const committer = new GroupCommitter(db);
  const eventWriter = new EventWriter(db);
  return {
    tokens: sqliteTokens(db),
    actions: sqliteActions(db, committer),
    config: sqliteConfig(db, committer),
    agentSettings: sqliteAgentSettings(db, committer),
    events: sqliteEvents(db, committer, eventWriter),
    engineLog: sqliteEngineLog(db, committer, eventWriter),
    modelConfig: sqliteModelConfig(db, committer),
    async ping() {
      return db.prepare('SELECT 1 AS ok').get() !== undefined;
    },
    async close() {
      committer.flush();
      db.close();
    },
  };
}
