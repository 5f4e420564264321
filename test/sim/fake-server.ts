// A stand-in Respite server on 127.0.0.1 for CLI tests: records what the CLI sends and can be told to
// fail the first requests, so retries and error handling are exercised over real HTTP.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeServerOptions {
  orgId?: string;
  wellbeingEnabled?: boolean;
  /** The org's wellnessBreakReminders (default ENABLED). */
  remindersEnabled?: boolean;
  /** Status codes answered to the first POST /v1/signals requests, in order, before succeeding. */
  ingestFailures?: Array<{ status: number; retryAfter?: string; description?: string }>;
  whoamiStatus?: number;
  /** Answer the configuration routes with this status (e.g. 403 for a token without config scopes). */
  configStatus?: number;
  agents?: Array<{ agentId: string; burnoutIndex: number; level: string }>;
  breaksRecommended?: number;
}

export interface FakeServer {
  url: string;
  /** Every signal line accepted, in arrival order. */
  lines: string[];
  patches: unknown[];
  ingestRequests: number;
  /** Each POST /v1/signals request's Idempotency-Key header and body, in arrival order (failed ones too). */
  ingests: Array<{ key: string | undefined; body: string }>;
  contentTypes: Set<string>;
  close(): Promise<void>;
}

const envelope = (description: string) => ({ trackingId: 't-1', error: { key: 'e', message: [{ description }] } });

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const orgId = options.orgId ?? '11111111-2222-3333-4444-555555555555';
  const failures = [...(options.ingestFailures ?? [])];
  const seenKeys = new Set<string>();
  const state: FakeServer = { url: '', lines: [], patches: [], ingestRequests: 0, ingests: [], contentTypes: new Set(), close: async () => {} };
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const bodyOf = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await bodyOf(req);
    if (req.headers.authorization !== 'Bearer good-token') return send(res, 401, envelope('The bearer token is not valid'));
    if (url.pathname === '/v1/whoami') {
      if (options.whoamiStatus) return send(res, options.whoamiStatus, envelope('whoami refused'));
      return send(res, 200, { orgId, scopes: ['respite:ingest'] });
    }
    if (options.configStatus && url.pathname.startsWith('/organization/')) return send(res, options.configStatus, envelope('missing scope cjp:config_read'));
    if (url.pathname === `/organization/${orgId}/v2/ai-feature`) {
      return send(res, 200, {
        meta: {},
        data: [{ id: 'cfg-1', version: 1, agentWellbeing: { enable: options.wellbeingEnabled ?? false, agentInclusionType: 'ALL', wellnessBreakReminders: options.remindersEnabled === false ? 'DISABLED' : 'ENABLED' } }],
      });
    }
    if (req.method === 'PATCH' && url.pathname === `/organization/${orgId}/ai-feature/cfg-1`) {
      state.patches.push(JSON.parse(body));
      return send(res, 200, {});
    }
    if (req.method === 'POST' && url.pathname === '/v1/signals') {
      state.ingestRequests++;
      state.ingests.push({ key: req.headers['idempotency-key'] as string | undefined, body });
      state.contentTypes.add(String(req.headers['content-type']));
      const failure = failures.shift();
      if (failure) {
        return send(res, failure.status, envelope(failure.description ?? 'try later'), failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {});
      }
      const lines = body.split('\n').filter((l) => l !== '');
      let accepted = 0;
      let duplicates = 0;
      for (const line of lines) {
        const key = JSON.parse(line).key as string;
        if (seenKeys.has(key)) duplicates++;
        else {
          seenKeys.add(key);
          state.lines.push(line);
          accepted++;
        }
      }
      return send(res, 200, { accepted, duplicates, rejected: 0, errors: [], trackingId: 't-2' });
    }
    if (url.pathname === '/v1/agents') {
      // Two pages, the second reached through meta.links.next.
      const agents = options.agents ?? [];
      const page = url.searchParams.get('cursor') === '2' ? agents.slice(1) : agents.slice(0, 1);
      const next = url.searchParams.get('cursor') === '2' || agents.length < 2 ? null : '/v1/agents?limit=1000&cursor=2';
      return send(res, 200, { data: page, meta: { links: { next } } });
    }
    if (url.pathname === '/v1/events') {
      const data = Array.from({ length: options.breaksRecommended ?? 0 }, (_, i) => ({ id: String(i), type: url.searchParams.get('type') }));
      return send(res, 200, { data, meta: { links: { next: null } } });
    }
    send(res, 404, envelope(`no route ${req.method} ${url.pathname}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
