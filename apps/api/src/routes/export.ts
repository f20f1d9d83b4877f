import { Readable } from 'node:stream';
import { exportQuery, idParams } from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../plugins/app/auth.ts';

function slug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return ascii || 'project';
}

const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/api/projects/:id/export', { schema: { params: idParams, querystring: exportQuery } }, async (request, reply) => {
    const me = requireUser(request);
    const project = fastify.projects.get(request.params.id, me);
    fastify.projects.requireRole(project.id, me, 'lead');
    const date = new Date().toISOString().slice(0, 10);
    request.log.info({ projectId: project.id, format: request.query.format }, 'export');
    return reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="${slug(project.name)}-${date}.jsonl"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(fastify.exports.jsonl(project.id), { objectMode: false }));
  });
};

export default routes;
