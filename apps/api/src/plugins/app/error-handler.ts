import type { ErrorBody, ErrorCode } from '@warrant/contracts';
import type { FastifyError, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.ts';

function send(reply: FastifyReply, status: number, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/**
 * Issues sent back for one invalid body: a 1,000-op change with every op wrong would otherwise be
 * answered with thousands of issues (hundreds of kilobytes). The count says how many there were.
 */
export const MAX_ISSUES = 100;

/** SQLite errors that mean "the disk cannot take writes now": tell the client, keep its edits. */
const STORAGE_ERRORS = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_CANTOPEN']);

/**
 * One error handler: validation -> 400 with the issues; known errors -> their status and code;
 * anything else -> logged 500 with a generic message (nothing internal leaks).
 */
export default fp(
  async (fastify) => {
    fastify.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        if (error.headers) reply.headers(error.headers);
        return send(reply, error.statusCode, error.code, error.message, error.details);
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const issues = error.validation.slice(0, MAX_ISSUES).map((issue) => {
          const path = [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.');
          return { path, message: issue.message };
        });
        const first = issues[0];
        return send(reply, 400, 'VALIDATION_FAILED', first ? `${first.path}: ${first.message}` : 'invalid request', {
          issues,
          ...(error.validation.length > issues.length ? { issueCount: error.validation.length } : {}),
        });
      }
      if (isResponseSerializationError(error)) {
        request.log.error({ err: error }, 'response did not match its schema');
        return send(reply, 500, 'INTERNAL', 'internal error');
      }
      const sqliteCode = (error as { code?: unknown }).code;
      if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_CONSTRAINT')) {
        // A race another check normally catches first (two requests creating the same name, say).
        request.log.warn({ err: error }, 'constraint refused a write');
        return send(reply, 409, 'CONFLICT', 'this conflicts with something that already exists: reload and try again');
      }
      if (typeof sqliteCode === 'string' && [...STORAGE_ERRORS].some((c) => sqliteCode.startsWith(c))) {
        request.log.error({ err: error }, 'storage unavailable');
        reply.header('retry-after', '5');
        return send(reply, 503, 'STORAGE_UNAVAILABLE', 'the server cannot store changes right now; nothing was saved');
      }
      const status = error.statusCode ?? 500;
      if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE') {
        return send(reply, 413, 'PAYLOAD_TOO_LARGE', 'the request body is too large');
      }
      if (status === 415) {
        return send(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', error.message);
      }
      if (status >= 400 && status < 500) {
        // Fastify's own client errors (malformed JSON, bad multipart, empty body...).
        return send(reply, status === 429 ? 429 : 400, status === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED', error.message);
      }
      request.log.error({ err: error }, 'unhandled error');
      return send(reply, 500, 'INTERNAL', 'internal error');
    });

    fastify.setNotFoundHandler((request, reply) => {
      return send(reply, 404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`);
    });
  },
  { name: 'error-handler' },
);
