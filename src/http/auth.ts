// Authentication and organization scoping: every route that is not explicitly public needs a live bearer
// token with the route's scopes, and any organization the request names must be the token's own.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { authenticate } from '../auth/tokens.ts';
import type { Store, TokenRecord } from '../store/types.ts';
import type { Scope } from '../domain/scopes.ts';

export interface RouteAuth {
  /** Any one of these scopes grants access (Webex-style: read is implied by write where routes say so), as does respite:admin. */
  scopes?: readonly Scope[];
  public?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    token: TokenRecord;
  }
}

/** Webex org ids may be written with or without hyphens and in either case. */
export const sameOrg = (a: string, b: string) => a === b || a.replaceAll('-', '').toLowerCase() === b.replaceAll('-', '').toLowerCase();

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

const UNKNOWN_TOKEN = ['token is unknown or revoked'];

/** The organization's administrator: every route of its own organization (and still no other's). */
const ADMIN: Scope = 'respite:admin';

/** Admits the request under `token` (answering undefined), or says why not. */
function admit(request: FastifyRequest, auth: RouteAuth | undefined, token: TokenRecord | undefined): AppError | undefined {
  if (!token) return new AppError('unauthorized', UNKNOWN_TOKEN);
  request.token = token;
  const needed = auth?.scopes ?? [];
  if (needed.length > 0 && !needed.some((s) => token.scopes.includes(s)) && !token.scopes.includes(ADMIN)) {
    const granting = needed.includes(ADMIN) ? needed : [...needed, ADMIN];
    return new AppError('forbidden', [`token lacks the required scope: ${granting.join(' or ')}`]);
  }
  const headerOrg = request.headers['x-organization-id'];
  if (typeof headerOrg === 'string' && !sameOrg(headerOrg, token.orgId)) {
    return new AppError('forbidden', ['X-ORGANIZATION-ID is not the organization of this token']);
  }
  const pathOrg = (request.params as Record<string, string> | undefined)?.orgid;
  if (pathOrg !== undefined && !sameOrg(pathOrg, token.orgId)) {
    return new AppError('forbidden', ['the organization in the path is not the organization of this token']);
  }
  return undefined;
}

export function registerAuth(app: FastifyInstance, store: Store): void {
  app.decorateRequest('token', null as unknown as TokenRecord);
  // A callback hook, answered at once when the store holds the token in memory (nearly every request):
  // no promise per request on the hot path.
  app.addHook('onRequest', (request, _reply, done) => {
    const auth = request.routeOptions.config.auth;
    if (auth?.public || request.is404) return done();
    const secret = bearer(request);
    if (!secret) return done(new AppError('unauthorized', ['Authorization header with a Bearer token is required']));
    const token = authenticate(store, secret);
    if (token instanceof Promise) token.then((found) => done(admit(request, auth, found)), done);
    else done(admit(request, auth, token));
  });
}
