import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkSecret, type Config } from './config.ts';
import accountsService from './plugins/app/accounts-service.ts';
import annotatedImports from './plugins/app/annotated-imports.ts';
import agreementService from './plugins/app/agreement-service.ts';
import annotationsRepository from './plugins/app/annotations-repository.ts';
import auth from './plugins/app/auth.ts';
import errorHandler from './plugins/app/error-handler.ts';
import exportService from './plugins/app/export-service.ts';
import goldRepository from './plugins/app/gold-repository.ts';
import importsService from './plugins/app/imports-service.ts';
import passagesRepository from './plugins/app/passages-repository.ts';
import releaseService from './plugins/app/release-service.ts';
import projectsRepository from './plugins/app/projects-repository.ts';
import usersRepository from './plugins/app/users-repository.ts';
import db from './plugins/external/db.ts';
import multipart from './plugins/external/multipart.ts';
import security, { frameworkErrors } from './plugins/external/security.ts';
import web from './plugins/external/web.ts';
import agreementRoutes from './routes/agreement.ts';
import annotationSetRoutes from './routes/annotation-sets.ts';
import authRoutes from './routes/auth.ts';
import exportRoutes from './routes/export.ts';
import healthRoutes from './routes/health.ts';
import passageRoutes from './routes/passages.ts';
import projectRoutes from './routes/projects.ts';
import releaseRoutes from './routes/releases.ts';
import userRoutes from './routes/users.ts';

/** JSON bodies; uploads are multipart and streamed with their own limit. */
export const BODY_LIMIT = 2 * 1024 * 1024;

/**
 * Without WARRANT_SESSION_SECRET (never in production), a random secret is generated once and
 * kept in the data directory, so sessions survive restarts and no default secret exists.
 */
export function resolveSessionSecret(config: Config): string {
  if (config.sessionSecret !== undefined) return config.sessionSecret;
  const file = join(config.dataDir, 'session-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    checkSecret(secret);
    return secret;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Where the built web app is: WARRANT_WEB_DIR, else apps/web/dist next to this package. */
export function defaultWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i += 1) {
    const candidate = join(dir, '..', 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return resolve(candidate);
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');
}

/** The whole application as a plugin: never listens (server.ts does; tests use inject). */
export async function app(fastify: FastifyInstance, config: Config): Promise<void> {
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);

  await fastify.register(db, { dataDir: config.dataDir });
  await fastify.register(security);
  await fastify.register(multipart, { maxFileBytes: config.maxImportBytes });

  await fastify.register(errorHandler);
  await fastify.register(auth, {
    secret: resolveSessionSecret(config),
    idleMs: config.sessionIdleMs,
    maxMs: config.sessionMaxMs,
    cookieSecure: config.cookieSecure,
  });
  await fastify.register(usersRepository);
  await fastify.register(projectsRepository);
  await fastify.register(accountsService);
  await fastify.register(passagesRepository);
  await fastify.register(annotationsRepository);
  await fastify.register(goldRepository);
  await fastify.register(agreementService);
  await fastify.register(annotatedImports);
  await fastify.register(importsService);
  await fastify.register(exportService);
  await fastify.register(releaseService);

  await fastify.register(healthRoutes);
  await fastify.register(authRoutes);
  await fastify.register(userRoutes);
  await fastify.register(projectRoutes);
  await fastify.register(passageRoutes);
  await fastify.register(annotationSetRoutes);
  await fastify.register(exportRoutes);
  await fastify.register(agreementRoutes);
  await fastify.register(releaseRoutes);

  await fastify.register(web, { webDir: config.webDir ?? defaultWebDir() });
}

/** The server's options (one place, so tests that build the app by hand get the same). */
export function serverOptions(config: Config, options: FastifyServerOptions = {}): FastifyServerOptions {
  return {
    bodyLimit: BODY_LIMIT,
    // A malformed URL is answered by the router before any hook: give it the app's error and headers.
    frameworkErrors,
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    ...options,
  };
}

export async function buildServer(config: Config, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const fastify = Fastify(serverOptions(config, options)).withTypeProvider<ZodTypeProvider>();
  await app(fastify, config);
  return fastify;
}
