// The Fastify application: tracking ids, the error envelope, auth, rate limits, OpenAPI, routes.
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Store } from '../store/types.ts';
import type { Settings } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { MAX_ID_LENGTH } from '../domain/signals.ts';
import { errorBody, newTrackingId, toAppError, ApiErrorResponseSchema } from './envelope.ts';
import { registerAuth } from './auth.ts';
import { answerClientError, answerFrameworkError } from './client-errors.ts';
import { SharedRateStore } from './rate-store.ts';
import { healthRoutes } from './routes/health.ts';
import { actionRoutes } from './routes/actions.ts';
import { configRoutes } from './routes/config.ts';
import { agentSettingRoutes } from './routes/agent-settings.ts';
import type { EngineApi } from '../engine/api.ts';
import { engineRoutes } from './routes/engine.ts';
import { eventRoutes } from './routes/events.ts';
import type { Bus } from '../bus/types.ts';
import { adminRoutes } from './routes/admin.ts';

export interface AppDeps {
  store: Store;
  settings: Settings;
  engine: EngineApi;
  /** Where committed events are announced (the store publishes to it): long-polls wait on it. */
  bus: Bus;
  logger?: boolean | object;
}

export type App = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

const TRACKING_ID = /^[\w.:\-]{1,128}$/;
const ERROR_RESPONSE = { $ref: 'ApiErrorResponse#' };

export async function buildApp(deps: AppDeps): Promise<App> {
  const { settings } = deps;
  const app = Fastify({
    logger: deps.logger ?? { level: settings.logLevel },
    bodyLimit: settings.bodyLimit,
    requestIdHeader: false,
    // Path parameters hold agent ids (MAX_ID_LENGTH characters; the router measures them decoded, so this
    // leaves room): Fastify's default of 100 answered 414 for ids the API accepts everywhere else.
    routerOptions: { maxParamLength: 4 * MAX_ID_LENGTH },
    frameworkErrors: answerFrameworkError,
    // Every response carries a tracking id; a client-sent TrackingID is echoed (Webex behaviour).
    genReqId: (req) => {
      const sent = req.headers['trackingid'];
      return typeof sent === 'string' && TRACKING_ID.test(sent) ? sent : newTrackingId();
    },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // While closing, in-flight answers say `Connection: close`; otherwise close() waits until every keep-alive
  // client hangs up by itself (Fastify's keepAliveTimeout, 72 s), far past any orchestrator's grace period.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('TrackingID', request.id);
    if (closing) reply.header('connection', 'close');
  });
  app.setErrorHandler((raw, request, reply) => {
    const error = toAppError(raw);
    if (error.status >= 500) request.log.error({ err: raw }, 'request failed');
    reply.status(error.status).type('application/json').send(errorBody(request.id, error, request.routeOptions.config.entity));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('not_found', [`no route for ${request.method} ${request.url.split('?')[0]}`]);
    reply.status(404).send(errorBody(request.id, error));
  });

  // JSON routes only: Fastify's default text/plain parser would turn a wrong content type into a confusing
  // "body must be object" 400 instead of a 415. A route that wants another type registers its own parser.
  app.removeContentTypeParser('text/plain');
  // The rendered docs show no more than the public /openapi.json, so they need no token either.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...route.config, auth: { public: true } };
    // Every documented route can fail in the one envelope (validation, auth, rate limit, 500, 503): said once, here.
    const schema = route.schema as { hide?: boolean; response?: Record<string, unknown> } | undefined;
    if (schema && !schema.hide) route.schema = { ...schema, response: { '4xx': ERROR_RESPONSE, '5xx': ERROR_RESPONSE, ...schema.response } };
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Respite — Agent Wellbeing API',
        version: '0.1.0',
        description: 'Webex Contact Center Agent Wellbeing API (wire-compatible) plus Respite\'s own routes.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.addSchema(ApiErrorResponseSchema);

  await app.register(rateLimit, {
    global: false,
    hook: 'preParsing',
    store: SharedRateStore as never,
    keyGenerator: (request) => request.token?.id ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', [`rate limit of ${context.max} requests per ${context.after} exceeded; retry later`]),
  });
  registerAuth(app, deps.store);

  app.get('/openapi.json', { config: { auth: { public: true } }, schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes(deps));
  await app.register(actionRoutes(deps));
  await app.register(configRoutes(deps));
  await app.register(agentSettingRoutes(deps));
  await app.register(engineRoutes(deps));
  await app.register(eventRoutes(deps));
  await app.register(adminRoutes(deps));
  return app;
}
