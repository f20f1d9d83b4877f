import { z } from 'zod';

/** Secrets that must never protect a real deployment (seen in peers' docs and examples). */
const KNOWN_DEFAULT_SECRETS = new Set(['changeme', 'change-me', 'secret', 'session-secret', 'warrant', 'development']);

const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WARRANT_DATA_DIR: z.string().default('./data'),
  WARRANT_SESSION_SECRET: z.string().optional(),
  WARRANT_DEMO: bool.default(true),
  WARRANT_ADMIN_PASSWORD: z.string().min(12).optional(),
  WARRANT_WEB_DIR: z.string().optional(),
  WARRANT_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  WARRANT_TRUST_PROXY: bool.default(false),
  WARRANT_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(12 * 60),
  WARRANT_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(7 * 24),
  WARRANT_MAX_IMPORT_MB: z.coerce.number().int().min(1).max(1024).default(100),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: string;
  dataDir: string;
  /** Undefined means: generate one and keep it in the data directory (never in production). */
  sessionSecret: string | undefined;
  demo: boolean;
  /** Used once, at first start, for the `admin` account instead of a generated password (provisioning, CI). */
  adminPassword: string | undefined;
  webDir: string | undefined;
  cookieSecure: 'auto' | 'true' | 'false';
  trustProxy: boolean;
  sessionIdleMs: number;
  sessionMaxMs: number;
  maxImportBytes: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const secret = e.WARRANT_SESSION_SECRET;
  if (secret !== undefined) checkSecret(secret);
  if (e.NODE_ENV === 'production' && secret === undefined) {
    throw new ConfigError(
      'WARRANT_SESSION_SECRET is required in production: set it to at least 32 random characters (e.g. `openssl rand -base64 48`)',
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    dataDir: e.WARRANT_DATA_DIR,
    sessionSecret: secret,
    demo: e.WARRANT_DEMO,
    adminPassword: e.WARRANT_ADMIN_PASSWORD,
    webDir: e.WARRANT_WEB_DIR,
    cookieSecure: e.WARRANT_COOKIE_SECURE,
    trustProxy: e.WARRANT_TRUST_PROXY,
    sessionIdleMs: e.WARRANT_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: e.WARRANT_SESSION_MAX_HOURS * 3_600_000,
    maxImportBytes: e.WARRANT_MAX_IMPORT_MB * 1024 * 1024,
  };
}

export function checkSecret(secret: string): void {
  if (secret.length < 32) {
    throw new ConfigError('WARRANT_SESSION_SECRET must be at least 32 characters long');
  }
  if (KNOWN_DEFAULT_SECRETS.has(secret.toLowerCase()) || new Set(secret).size < 8) {
    throw new ConfigError('WARRANT_SESSION_SECRET looks like a placeholder: use a random value');
  }
}
