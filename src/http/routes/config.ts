// The organization's Agent Burnout configuration through both Webex views of the one record.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '../../typebox.ts';
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { access, type Entity } from '../route-config.ts';
import { AppError, notFound, validationError } from '../../domain/errors.ts';
import {
  AgentBurnoutDTOSchema,
  AgentWellbeingDTOSchema,
  AiFeatureDTOSchema,
  AiFeaturePatchSchema,
  applyConfigChange,
  toAgentBurnoutDTO,
  toAiFeatureDTO,
  type BurnoutConfigRecord,
} from '../../domain/burnout-config.ts';
import { sameOrg } from '../auth.ts';
import { compileFilter, type FieldSpec } from '../../domain/rsql.ts';
import { attributePathsFromSchema, compileProjection } from '../../domain/projection.ts';

export const MAX_PAGE_SIZE = 1000;
const OrgParams = Type.Object({ orgid: Type.String({ maxLength: 64 }) });
const ResourceParams = Type.Object({ orgid: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) });
const WebexListQuery = Type.Object({
  filter: Type.Optional(Type.String({ maxLength: 2000, description: 'RSQL filter, e.g. id=="…"' })),
  attributes: Type.Optional(Type.String({ maxLength: 1000, description: 'comma-separated attributes to return' })),
  page: Type.Integer({ minimum: 0, default: 0 }),
  pageSize: Type.Integer({ minimum: 1, default: 100, description: `values above ${MAX_PAGE_SIZE} are clamped` }),
});

const BURNOUT_FILTER_FIELDS = { id: 'string', version: 'number', enabled: 'boolean', agentInclusionType: 'string', wellnessBreakReminders: 'string' } as const;
const AI_FEATURE_FILTER_FIELDS = { id: 'string', version: 'number' } as const;

/** Webex paged list envelope (MetaDataWithPagingInfo) over the org's single record. */
function pagedList(request: FastifyRequest, orgId: string, records: Record<string, unknown>[], page: number, requestedSize: number) {
  const pageSize = Math.min(requestedSize, MAX_PAGE_SIZE);
  const totalRecords = records.length;
  const totalPages = Math.max(1, Math.ceil(totalRecords / pageSize));
  const path = request.url.split('?')[0];
  const url = (p: number) => {
    const u = new URL(request.url, 'http://respite.local');
    u.searchParams.set('page', String(p));
    u.searchParams.set('pageSize', String(pageSize));
    return `${path}${u.search}`;
  };
  const links: Record<string, string> = { self: url(page), first: url(0), last: url(totalPages - 1) };
  if (page + 1 < totalPages) links.next = url(page + 1);
  if (page > 0) links.prev = url(Math.min(page - 1, totalPages - 1));
  return {
    meta: { orgid: orgId, page, pageSize, totalPages, totalRecords, links },
    data: records.slice(page * pageSize, (page + 1) * pageSize),
  };
}

/** Webex's MetaDataWithPagingInfo, as pagedList builds it. */
const PagingMetaSchema = Type.Object({
  orgid: Type.String(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  totalPages: Type.Integer(),
  totalRecords: Type.Integer(),
  links: Type.Record(Type.String(), Type.String(), { description: 'self, first, last, and next/prev where there are such pages' }),
});
const listOf = <T extends TSchema>(item: T) => ({ 200: Type.Object({ meta: PagingMetaSchema, data: Type.Array(item) }) });
// `attributes` may leave out any field, nested members included.
const BurnoutListResponse = listOf(Type.Partial(AgentBurnoutDTOSchema));
const AiFeatureListResponse = listOf(Type.Partial(Type.Object({ ...AiFeatureDTOSchema.properties, agentWellbeing: Type.Partial(AgentWellbeingDTOSchema) })));

/** What `attributes` may name: every field of the DTO, and for the AI-feature view the members of agentWellbeing too ("all attributes are supported"). */
const BURNOUT_ATTRIBUTES = attributePathsFromSchema(AgentBurnoutDTOSchema);
const AI_FEATURE_ATTRIBUTES = attributePathsFromSchema(AiFeatureDTOSchema, { nested: true });

export const configRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { store, engine, settings } = deps;
  // Webex: read is implied by write. Two views of one record, each named as what it serves in errors.
  const read = (entity: Entity) => access(entity, settings.rateLimitPerMinute, 'cjp:config_read', 'cjp:config_write');
  const write = (entity: Entity) => access(entity, settings.rateLimitPerMinute, 'cjp:config_write');

  /**
   * A Webex list over the org's one record, seen through `view`: RSQL filter, attributes (any of
   * `attributes`, checked whether or not the filter matches), paging.
   */
  async function listView(
    request: FastifyRequest,
    q: Static<typeof WebexListQuery>,
    fields: FieldSpec,
    attributes: readonly string[],
    view: (record: BurnoutConfigRecord) => Record<string, unknown>,
  ) {
    const matches = compileFilter(q.filter ?? '', fields);
    const projection = compileProjection(q.attributes, attributes);
    const record = view(await store.config.get(request.token.orgId, Date.now()));
    const rows = [record].filter(matches).map(projection);
    return pagedList(request, request.token.orgId, rows, q.page, q.pageSize);
  }

  async function resource(orgId: string, id: string): Promise<BurnoutConfigRecord> {
    const record = await store.config.get(orgId, Date.now());
    if (record.id !== id) throw notFound(`no Agent Burnout resource with id ${id} in this organization`);
    return record;
  }

  function checkBodyIdentity(body: { id?: string; organizationId?: string }, orgId: string, id: string) {
    if (body.id !== undefined && body.id !== id) throw validationError('id in the body must match the id in the path');
    if (body.organizationId !== undefined && !sameOrg(body.organizationId, orgId)) {
      throw validationError('organizationId in the body must match the organization in the path');
    }
  }

  async function save(next: BurnoutConfigRecord, expectedVersion: number | undefined): Promise<BurnoutConfigRecord> {
    const result = await store.config.update(next, expectedVersion);
    if (result.kind === 'stale') {
      throw new AppError('conflict', [`version ${expectedVersion} is stale; the current version is ${result.current.version}`], {
        currentVersion: result.current.version,
      });
    }
    await engine.onConfigChanged(result.record);
    return result.record;
  }

  app.get('/organization/:orgid/agent-burnout/:id', {
    config: read('agent_burnout'),
    schema: { tags: ['Agent Wellbeing (Webex)'], summary: 'Get the Agent Burnout resource (deprecated by Webex; still served)', params: ResourceParams, response: { 200: AgentBurnoutDTOSchema } },
  }, async (request) => toAgentBurnoutDTO(await resource(request.token.orgId, request.params.id)));

  app.put('/organization/:orgid/agent-burnout/:id', {
    config: write('agent_burnout'),
    schema: { tags: ['Agent Wellbeing (Webex)'], summary: 'Update the Agent Burnout resource; a stale version is refused with 409', params: ResourceParams, body: AgentBurnoutDTOSchema, response: { 200: AgentBurnoutDTOSchema } },
  }, async (request) => {
    const { id } = request.params;
    const current = await resource(request.token.orgId, id);
    checkBodyIdentity(request.body, current.orgId, id);
    const next = applyConfigChange(current, request.body, Date.now());
    return toAgentBurnoutDTO(await save(next, request.body.version));
  });

  app.get('/organization/:orgid/v2/agent-burnout', {
    config: read('agent_burnout'),
    schema: { tags: ['Agent Wellbeing (Webex)'], summary: 'List Agent Burnout resources (one per organization)', params: OrgParams, querystring: WebexListQuery, response: BurnoutListResponse },
  }, async (request) => listView(request, request.query, BURNOUT_FILTER_FIELDS, BURNOUT_ATTRIBUTES, toAgentBurnoutDTO));

  app.get('/organization/:orgid/ai-feature/:id', {
    config: read('ai_feature'),
    schema: { tags: ['AI Feature (Webex)'], summary: 'Get the AI-feature view of the configuration (agentWellbeing member)', params: ResourceParams, response: { 200: AiFeatureDTOSchema } },
  }, async (request) => toAiFeatureDTO(await resource(request.token.orgId, request.params.id)));

  app.patch('/organization/:orgid/ai-feature/:id', {
    config: write('ai_feature'),
    schema: { tags: ['AI Feature (Webex)'], summary: 'Partially update the agentWellbeing member', params: ResourceParams, body: AiFeaturePatchSchema, response: { 200: AiFeatureDTOSchema } },
  }, async (request) => {
    const { id } = request.params;
    const current = await resource(request.token.orgId, id);
    checkBodyIdentity(request.body, current.orgId, id);
    const w = request.body.agentWellbeing ?? {};
    const next = applyConfigChange(current, { enabled: w.enable, agentInclusionType: w.agentInclusionType, wellnessBreakReminders: w.wellnessBreakReminders }, Date.now());
    return toAiFeatureDTO(await save(next, request.body.version));
  });

  app.get('/organization/:orgid/v2/ai-feature', {
    config: read('ai_feature'),
    schema: { tags: ['AI Feature (Webex)'], summary: 'List AI-feature resources (one per organization)', params: OrgParams, querystring: WebexListQuery, response: AiFeatureListResponse },
  }, async (request) => listView(request, request.query, AI_FEATURE_FILTER_FIELDS, AI_FEATURE_ATTRIBUTES, toAiFeatureDTO));
};
