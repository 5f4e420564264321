// The checkpointer thread: copies committed WAL frames into the database file in the background, on
// its own connection. Left to SQLite, the writer thread does this itself whenever the WAL passes 1,000
// pages, inside the commit that crossed the line: every dozen commits under load one of them took
// 10–15 ms longer, and every request in it and queued behind it waited (bench:actions p99 22–26 ms;
// with this thread 17–19 ms; 14–17 ms with no checkpoints at all). A PASSIVE checkpoint never blocks
// the writer or readers; each one resumes from the last frame copied, so running often keeps it short.
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from './db.ts';

const { dbPath, everyMs } = workerData as { dbPath: string; everyMs: number };
const port = parentPort!;
const db = openConnection(dbPath);

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // SQLITE_BUSY and the like: the next tick tries again, and the writer's own bound still holds.
  }
}, everyMs);

port.on('message', (message: 'close') => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close();
});
