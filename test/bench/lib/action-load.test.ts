import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadActions, wrkInstalled, wrkRound, type LoadGenerator } from '../../../bench/lib/action-load.ts';

const SUMMARY = '{"requests":2500,"durationUs":2000000,"non2xx":100,"connect":1,"read":2,"write":3,"timeout":4,"p50Us":1234,"p99Us":25060}';

/** A server that records every request it answers (200 to every one but each seventh, answered 500). */
async function recordingServer() {
  const seen: { body: string; headers: IncomingHttpHeaders; path: string | undefined }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      seen.push({ body, headers: request.headers, path: request.url });
      response.statusCode = seen.length % 7 === 0 ? 500 : 200;
      response.end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, url, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('bench:actions load', () => {
  test("reads wrk's summary line and bash's `times` into a round", () => {
    const round = wrkRound(`Running 2s test @ http://x\n${SUMMARY}\n0m0.010s 0m0.002s\n0m1.250s 0m0.310s\n`);
    assert.deepEqual(round, { okPerSec: 1200, p50Ms: 1.2, p99Ms: 25.1, ok: 2400, non2xx: 100, errors: 6, timeouts: 4, loadGenCpuMs: 1560 });
  });

  test('refuses output without a summary or without the CPU times', () => {
    assert.throws(() => wrkRound('unable to connect to 127.0.0.1:1\n'), /no summary/);
    assert.throws(() => wrkRound(`${SUMMARY}\n`), /unexpected `times` output/);
  });

  const generators: LoadGenerator[] = ['autocannon', 'wrk'];
  for (const generator of generators) {
    test(`${generator} posts the agents' bodies in the scattered order with the org's headers, and counts 200s only`, async (t) => {
      if (generator === 'wrk' && !(await wrkInstalled())) return t.skip('wrk is not installed (apt-get install wrk)');
      const server = await recordingServer();
      try {
        const agents = 10;
        const round = await loadActions({ url: server.url, token: 'secret', orgId: 'org-1', connections: 1, durationSec: 1, generator, agents });
        assert.ok(server.seen.length > 2 * agents, `only ${server.seen.length} requests in a second`);
        server.seen.forEach(({ body, headers, path }, i) => {
          assert.equal(path, '/v1/agentburnout/action');
          assert.equal(headers.authorization, 'Bearer secret');
          assert.equal(headers['x-organization-id'], 'org-1');
          assert.equal(headers['content-type'], 'application/json');
          // Request i is for agent i × 7919 mod agents: neighbours far apart, every agent equally often.
          assert.deepEqual(JSON.parse(body), { agentId: `bench-agent-${(i * 7919) % agents}`, actionType: 'Break Played', clientId: 'bench' });
        });
        const answered = server.seen.length;
        const failed = Math.floor(answered / 7);
        // At most the one request in flight at the deadline is answered but not counted.
        assert.ok(round.ok + round.non2xx >= answered - 1 && round.ok + round.non2xx <= answered, `${round.ok} + ${round.non2xx} of ${answered}`);
        assert.ok(Math.abs(round.non2xx - failed) <= 1, `${round.non2xx} non-2xx, ${failed} answered 500`);
        assert.ok(round.loadGenCpuMs > 0);
        assert.ok(round.p99Ms >= round.p50Ms);
      } finally {
        await server.close();
      }
    });
  }
});
