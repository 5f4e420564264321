// HTTP client for the Respite server, as the simulator uses it: Node's built-in fetch, batches
// retried on network errors, 429 (honouring Retry-After) and 5xx; other errors are final.
import { randomUUID } from 'node:crypto';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Valid signals the server does not score (org disabled, agent not included). */
  ignored?: number;
  errors: Array<{ index: number; reason: string }>;
  trackingId?: string;
}

export interface AiFeature {
  id: string;
  version?: number;
  agentWellbeing: { enable: boolean; agentInclusionType?: string; wellnessBreakReminders?: string };
}

export interface AgentIndexItem {
  agentId: string;
  burnoutIndex: number;
  level: string;
  state?: string;
  updatedAt?: number | string;
}

export interface ClientOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  /** Told about each retry, so the CLI can say why it is slow. */
  onRetry?: (reason: string, delayMs: number) => void;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

export class RespiteClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;

  constructor(private readonly options: ClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  whoami(): Promise<{ orgId: string; scopes: string[] }> {
    return this.json('GET', '/v1/whoami');
  }

  async aiFeature(orgId: string): Promise<AiFeature | undefined> {
    const page = await this.json<{ data: AiFeature[] }>('GET', `/organization/${encodeURIComponent(orgId)}/v2/ai-feature`);
    return page.data[0];
  }

  patchAiFeature(orgId: string, id: string, body: unknown): Promise<unknown> {
    return this.json('PATCH', `/organization/${encodeURIComponent(orgId)}/ai-feature/${encodeURIComponent(id)}`, body);
  }

  /** Every item of a paged list, following `meta.links.next` until it runs out. */
  async *paged<T>(path: string): AsyncGenerator<T> {
    let next: string | undefined = path;
    const seen = new Set<string>();
    while (next && !seen.has(next)) {
      seen.add(next);
      const page: { data: T[]; meta?: { links?: { next?: string | null } } } = await this.json('GET', next);
      yield* page.data;
      next = page.meta?.links?.next ?? undefined;
    }
  }

  /**
   * Sends one NDJSON batch, retrying what is safe to retry: the batch's Idempotency-Key (one per batch,
   * the same on each retry) makes a retry of a batch the server applied answer as the first time, and
   * each signal's own key keeps it from being applied twice even past that.
   */
  async postSignals(lines: readonly string[]): Promise<IngestResult> {
    return this.json('POST', '/v1/signals', lines.join('\n') + '\n', 'application/x-ndjson', { 'idempotency-key': randomUUID() });
  }

  private async json<T>(method: string, path: string, body?: unknown, contentType = 'application/json', extraHeaders: Record<string, string> = {}): Promise<T> {
    // `meta.links.next` may be absolute or a path on this server.
    const url = /^https?:/.test(path) ? path : this.base + (path.startsWith('/') ? path : '/' + path);
    const init: RequestInit = {
      method,
      headers: {
        authorization: `Bearer ${this.options.token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': contentType } : {}),
        ...extraHeaders,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.doFetch(url, init);
      } catch (error) {
        if (attempt >= this.maxAttempts) throw new ApiError(0, `${method} ${path}: ${(error as Error).message}`);
        await this.retryAfter(`network error: ${(error as Error).message}`, backoffMs(attempt));
        continue;
      }
      if (response.ok) return (await response.json()) as T;
      const message = await errorMessage(response);
      if (!RETRYABLE(response.status) || attempt >= this.maxAttempts) {
        throw new ApiError(response.status, `${method} ${path} → ${response.status}: ${message}`);
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      const delay = response.status === 429 && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : backoffMs(attempt);
      await this.retryAfter(`${response.status} ${message}`, delay);
    }
  }

  private async retryAfter(reason: string, delayMs: number): Promise<void> {
    this.options.onRetry?.(reason, delayMs);
    await this.sleep(delayMs);
  }
}

/** Exponential backoff with jitter, capped at 30 s. Jitter spreads retries of parallel lanes apart. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** The Webex error envelope's first description, else the raw body. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: Array<{ description?: string }> | string } };
    const message = body.error?.message;
    if (Array.isArray(message) && message[0]?.description) return message[0].description;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 300) || response.statusText;
}
