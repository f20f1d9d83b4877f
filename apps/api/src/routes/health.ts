import { healthResponse } from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const VERSION = '0.1.0';

const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/api/health',
    { config: { public: true }, schema: { response: { 200: healthResponse } } },
    async () => {
      fastify.checkDatabase();
      return { status: 'ok' as const, version: VERSION, uptimeSeconds: Math.round(process.uptime()) };
    },
  );
};

export default routes;
