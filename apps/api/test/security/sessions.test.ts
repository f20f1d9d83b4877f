import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSRF_HEADER, SESSION_COOKIE, errorBody, sessionResponse } from '@warrant/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { Client, DEFAULT_PASSWORD, createTestApp, createUser, type TestApp } from '../helpers/app.ts';
import { printTallyAfterAll, tallyCase, tallyTest } from './tally.ts';

/** Issue 6, "Sessions" and "the server refuses to start with a missing or default session secret". */

let t: TestApp;
let ip = 0;
/** Each login from its own address: these tests are not about the failed-login limits. */
const nextIp = () => `10.66.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

function login(app: FastifyInstance, username: string, options: { cookies?: Record<string, string>; headers?: Record<string, string> } = {}) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEFAULT_PASSWORD }, remoteAddress: nextIp(), ...options });
}

function setCookieLine(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const lines = header === undefined ? [] : [header].flat();
  const line = lines.find((l) => l.startsWith(`${SESSION_COOKIE}=`));
  if (!line) throw new Error(`no session cookie set (${res.statusCode} ${res.body})`);
  return line;
}
const attributes = (line: string) => line.split(';').slice(1).map((a) => a.trim().toLowerCase());
const tokenOf = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';

function whoAmI(app: FastifyInstance, token: string) {
  return app.inject({ method: 'GET', url: '/api/auth/session', cookies: { [SESSION_COOKIE]: token } });
}
function sessionRows(app: FastifyInstance, userId: string): number {
  return (app.sqlite.prepare('select count(*) as n from sessions where user_id = ?').get(userId) as { n: number }).n;
}
async function expectEnded(app: FastifyInstance, token: string) {
  const res = await whoAmI(app, token);
  expect(res.statusCode).toBe(401);
  expect(errorBody.parse(res.json()).error.code).toBe('UNAUTHENTICATED');
}

beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.app, { username: 'admin', isAdmin: true });
  for (const name of ['alice', 'mallory', 'bob', 'carol']) await createUser(t.app, { username: name });
});
afterAll(async () => t.close());
afterEach(() => {
  vi.useRealTimers();
});
printTallyAfterAll('sessions');

describe('a new session at login (fixation)', () => {
  it('replaces a planted session of another account: the victim gets a new id, the planted one ends', async () => {
    tallyTest('sessions: fixation');
    // Mallory signs in and plants her own cookie in Alice's browser (a sibling subdomain, say).
    const planted = await Client.login(t.app, 'mallory');
    const res = await login(t.app, 'alice', { cookies: { [SESSION_COOKIE]: planted.cookie }, headers: { [CSRF_HEADER]: planted.csrfToken } });
    expect(res.statusCode).toBe(200);
    const fresh = tokenOf(res);
    expect(fresh).not.toBe(planted.cookie);
    expect(sessionResponse.parse((await whoAmI(t.app, fresh)).json()).user.username).toBe('alice');
    // Mallory's token does not become Alice's session: it is gone.
    await expectEnded(t.app, planted.cookie);
  });

  it('never adopts a session id the client made up', async () => {
    tallyTest('sessions: fixation');
    const made = randomBytes(32).toString('base64url');
    const res = await login(t.app, 'alice', { cookies: { [SESSION_COOKIE]: made } });
    expect(res.statusCode).toBe(200);
    expect(tokenOf(res)).not.toBe(made);
    await expectEnded(t.app, made);
  });

  it('gives each login its own session and CSRF token', async () => {
    tallyTest('sessions: fixation');
    const a = await login(t.app, 'bob');
    const b = await login(t.app, 'bob');
    expect(tokenOf(a)).not.toBe(tokenOf(b));
    expect(sessionResponse.parse(a.json()).csrfToken).not.toBe(sessionResponse.parse(b.json()).csrfToken);
    // Tokens are long and random, and only their HMAC is stored.
    expect(tokenOf(a).length).toBeGreaterThanOrEqual(43);
    const stored = t.app.sqlite.prepare('select id from sessions').all() as { id: string }[];
    expect(stored.map((r) => r.id)).not.toContain(tokenOf(a));
  });
});

describe('ending sessions', () => {
  it('logout ends the session on the server (a copied cookie is useless) and clears the cookie', async () => {
    tallyTest('sessions: ending');
    const c = await Client.login(t.app, 'carol');
    const before = sessionRows(t.app, c.user.id);
    const res = await c.post('/api/auth/logout');
    expect(res.statusCode).toBe(204);
    expect(attributes(setCookieLine(res)).some((a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970'))).toBe(true);
    await expectEnded(t.app, c.cookie);
    expect(sessionRows(t.app, c.user.id)).toBe(before - 1);
    // The replayed cookie cannot change anything either.
    const replay = await c.patch('/api/me', { displayName: 'still here?' });
    expect(replay.statusCode).toBe(401);
  });

  it("a password change ends every other session of the user at once, and no one else's", async () => {
    tallyTest('sessions: ending');
    await createUser(t.app, { username: 'dave' });
    const here = await Client.login(t.app, 'dave');
    const laptop = await Client.login(t.app, 'dave');
    const phone = await Client.login(t.app, 'dave');
    const bystander = await Client.login(t.app, 'bob');
    const res = await here.put('/api/auth/password', { currentPassword: DEFAULT_PASSWORD, newPassword: 'a different long passphrase' });
    expect(res.statusCode).toBe(204);
    await expectEnded(t.app, laptop.cookie);
    await expectEnded(t.app, phone.cookie);
    expect(sessionRows(t.app, here.user.id)).toBe(1);
    expect((await here.get('/api/auth/session')).statusCode).toBe(200);
    expect((await bystander.get('/api/auth/session')).statusCode).toBe(200);
  });

  it('disabling a user ends all their sessions at once; the next request of each is 401', async () => {
    tallyTest('sessions: ending');
    const erin = await createUser(t.app, { username: 'erin' });
    const tabs = [await Client.login(t.app, 'erin'), await Client.login(t.app, 'erin')];
    const admin = await Client.login(t.app, 'admin');
    expect((await admin.patch(`/api/users/${erin.id}`, { disabled: true })).statusCode).toBe(200);
    expect(sessionRows(t.app, erin.id)).toBe(0);
    for (const tab of tabs) {
      await expectEnded(t.app, tab.cookie);
      expect((await tab.patch('/api/me', { displayName: 'x' })).statusCode).toBe(401);
    }
    // And enabling the account again does not bring an old session back.
    expect((await admin.patch(`/api/users/${erin.id}`, { disabled: false })).statusCode).toBe(200);
    await expectEnded(t.app, tabs[0]?.cookie ?? '');
  });
});

describe('timeouts', () => {
  let short: TestApp;
  beforeAll(async () => {
    short = await createTestApp({ WARRANT_SESSION_IDLE_MINUTES: '10', WARRANT_SESSION_MAX_HOURS: '1' });
    await createUser(short.app, { username: 'frank' });
  });
  afterAll(async () => short.close());

  const minutes = (n: number) => n * 60_000;

  it('ends a session left idle longer than WARRANT_SESSION_IDLE_MINUTES; activity keeps it alive', async () => {
    tallyTest('sessions: timeouts');
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const c = await Client.login(short.app, 'frank');
    for (const at of [9, 18, 27]) {
      vi.setSystemTime(start + minutes(at));
      expect((await whoAmI(short.app, c.cookie)).statusCode, `active at ${at} min`).toBe(200);
    }
    vi.setSystemTime(start + minutes(27 + 10) + 1000);
    await expectEnded(short.app, c.cookie);
    expect(sessionRows(short.app, c.user.id)).toBe(0);
  });

  it('ends even an active session after WARRANT_SESSION_MAX_HOURS', async () => {
    tallyTest('sessions: timeouts');
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const c = await Client.login(short.app, 'frank');
    for (let at = 5; at < 60; at += 5) {
      vi.setSystemTime(start + minutes(at));
      expect((await whoAmI(short.app, c.cookie)).statusCode, `active at ${at} min`).toBe(200);
    }
    vi.setSystemTime(start + minutes(60) + 1000);
    await expectEnded(short.app, c.cookie);
  });

  it("the cookie's Max-Age is the absolute limit", async () => {
    tallyTest('sessions: timeouts');
    const res = await login(short.app, 'frank');
    expect(attributes(setCookieLine(res))).toContain('max-age=3600');
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, for the whole site, and not Secure over plain http', async () => {
    const a = attributes(setCookieLine(await login(t.app, 'alice')));
    tallyCase('sessions: cookie flags', () => {
      expect(a).toContain('httponly');
      expect(a).toContain('samesite=lax');
      expect(a).toContain('path=/');
      expect(a).not.toContain('secure');
      expect(a.some((x) => x.startsWith('domain='))).toBe(false);
    });
  });

  it('is not made Secure by an x-forwarded-proto from an untrusted client', async () => {
    const a = attributes(setCookieLine(await login(t.app, 'alice', { headers: { 'x-forwarded-proto': 'https' } })));
    tallyCase('sessions: cookie flags', () => expect(a).not.toContain('secure'));
  });

  it('is Secure behind a trusted HTTPS proxy (WARRANT_TRUST_PROXY), on login and on logout', async () => {
    const proxied = await createTestApp({ WARRANT_TRUST_PROXY: '1' });
    try {
      await createUser(proxied.app, { username: 'alice' });
      const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.20' };
      const res = await login(proxied.app, 'alice', { headers: https });
      const a = attributes(setCookieLine(res));
      tallyCase('sessions: cookie flags', () => {
        expect(a).toContain('secure');
        expect(a).toContain('httponly');
        expect(a).toContain('samesite=lax');
      });
      const out = await proxied.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { ...https, [CSRF_HEADER]: sessionResponse.parse(res.json()).csrfToken },
        cookies: { [SESSION_COOKIE]: tokenOf(res) },
      });
      tallyCase('sessions: cookie flags', () => {
        expect(out.statusCode).toBe(204);
        expect(attributes(setCookieLine(out))).toContain('secure');
      });
      const plain = attributes(setCookieLine(await login(proxied.app, 'alice', { headers: { 'x-forwarded-proto': 'http' } })));
      tallyCase('sessions: cookie flags', () => expect(plain).not.toContain('secure'));
    } finally {
      await proxied.close();
    }
  });

  it('is always Secure with WARRANT_COOKIE_SECURE=true', async () => {
    const forced = await createTestApp({ WARRANT_COOKIE_SECURE: 'true' });
    try {
      await createUser(forced.app, { username: 'alice' });
      const a = attributes(setCookieLine(await login(forced.app, 'alice')));
      tallyCase('sessions: cookie flags', () => expect(a).toContain('secure'));
    } finally {
      await forced.close();
    }
  });
});

describe('the session secret in production', () => {
  const refused = (secret: string | undefined) => () => {
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'production', WARRANT_DATA_DIR: join(tmpdir(), 'unused') };
    if (secret !== undefined) env.WARRANT_SESSION_SECRET = secret;
    expect(() => loadConfig(env)).toThrow(ConfigError);
  };

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['short', randomBytes(16).toString('hex').slice(0, 31)],
    ['all one character', 'x'.repeat(64)],
    ['a repeated pattern', 'abab12'.repeat(8)],
    ['"changeme"', 'changeme-changeme-changeme-changeme'],
    ['a framework example', 'a-very-long-secret-key-for-development-only'],
    ['"keyboard cat", padded', 'keyboard cat keyboard cat keyboard cat'],
    ['a "replace me" note', 'REPLACE_WITH_32_RANDOM_CHARACTERS_NOW'],
    ['an "insecure" marker', 'insecure-0123456789-abcdefghij-klmnop'],
    ['a placeholder marker', 'placeholder-0123456789-abcdefghijklmn'],
    ['the product name', 'Warrant-Studio-2024-session-key-xyz!'],
  ])('refuses to load a %s secret', (_name, secret) => {
    tallyCase('sessions: production secret', refused(secret));
  });

  it('accepts the documented way of making one (openssl rand -base64 48)', () => {
    tallyCase('sessions: production secret', () => {
      const secret = randomBytes(48).toString('base64');
      expect(loadConfig({ NODE_ENV: 'production', WARRANT_SESSION_SECRET: secret }).sessionSecret).toBe(secret);
    });
  });

  it('the server process exits before listening, with a message, when the secret is missing or a placeholder', async () => {
    const server = join(dirname(fileURLToPath(import.meta.url)), '../../src/server.ts');
    const dataDir = mkdtempSync(join(tmpdir(), 'warrant-prod-start-'));
    const start = (secret: string | undefined) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: 'production', WARRANT_DATA_DIR: dataDir, PORT: '0', WARRANT_DEMO: 'false' };
        if (secret !== undefined) env.WARRANT_SESSION_SECRET = secret;
        const child = spawn(process.execPath, ['--import', 'tsx', server], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, stderr });
        });
      });
    try {
      const [missing, placeholder] = await Promise.all([start(undefined), start('changeme'.repeat(5))]);
      for (const run of [missing, placeholder]) {
        tallyCase('sessions: production secret', () => {
          expect(run.code).toBe(1);
          expect(run.stderr).toContain('WARRANT_SESSION_SECRET');
        });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
