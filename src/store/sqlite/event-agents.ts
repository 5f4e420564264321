// One agent's events (migration 008): each org's blocks of 4,096 ids are indexed by agent once full
// ("sealed"), in one sorted insert; the newer events, past the org's last sealed block, are scanned.
import type { Db } from './db.ts';
import type { EventQuery } from '../types.ts';
import { BLOCK_SIZE, blockOf, blockSealer } from './block-seal.ts';

/** Erasing more agents than this scans each block instead of seeking each agent in it. */
const SEEKS_PER_BLOCK = 64;

/** Runs on the writer thread. */
export function eventAgentWrites(db: Db) {
  const sealedBelowOf = db.prepare<[string], number>('SELECT next_block FROM event_seal WHERE org_id = ?').pluck();
  // Sorted as the primary key, so the block's entries are appended, not scattered.
  const sealAgents = db.prepare(
    `INSERT OR IGNORE INTO event_agents (org_id, block, agent_id, id)
     SELECT org_id, id >> 12, agent_id, id FROM events
     WHERE org_id = @orgId AND id >= @lo AND id < @hi AND agent_id IS NOT NULL ORDER BY org_id, id >> 12, agent_id, id`,
  );
  // Only sealed blocks are looked up through event_blocks, so a block's time range is written as it is
  // sealed, from its rows (hot from sealAgents' read), rather than widened by every commit into it.
  const sealTimeRanges = db.prepare(
    `INSERT OR REPLACE INTO event_blocks (org_id, block, min_time, max_time)
     SELECT org_id, id >> 12, min(time), max(time) FROM events WHERE org_id = @orgId AND id >= @lo AND id < @hi GROUP BY id >> 12`,
  );
  const setSealedBelow = db.prepare('INSERT OR REPLACE INTO event_seal (org_id, next_block) VALUES (?, ?)');
  // Ids are per org: a scope per org.
  const eventsInBlock = blockSealer(
    (orgId) => sealedBelowOf.get(orgId) ?? 0,
    (orgId, from, to) => {
      const range = { orgId, lo: from * BLOCK_SIZE, hi: to * BLOCK_SIZE };
      sealAgents.run(range);
      sealTimeRanges.run(range);
      setSealedBelow.run(orgId, to);
    },
  );

  // Erasing, one statement per sealed block either way. A few agents: an index seek for each. Many (an
  // org switched to SPECIFIC drops most of its agents at once): one pass over the block's entries,
  // since a seek per agent and block would cost agents × blocks (the unary + keeps agent_id off the index).
  const eraseStatements = (agentColumn: string) => ({
    events: db.prepare(
      `DELETE FROM events WHERE org_id = @orgId AND id IN
       (SELECT id FROM event_agents WHERE org_id = @orgId AND block = @block AND ${agentColumn} IN (SELECT value FROM json_each(@agents)))`,
    ),
    entries: db.prepare(`DELETE FROM event_agents WHERE org_id = @orgId AND block = @block AND ${agentColumn} IN (SELECT value FROM json_each(@agents))`),
  });
  const bySeeks = eraseStatements('agent_id');
  const byScan = eraseStatements('+agent_id');
  const sealedBlocks = db.prepare<[string, number], number>('SELECT block FROM event_blocks WHERE org_id = ? AND block < ?').pluck();
  const eraseTail = db.prepare(
    'DELETE FROM events WHERE org_id = @orgId AND id >= @tailStart AND agent_id IN (SELECT value FROM json_each(@agents))',
  );

  return {
    /** Called before a batch's events of `orgId` in block `block` are written, in the same transaction. */
    eventsInBlock,
    /** Deletes every event of these agents: sealed blocks through their index, the tail by a scan. */
    eraseAgents(orgId: string, agentIds: string[]): void {
      const erase = agentIds.length <= SEEKS_PER_BLOCK ? bySeeks : byScan;
      const agents = JSON.stringify(agentIds);
      const sealedBelow = sealedBelowOf.get(orgId) ?? 0;
      for (const block of sealedBlocks.all(orgId, sealedBelow)) {
        erase.events.run({ orgId, block, agents });
        erase.entries.run({ orgId, block, agents });
      }
      eraseTail.run({ orgId, agents, tailStart: sealedBelow * BLOCK_SIZE });
    },
  };
}

/** An `events` row. */
export interface EventRow {
  org_id: string;
  id: number;
  type: string;
  agent_id: string | null;
  interaction_id: string | null;
  time: number;
  data: string;
}

/**
 * Runs on the reading connection: up to `limit` events of one agent after `q.after`, oldest first, as
 * one consistent read. `where` holds the other filters, on columns of `events` (aliased `e`).
 */
export function agentEventReader(db: Db) {
  const sealedBelowOf = db.prepare<[string], number>('SELECT next_block FROM event_seal WHERE org_id = ?').pluck();
  const blocksOf = db.prepare<{ orgId: string; first: number; below: number; fromTime: number; toTime: number }, number>(
    `SELECT block FROM event_blocks
     WHERE org_id = @orgId AND block >= @first AND block < @below AND max_time >= @fromTime AND min_time < @toTime ORDER BY block`,
  ).pluck();
  return db.transaction((q: EventQuery, where: string[], params: Record<string, unknown>): EventRow[] => {
    const conditions = where.length > 0 ? ` AND ${where.join(' AND ')}` : '';
    const inBlock = db.prepare<Record<string, unknown>, EventRow>(
      `SELECT e.* FROM event_agents x JOIN events e ON e.org_id = x.org_id AND e.id = x.id
       WHERE x.org_id = @orgId AND x.block = @block AND x.agent_id = @agentId AND x.id > @after${conditions} ORDER BY x.id LIMIT @limit`,
    );
    const inTail = db.prepare<Record<string, unknown>, EventRow>(
      // One lower bound on id, the later of the two: given both, SQLite seeks by one and filters by the other.
      `SELECT e.* FROM events e WHERE e.org_id = @orgId AND e.id >= @tailFrom AND e.agent_id = @agentId${conditions}
       ORDER BY e.id LIMIT @limit`,
    );
    const sealedBelow = sealedBelowOf.get(q.orgId) ?? 0;
    const blocks = blocksOf.all({
      orgId: q.orgId,
      first: blockOf(q.after + 1),
      below: sealedBelow,
      fromTime: q.fromTime ?? Number.MIN_SAFE_INTEGER,
      toTime: q.toTime ?? Number.MAX_SAFE_INTEGER,
    });
    const out: EventRow[] = [];
    for (const block of blocks) {
      for (const row of inBlock.all({ ...params, block, limit: q.limit - out.length })) out.push(row);
      if (out.length >= q.limit) return out;
    }
    const tailFrom = Math.max(q.after + 1, sealedBelow * BLOCK_SIZE);
    for (const row of inTail.all({ ...params, tailFrom, limit: q.limit - out.length })) out.push(row);
    return out;
  });
}
