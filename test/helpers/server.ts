// A real server on a real port with a fresh data directory, plus helpers to mint tokens and call it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startServer, type RunningServer } from '../../src/server.ts';
import { createToken } from '../../src/auth/tokens.ts';
import type { Settings } from '../../src/config.ts';
import type { Scope } from '../../src/domain/scopes.ts';

export const ALL_SCOPES: Scope[] = ['cjp:config_read', 'cjp:config_write', 'respite:ingest', 'respite:events', 'respite:agents', 'respite:admin'];

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless it is a string (sent as is). */
  body?: unknown;
  contentType?: string;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestServer {
  url: string;
  server: RunningServer;
  dataDir: string;
  orgId: string;
  /** A token for `orgId` (or another org) with the given scopes (default: all). */
  token(scopes?: Scope[], orgId?: string): Promise<string>;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<CallResult<T>>;
  close(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'respite-test-'));
}

export async function call<T = any>(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= options.contentType ?? 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export async function startTestServer(settings: Partial<Settings> = {}): Promise<TestServer> {
  const dataDir = settings.dataDir ?? tempDataDir();
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, rateLimitPerMinute: 0, ingestRateLimitPerMinute: 0, logger: false, ...settings });
  const orgId = randomUUID();
  return {
    url: server.url,
    server,
    dataDir,
    orgId,
    async token(scopes = ALL_SCOPES, org = orgId) {
      return (await createToken(server.store, { orgId: org, scopes })).token;
    },
    call: (method, path, options) => call(server.url, method, path, options),
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
