import { annotationSet, changeBody, changeResponse, historyList, historyQuery, idParams, nextResponse, queue } from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireUser } from '../plugins/app/auth.ts';

const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/api/projects/:id/queue', { schema: { params: idParams, response: { 200: queue } } }, async (request) =>
    fastify.annotations.queue(request.params.id, requireUser(request)),
  );

  fastify.post('/api/projects/:id/queue/next', { schema: { params: idParams, response: { 200: nextResponse } } }, async (request) => ({
    item: fastify.annotations.next(request.params.id, requireUser(request)),
  }));

  fastify.get('/api/annotation-sets/:id', { schema: { params: idParams, response: { 200: annotationSet } } }, async (request) =>
    fastify.annotations.get(request.params.id, requireUser(request)),
  );

  fastify.post(
    '/api/annotation-sets/:id/changes',
    { schema: { params: idParams, body: changeBody, response: { 200: changeResponse } } },
    async (request) => fastify.annotations.applyChange(request.params.id, request.body, requireUser(request)),
  );

  fastify.get(
    '/api/annotation-sets/:id/history',
    {
      schema: {
        params: idParams,
        querystring: historyQuery,
        response: { 200: historyList },
      },
    },
    async (request) => fastify.annotations.history(request.params.id, requireUser(request), request.query.after, request.query.limit),
  );
};

export default routes;
