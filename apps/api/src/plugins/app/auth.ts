import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CSRF_HEADER, SESSION_COOKIE, type User } from '@warrant/contracts';
import { eq, lt, or, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import { sessions, users } from '../../db/schema/users.ts';
import { AppError, unauthenticated } from '../../lib/errors.ts';
import { LoginThrottle } from './login-throttle.ts';
import { toUser } from './users-repository.ts';

export interface AuthOptions {
  secret: string;
  idleMs: number;
  maxMs: number;
  cookieSecure: 'auto' | 'true' | 'false';
}

export interface SessionInfo {
  id: string;
  csrfToken: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
    session: SessionInfo | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (health, login). */
    public?: boolean;
  }
  interface FastifyInstance {
    sessions: SessionStore;
    loginThrottle: LoginThrottle;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOUCH_INTERVAL_MS = 60_000;

export class SessionStore {
  // Every request resolves its session: prepare these once.
  private readonly byId;
  private readonly touch;

  constructor(
    private readonly db: Db,
    private readonly options: AuthOptions,
  ) {
    this.byId = db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare();
    this.touch = db
      .update(sessions)
      .set({ lastSeenAt: sql`${sql.placeholder('now')}` })
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare();
  }

  private key(token: string): string {
    return createHmac('sha256', this.options.secret).update(token).digest('hex');
  }

  create(userId: string): { token: string; csrfToken: string } {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = Date.now();
    this.db
      .insert(sessions)
      .values({ id: this.key(token), userId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt: now + this.options.maxMs })
      .run();
    return { token, csrfToken };
  }

  /** The live session and its user, or null (expired, unknown, or the user is disabled). */
  resolve(token: string): { session: SessionInfo; user: User } | null {
    const id = this.key(token);
    const row = this.byId.get({ id });
    if (!row) return null;
    const now = Date.now();
    if (row.user.disabled || row.session.expiresAt <= now || row.session.lastSeenAt + this.options.idleMs <= now) {
      this.db.delete(sessions).where(eq(sessions.id, id)).run();
      return null;
    }
    // Refresh often enough that a short idle timeout cannot expire an active session.
    if (now - row.session.lastSeenAt > Math.min(TOUCH_INTERVAL_MS, this.options.idleMs / 10)) {
      this.touch.run({ id, now });
    }
    return { session: { id, csrfToken: row.session.csrfToken }, user: toUser(row.user) };
  }

  destroy(sessionId: string): void {
    this.db.delete(sessions).where(eq(sessions.id, sessionId)).run();
  }

  /** Every session of a user (logout, a disabled account): signing out signs out everywhere. */
  destroyAllOf(userId: string): void {
    this.db.delete(sessions).where(eq(sessions.userId, userId)).run();
  }

  destroyToken(token: string): void {
    this.destroy(this.key(token));
  }

  purgeExpired(now = Date.now()): number {
    return this.db
      .delete(sessions)
      .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, now - this.options.idleMs)))
      .run().changes;
  }

  cookieOptions(request: FastifyRequest) {
    const secure = this.options.cookieSecure === 'auto' ? request.protocol === 'https' : this.options.cookieSecure === 'true';
    return {
      path: '/',
      httpOnly: true,
      sameSite: 'lax' as const,
      secure,
      maxAge: Math.floor(this.options.maxMs / 1000),
    };
  }

  setCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
    reply.setCookie(SESSION_COOKIE, token, this.cookieOptions(request));
  }

  clearCookie(request: FastifyRequest, reply: FastifyReply): void {
    const { maxAge: _maxAge, ...options } = this.cookieOptions(request);
    reply.clearCookie(SESSION_COOKIE, options);
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Browsers leave a default port out of Origin while some clients and proxies keep it in Host. */
const withoutDefaultPort = (host: string) => host.toLowerCase().replace(/:(80|443)$/, '');

/** The request comes from this site's own pages (or from a non-browser client that sends no Origin). */
export function isSameOrigin(request: FastifyRequest): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return withoutDefaultPort(new URL(origin).host) === withoutDefaultPort(request.host);
  } catch {
    return false;
  }
}

const csrfFailed = (message: string) => new AppError(403, 'CSRF_FAILED', message);

/**
 * Sessions live in SQLite behind an HttpOnly cookie, so logout and disabling a user end them at
 * once. Every state-changing request must come from this origin and carry the session's CSRF token.
 */
export default fp(
  async (fastify, options: AuthOptions) => {
    const store = new SessionStore(fastify.db, options);
    fastify.decorate('sessions', store);
    fastify.decorate('loginThrottle', new LoginThrottle());
    fastify.decorateRequest('user', null);
    fastify.decorateRequest('session', null);

    fastify.addHook('onRequest', async (request) => {
      // The matched route, not the raw URL: the router decodes paths, so `/%61pi/...` is an API route too.
      if (!request.routeOptions.url?.startsWith('/api/')) return;
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        const resolved = store.resolve(token);
        if (resolved) {
          request.user = resolved.user;
          request.session = resolved.session;
        }
      }
      const isPublic = request.routeOptions.config.public === true;
      if (!isPublic && !request.user) throw unauthenticated();

      if (STATE_CHANGING.has(request.method)) {
        if (!isSameOrigin(request)) throw csrfFailed('cross-origin requests cannot change anything here');
        if (request.session) {
          const sent = request.headers[CSRF_HEADER];
          if (typeof sent !== 'string' || !safeEqual(sent, request.session.csrfToken)) {
            throw csrfFailed(`missing or wrong ${CSRF_HEADER} header: reload the page and try again`);
          }
        }
      }
    });

    const timer = setInterval(() => store.purgeExpired(), 10 * 60_000);
    timer.unref();
    fastify.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'auth', dependencies: ['db'] },
);

export function requireUser(request: FastifyRequest): User {
  if (!request.user) throw unauthenticated();
  return request.user;
}

export function requireAdmin(request: FastifyRequest): User {
  const user = requireUser(request);
  if (!user.isAdmin) throw new AppError(403, 'FORBIDDEN', 'only an administrator can do this');
  return user;
}
