import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app.ts';

export const engineRoutes = (_deps: AppDeps): FastifyPluginAsync => async () => {};
