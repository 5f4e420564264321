// One way to say who may call a route and how often.
import type { Scope } from '../domain/scopes.ts';

/** Route-level rate limit settings; a limit of 0 turns limiting off (benchmarks). */
export function limitFor(perMinute: number, groupId: 'api' | 'ingest' = 'api') {
  return perMinute > 0 ? { max: perMinute, timeWindow: 60_000, groupId } : false;
}

/** Route config: any one of `scopes` grants access; `perMinute` requests per token over all API routes (0 = unlimited). */
export function access(perMinute: number, ...scopes: Scope[]) {
  return { auth: { scopes }, rateLimit: limitFor(perMinute) };
}
