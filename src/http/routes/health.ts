import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app.ts';
import { Type } from '../../typebox.ts';
import { AppError } from '../../domain/errors.ts';

export const healthRoutes = (deps: AppDeps): FastifyPluginAsync => async (app) => {
  const open = { config: { entity: 'health' as const, auth: { public: true } }, schema: { tags: ['health'] } };
  const status = (value: string) => ({ 200: Type.Object({ status: Type.Literal(value) }) });
  app.get('/healthz', { ...open, schema: { ...open.schema, summary: 'The process is up', response: status('ok') } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { ...open, schema: { ...open.schema, summary: 'The database answers and the engine accepts inputs', response: status('ready') } }, async () => {
    const ok = await deps.store.ping().catch(() => false);
    if (!ok) throw new AppError('unavailable', ['database is not reachable']);
    const broken = deps.engine.unavailable();
    if (broken) throw broken;
    return { status: 'ready' };
  });
};
