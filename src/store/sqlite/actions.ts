import type { Db } from './db.ts';
import type { WriterThread } from './writer.ts';
import type { ActionRepo, ActionQuery } from '../types.ts';
import { answerRetry, type ActionRecord, type RetryAnswer } from '../../domain/actions.ts';
import { toEventRows, type EventRows } from './event-rows.ts';
import type { engineLogWrites } from './engine-log.ts';
import type { EventStamper } from './events.ts';
import type { EventSink } from '../../bus/types.ts';
import { actionConditions, actionParams, actionSealWrites, agentActionReader, type ActionRow } from './action-agents.ts';

function toRecord(r: ActionRow): ActionRecord {
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
  const byKey = db.prepare<[string, string], ActionRow>('SELECT * FROM actions WHERE org_id = ? AND idempotency_key = ?');
  const seal = actionSealWrites(db);

  return {
    /**
     * The action and, when it is new, the engine's log entry for it: one transaction, one fsync. A new
     * action answers null, not itself: the caller holds it already, and cloning it back to the event
     * loop was a deserialization per action there.
     */
    recordAction(a: ActionRecord, key: string | null, hash: string | null, effects: { inputs: string | null; eventRows: EventRows } | null): RetryAnswer | null {
      const info = insert.run(a.id, a.orgId, a.agentId, a.interactionId ?? null, a.clientId ?? null, a.actionType, a.actionDateTime, a.createdDateTime, key, hash);
      if (info.changes > 0 || key === null) {
        if (info.changes > 0) seal.actionInserted(Number(info.lastInsertRowid));
        if (effects) log.appendLog(a.orgId, effects.inputs, effects.eventRows);
        return null;
      }
      const first = byKey.get(a.orgId, key)!;
      return answerRetry(toRecord(first), first.request_hash, hash);
    },
  };
}

export function sqliteActions(db: Db, writer: WriterThread, stamper: EventStamper, sink: EventSink): ActionRepo {
  const byKey = db.prepare<[string, string], ActionRow>('SELECT * FROM actions WHERE org_id = ? AND idempotency_key = ?');
  const listAgent = agentActionReader(db);
  /** The whole org's actions (and any filter but the agent), through the (org, time) index. */
  function listOrg(q: ActionQuery): ActionRow[] {
    const where = ['org_id = @orgId', ...actionConditions(q)];
    const sql = `SELECT * FROM actions WHERE ${where.join(' AND ')} ORDER BY action_time DESC, seq DESC LIMIT @limit`;
    return db.prepare<Record<string, unknown>, ActionRow>(sql).all(actionParams(q, q.limit + 1));
  }
  return {
    // Async, so that events whose data is not JSON reject this write rather than throw at the caller.
    async record(action, idempotency, effects) {
      const stamped = effects ? stamper.stamp(effects.events) : undefined;
      const logged = effects && stamped ? { inputs: effects.inputs, eventRows: toEventRows(stamped) } : null;
      // Inline, not a named closure (tsx names each one as it is created; this runs for every action).
      const retry = await writer.runThen(
        (answer: RetryAnswer | null) => {
          if (stamped && answer === null) sink.publish(stamped);
        },
        'recordAction', action, idempotency?.key ?? null, idempotency?.requestHash ?? null, logged,
      );
      return retry ?? { kind: 'created', action };
    },
    async findByKey(orgId, key) {
      const row = byKey.get(orgId, key);
      return row && { action: toRecord(row), requestHash: row.request_hash };
    },
    async list(q: ActionQuery) {
      // One row past the page says whether there is a next page.
      const rows = q.agentId === undefined ? listOrg(q) : listAgent(q, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toRecord),
        next: rows.length > q.limit && last ? { time: last.action_time, seq: last.seq } : undefined,
      };
    },
  };
}
