import {
  agreementQuery,
  agreementReport,
  comparison,
  disagreementList,
  disagreementQuery,
  goldVersion,
  idParams,
  passageParams,
  putGoldBody,
} from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.ts';
import { requireUser } from '../plugins/app/auth.ts';

/** Leads only: agreement figures, the disagreement queue, comparison and the gold version. */
const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/api/projects/:id/agreement',
    { schema: { params: idParams, querystring: agreementQuery, response: { 200: agreementReport } } },
    async (request) => fastify.agreement.report(request.params.id, request.query, requireUser(request)),
  );

  fastify.get(
    '/api/projects/:id/agreement/passages',
    { schema: { params: idParams, querystring: disagreementQuery, response: { 200: disagreementList } } },
    async (request) => fastify.agreement.disagreements(request.params.id, request.query, requireUser(request)),
  );

  fastify.get(
    '/api/projects/:id/passages/:passageId/comparison',
    { schema: { params: passageParams, response: { 200: comparison } } },
    async (request) => fastify.agreement.comparison(request.params.id, request.params.passageId, requireUser(request)),
  );

  fastify.put(
    '/api/projects/:id/passages/:passageId/gold',
    { schema: { params: passageParams, body: putGoldBody, response: { 200: goldVersion } } },
    async (request) => fastify.gold.put(request.params.id, request.params.passageId, request.body, requireUser(request)),
  );

  fastify.delete(
    '/api/projects/:id/passages/:passageId/gold',
    { schema: { params: passageParams } },
    async (request, reply) => {
      const existed = fastify.gold.delete(request.params.id, request.params.passageId, requireUser(request));
      if (!existed) throw new AppError(404, 'NOT_FOUND', 'this passage has no gold version');
      return reply.status(204).send();
    },
  );
};

export default routes;
