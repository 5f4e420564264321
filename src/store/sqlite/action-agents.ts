// One agent's actions (migration 007): blocks of 4,096 consecutive seqs are indexed by agent once
// full ("sealed"), in one sorted insert; the newer actions, past the last sealed block, are scanned.
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';
import type { ActionQuery } from '../types.ts';
import { BLOCK_SIZE, blockOf, blockSealer } from './block-seal.ts';

/** Runs on the writer thread: seals every full block once an action lands in a later one. */
export function actionSealWrites(db: Db) {
  const nextBlock = db.prepare<[], number>('SELECT next_block FROM action_seal').pluck();
  // Sorted as the primary key, so the block's entries are appended, not scattered.
  const sealAgents = db.prepare(
    `INSERT OR IGNORE INTO action_agents (org_id, block, agent_id, action_time, seq)
     SELECT org_id, seq >> 12, agent_id, action_time, seq FROM actions WHERE seq >= @lo AND seq < @hi
     ORDER BY org_id, seq >> 12, agent_id, action_time, seq`,
  );
  const sealBlocks = db.prepare(
    `INSERT OR REPLACE INTO action_blocks (org_id, block, min_time, max_time)
     SELECT org_id, seq >> 12, min(action_time), max(action_time) FROM actions WHERE seq >= @lo AND seq < @hi GROUP BY org_id, seq >> 12`,
  );
  const setNextBlock = db.prepare<[number]>('UPDATE action_seal SET next_block = ?');
  // Seqs are one sequence for every org: one scope.
  const rowsInBlock = blockSealer(
    () => nextBlock.get()!,
    (_, from, to) => {
      const range = { lo: from * BLOCK_SIZE, hi: to * BLOCK_SIZE };
      sealAgents.run(range);
      sealBlocks.run(range);
      setNextBlock.run(to);
    },
  );
  return {
    /** Called after each new action, in the same transaction. */
    actionInserted(seq: number): void {
      rowsInBlock('', blockOf(seq));
    },
  };
}

/** An `actions` row. */
export interface ActionRow {
  seq: number;
  id: string;
  org_id: string;
  agent_id: string;
  interaction_id: string | null;
  client_id: string | null;
  action_type: string;
  action_time: number;
  created_time: number;
  request_hash: string | null;
}

/** WHERE clauses for every filter but the agent; `t.` names the table holding action_time and seq. */
export function actionConditions(q: ActionQuery, t = ''): string[] {
  const where: string[] = [];
  if (q.interactionId !== undefined) where.push('interaction_id = @interactionId');
  if (q.actionType !== undefined) where.push('action_type = @actionType');
  if (q.from !== undefined) where.push(`${t}action_time >= @from`);
  if (q.to !== undefined) where.push(`${t}action_time < @to`);
  if (q.before) where.push(`(${t}action_time < @bt OR (${t}action_time = @bt AND ${t}seq < @bs))`);
  return where;
}

/** The parameters for actionConditions' clauses. */
export function actionParams(q: ActionQuery, limit: number): Record<string, unknown> {
  return { ...q, before: undefined, bt: q.before?.time, bs: q.before?.seq, limit };
}

type RowStatement = Statement<Record<string, unknown>, ActionRow>;

const newestFirst = (a: ActionRow, b: ActionRow) => b.action_time - a.action_time || b.seq - a.seq;

/** Runs on the reading connection: `limit` rows of one agent, newest first, as one consistent read. */
export function agentActionReader(db: Db) {
  const sealedBelow = db.prepare<[], number>('SELECT next_block FROM action_seal').pluck();
  const blocksOf = db.prepare<Record<string, unknown>, { block: number; max_time: number }>(
    `SELECT block, max_time FROM action_blocks
     WHERE org_id = @orgId AND max_time >= @from AND min_time < @to AND min_time <= @bt ORDER BY max_time DESC`,
  );
  const statements = new Map<string, { tail: RowStatement; block: RowStatement }>();
  /** The two statements for one combination of filters (a handful exist), prepared once. */
  function statementsFor(q: ActionQuery) {
    const tailWhere = ['seq >= @tailStart', 'org_id = @orgId', 'agent_id = @agentId', ...actionConditions(q)];
    const blockWhere = ['x.org_id = @orgId', 'x.block = @block', 'x.agent_id = @agentId', ...actionConditions(q, 'x.')];
    const key = tailWhere.join(' AND ');
    let found = statements.get(key);
    if (!found) {
      found = {
        // NOT INDEXED: the seq range (a rowid range, still used) is the narrow one; an index on org or time is not.
        tail: db.prepare<Record<string, unknown>, ActionRow>(`SELECT * FROM actions NOT INDEXED WHERE ${key} ORDER BY action_time DESC, seq DESC LIMIT @limit`),
        block: db.prepare<Record<string, unknown>, ActionRow>(
          `SELECT a.* FROM action_agents x JOIN actions a ON a.seq = x.seq WHERE ${blockWhere.join(' AND ')}
           ORDER BY x.action_time DESC, x.seq DESC LIMIT @limit`,
        ),
      };
      statements.set(key, found);
    }
    return found;
  }
  return db.transaction((q: ActionQuery, limit: number): ActionRow[] => {
    const { tail, block } = statementsFor(q);
    const params = actionParams(q, limit);
    const rows = tail.all({ ...params, tailStart: sealedBelow.get()! * BLOCK_SIZE });
    const blocks = blocksOf.all({
      orgId: q.orgId,
      from: q.from ?? Number.MIN_SAFE_INTEGER,
      to: q.to ?? Number.MAX_SAFE_INTEGER,
      bt: q.before?.time ?? Number.MAX_SAFE_INTEGER,
    });
    for (const b of blocks) {
      // Blocks come newest max_time first: once `limit` rows are all newer than a block's newest, done.
      if (rows.length >= limit && b.max_time < rows[limit - 1].action_time) break;
      const found = block.all({ ...params, block: b.block });
      if (found.length === 0) continue;
      rows.push(...found);
      rows.sort(newestFirst);
      rows.length = Math.min(rows.length, limit);
    }
    return rows.sort(newestFirst);
  });
}
