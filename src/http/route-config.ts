// One way to say who may call a route, how often, and what it serves.
import type { Scope } from '../domain/scopes.ts';

/**
 * What a route serves, named in its errors' `message[].entity`, as in Webex's ApiErrorResponse examples
 * (`"entity": "cc_user"`): a client that handles errors by entity can tell an action refused from a
 * configuration refused.
 */
export type Entity =
  | 'agent_burnout_action'
  | 'agent_burnout'
  | 'ai_feature'
  | 'agent_setting'
  | 'signal'
  | 'agent'
  | 'event'
  | 'model_config'
  | 'token'
  | 'process'
  | 'health';

declare module 'fastify' {
  interface FastifyContextConfig {
    entity?: Entity;
  }
}

/** Route-level rate limit settings; a limit of 0 turns limiting off (benchmarks). */
export function limitFor(perMinute: number, groupId: 'api' | 'ingest' = 'api') {
  return perMinute > 0 ? { max: perMinute, timeWindow: 60_000, groupId } : false;
}

/**
 * Route config: any one of `scopes` grants access (and `respite:admin` always does: auth.ts);
 * `perMinute` requests per token over all API routes (0 = unlimited).
 */
export function access(entity: Entity, perMinute: number, ...scopes: Scope[]) {
  return { entity, auth: { scopes }, rateLimit: limitFor(perMinute) };
}
