import { createReleaseBody, idParams, releaseFileParams, releaseList, releaseParams, releaseSummary } from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../plugins/app/auth.ts';
import { EXPORT_IDLE_TIMEOUT_MS } from './export.ts';

/** Dataset releases (leads only): cut once, listed, downloaded whole or file by file; never changed. */
const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/api/projects/:id/releases', { schema: { params: idParams, response: { 200: releaseList } } }, async (request) => ({
    releases: fastify.releases.list(request.params.id, requireUser(request)),
  }));

  fastify.post(
    '/api/projects/:id/releases',
    { schema: { params: idParams, body: createReleaseBody, response: { 201: releaseSummary } } },
    async (request, reply) => {
      const release = await fastify.releases.create(request.params.id, request.body, requireUser(request));
      request.log.info({ projectId: request.params.id, releaseId: release.id, version: release.version, records: release.records }, 'release');
      return reply.status(201).send(release);
    },
  );

  fastify.get('/api/projects/:id/releases/:releaseId', { schema: { params: releaseParams, response: { 200: releaseSummary } } }, async (request) =>
    fastify.releases.get(request.params.id, request.params.releaseId, requireUser(request)),
  );

  fastify.get('/api/projects/:id/releases/:releaseId/download', { schema: { params: releaseParams } }, async (request, reply) => {
    const download = await fastify.releases.download(request.params.id, request.params.releaseId, requireUser(request));
    reply.raw.setTimeout(EXPORT_IDLE_TIMEOUT_MS, () => download.stream.destroy());
    return reply
      .header('content-type', 'application/gzip')
      .header('content-disposition', `attachment; filename="${download.filename}"`)
      .header('cache-control', 'no-store')
      .send(download.stream);
  });

  fastify.get('/api/projects/:id/releases/:releaseId/files/:path', { schema: { params: releaseFileParams } }, async (request, reply) => {
    const file = await fastify.releases.file(request.params.id, request.params.releaseId, request.params.path, requireUser(request));
    return reply
      .header('content-type', file.contentType)
      .header('content-length', String(file.bytes))
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .send(file.stream);
  });
};

export default routes;
