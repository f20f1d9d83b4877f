import {
  SESSION_COOKIE,
  changePasswordBody,
  loginBody,
  sessionResponse,
  updateMeBody,
  user,
} from '@warrant/contracts';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, unauthenticated } from '../lib/errors.ts';
import { requireUser } from '../plugins/app/auth.ts';

const routes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/api/auth/session',
    { config: { public: true }, schema: { response: { 200: sessionResponse } } },
    async (request) => {
      if (!request.user || !request.session) throw unauthenticated();
      return { user: request.user, csrfToken: request.session.csrfToken };
    },
  );

  fastify.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: { body: loginBody, response: { 200: sessionResponse } },
      preValidation: async (request) => {
        // A form post from another site cannot send JSON without a CORS preflight this server never grants.
        if (!request.headers['content-type']?.toLowerCase().startsWith('application/json')) {
          throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'log in with a JSON body (Content-Type: application/json)');
        }
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const user = await fastify.accounts.authenticate(username, password, request.ip).catch((error: unknown) => {
        request.log.info({ username, ip: request.ip, code: error instanceof AppError ? error.code : 'INTERNAL' }, 'login refused');
        throw error;
      });
      // A fresh session id at every login: a session planted before login is worthless.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) fastify.sessions.destroyToken(previous);
      const { token, csrfToken } = fastify.sessions.create(user.id);
      fastify.sessions.setCookie(request, reply, token);
      request.log.info({ userId: user.id }, 'login');
      return { user, csrfToken };
    },
  );

  fastify.post(
    '/api/auth/logout',
    { config: { public: true }, schema: { response: { 204: z.null() } } },
    async (request, reply) => {
      // All of the user's sessions: a session left open on another machine is ended too.
      if (request.user) fastify.sessions.destroyAllOf(request.user.id);
      else if (request.session) fastify.sessions.destroy(request.session.id);
      fastify.sessions.clearCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  fastify.put(
    '/api/auth/password',
    { schema: { body: changePasswordBody, response: { 204: z.null() } } },
    async (request, reply) => {
      const me = requireUser(request);
      const { currentPassword, newPassword } = request.body;
      await fastify.accounts.changePassword(me, currentPassword, newPassword, request.ip, request.session?.id ?? null);
      return reply.status(204).send(null);
    },
  );

  fastify.patch('/api/me', { schema: { body: updateMeBody, response: { 200: user } } }, async (request) => {
    const me = requireUser(request);
    const updated = fastify.users.update(me.id, request.body, me.id);
    if (!updated) throw unauthenticated();
    return updated;
  });
};

export default routes;
