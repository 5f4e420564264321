import type { Db } from './db.ts';
import type { WriterThread } from './writer.ts';
import type { EventRepo, EventQuery } from '../types.ts';
import type { EventEnvelope, NewEvent, EventType } from '../../domain/events.ts';

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

  /** Ids are assigned before the commit and committed in the same order, so they increase per org. */
  stamp(events: NewEvent[]): EventEnvelope[] {
    return events.map((e) => {
      const id = (this.lastIds.get(e.orgId) ?? this.maxId.get(e.orgId)?.id ?? 0) + 1;
      this.lastIds.set(e.orgId, id);
      return { ...e, id } as EventEnvelope;
    });
  }

}

/** Runs on the writer thread. */
export function eventWrites(db: Db) {
  const insert = db.prepare('INSERT INTO events (org_id, id, type, agent_id, interaction_id, time, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return {
    writeEvents(events: EventEnvelope[]): void {
      for (const e of events) insert.run(e.orgId, e.id, e.type, e.agentId ?? null, e.interactionId ?? null, e.time, JSON.stringify(e.data));
    },
  };
}

export function sqliteEvents(db: Db, writer: WriterThread, stamper: EventStamper): EventRepo {
  return {
    async append(events: NewEvent[]) {
      const stamped = stamper.stamp(events);
      await writer.run('writeEvents', stamped);
      return stamped;
    },
    async list(q: EventQuery) {
      const where = ['org_id = @orgId', 'id > @after'];
      const params: Record<string, unknown> = { orgId: q.orgId, after: q.after, limit: q.limit };
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
      const sql = `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit`;
      return db.prepare<Record<string, unknown>, Row>(sql).all(params).map(toEnvelope);
    },
  };
}
