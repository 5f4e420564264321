// Respite's own engine routes: signal ingest, agent read models, model configuration (the event log: events.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '../../typebox.ts';
import type { AppDeps } from '../app.ts';
import { access, limitFor } from '../route-config.ts';
import { AppError, notFound, validationError } from '../../domain/errors.ts';
import { LEVELS, ModelConfigSchema, resolveModelConfig, type Level } from '../../domain/burnout/index.ts';
import { MAX_SIGNALS_PER_REQUEST } from '../../engine/intake.ts';
import { MAX_ID_LENGTH, SignalSchema } from '../../domain/signals.ts';
import { agentView, listAgents } from '../../engine/read-model.ts';
import { IdempotencyKeyHeader, idempotencyConflict, idempotencyKeyOf, requestHash } from '../idempotency.ts';
import { ListQuery, clampLimit, csvList, decodeCursor, encodeCursor, listMeta } from '../paging.ts';

const IngestResultSchema = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  ignored: Type.Integer({ description: 'valid signals for agents the configuration does not score (org disabled, agent not included)' }),
  errors: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() })),
  trackingId: Type.String(),
});

const AgentSchema = Type.Object({
  agentId: Type.String(),
  burnoutIndex: Type.Number(),
  level: Type.String(),
  state: Type.String(),
  factors: Type.Record(Type.String(), Type.Number(), { description: 'each input\'s contribution in index points; they add up to the index' }),
  updatedAt: Type.Integer({ description: 'the agent\'s latest signal or played break (epoch ms); the index and level are as of the read' }),
});

/** What POST /v1/signals takes, per content type (for the OpenAPI document: see the route). */
const SignalsBody = {
  content: {
    'application/json': {
      schema: Type.Union([SignalSchema, Type.Array(SignalSchema, { maxItems: MAX_SIGNALS_PER_REQUEST })], { description: 'one signal, or an array of them' }),
    },
    'application/x-ndjson': {
      schema: Type.String({ description: 'one signal per line, each a JSON object of the application/json form' }),
    },
  },
};

/** One timeline entry: an index point (after an interaction, a played break or a level change) or a recorded action. */
const TimelineEntrySchema = Type.Object(
  {
    time: Type.Integer(),
    kind: Type.Union([Type.Literal('index'), Type.Literal('action')]),
    interactionId: Type.Optional(Type.String()),
    burnoutIndex: Type.Optional(Type.Number({ description: 'index entries' })),
    level: Type.Optional(Type.String({ description: 'index entries' })),
    factors: Type.Optional(AgentSchema.properties.factors),
    actionId: Type.Optional(Type.String({ description: 'action entries' })),
    actionType: Type.Optional(Type.String({ description: 'action entries' })),
    clientId: Type.Optional(Type.String({ description: 'action entries' })),
  },
  { additionalProperties: true },
);
const HistoryResponse = {
  200: Type.Object({
    data: Type.Array(TimelineEntrySchema),
    meta: Type.Object({ limit: Type.Integer(), truncated: Type.Boolean({ description: 'true when `limit` entries came back: ask again from the last one\'s time' }) }),
  }),
};
const ModelConfigResponse = { 200: Type.Object({ version: Type.Integer({ description: 'for optimistic concurrency (0: never changed)' }), config: ModelConfigSchema }) };

/** The index keeps recovering between signals: it is read as of now unless `at` says otherwise. */
const ReadAt = Type.Optional(
  Type.Integer({ minimum: 0, description: 'read the index and level as of this time (epoch ms; default now; a time before the agent\'s latest signal reads as of that signal)' }),
);


export const engineRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { engine, store, settings } = deps;
  const perMinute = settings.rateLimitPerMinute;

  // As bytes: they move to an intake worker, which decodes them (a string would be decoded here, then copied there).
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'buffer', bodyLimit: settings.ingestBodyLimit }, (_req, body, done) => done(null, body));

  app.post('/v1/signals', {
    config: { entity: 'signal', auth: { scopes: ['respite:ingest'] }, rateLimit: limitFor(settings.ingestRateLimitPerMinute, 'ingest') },
    bodyLimit: settings.ingestBodyLimit,
    schema: {
      tags: ['Respite: engine'],
      summary: `Ingest interaction signals: one JSON object, a JSON array, or NDJSON (application/x-ndjson), at most ${MAX_SIGNALS_PER_REQUEST} per request`,
      description: 'A bad line never sinks the batch: the answer counts accepted, duplicates, rejected and ignored signals and lists each rejected line\'s index and reason. Accepted signals are durable when the answer arrives.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKeyHeader) }),
      body: SignalsBody,
      response: { 200: IngestResultSchema },
    },
    // The schemas document; they do not gate: each signal is checked on its own (intake.ts), so one bad
    // line is rejected by index and reason instead of sinking the whole request with a 400 (the header is
    // checked in the handler).
    validatorCompiler: () => () => true,
  }, async (request, reply) => {
    const { orgId } = request.token;
    const now = Date.now();
    const body = request.body instanceof Uint8Array ? request.body : (request.body ?? []);
    const key = idempotencyKeyOf(request.headers['idempotency-key']);
    const ingest = () => (body instanceof Uint8Array ? engine.ingestNdjson(orgId, body, now, key) : engine.ingestJson(orgId, body, now, key));
    if (key === undefined) return { ...(await ingest()), trackingId: request.id };
    // A retry's body is hashed here, before anything moves it; a new one by the intake (on a worker for large bodies).
    const answer = await engine.ingestOnce(orgId, key, () => requestHash(body), ingest);
    if (answer.kind === 'conflict') throw idempotencyConflict();
    if (answer.kind === 'replayed') reply.header('idempotent-replayed', 'true');
    return { ...answer.result, trackingId: request.id };
  });

  app.get('/v1/whoami', {
    config: access('token', perMinute),
    schema: { tags: ['Respite'], summary: 'The organization and scopes of the calling token', response: { 200: Type.Object({ orgId: Type.String(), scopes: Type.Array(Type.String()) }) } },
  }, async (request) => ({ orgId: request.token.orgId, scopes: request.token.scopes }));

  const agentsAccess = access('agent', perMinute, 'respite:agents');

  app.get('/v1/agents', {
    config: agentsAccess,
    schema: {
      tags: ['Respite: engine'],
      summary: 'Current index, level, state and factors of every scored agent',
      description: 'Sorted by agentId, or by level (critical first, then agentId). Never by the exact index: no ranking of agents.',
      querystring: Type.Intersect([
        ListQuery,
        Type.Object({
          level: Type.Optional(Type.String({ maxLength: 64, description: 'comma-separated levels to include (as of `at`)' })),
          sort: Type.Union([Type.Literal('agentId'), Type.Literal('level')], { default: 'agentId' }),
          at: ReadAt,
        }),
      ]),
      response: { 200: Type.Object({ data: Type.Array(AgentSchema), meta: Type.Any() }) },
    },
  }, async (request) => {
    const q = request.query;
    const levels = csvList(q.level);
    const unknown = levels?.filter((l) => !LEVELS.includes(l as Level));
    if (unknown && unknown.length > 0) throw validationError(`level: unknown level(s) ${unknown.join(', ')}; use ${LEVELS.join(', ')}`);
    const limit = clampLimit(q.limit);
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, ['r', 'a']);
    const at = q.at ?? Date.now();
    const page = listAgents(engine.org(request.token.orgId), {
      at,
      levels: levels as Level[] | undefined,
      sort: q.sort,
      limit,
      after: after && [Number(after.r), String(after.a)],
    });
    const next = page.next && encodeCursor({ r: page.next[0], a: page.next[1] });
    // The next page reads at the same time, so levels do not shift between pages.
    return { data: page.items, meta: listMeta(request, limit, next, { at: String(at) }) };
  });

  const AgentParams = Type.Object({ agentId: Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }) });

  app.get('/v1/agents/:agentId', {
    config: agentsAccess,
    schema: {
      tags: ['Respite: engine'],
      summary: 'One agent\'s current index, level, state and factors',
      params: AgentParams,
      querystring: Type.Object({ at: ReadAt }),
      response: { 200: AgentSchema },
    },
  }, async (request) => {
    const org = engine.org(request.token.orgId);
    const runtime = org.agents.get(request.params.agentId);
    if (!runtime) throw notFound(`no scored agent ${request.params.agentId} in this organization`);
    return agentView(org, request.params.agentId, runtime, request.query.at ?? Date.now());
  });

  app.get('/v1/agents/:agentId/history', {
    config: agentsAccess,
    schema: {
      tags: ['Respite: engine'],
      summary: 'The agent\'s timeline: index after each interaction and level change, and every recorded action',
      params: AgentParams,
      querystring: Type.Object({
        from: Type.Optional(Type.Integer({ minimum: 0, description: 'time ≥ from (epoch ms)' })),
        to: Type.Optional(Type.Integer({ minimum: 0, description: 'time < to (epoch ms)' })),
        limit: Type.Integer({ minimum: 1, default: 1000, description: 'at most this many entries (max 1000)' }),
      }),
      response: HistoryResponse,
    },
  }, async (request) => {
    const { from, to } = request.query;
    const limit = clampLimit(request.query.limit);
    const events = await store.events.list({
      orgId: request.token.orgId,
      agentId: request.params.agentId,
      types: ['agent-burnout:index', 'agent-burnout:action-recorded'],
      fromTime: from,
      toTime: to,
      after: 0,
      limit,
    });
    const data = events.map((e) =>
      e.type === 'agent-burnout:index'
        ? { time: e.time, kind: 'index' as const, interactionId: e.interactionId, ...e.data }
        : { time: e.time, kind: 'action' as const, interactionId: e.interactionId, ...e.data },
    );
    return { data, meta: { limit, truncated: events.length === limit } };
  });

  app.get('/v1/model-config', {
    config: access('model_config', perMinute, 'cjp:config_read', 'cjp:config_write'),
    schema: { tags: ['Respite: configuration'], summary: 'The burnout model constants in force for this organization (defaults documented in README)', response: ModelConfigResponse },
  }, async (request) => {
    const stored = await store.modelConfig.get(request.token.orgId);
    return { version: stored?.version ?? 0, config: engine.modelConfig(request.token.orgId) };
  });

  app.put('/v1/model-config', {
    config: access('model_config', perMinute, 'cjp:config_write'),
    schema: {
      tags: ['Respite: configuration'],
      summary: 'Change the model constants; omitted ones take the documented defaults',
      body: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 0 })), config: Type.Partial(ModelConfigSchema) }),
      response: ModelConfigResponse,
    },
  }, async (request) => {
    const { orgId } = request.token;
    const config = resolveModelConfig(request.body.config);
    if (config instanceof AppError) throw config;
    const saved = await store.modelConfig.put(orgId, request.body.config, request.body.version, Date.now());
    if (saved.kind === 'stale') {
      throw new AppError('conflict', [`version ${request.body.version} is stale; the current version is ${saved.version}`], { currentVersion: saved.version });
    }
    await engine.onModelConfigChanged(orgId, config);
    return { version: saved.version, config };
  });
};
