import {
  annotationSetList,
  idParams,
  importResponse,
  passage,
  passageList,
  passageListQuery,
} from '@warrant/contracts';
import { PASSAGE_FORMATS, PassageSizeLimitError, detectPassageFormat, parsePassages, type PassageFormat } from '@warrant/formats';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.ts';
import { requireUser } from '../plugins/app/auth.ts';
import { importRejected } from '../plugins/app/passages-repository.ts';

const tooLarge = (limit: number) =>
  new AppError(413, 'PAYLOAD_TOO_LARGE', `the file is larger than ${Math.round(limit / 1024 / 1024)} MB: split it and import the parts`);

const routes: FastifyPluginAsyncZod = async (fastify) => {
  /**
   * Streams a multipart upload (field `file`, optional field `format` before it) through the
   * parser; the passages are written in one transaction only if the whole file is valid.
   */
  fastify.post(
    '/api/projects/:id/imports',
    { schema: { params: idParams, response: { 201: importResponse } } },
    async (request, reply) => {
      const me = requireUser(request);
      fastify.projects.requireRole(request.params.id, me, 'lead');
      if (!request.isMultipart()) {
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'upload the file as multipart/form-data in a field named "file"');
      }
      const file = await request.file();
      if (!file || file.fieldname !== 'file') {
        throw new AppError(400, 'VALIDATION_FAILED', 'no file: send it in a multipart field named "file"');
      }
      const filename = file.filename.replace(/[\\/]/g, '_').slice(0, 255) || 'upload';
      const formatField = file.fields.format;
      const requested = formatField && 'value' in formatField ? String(formatField.value) : '';
      const format: PassageFormat | null = requested
        ? (PASSAGE_FORMATS.find((f) => f === requested) ?? null)
        : detectPassageFormat(filename);
      if (!format) {
        file.file.resume();
        throw new AppError(400, 'VALIDATION_FAILED', `cannot tell the format of '${filename}': use .txt, .jsonl or .csv`, {
          issues: [{ path: 'format', message: `expected one of ${PASSAGE_FORMATS.join(', ')}` }],
        });
      }
      const parseStart = performance.now();
      let parsed;
      try {
        parsed = await parsePassages(file.file, format, { maxBytes: fastify.maxImportBytes });
      } catch (error) {
        if (error instanceof PassageSizeLimitError) {
          file.file.resume();
          throw tooLarge(fastify.maxImportBytes);
        }
        throw error;
      }
      if (file.file.truncated) throw tooLarge(fastify.maxImportBytes);
      if (parsed.errors.length > 0) throw importRejected(filename, parsed.errors, parsed.errorCount);
      const writeStart = performance.now();
      const summary = fastify.passages.importPassages(
        request.params.id,
        { filename, format, bytes: parsed.bytes, passages: parsed.passages, warnings: parsed.warnings },
        me,
      );
      request.log.info(
        {
          projectId: request.params.id,
          importId: summary.id,
          passages: summary.passages,
          bytes: summary.bytes,
          parseMs: Math.round(writeStart - parseStart),
          writeMs: Math.round(performance.now() - writeStart),
        },
        'import',
      );
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
