import { createUserBody, createdUserResponse, idParams, updateUserBody, user, userList } from '@warrant/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, notFound } from '../lib/errors.ts';
import { requireAdmin } from '../plugins/app/auth.ts';

/** Account administration: administrators only. */
const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get('/api/users', { schema: { response: { 200: userList } } }, async (request) => {
    requireAdmin(request);
    return { users: fastify.users.list() };
  });

  fastify.post('/api/users', { schema: { body: createUserBody, response: { 201: createdUserResponse } } }, async (request, reply) => {
    const admin = requireAdmin(request);
    return reply.status(201).send(await fastify.accounts.createUser(request.body, admin));
  });

  fastify.patch('/api/users/:id', { schema: { params: idParams, body: updateUserBody, response: { 200: user } } }, async (request) => {
    const admin = requireAdmin(request);
    if (request.params.id === admin.id && (request.body.disabled === true || request.body.isAdmin === false)) {
      throw new AppError(400, 'VALIDATION_FAILED', 'you cannot disable yourself or remove your own administrator role');
    }
    const updated = fastify.users.update(request.params.id, request.body, admin.id);
    if (!updated) throw notFound('user');
    return updated;
  });
};

export default routes;
