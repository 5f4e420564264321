import type { Db } from './db.ts';
import type { GroupCommitter } from './group-commit.ts';
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

export function sqliteEvents(db: Db, committer: GroupCommitter): EventRepo {
  const insert = db.prepare('INSERT INTO events (org_id, id, type, agent_id, interaction_id, time, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const maxId = db.prepare<[string], { id: number | null }>('SELECT max(id) AS id FROM events WHERE org_id = ?');
  // Ids are handed out in memory (per org, strictly increasing) and committed in the same order.
  const lastIds = new Map<string, number>();
  const nextId = (orgId: string): number => {
    const last = lastIds.get(orgId) ?? maxId.get(orgId)?.id ?? 0;
    lastIds.set(orgId, last + 1);
    return last + 1;
  };

  return {
    append(events: NewEvent[]) {
      const stamped = events.map((e) => ({ ...e, id: nextId(e.orgId) }) as EventEnvelope);
      return committer.enqueue(() => {
        for (const e of stamped) {
          insert.run(e.orgId, e.id, e.type, e.agentId ?? null, e.interactionId ?? null, e.time, JSON.stringify(e.data));
        }
        return stamped;
      });
    },
    async list(q: EventQuery) {
      const where = ['org_id = @orgId', 'id > @after'];
      const params: Record<string, unknown> = { orgId: q.orgId, after: q.after, limit: q.limit };
      if (q.agentId !== undefined) {
        where.push('agent_id = @agentId');
        params.agentId = q.agentId;
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
