// Per-agent switches (Webex names): userLevelBurnoutInclusion (consulted when the org's inclusion is SPECIFIC)
// and userLevelWellnessBreakReminders. This is how SPECIFIC inclusion gets its list of included agents.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_ID_LENGTH } from '../../domain/signals.ts';
import { Type } from '../../typebox.ts';
import type { AppDeps } from '../app.ts';
import { access } from '../route-config.ts';
import { AgentSettingBodySchema, defaultAgentSetting, UserInclusionSchema, UserRemindersSchema } from '../../domain/burnout-config.ts';
import { ListQuery, clampLimit, decodeCursor, encodeCursor, listMeta } from '../paging.ts';

const AgentSettingSchema = Type.Object({
  agentId: Type.String(),
  userLevelBurnoutInclusion: UserInclusionSchema,
  userLevelWellnessBreakReminders: UserRemindersSchema,
  updatedTime: Type.Integer(),
});
const AgentParams = Type.Object({ agentId: Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }) });

export const agentSettingRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { store, engine, settings } = deps;
  const read = access('agent_setting', settings.rateLimitPerMinute, 'cjp:config_read', 'cjp:config_write');
  const write = access('agent_setting', settings.rateLimitPerMinute, 'cjp:config_write');
  const tags = ['Respite: configuration'];
  const view = ({ agentId, userLevelBurnoutInclusion, userLevelWellnessBreakReminders, updatedTime }: typeof AgentSettingSchema.static) =>
    ({ agentId, userLevelBurnoutInclusion, userLevelWellnessBreakReminders, updatedTime });

  app.get('/v1/agent-settings', {
    config: read,
    schema: { tags, summary: 'Agents with explicit settings, by agentId', querystring: ListQuery, response: { 200: Type.Object({ data: Type.Array(AgentSettingSchema), meta: Type.Any() }) } },
  }, async (request) => {
    const limit = clampLimit(request.query.limit);
    const after = request.query.cursor === undefined ? undefined : String(decodeCursor(request.query.cursor, ['agentId']).agentId);
    const rows = await store.agentSettings.list(request.token.orgId, after, limit + 1);
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? encodeCursor({ agentId: page[page.length - 1].agentId }) : undefined;
    return { data: page.map(view), meta: listMeta(request, limit, next) };
  });

  app.get('/v1/agent-settings/:agentId', {
    config: read,
    schema: { tags, summary: 'One agent\'s settings (defaults when never set: EXCLUDED, ENABLED)', params: AgentParams, response: { 200: AgentSettingSchema } },
  }, async (request) => {
    const { orgId } = request.token;
    return view((await store.agentSettings.get(orgId, request.params.agentId)) ?? defaultAgentSetting(orgId, request.params.agentId, 0));
  });

  app.put('/v1/agent-settings/:agentId', {
    config: write,
    schema: { tags, summary: 'Set an agent\'s inclusion and wellness-break reminder switches', params: AgentParams, body: AgentSettingBodySchema, response: { 200: AgentSettingSchema } },
  }, async (request) => {
    const { orgId } = request.token;
    const { agentId } = request.params;
    const now = Date.now();
    const current = (await store.agentSettings.get(orgId, agentId)) ?? defaultAgentSetting(orgId, agentId, now);
    const next = { ...current, ...request.body, updatedTime: now };
    await store.agentSettings.put(next);
    await engine.onAgentSettingChanged(next);
    return view(next);
  });
};
