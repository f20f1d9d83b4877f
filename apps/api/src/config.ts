import { z } from 'zod';

/**
 * Words of secrets that must never protect a real deployment (seen in peers' docs and examples).
 * All at least 6 letters, so a random base64 secret practically never contains one by chance.
 */
const PLACEHOLDER_WORDS = [
  'changeme', 'change-me', 'change_me', 'secret', 'password', 'warrant', 'development', 'example', 'default',
  'replace', 'insecure', 'placeholder', 'keyboard',
];

const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/**
 * Which reverse proxies to believe about the client address: `false`, a number of hops
 * (`true` means 1), or a comma-separated list of proxy addresses/CIDRs. Never "every hop":
 * that would let a client pick its own address with X-Forwarded-For.
 */
const trustProxy = z
  .string()
  .regex(/^(true|false|\d{1,2}|[0-9a-fA-F:.,/ ]+)$/, 'false, true, a number of proxy hops, or a list of proxy addresses')
  .transform((value): false | number | string => {
    if (value === 'false') return false;
    if (value === 'true') return 1;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    return value;
  });

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
  WARRANT_TRUST_PROXY: trustProxy.default(false),
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
  trustProxy: false | number | string;
  sessionIdleMs: number;
  sessionMaxMs: number;
  maxImportBytes: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`PORT=` or `${PORT}` unset in compose) means "not set", never "0" or "".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(given);
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
  const lower = secret.toLowerCase();
  // Random secrets (openssl rand -hex 32 / -base64 48) have far more than 12 distinct characters.
  if (PLACEHOLDER_WORDS.some((word) => lower.includes(word)) || new Set(secret).size < 12) {
    throw new ConfigError('WARRANT_SESSION_SECRET looks like a placeholder: use a random value');
  }
}
