import type { Db } from './db.ts';
import type { WriterThread } from './writer.ts';
import type { EventRepo, EventQuery } from '../types.ts';
import type { EventEnvelope, NewEvent, EventType } from '../../domain/events.ts';
import type { EventSink } from '../../bus/types.ts';
import { agentEventReader, eventAgentWrites, type EventRow } from './event-agents.ts';
import { blockOf } from './block-seal.ts';
import { EVENT_ROW_WIDTH, toEventRows, type EventRows } from './event-rows.ts';

function toEnvelope(r: EventRow): EventEnvelope {
  const e: EventEnvelope = { id: r.id, type: r.type as EventType, orgId: r.org_id, time: r.time, data: JSON.parse(r.data) };
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

/** Runs on the writer thread. */
export function eventWrites(db: Db) {
  const insert = db.prepare('INSERT INTO events (org_id, id, type, agent_id, interaction_id, time, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const agents = eventAgentWrites(db);
  return {
    /** Deletes every event of these agents. */
    eraseAgents: agents.eraseAgents,
    writeEvents(rows: EventRows): void {
      // Events arrive in id order per org: the sealer hears of each block once per run of its events.
      let orgId = '';
      let block = -1;
      for (let i = 0; i < rows.length; i += EVENT_ROW_WIDTH) {
        const eventOrg = rows[i] as string;
        const id = rows[i + 1] as number;
        const b = blockOf(id);
        if (b !== block || eventOrg !== orgId) {
          agents.eventsInBlock(eventOrg, b);
          orgId = eventOrg;
          block = b;
        }
        insert.run(eventOrg, id, rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6]);
      }
    },
  };
}

/** WHERE clauses (on `events` columns no other table has) and parameters for the time and type filters. */
function filters(q: EventQuery): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { orgId: q.orgId, after: q.after, agentId: q.agentId };
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
  const forAgent = agentEventReader(db);
  return {
    async append(events: NewEvent[]) {
      const stamped = stamper.stamp(events);
      await writer.runThen(() => sink.publish(stamped), 'writeEvents', toEventRows(stamped));
      return stamped;
    },
    async list(q: EventQuery) {
      const { where, params } = filters(q);
      if (q.agentId !== undefined) return forAgent(q, where, params).map(toEnvelope);
      const sql = `SELECT * FROM events WHERE ${['org_id = @orgId', 'id > @after', ...where].join(' AND ')} ORDER BY id LIMIT @limit`;
      return db.prepare<Record<string, unknown>, EventRow>(sql).all({ ...params, limit: q.limit }).map(toEnvelope);
    },
  };
}
