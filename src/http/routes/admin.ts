// Operational figures for an operator with respite:admin: the process's memory and the caller's own
// tracked agents (nothing of another organization). bench:ingest reads it to report heap per agent.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '../../typebox.ts';
import type { AppDeps } from '../app.ts';
import { access } from '../route-config.ts';

const MemorySchema = Type.Object({
  agents: Type.Integer({ description: 'agents the engine tracks for the caller\'s organization' }),
  heapUsed: Type.Integer({ description: 'bytes of live JS heap on the engine\'s thread' }),
  arrayBuffers: Type.Integer({ description: 'bytes of ArrayBuffer backing stores (typed arrays live there)' }),
  rss: Type.Integer({ description: 'resident set size of the process, bytes' }),
  collected: Type.Boolean({ description: 'a full garbage collection ran first (gc=true, and the process runs with --expose-gc)' }),
});

export const adminRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/v1/admin/memory', {
    config: access('process', deps.settings.rateLimitPerMinute, 'respite:admin'),
    schema: {
      tags: ['Respite'],
      summary: 'Process memory and the number of tracked agents of the caller\'s organization',
      querystring: Type.Object({ gc: Type.Boolean({ default: false, description: 'collect garbage first (only when the process runs with --expose-gc)' }) }),
      response: { 200: MemorySchema },
    },
  }, async (request) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    const collected = request.query.gc && typeof gc === 'function';
    if (collected) {
      // Twice: the first pass can leave objects that only die once finalizers have run.
      gc();
      gc();
    }
    const memory = process.memoryUsage();
    return {
      agents: deps.engine.org(request.token.orgId).agents.size,
      heapUsed: memory.heapUsed,
      arrayBuffers: memory.arrayBuffers,
      rss: memory.rss,
      collected,
    };
  });
};
