import {
  addMemberBody,
  addMemberResponse,
  createProjectBody,
  idParams,
  memberList,
  project,
  projectList,
  projectMemberParams,
  updateProjectBody,
  updateSchemeBody,
} from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound } from '../lib/errors.ts';
import { requireUser } from '../plugins/app/auth.ts';

const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/api/projects', { schema: { response: { 200: projectList } } }, async (request) => {
    return { projects: fastify.projects.list(requireUser(request)) };
  });

  fastify.post('/api/projects', { schema: { body: createProjectBody, response: { 201: project } } }, async (request, reply) => {
    const me = requireUser(request);
    if (!me.isAdmin && !me.canCreateProjects) throw forbidden('your account cannot create projects: ask an administrator');
    return reply.status(201).send(fastify.projects.create(request.body, me));
  });

  fastify.get('/api/projects/:id', { schema: { params: idParams, response: { 200: project } } }, async (request) => {
    return fastify.projects.get(request.params.id, requireUser(request));
  });

  fastify.patch(
    '/api/projects/:id',
    { schema: { params: idParams, body: updateProjectBody, response: { 200: project } } },
    async (request) => fastify.projects.update(request.params.id, request.body, requireUser(request)),
  );

  fastify.put(
    '/api/projects/:id/scheme',
    { schema: { params: idParams, body: updateSchemeBody, response: { 200: project } } },
    async (request) =>
      fastify.projects.updateScheme(request.params.id, request.body.scheme, requireUser(request), request.body.baseSchemeVersion),
  );

  fastify.get('/api/projects/:id/members', { schema: { params: idParams, response: { 200: memberList } } }, async (request) => {
    fastify.projects.requireRole(request.params.id, requireUser(request), 'lead');
    return { members: fastify.projects.members(request.params.id) };
  });

  /** Adds an existing account, or creates one (password generated and returned once). */
  fastify.post(
    '/api/projects/:id/members',
    { schema: { params: idParams, body: addMemberBody, response: { 201: addMemberResponse } } },
    async (request, reply) =>
      reply.status(201).send(await fastify.accounts.addMember(request.params.id, request.body, requireUser(request))),
  );

  fastify.delete(
    '/api/projects/:id/members/:userId',
    { schema: { params: projectMemberParams, response: { 204: z.null() } } },
    async (request, reply) => {
      const me = requireUser(request);
      fastify.projects.requireRole(request.params.id, me, 'lead');
      if (!fastify.projects.removeMember(request.params.id, request.params.userId, me)) throw notFound('member');
      return reply.status(204).send(null);
    },
  );
};

export default routes;
