// GET /v1/events: the organization's event log after an id, and with `wait` a long-poll that answers as
// soon as a matching event is committed (the bus says so; the answer is read from the log).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { MAX_ID_LENGTH } from '../../domain/signals.ts';
import { Type } from '../../typebox.ts';
import type { AppDeps } from '../app.ts';
import { access } from '../route-config.ts';
import { validationError } from '../../domain/errors.ts';
import { EVENT_TYPES, type EventEnvelope } from '../../domain/events.ts';
import type { EventQuery } from '../../store/types.ts';
import { LongPolls } from '../../bus/long-polls.ts';
import { clampLimit, csvList, listMeta } from '../paging.ts';

/** Longest long-poll (s): below the usual 60 s idle timeout of proxies and load balancers. */
export const MAX_WAIT_SECONDS = 55;

const EventSchema = Type.Object({
  id: Type.Integer(),
  type: Type.String(),
  orgId: Type.String(),
  agentId: Type.Optional(Type.String()),
  interactionId: Type.Optional(Type.String()),
  time: Type.Integer(),
  data: Type.Record(Type.String(), Type.Any()),
});

/** Aborts when the client goes away before its answer is sent. */
function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => gone.abort());
  return gone.signal;
}

export const eventRoutes = (deps: AppDeps): FastifyPluginAsyncTypebox => async (app) => {
  const { store, settings } = deps;
  const longPolls = new LongPolls(deps.bus);
  // A shutdown answers every waiting long-poll at once (with what there is) instead of waiting it out.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  app.get('/v1/events', {
    config: access('event', settings.rateLimitPerMinute, 'respite:events'),
    schema: {
      tags: ['Respite: engine'],
      summary: 'Replay the organization\'s event log after an event id; with `wait`, wait for the next event',
      description: `Events in id order. With wait=N and nothing after \`after\` yet, the answer comes as soon as a matching event is committed, or after N seconds with an empty list (long-polling: ask again with the last id you saw). A server shutting down answers waiting requests at once.`,
      querystring: Type.Object({
        after: Type.Integer({ minimum: 0, default: 0, description: 'return events with id > after' }),
        type: Type.Optional(Type.String({ maxLength: 500, description: `comma-separated event types (${EVENT_TYPES.join(', ')})` })),
        agentId: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH })),
        limit: Type.Integer({ minimum: 1, default: 100 }),
        wait: Type.Integer({ minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0, description: 'seconds to wait for a matching event when there is none yet' }),
      }),
      response: { 200: Type.Object({ data: Type.Array(EventSchema), meta: Type.Any() }) },
    },
  }, async (request, reply) => {
    const q = request.query;
    const types = csvList(q.type);
    const unknown = types?.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
    if (unknown && unknown.length > 0) throw validationError(`type: unknown event type(s) ${unknown.join(', ')}`);
    const limit = clampLimit(q.limit);
    const query: EventQuery = { orgId: request.token.orgId, after: q.after, types, agentId: q.agentId, limit };
    // Listening starts before the read: an event committed in between still ends the wait.
    const waiter = q.wait > 0 ? longPolls.listen(query.orgId, query) : undefined;
    let data: EventEnvelope[];
    try {
      data = await store.events.list(query);
      if (waiter && data.length === 0 && (await waiter.wait(q.wait * 1000, AbortSignal.any([closing.signal, clientGone(reply)])))) {
        data = await store.events.list(query);
      }
    } finally {
      waiter?.close();
    }
    const meta = listMeta(request, limit, undefined);
    const last = data[data.length - 1];
    if (data.length === limit && last) {
      const url = new URL(request.url, 'http://respite.local');
      url.searchParams.set('after', String(last.id));
      (meta.links as Record<string, string>).next = url.pathname + url.search;
    }
    return { data, meta };
  });
};
