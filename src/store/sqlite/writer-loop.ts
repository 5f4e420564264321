// The writer thread's loop: take every request waiting, run them in one transaction, fsync once, reply.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openConnection } from './db.ts';
import { writeOps, type WriteOps } from './writes.ts';

interface Request {
  id: number;
  op: keyof WriteOps;
  args: unknown[];
}

const port = parentPort!;
const { dbPath, checkpointPages } = workerData as { dbPath: string; checkpointPages?: number };
const db = openConnection(dbPath);
// With a checkpointer thread copying the WAL into the database file, this is only the bound (checkpointer.ts).
if (checkpointPages !== undefined) db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
const ops = writeOps(db) as Record<string, (...args: unknown[]) => unknown>;
// Each request in a savepoint of its own (better-sqlite3 nests transactions that way): an op runs several
// statements (a log entry and its events; an action and its log entry), and one that fails part-way
// must leave none of them behind, while the rest of the group still commits.
const runAlone = db.transaction((r: Request) => ops[r.op](...r.args));

/** Commits the requests of `messages` messages; the reply says how many it answers, so the parent knows when the writer is idle. */
function commit(requests: Request[], messages: number): void {
  const replies: { id: number; ok: boolean; value: unknown }[] = [];
  try {
    db.transaction(() => {
      for (const r of requests) {
        try {
          replies.push({ id: r.id, ok: true, value: runAlone(r) });
        } catch (error) {
          replies.push({ id: r.id, ok: false, value: { message: (error as Error).message, code: (error as { code?: string }).code } });
        }
      }
    })();
  } catch (error) {
    port.postMessage({ messages, replies: requests.map((r) => ({ id: r.id, ok: false, value: { message: (error as Error).message } })) });
    return;
  }
  port.postMessage({ messages, replies });
}

port.on('message', (first: Request[] | 'close') => {
  let closing = first === 'close';
  const requests: Request[] = closing ? [] : [...(first as Request[])];
  let messages = closing ? 0 : 1;
  // Everything that queued up while the previous commit was fsyncing joins this one.
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) {
    if (next.message === 'close') closing = true;
    else {
      requests.push(...(next.message as Request[]));
      messages++;
    }
  }
  if (requests.length > 0) commit(requests, messages);
  if (closing) {
    db.close();
    port.close();
  }
});
