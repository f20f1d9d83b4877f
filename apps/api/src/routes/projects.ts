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
import { AppError, forbidden, notFound } from '../lib/errors.ts';
import { generatePassword } from '../lib/ids.ts';
import { requireUser } from '../plugins/app/auth.ts';
import { hashPassword } from '../plugins/app/passwords.ts';

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
    async (request) => fastify.projects.updateScheme(request.params.id, request.body.scheme, requireUser(request)),
  );

  fastify.get('/api/projects/:id/members', { schema: { params: idParams, response: { 200: memberList } } }, async (request) => {
    fastify.projects.requireRole(request.params.id, requireUser(request), 'lead');
    return { members: fastify.projects.members(request.params.id) };
  });

  /** Adds an existing account, or creates one (password generated and returned once). */
  fastify.post(
    '/api/projects/:id/members',
    { schema: { params: idParams, body: addMemberBody, response: { 201: addMemberResponse } } },
    async (request, reply) => {
      const me = requireUser(request);
      const projectId = request.params.id;
      fastify.projects.requireRole(projectId, me, 'lead');
      const { username, role, createAccount, displayName } = request.body;
      const existing = fastify.users.findByUsername(username);
      let generatedPassword: string | undefined;
      if (existing) {
        fastify.projects.addMember(projectId, existing.id, role, me);
      } else {
        if (!createAccount) {
          throw new AppError(404, 'NOT_FOUND', `no account is named '${username}': choose "create account" to make one`);
        }
        generatedPassword = generatePassword();
        const passwordHash = await hashPassword(generatedPassword);
        fastify.db.transaction((tx) => {
          const created = fastify.users.create({ username, displayName, passwordHash }, me.id, tx);
          fastify.projects.addMember(projectId, created.id, role, me, tx);
        });
      }
      const member = fastify.projects.members(projectId).find((m) => m.user.username === username);
      if (!member) throw notFound('member');
      return reply
        .status(201)
        .send(generatedPassword ? { member, accountCreated: true, generatedPassword } : { member, accountCreated: false });
    },
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
