import type { Db } from './db.ts';
import type { WriterThread } from './writer.ts';
import type { EventRepo, EventQuery } from '../types.ts';
import type { EventEnvelope, NewEvent, EventType } from '../../domain/events.ts';
import type { EventSink } from '../../bus/types.ts';

interface Row {
  org_id: string;
  id: number;
  type: EventType;
  agent_id: string | null;
  interaction_id: string | null;
  time: number;
  data: string;
}

function toEnvelope(r: Row): EventEnvelope {
  const e: EventEnvelope = { id: r.id, type: r.type, orgId: r.org_id, time: r.time, data: JSON.parse(r.data) };
  if (r.agent_id !== null) e.agentId = r.agent_id;
  if (r.interaction_id !== null) e.interactionId = r.interaction_id;
  return e;
}

/** Hands out per-org increasing ids in memory; they are committed in the same order (FIFO writer). */
export class EventStamper {
  private readonly maxId;
  private readonly lastIds = new Map<string, number>();

  constructor(db: Db) {
    this.maxId = db.prepare<[string], { id: number | null }>('SELECT max(id) AS id FROM events WHERE org_id = ?');
  }

  /**
   * Ids are assigned before the commit and committed in the same order, so they increase per org.
   * The events become envelopes in place (no copy: this runs for every event the engine emits).
   */
  stamp(events: NewEvent[]): EventEnvelope[] {
    const stamped = events as EventEnvelope[];
    for (const e of stamped) {
      const id = (this.lastIds.get(e.orgId) ?? this.maxId.get(e.orgId)?.id ?? 0) + 1;
      this.lastIds.set(e.orgId, id);
      e.id = id;
    }
    return stamped;
  }

}

/** Events per block of the agent index (migration 003's `id >> 12`). */
const BLOCK_SIZE = 4096;
const blockOf = (id: number) => Math.floor(id / BLOCK_SIZE);
/** Erasing more agents than this scans each block instead of seeking each agent in it. */
const SEEKS_PER_BLOCK = 64;

/** Runs on the writer thread. */
export function eventWrites(db: Db) {
  const insert = db.prepare('INSERT INTO events (org_id, id, type, agent_id, interaction_id, time, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const widenBlock = db.prepare(
    `INSERT INTO event_blocks (org_id, block, min_time, max_time) VALUES (?, ?, ?, ?)
     ON CONFLICT (org_id, block) DO UPDATE SET min_time = min(min_time, excluded.min_time), max_time = max(max_time, excluded.max_time)`,
  );
  const blocks = db.prepare<[string], number>('SELECT block FROM event_blocks WHERE org_id = ?').pluck();
  // One statement per block either way. A few agents: an index seek for each. Many (an org switched to
  // SPECIFIC drops most of its agents at once): one pass over the block's 4,096 entries instead, since
  // a seek per agent and block would cost agents × blocks (the unary + keeps agent_id off the index).
  const eraseBySeeks = db.prepare(
    'DELETE FROM events INDEXED BY events_org_block_agent WHERE org_id = ? AND (id >> 12) = ? AND agent_id IN (SELECT value FROM json_each(?))',
  );
  const eraseByScan = db.prepare(
    'DELETE FROM events INDEXED BY events_org_block_agent WHERE org_id = ? AND (id >> 12) = ? AND +agent_id IN (SELECT value FROM json_each(?))',
  );
  return {
    /** Deletes every event of these agents, block by block. */
    eraseAgents(orgId: string, agentIds: string[]): void {
      const erase = agentIds.length <= SEEKS_PER_BLOCK ? eraseBySeeks : eraseByScan;
      const ids = JSON.stringify(agentIds);
      for (const block of blocks.all(orgId)) erase.run(orgId, block, ids);
    },
    writeEvents(events: EventEnvelope[]): void {
      // Events arrive in id order per org, so one pass sees each block's events together.
      let orgId = '';
      let block = -1;
      let minTime = 0;
      let maxTime = 0;
      for (const e of events) {
        insert.run(e.orgId, e.id, e.type, e.agentId ?? null, e.interactionId ?? null, e.time, JSON.stringify(e.data));
        const b = blockOf(e.id);
        if (b !== block || e.orgId !== orgId) {
          if (block >= 0) widenBlock.run(orgId, block, minTime, maxTime);
          orgId = e.orgId;
          block = b;
          minTime = maxTime = e.time;
        } else if (e.time < minTime) minTime = e.time;
        else if (e.time > maxTime) maxTime = e.time;
      }
      if (block >= 0) widenBlock.run(orgId, block, minTime, maxTime);
    },
  };
}

/** WHERE clauses and parameters common to both query shapes. */
function filters(q: EventQuery): { where: string[]; params: Record<string, unknown> } {
  const where = ['org_id = @orgId', 'id > @after'];
  const params: Record<string, unknown> = { orgId: q.orgId, after: q.after };
  if (q.agentId !== undefined) {
    where.push('agent_id = @agentId');
    params.agentId = q.agentId;
  }
  if (q.fromTime !== undefined) {
    where.push('time >= @fromTime');
    params.fromTime = q.fromTime;
  }
  if (q.toTime !== undefined) {
    where.push('time < @toTime');
    params.toTime = q.toTime;
  }
  if (q.types && q.types.length > 0) {
    where.push(`type IN (${q.types.map((_, i) => `@t${i}`).join(', ')})`);
    q.types.forEach((t, i) => (params[`t${i}`] = t));
  }
  return { where, params };
}

export function sqliteEvents(db: Db, writer: WriterThread, stamper: EventStamper, sink: EventSink): EventRepo {
  const blocksOf = db.prepare<{ orgId: string; first: number; fromTime: number; toTime: number }, number>(
    'SELECT block FROM event_blocks WHERE org_id = @orgId AND block >= @first AND max_time >= @fromTime AND min_time < @toTime ORDER BY block',
  ).pluck();
  /** One agent's events: a seek per block that can hold matches (see migration 003). */
  function listForAgent(q: EventQuery): EventEnvelope[] {
    const { where, params } = filters(q);
    const inBlock = db.prepare<Record<string, unknown>, Row>(`SELECT * FROM events INDEXED BY events_org_block_agent WHERE ${where.join(' AND ')} AND (id >> 12) = @block ORDER BY id LIMIT @limit`);
    const blocks = blocksOf.all({ orgId: q.orgId, first: blockOf(q.after + 1), fromTime: q.fromTime ?? Number.MIN_SAFE_INTEGER, toTime: q.toTime ?? Number.MAX_SAFE_INTEGER });
    const out: EventEnvelope[] = [];
    for (const block of blocks) {
      for (const row of inBlock.all({ ...params, block, limit: q.limit - out.length })) out.push(toEnvelope(row));
      if (out.length >= q.limit) break;
    }
    return out;
  }
  return {
    async append(events: NewEvent[]) {
      const stamped = stamper.stamp(events);
      await writer.runThen(() => sink.publish(stamped), 'writeEvents', stamped);
      return stamped;
    },
    async list(q: EventQuery) {
      if (q.agentId !== undefined) return listForAgent(q);
      const { where, params } = filters(q);
      const sql = `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit`;
      return db.prepare<Record<string, unknown>, Row>(sql).all({ ...params, limit: q.limit }).map(toEnvelope);
    },
  };
}
