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
type Reply = { id: number; ok: boolean; value: unknown };
const failure = (r: Request, error: unknown): Reply => ({ id: r.id, ok: false, value: { message: (error as Error).message, code: (error as { code?: string }).code } });

/** The whole group in one transaction, no savepoints: the common case, where every request succeeds. */
const runGroup = db.transaction((requests: Request[]): Reply[] => requests.map((r) => ({ id: r.id, ok: true, value: ops[r.op](...r.args) })));
/** One request in a savepoint of its own (better-sqlite3 nests transactions that way). */
const runAlone = db.transaction((r: Request) => ops[r.op](...r.args));
/** The group again, each request all or nothing: a failed one leaves none of its rows, the rest commit. */
const runEachAlone = db.transaction((requests: Request[]): Reply[] =>
  requests.map((r) => {
    try {
      return { id: r.id, ok: true, value: runAlone(r) };
    } catch (error) {
      return failure(r, error);
    }
  }),
);

/**
 * Commits the requests of `messages` messages; the reply says how many it answers, so the parent knows
 * when the writer is idle. A request runs several statements (an action and its log entry; a log entry
 * and its events), and one failing part-way must leave none of them behind. A savepoint per request
 * would ensure that but costs ~4 µs each (10–13 % of bench:actions); so the group runs without, and
 * only if something fails is it rolled back whole and run again with a savepoint per request.
 */
function commit(requests: Request[], messages: number): void {
  let replies: Reply[];
  try {
    replies = runGroup(requests);
  } catch {
    try {
      replies = runEachAlone(requests);
    } catch (error) {
      replies = requests.map((r) => failure(r, error));
    }
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
