import { healthResponse } from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const VERSION = '0.1.0';

const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/api/health',
    { config: { public: true }, schema: { response: { 200: healthResponse } } },
    async () => {
      // A trivial query proves the database file is open and readable.
      fastify.sqlite.prepare('select 1').get();
      return { status: 'ok' as const, version: VERSION, uptimeSeconds: Math.round(process.uptime()) };
    },
  );
};

export default routes;
