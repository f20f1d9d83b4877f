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
import { burnVerification, checkPasswordPolicy, hashPassword, verifyPassword } from '../plugins/app/passwords.ts';

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
      const ip = request.ip;
      const wait = fastify.loginThrottle.retryAfter(username, ip);
      if (wait !== null) {
        throw new AppError(429, 'RATE_LIMITED', `too many failed logins: try again in ${wait} seconds`, { retryAfterSeconds: wait }, {
          'retry-after': String(wait),
        });
      }
      const found = fastify.users.findWithHash(username);
      let ok = false;
      if (found) ok = await verifyPassword(found.passwordHash, password);
      else await burnVerification(password);
      if (!found || !ok) {
        fastify.loginThrottle.fail(username, ip);
        request.log.info({ username, ip }, 'login failed');
        throw new AppError(401, 'INVALID_CREDENTIALS', 'wrong username or password');
      }
      if (found.user.disabled) throw new AppError(403, 'FORBIDDEN', 'this account is disabled: ask an administrator');
      fastify.loginThrottle.succeed(username);
      // A fresh session id at every login: a session planted before login is worthless.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) fastify.sessions.destroyToken(previous);
      const { token, csrfToken } = fastify.sessions.create(found.user.id);
      fastify.sessions.setCookie(request, reply, token);
      request.log.info({ userId: found.user.id }, 'login');
      return { user: found.user, csrfToken };
    },
  );

  fastify.post(
    '/api/auth/logout',
    { config: { public: true }, schema: { response: { 204: z.null() } } },
    async (request, reply) => {
      if (request.session) fastify.sessions.destroy(request.session.id);
      fastify.sessions.clearCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  fastify.put(
    '/api/auth/password',
    { schema: { body: changePasswordBody, response: { 204: z.null() } } },
    async (request, reply) => {
      const me = requireUser(request);
      // Guessing the current password from a stolen session is throttled like logins.
      const wait = fastify.loginThrottle.retryAfter(me.username, request.ip);
      if (wait !== null) {
        throw new AppError(429, 'RATE_LIMITED', `too many wrong passwords: try again in ${wait} seconds`, { retryAfterSeconds: wait }, {
          'retry-after': String(wait),
        });
      }
      const current = fastify.users.passwordHashOf(me.id);
      if (!current || !(await verifyPassword(current, request.body.currentPassword))) {
        fastify.loginThrottle.fail(me.username, request.ip);
        throw new AppError(400, 'INVALID_CREDENTIALS', 'the current password is wrong', {
          issues: [{ path: 'currentPassword', message: 'wrong password' }],
        });
      }
      checkPasswordPolicy(request.body.newPassword, me.username);
      // Every other session of this user ends; this one continues.
      fastify.users.setPasswordHash(me.id, await hashPassword(request.body.newPassword), request.session?.id ?? null);
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
