// One autocannon round of POST /v1/agentburnout/action, reduced to the figures bench/actions.ts reports.
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  token: string;
  orgId: string;
  connections: number;
  durationSec: number;
  /**
   * Distinct agents the bodies go through (so per-agent work is not one hot row), in a scattered order:
   * consecutive requests are for agents far apart, as in real traffic. Cycling through them in order
   * put each commit's actions on neighbouring index pages and flattered the agent indexes.
   */
  agents?: number;
}

export interface RoundResult {
  okPerSec: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export async function loadActions(options: LoadOptions): Promise<RoundResult> {
  const agents = options.agents ?? 1000;
  const bodies = Array.from({ length: agents }, (_, i) =>
    JSON.stringify({ agentId: `bench-agent-${i}`, actionType: 'Break Played', clientId: 'bench' }));
  let next = 0;
  /** A step coprime with the agent count: every agent equally often, neighbours far apart. */
  const stride = 7919;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    requests: [
      {
        method: 'POST',
        path: '/v1/agentburnout/action',
        headers: {
          authorization: `Bearer ${options.token}`,
          'x-organization-id': options.orgId,
          'content-type': 'application/json',
        },
        setupRequest(request) {
          request.body = bodies[(next++ * stride) % agents];
          return request;
        },
      },
    ],
  });
  return {
    okPerSec: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
