import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESSION_COOKIE } from '@warrant/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer, resolveSessionSecret } from '../src/app.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { DEFAULT_PASSWORD, createUser } from './helpers/app.ts';

const randomSecret = (length: number) => randomBytes(length).toString('base64url').slice(0, length);

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warrant-config-test-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('refuses to start in production without WARRANT_SESSION_SECRET', () => {
    const error = configError({ NODE_ENV: 'production' });
    expect(error.message).toContain('WARRANT_SESSION_SECRET');
  });

  it('starts in production with a strong secret', () => {
    const secret = randomSecret(48);
    const config = loadConfig({ NODE_ENV: 'production', WARRANT_SESSION_SECRET: secret });
    expect(config.env).toBe('production');
    expect(config.sessionSecret).toBe(secret);
  });

  it('refuses a secret shorter than 32 characters, in any environment', () => {
    for (const NODE_ENV of ['production', 'development', 'test']) {
      const error = configError({ NODE_ENV, WARRANT_SESSION_SECRET: randomSecret(31) });
      expect(error.message).toContain('WARRANT_SESSION_SECRET');
    }
    expect(loadConfig({ NODE_ENV: 'production', WARRANT_SESSION_SECRET: randomSecret(32) }).sessionSecret).toHaveLength(32);
  });

  it.each([
    ['32 times "a"', 'a'.repeat(32)],
    ['"changeme" repeated', 'changeme'.repeat(4)],
    ['"changeme" padded with zeros', 'changeme'.padEnd(32, '0')],
    ['"changeme" joined with dashes', 'changeme-changeme-changeme-changeme'],
    ['"CHANGEME" padded with "!"', 'CHANGEME'.padEnd(40, '!')],
    ['"secret" repeated', 'secret'.repeat(6)],
  ])('refuses a placeholder secret: %s', (_name, secret) => {
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const error = configError({ NODE_ENV: 'production', WARRANT_SESSION_SECRET: secret });
    expect(error.message).toContain('WARRANT_SESSION_SECRET');
  });

  it('has safe defaults: port 3000 on 127.0.0.1, data in ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      sessionSecret: undefined,
      cookieSecure: 'auto',
      trustProxy: false,
      sessionIdleMs: 12 * 60 * 60_000,
      sessionMaxMs: 7 * 24 * 60 * 60_000,
    });
  });

  it.each(['abc', '70000', '-1', '80.5', '3000abc'])('refuses PORT=%j and names the variable', (value) => {
    const error = configError({ PORT: value });
    expect(error.message).toContain('PORT');
  });

  it('does not turn an empty PORT into port 0 (a random port)', () => {
    let port: number | undefined;
    try {
      port = loadConfig({ PORT: '' }).port;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('PORT');
      return;
    }
    expect(port).toBe(3000);
  });

  it('names other invalid variables too', () => {
    expect(configError({ WARRANT_SESSION_IDLE_MINUTES: '0' }).message).toContain('WARRANT_SESSION_IDLE_MINUTES');
    expect(configError({ WARRANT_COOKIE_SECURE: 'yes' }).message).toContain('WARRANT_COOKIE_SECURE');
    expect(configError({ NODE_ENV: 'prod' }).message).toContain('NODE_ENV');
  });
});

describe('resolveSessionSecret', () => {
  it('generates a strong secret into <dataDir>/session-secret, readable only by the owner, and reuses it', () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const config = loadConfig({ WARRANT_DATA_DIR: dataDir });
    const secret = resolveSessionSecret(config);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(new Set(secret).size).toBeGreaterThan(16);

    const file = join(dataDir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    expect(resolveSessionSecret(config)).toBe(secret);
    expect(resolveSessionSecret(loadConfig({ WARRANT_DATA_DIR: dataDir }))).toBe(secret);
  });

  it('gives two data directories different secrets', () => {
    const a = resolveSessionSecret(loadConfig({ WARRANT_DATA_DIR: tempDir() }));
    const b = resolveSessionSecret(loadConfig({ WARRANT_DATA_DIR: tempDir() }));
    expect(a).not.toBe(b);
  });

  it('uses WARRANT_SESSION_SECRET when set and writes no file', () => {
    const dataDir = tempDir();
    const secret = randomSecret(40);
    expect(resolveSessionSecret(loadConfig({ WARRANT_DATA_DIR: dataDir, WARRANT_SESSION_SECRET: secret }))).toBe(secret);
    expect(existsSync(join(dataDir, 'session-secret'))).toBe(false);
  });

  it('refuses a weak secret found in the file', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'session-secret'), 'changeme\n', { mode: 0o600 });
    expect(() => resolveSessionSecret(loadConfig({ WARRANT_DATA_DIR: dataDir }))).toThrow(ConfigError);
  });

  it('keeps sessions valid across a restart on the same data directory', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ NODE_ENV: 'test', WARRANT_DATA_DIR: dataDir, WARRANT_DEMO: 'false', WARRANT_WEB_DIR: join(dataDir, 'no-web') });
    const first = await buildServer(config, { logger: false });
    let cookie: string | undefined;
    try {
      await first.ready();
      await createUser(first, { username: 'restarter' });
      const res = await first.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'restarter', password: DEFAULT_PASSWORD } });
      expect(res.statusCode).toBe(200);
      cookie = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
    } finally {
      await first.close();
    }
    expect(cookie).toBeDefined();
    const second = await buildServer(config, { logger: false });
    try {
      await second.ready();
      const res = await second.inject({ method: 'GET', url: '/api/auth/session', cookies: { [SESSION_COOKIE]: cookie ?? '' } });
      expect(res.statusCode).toBe(200);
    } finally {
      await second.close();
    }
  });
});
