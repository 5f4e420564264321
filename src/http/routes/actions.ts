// POST /v1/agentburnout/action (Webex) and GET /v1/agentburnout/actions (Respite's history view).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_ID_LENGTH } from '../../domain/signals.ts';
import { Type } from '../../typebox.ts';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../app.ts';
import { access } from '../route-config.ts';
import { ActionRequestSchema, ActionDataSchema, resolveActionTime, type ActionRecord } from '../../domain/actions.ts';
import { AppError, validationError } from '../../domain/errors.ts';
import { IdempotencyKeyHeader, idempotencyConflict, requestHash } from '../idempotency.ts';
import { listMeta, decodeCursor, encodeCursor, ListQuery, clampLimit } from '../paging.ts';

const OrgHeader = Type.Object({
  'x-organization-id': Type.String({ minLength: 1, maxLength: 64, description: 'Organization ID; must be the token\'s organization.' }),
  'idempotency-key': Type.Optional(IdempotencyKeyHeader),
});

const ActionResponseSchema = Type.Object({ data: ActionDataSchema, trackingId: Type.String() }, { $id: 'ActionResponse' });

const OPTIONAL_FIELDS = ['interactionId', 'clientId', 'actionDateTime', 'actionDateType'] as const;
const TIME_FIELDS = ['actionDateTime', 'actionDateType'] as const;
const STRING_FIELDS = ['agentId', 'actionType', 'interactionId', 'clientId'] as const;

const kindOf = (value: unknown) => (Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value);

/**
 * An optional field sent as null is absent (clients that serialise every field, as Jackson does by
 * default, send nulls); a time that is neither a number nor a string, or an id or type that is not a
 * string, is refused as what it is (the error returned, for the hook's callback).
 */
function settleFieldTypes(body: unknown): AppError | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const fields = body as Record<string, unknown>;
  for (const name of OPTIONAL_FIELDS) if (fields[name] === null) delete fields[name];
  for (const name of TIME_FIELDS) {
    const value = fields[name];
    if (value !== undefined && typeof value !== 'number' && typeof value !== 'string') {
      return validationError(`${name} must be an epoch timestamp in milliseconds (a number or a numeric string), not ${kindOf(value)}`);
    }
  }
  // Type coercion would record `false` as "false" and 5 as "5".
  for (const name of STRING_FIELDS) {
    const value = fields[name];
    if (value !== undefined && typeof value !== 'string') return validationError(`${name} must be a string, not ${kindOf(value)}`);
  }
  return undefined;
}

export const actionRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { store, engine, settings } = deps;

  app.post('/v1/agentburnout/action', {
    config: access('agent_burnout_action', settings.rateLimitPerMinute, 'cjp:config_write'),
    // Before validation, whose type coercion would turn null into "" or 0 and `true` into 1 ("before 2000").
    // A callback hook, not an async one: no promise per action on the hot path.
    preValidation: (request, _reply, done) => done(settleFieldTypes(request.body)),
    schema: {
      tags: ['Agent Wellbeing (Webex)'],
      summary: 'Record the action a partner app took for an agent (Break Played, Supervisor Notified, …)',
      headers: OrgHeader,
      body: ActionRequestSchema,
      response: { 200: ActionResponseSchema },
    },
  }, async (request, reply) => {
    const now = Date.now();
    const body = request.body;
    const time = resolveActionTime(body, now);
    if (time instanceof AppError) throw time;
    const action: ActionRecord = {
      id: randomUUID(),
      orgId: request.token.orgId,
      agentId: body.agentId,
      actionType: body.actionType,
      actionDateTime: time,
      createdDateTime: now,
    };
    if (body.interactionId !== undefined) action.interactionId = body.interactionId;
    if (body.clientId !== undefined) action.clientId = body.clientId;
    const key = request.headers['idempotency-key'];
    const result = await engine.recordAction(action, key ? { key, requestHash: requestHash(body) } : undefined);
    if (result.kind === 'conflict') throw idempotencyConflict();
    if (result.kind === 'replayed') reply.header('idempotent-replayed', 'true');
    return { data: result.action, trackingId: request.id };
  });

  app.get('/v1/agentburnout/actions', {
    config: access('agent_burnout_action', settings.rateLimitPerMinute, 'cjp:config_read', 'cjp:config_write'),
    schema: {
      tags: ['Respite'],
      summary: 'The organization\'s recorded actions, newest first, cursor-paginated',
      querystring: Type.Intersect([
        ListQuery,
        Type.Object({
          agentId: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH })),
          interactionId: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH })),
          actionType: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          from: Type.Optional(Type.Integer({ minimum: 0, description: 'actionDateTime ≥ from (epoch ms)' })),
          to: Type.Optional(Type.Integer({ minimum: 0, description: 'actionDateTime < to (epoch ms)' })),
        }),
      ]),
      response: { 200: Type.Object({ data: Type.Array(ActionDataSchema), meta: Type.Any() }) },
    },
  }, async (request) => {
    const q = request.query;
    const limit = clampLimit(q.limit);
    const before = q.cursor === undefined ? undefined : decodeCursor(q.cursor, ['time', 'seq']);
    const page = await store.actions.list({
      orgId: request.token.orgId,
      agentId: q.agentId,
      interactionId: q.interactionId,
      actionType: q.actionType,
      from: q.from,
      to: q.to,
      limit,
      before: before as { time: number; seq: number } | undefined,
    });
    return { data: page.items, meta: listMeta(request, limit, page.next && encodeCursor({ ...page.next })) };
  });
};
