import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSRF_HEADER, SESSION_COOKIE, sessionResponse, type User } from '@warrant/contracts';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { hashPassword } from '../../src/plugins/app/passwords.ts';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

/** The real app on its own temporary SQLite file, migrated; no port is opened. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'warrant-api-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    WARRANT_DATA_DIR: dataDir,
    WARRANT_SESSION_SECRET: randomBytes(32).toString('base64url'),
    WARRANT_DEMO: 'false',
    WARRANT_WEB_DIR: join(dataDir, 'no-web'),
    ...env,
  });
  const app = await buildServer(config, { logger: process.env.TEST_LOG ? { level: "error" } : false });
  await app.ready();
  return {
    app,
    config,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface UserSpec {
  username: string;
  password?: string;
  isAdmin?: boolean;
  canCreateProjects?: boolean;
}

export const DEFAULT_PASSWORD = 'correct horse battery staple';

export async function createUser(app: FastifyInstance, spec: UserSpec): Promise<User> {
  return app.users.create(
    {
      username: spec.username,
      passwordHash: await hashPassword(spec.password ?? DEFAULT_PASSWORD),
      isAdmin: spec.isAdmin ?? false,
      canCreateProjects: spec.canCreateProjects ?? false,
    },
    null,
  );
}

/** A logged-in browser: keeps the session cookie and sends the CSRF token on every change. */
export class Client {
  constructor(
    readonly app: FastifyInstance,
    readonly cookie: string,
    readonly csrfToken: string,
    readonly user: User,
  ) {}

  static async login(app: FastifyInstance, username: string, password = DEFAULT_PASSWORD): Promise<Client> {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
    if (!cookie) throw new Error('no session cookie');
    const body = sessionResponse.parse(res.json());
    return new Client(app, cookie.value, body.csrfToken, body.user);
  }

  request(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.app.inject({
      ...options,
      cookies: { [SESSION_COOKIE]: this.cookie, ...(options.cookies ?? {}) },
      headers: { [CSRF_HEADER]: this.csrfToken, ...(options.headers ?? {}) },
    });
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }
  post(url: string, payload?: unknown) {
    return this.request({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) });
  }
  put(url: string, payload: unknown) {
    return this.request({ method: 'PUT', url, payload: payload as object });
  }
  patch(url: string, payload: unknown) {
    return this.request({ method: 'PATCH', url, payload: payload as object });
  }
  delete(url: string) {
    return this.request({ method: 'DELETE', url });
  }
}
