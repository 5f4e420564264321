// Every write the store makes, as named operations run on the writer thread (writer-loop.ts).
import type { Db } from './db.ts';
import { actionWrites } from './actions.ts';
import { configWrites } from './config.ts';
import { eventWrites } from './events.ts';
import { engineLogWrites } from './engine-log.ts';

export function writeOps(db: Db) {
  const log = engineLogWrites(db);
  return { ...actionWrites(db, log), ...configWrites(db), ...eventWrites(db), ...log };
}

export type WriteOps = ReturnType<typeof writeOps>;
