import { exportProgress, exportProgressParams, exportQuery, idParams } from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../plugins/app/auth.ts';

/** A download that stalls this long is dropped, so no reader holds a database snapshot forever. */
export const EXPORT_IDLE_TIMEOUT_MS = 60_000;

const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/api/projects/:id/export', { schema: { params: idParams, querystring: exportQuery } }, async (request, reply) => {
    const download = fastify.exports.download(request.params.id, request.query.format, requireUser(request), request.query.progress);
    request.log.info({ projectId: request.params.id, format: request.query.format }, 'export');
    reply.raw.setTimeout(EXPORT_IDLE_TIMEOUT_MS, () => download.stream.destroy());
    return reply
      .header('content-type', download.contentType)
      .header('content-disposition', `attachment; filename="${download.filename}"`)
      .header('cache-control', 'no-store')
      .send(download.stream);
  });

  fastify.get(
    '/api/projects/:id/export/progress/:token',
    { schema: { params: exportProgressParams, response: { 200: exportProgress } } },
    async (request) => fastify.exports.progressOf(request.params.id, request.params.token, requireUser(request)),
  );
};

export default routes;
