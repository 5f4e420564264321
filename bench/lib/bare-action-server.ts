// The yardstick for bench/actions.ts: the same route, headers and body validation as Respite's
// POST /v1/agentburnout/action, answering a same-shaped ActionResponse, but no auth, no storage, no fsync.
// Run as a child process; prints one JSON line {"url": …} once listening, exits on SIGTERM.
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { ActionRequestSchema, type ActionRequest } from '../../src/domain/actions.ts';

const app = Fastify({
  logger: false,
  // Same validator settings as src/http/app.ts, so both sides pay the same validation cost.
  ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
});

app.post<{ Body: ActionRequest }>('/v1/agentburnout/action', { schema: { body: ActionRequestSchema } }, async (request) => {
  const now = Date.now();
  const body = request.body;
  return {
    data: {
      id: randomUUID(),
      interactionId: body.interactionId,
      orgId: request.headers['x-organization-id'],
      agentId: body.agentId,
      clientId: body.clientId,
      actionType: body.actionType,
      actionDateTime: body.actionDateTime === undefined ? now : Number(body.actionDateTime),
      createdDateTime: now,
    },
    trackingId: `bare_${randomUUID()}`,
  };
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
