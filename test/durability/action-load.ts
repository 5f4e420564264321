// Drives many concurrent `POST /v1/agentburnout/action` calls, each recognisable by its interactionId and
// Idempotency-Key, and records what every one of them got back; plus a reader for everything an org has stored.
import { request as httpRequest } from 'node:http';
import { call } from '../helpers/server.ts';

export interface Attempt {
  n: number;
  interactionId: string;
  idempotencyKey: string;
  body: { agentId: string; interactionId: string; actionType: string; clientId: string };
  /** acked: 200 with an id; refused: any other HTTP answer; failed: no answer (connection refused/reset). */
  outcome?: 'acked' | 'refused' | 'failed';
  status?: number;
  id?: string;
  error?: string;
}

export interface Caller {
  url: string;
  token: string;
  orgId: string;
}

export function makeAttempt(run: string, n: number): Attempt {
  const interactionId = `${run}-interaction-${n}`;
  return {
    n,
    interactionId,
    idempotencyKey: `${run}-key-${n}`,
    body: { agentId: `${run}-agent-${n % 37}`, interactionId, actionType: 'Break Played', clientId: 'durability' },
  };
}

export function postAction(caller: Caller, attempt: Pick<Attempt, 'body' | 'idempotencyKey'>) {
  return call(caller.url, 'POST', '/v1/agentburnout/action', {
    token: caller.token,
    headers: { 'x-organization-id': caller.orgId, 'idempotency-key': attempt.idempotencyKey },
    body: attempt.body,
  });
}

export interface BurstOptions {
  run: string;
  total: number;
  concurrency: number;
  /** Called synchronously on every 200, with the running count of 200s. */
  onAck?: (acked: number) => void;
}

/**
 * `concurrency` clients each take the next attempt until `total` have been sent or the server stops answering
 * (after the first connection failure no new attempts start: the server is gone).
 */
export async function burst(caller: Caller, options: BurstOptions): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  let next = 0;
  let acked = 0;
  let serverGone = false;
  const client = async () => {
    while (!serverGone && next < options.total) {
      const attempt = makeAttempt(options.run, next++);
      attempts.push(attempt);
      try {
        const result = await postAction(caller, attempt);
        attempt.status = result.status;
        if (result.status === 200) {
          attempt.outcome = 'acked';
          attempt.id = result.body.data.id;
          options.onAck?.(++acked);
        } else {
          attempt.outcome = 'refused';
        }
      } catch (error) {
        attempt.outcome = 'failed';
        attempt.error = String((error as Error & { cause?: unknown }).cause ?? error);
        serverGone = true;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return attempts.sort((a, b) => a.n - b.n);
}

export interface StoredAction {
  id: string;
  interactionId?: string;
  agentId: string;
  actionType: string;
}

/** Every action of the caller's org, by paging through meta.links.next. */
export async function listAllActions(caller: Caller): Promise<StoredAction[]> {
  const all: StoredAction[] = [];
  let path: string | undefined = '/v1/agentburnout/actions?limit=1000';
  while (path) {
    const page: { status: number; text: string; body: any } = await call(caller.url, 'GET', path, { token: caller.token, headers: { 'x-organization-id': caller.orgId } });
    if (page.status !== 200) throw new Error(`listing actions answered ${page.status}: ${page.text}`);
    all.push(...page.body.data);
    path = page.body.meta?.links?.next;
  }
  return all;
}

/** interactionId → every stored action id carrying it. */
export function byInteraction(actions: StoredAction[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const a of actions) {
    if (a.interactionId === undefined) continue;
    map.set(a.interactionId, [...(map.get(a.interactionId) ?? []), a.id]);
  }
  return map;
}

export interface HeldRequest {
  /** Sends the rest of the body and resolves with the answer (rejects if the connection breaks). */
  finish(): Promise<{ status: number; body: any }>;
}

/**
 * Starts a POST on its own connection and sends only part of its body, so the request is accepted by the
 * server but cannot complete until `finish()` — a request that is deterministically in flight.
 */
export function holdAction(caller: Caller, attempt: Attempt, trackingId: string): HeldRequest {
  const payload = Buffer.from(JSON.stringify(attempt.body));
  const split = Math.floor(payload.length / 2);
  const target = new URL('/v1/agentburnout/action', caller.url);
  const req = httpRequest(target, {
    method: 'POST',
    agent: false,
    headers: {
      authorization: `Bearer ${caller.token}`,
      'x-organization-id': caller.orgId,
      'idempotency-key': attempt.idempotencyKey,
      trackingid: trackingId,
      'content-type': 'application/json',
      'content-length': String(payload.length),
    },
  });
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
  });
  // Attach a handler now so a reset before finish() is not an unhandled rejection; finish() still reports it.
  answer.catch(() => undefined);
  req.write(payload.subarray(0, split));
  return {
    finish() {
      req.end(payload.subarray(split));
      return answer;
    },
  };
}
