import {
  annotationSetList,
  idParams,
  importResponse,
  passage,
  passageList,
  passageListQuery,
} from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.ts';
import { MAX_IMPORT_FILES } from '../plugins/app/imports-service.ts';
import { requireUser } from '../plugins/app/auth.ts';

const routes: FastifyPluginAsyncZod = async (fastify) => {
  /**
   * Streams a multipart upload (field `file`, optional field `format` before it) through the
   * parser; the passages are written in one transaction only if the whole file is valid.
   */
  fastify.post(
    '/api/projects/:id/imports',
    { schema: { params: idParams, response: { 201: importResponse } } },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'upload the file as multipart/form-data in a field named "file"');
      }
      const summary = await fastify.imports.importUpload(request.params.id, requireUser(request), () => request.parts({ limits: { files: MAX_IMPORT_FILES, parts: MAX_IMPORT_FILES + 10 } }));
      return reply.status(201).send({ import: summary });
    },
  );

  fastify.get(
    '/api/projects/:id/passages',
    { schema: { params: idParams, querystring: passageListQuery, response: { 200: passageList } } },
    async (request) => fastify.passages.list(request.params.id, request.query.offset, request.query.limit, requireUser(request)),
  );

  fastify.get('/api/passages/:id', { schema: { params: idParams, response: { 200: passage } } }, async (request) =>
    fastify.passages.get(request.params.id, requireUser(request)),
  );

  fastify.get(
    '/api/passages/:id/annotation-sets',
    { schema: { params: idParams, response: { 200: annotationSetList } } },
    async (request) => ({ sets: fastify.annotations.listForPassage(request.params.id, requireUser(request)) }),
  );
};

export default routes;
