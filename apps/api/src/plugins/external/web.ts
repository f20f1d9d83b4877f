import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Serves the built web app: hashed assets cached for a year (looked up per request, so a rebuild
 * under a running server is served, and a missing asset is a 404, never the page), other files
 * and index.html never cached, and index.html for any other GET outside /api so client-side
 * routes survive a reload.
 */
export default fp(
  async (fastify, opts: { webDir: string | undefined }) => {
    const root = opts.webDir;
    if (!root || !existsSync(join(root, 'index.html'))) {
      fastify.log.warn({ webDir: root }, 'web app not built: only the API is served (run `pnpm build`)');
      return;
    }
    await fastify.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      wildcard: true,
      index: false,
      decorateReply: false,
      setHeaders(reply) {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
    await fastify.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      globIgnore: ['assets/**', 'index.html'],
      setHeaders(reply) {
        reply.header('cache-control', 'no-cache');
      },
    });
    const sendIndex = (reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
    fastify.get('/', (_request, reply) => sendIndex(reply));
    fastify.get('/*', (request, reply) => {
      if (request.url.startsWith('/api/') || request.url.startsWith('/assets/')) return reply.callNotFound();
      return sendIndex(reply);
    });
  },
  { name: 'web' },
);
