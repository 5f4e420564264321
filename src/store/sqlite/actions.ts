import type { Db } from './db.ts';
import type { WriterThread } from './writer.ts';
import type { ActionRepo, RecordActionResult, ActionQuery } from '../types.ts';
import { answerRetry, type ActionRecord } from '../../domain/actions.ts';
import type { EventEnvelope } from '../../domain/events.ts';
import type { engineLogWrites } from './engine-log.ts';
import type { EventStamper } from './events.ts';
import type { EventSink } from '../../bus/types.ts';

interface Row {
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

function toRecord(r: Row): ActionRecord {
  const a: ActionRecord = {
    id: r.id,
    orgId: r.org_id,
    agentId: r.agent_id,
    actionType: r.action_type,
    actionDateTime: r.action_time,
    createdDateTime: r.created_time,
  };
  if (r.interaction_id !== null) a.interactionId = r.interaction_id;
  if (r.client_id !== null) a.clientId = r.client_id;
  return a;
}

/** Runs on the writer thread. */
export function actionWrites(db: Db, log: ReturnType<typeof engineLogWrites>) {
  const insert = db.prepare(
    `INSERT INTO actions (id, org_id, agent_id, interaction_id, client_id, action_type, action_time, created_time, idempotency_key, request_hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const byKey = db.prepare<[string, string], Row>('SELECT * FROM actions WHERE org_id = ? AND idempotency_key = ?');

  return {
    /** The action and, when it is new, the engine's log entry for it: one transaction, one fsync. */
    recordAction(a: ActionRecord, key: string | null, hash: string | null, effects: { inputs: string; events: EventEnvelope[] } | null): RecordActionResult {
      const info = insert.run(a.id, a.orgId, a.agentId, a.interactionId ?? null, a.clientId ?? null, a.actionType, a.actionDateTime, a.createdDateTime, key, hash);
      if (info.changes > 0 || key === null) {
        if (effects) log.appendLog(a.orgId, effects.inputs, effects.events);
        return { kind: 'created', action: a };
      }
      const first = byKey.get(a.orgId, key)!;
      return answerRetry(toRecord(first), first.request_hash, hash);
    },
  };
}

export function sqliteActions(db: Db, writer: WriterThread, stamper: EventStamper, sink: EventSink): ActionRepo {
  const byKey = db.prepare<[string, string], Row>('SELECT * FROM actions WHERE org_id = ? AND idempotency_key = ?');
  return {
    record(action, idempotency, effects) {
      const logged = effects ? { inputs: effects.inputs, events: stamper.stamp(effects.events) } : null;
      // Inline, not a named closure (tsx names each one as it is created; this runs for every action).
      return writer.runThen(
        (result: RecordActionResult) => {
          if (logged && result.kind === 'created') sink.publish(logged.events);
        },
        'recordAction', action, idempotency?.key ?? null, idempotency?.requestHash ?? null, logged,
      );
    },
    async findByKey(orgId, key) {
      const row = byKey.get(orgId, key);
      return row && { action: toRecord(row), requestHash: row.request_hash };
    },
    async list(q: ActionQuery) {
      const where = ['org_id = @orgId'];
      if (q.agentId !== undefined) where.push('agent_id = @agentId');
      if (q.interactionId !== undefined) where.push('interaction_id = @interactionId');
      if (q.actionType !== undefined) where.push('action_type = @actionType');
      if (q.from !== undefined) where.push('action_time >= @from');
      if (q.to !== undefined) where.push('action_time < @to');
      if (q.before) where.push('(action_time < @bt OR (action_time = @bt AND seq < @bs))');
      const sql = `SELECT * FROM actions WHERE ${where.join(' AND ')} ORDER BY action_time DESC, seq DESC LIMIT @limit`;
      const rows = db.prepare<Record<string, unknown>, Row>(sql).all({
        ...q,
        before: undefined,
        bt: q.before?.time,
        bs: q.before?.seq,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toRecord),
        next: rows.length > q.limit && last ? { time: last.action_time, seq: last.seq } : undefined,
      };
    },
  };
}
