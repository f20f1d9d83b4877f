import { CSRF_HEADER, SESSION_COOKIE, errorBody, project, sessionResponse, user } from '@warrant/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, DEFAULT_PASSWORD, createTestApp, createUser, type TestApp } from './helpers/app.ts';

let t: TestApp;

// Every failed login counts against the client address (20 per 15 minutes), so each attempt in
// this file comes from its own address unless a test is about the address limit itself.
let addressCounter = 0;
function freshAddress(): string {
  addressCounter += 1;
  return `10.77.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

interface LoginOptions {
  ip?: string;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  app?: FastifyInstance;
}

function login(username: string, password: string, options: LoginOptions = {}) {
  return (options.app ?? t.app).inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
    remoteAddress: options.ip ?? freshAddress(),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.cookies ? { cookies: options.cookies } : {}),
  });
}

function errorCode(res: LightMyRequestResponse): string {
  return errorBody.parse(res.json()).error.code;
}

/** The raw Set-Cookie line for the session cookie, or undefined. */
function sessionSetCookie(res: LightMyRequestResponse): string | undefined {
  const header = res.headers['set-cookie'];
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.find((line) => line.startsWith(`${SESSION_COOKIE}=`));
}

function cookieAttributes(line: string): string[] {
  return line
    .split(';')
    .slice(1)
    .map((part) => part.trim().toLowerCase());
}

function sessionCookieValue(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  return cookie.value;
}

function getSession(token: string, app: FastifyInstance = t.app) {
  return app.inject({ method: 'GET', url: '/api/auth/session', cookies: { [SESSION_COOKIE]: token } });
}

function sessionRows(userId: string, app: FastifyInstance = t.app): number {
  return (app.sqlite.prepare('select count(*) as n from sessions where user_id = ?').get(userId) as { n: number }).n;
}

function projectRows(): number {
  return (t.app.sqlite.prepare('select count(*) as n from projects').get() as { n: number }).n;
}

function passwordHash(userId: string): string {
  return (t.app.sqlite.prepare('select password_hash as h from users where id = ?').get(userId) as { h: string }).h;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function elapsed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

// Passwords taken exactly as typed: long, non-Latin, astral, combining marks, outer spaces.
const LONG_ALPHABET = Array.from('aZ9#ж🙂 q'); // code points, so no surrogate half ends up alone
const LONG_PASSWORD = Array.from({ length: 1000 }, (_, i) => LONG_ALPHABET[i % LONG_ALPHABET.length]).join('');
const UNICODE_PASSWORDS = {
  long: LONG_PASSWORD,
  cyrillic: 'Съешь же ещё этих мягких булок', // й/ё in NFC
  emoji: '🔐🦄 семья 👩‍👩‍👧‍👦 ok',
  combining: 'Cafe\u0301 nai\u0308ve Zo\u0308e', // NFD: base letters + combining marks
  spaces: '  padded secret  ',
};

let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.app, { username: 'admin', isAdmin: true });
  await createUser(t.app, { username: 'lead', canCreateProjects: true });
  for (const [name, password] of Object.entries(UNICODE_PASSWORDS)) {
    await createUser(t.app, { username: `pw-${name}`, password });
  }
  admin = await Client.login(t.app, 'admin');
});
afterAll(async () => t.close());

describe('login', () => {
  it('returns the user and a CSRF token and sets an HttpOnly, SameSite=Lax session cookie for the whole site', async () => {
    const res = await login('lead', DEFAULT_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = sessionResponse.parse(res.json());
    expect(body.user.username).toBe('lead');
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(res.json())).not.toMatch(/argon2|passwordHash|password_hash/);

    const line = sessionSetCookie(res);
    expect(line).toBeDefined();
    const attributes = cookieAttributes(line ?? '');
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    // Plain http in auto mode: a Secure cookie would never come back.
    expect(attributes).not.toContain('secure');

    const token = sessionCookieValue(res);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const session = await getSession(token);
    expect(session.statusCode).toBe(200);
    expect(sessionResponse.parse(session.json())).toEqual(body);
  });

  it('ignores x-forwarded-proto when the proxy is not trusted', async () => {
    const res = await login('lead', DEFAULT_PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.statusCode).toBe(200);
    expect(cookieAttributes(sessionSetCookie(res) ?? '')).not.toContain('secure');
  });

  it('marks the cookie Secure when WARRANT_COOKIE_SECURE=true', async () => {
    const secure = await createTestApp({ WARRANT_COOKIE_SECURE: 'true' });
    try {
      await createUser(secure.app, { username: 'lead' });
      const res = await login('lead', DEFAULT_PASSWORD, { app: secure.app });
      expect(res.statusCode).toBe(200);
      const attributes = cookieAttributes(sessionSetCookie(res) ?? '');
      expect(attributes).toContain('secure');
      expect(attributes).toContain('httponly');
    } finally {
      await secure.close();
    }
  });

  it('marks the cookie Secure in auto mode when a trusted proxy says the request came over https', async () => {
    const proxied = await createTestApp({ WARRANT_TRUST_PROXY: 'true' });
    try {
      await createUser(proxied.app, { username: 'lead' });
      const overHttps = await login('lead', DEFAULT_PASSWORD, { app: proxied.app, headers: { 'x-forwarded-proto': 'https' } });
      expect(overHttps.statusCode).toBe(200);
      expect(cookieAttributes(sessionSetCookie(overHttps) ?? '')).toContain('secure');

      const overHttp = await login('lead', DEFAULT_PASSWORD, { app: proxied.app, headers: { 'x-forwarded-proto': 'http' } });
      expect(overHttp.statusCode).toBe(200);
      expect(cookieAttributes(sessionSetCookie(overHttp) ?? '')).not.toContain('secure');
    } finally {
      await proxied.close();
    }
  });

  it('refuses a wrong password with 401 INVALID_CREDENTIALS, no cookie and no session', async () => {
    const lead = t.app.users.findByUsername('lead');
    const before = sessionRows(lead?.id ?? '');
    const res = await login('lead', `${DEFAULT_PASSWORD}!`);
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('INVALID_CREDENTIALS');
    expect(sessionSetCookie(res)).toBeUndefined();
    expect(sessionRows(lead?.id ?? '')).toBe(before);
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const wrong = await login('lead', 'not the password');
    const unknown = await login('nobody-here', 'not the password');
    expect(unknown.statusCode).toBe(wrong.statusCode);
    expect(unknown.statusCode).toBe(401);
    expect(errorBody.parse(unknown.json())).toEqual(errorBody.parse(wrong.json()));
    expect(sessionSetCookie(unknown)).toBeUndefined();
  });

  it('spends similar time on an unknown username as on a wrong password (dummy argon2 verification)', async () => {
    // Two accounts, 4 wrong passwords each: both stay under the limit of 5 failures per account.
    const accounts = ['timing-a', 'timing-b'];
    for (const username of accounts) await createUser(t.app, { username });
    // Warm-up: the first unknown name also computes the dummy hash.
    await login('warm-up-nobody', 'x');
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      unknown.push(await elapsed(() => login(`timing-nobody-${i}`, `guess ${i}`)));
      wrong.push(await elapsed(() => login(accounts[i % 2] ?? '', `guess ${i}`)));
    }
    const ratio = median(unknown) / median(wrong);
    // Without the dummy verification an unknown name answers ~20-50x faster than a wrong password.
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });

  it('treats usernames case-insensitively', async () => {
    for (const typed of ['Lead', 'LEAD', '  lead  ']) {
      const res = await login(typed, DEFAULT_PASSWORD);
      expect(res.statusCode, typed).toBe(200);
      expect(sessionResponse.parse(res.json()).user.username).toBe('lead');
    }
  });

  it.each(Object.entries(UNICODE_PASSWORDS))('logs in with the %s password exactly as typed', async (name, password) => {
    const res = await login(`pw-${name}`, password);
    expect(res.statusCode).toBe(200);
    expect(sessionResponse.parse(res.json()).user.username).toBe(`pw-${name}`);
  });

  it('does not normalise, trim or truncate passwords', async () => {
    const near: [string, string][] = [
      ['pw-long', Array.from(LONG_PASSWORD).slice(0, 999).join('')],
      ['pw-long', `${LONG_PASSWORD}x`],
      ['pw-cyrillic', UNICODE_PASSWORDS.cyrillic.normalize('NFD')],
      ['pw-combining', UNICODE_PASSWORDS.combining.normalize('NFC')],
      ['pw-spaces', UNICODE_PASSWORDS.spaces.trim()],
    ];
    for (const [username, password] of near) {
      expect(password).not.toBe(UNICODE_PASSWORDS[username.slice(3) as keyof typeof UNICODE_PASSWORDS]);
      const res = await login(username, password);
      expect(res.statusCode, `${username} with a near-miss password`).toBe(401);
      expect(errorCode(res)).toBe('INVALID_CREDENTIALS');
    }
  });

  it('refuses a disabled user even with the right password', async () => {
    const gone = await createUser(t.app, { username: 'gone' });
    const disabled = await admin.patch(`/api/users/${gone.id}`, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    const res = await login('gone', DEFAULT_PASSWORD);
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(sessionSetCookie(res)).toBeUndefined();
    expect(sessionRows(gone.id)).toBe(0);
  });
});

describe('login rate limiting', () => {
  it('locks an account after 5 failures, even for the right password, with Retry-After', async () => {
    const target = await createUser(t.app, { username: 'target' });
    for (let i = 0; i < 5; i += 1) {
      const res = await login('target', `wrong ${i}`);
      expect(res.statusCode, `failure ${i + 1}`).toBe(401);
    }
    const locked = await login('Target', DEFAULT_PASSWORD);
    expect(locked.statusCode).toBe(429);
    const body = errorBody.parse(locked.json());
    expect(body.error.code).toBe('RATE_LIMITED');
    const retryAfter = locked.headers['retry-after'];
    expect(String(retryAfter)).toMatch(/^[1-9][0-9]*$/);
    expect(Number(retryAfter)).toBeLessThanOrEqual(15 * 60);
    expect(sessionSetCookie(locked)).toBeUndefined();
    expect(sessionRows(target.id)).toBe(0);
  });

  it('counts guesses sent in parallel: a burst cannot slip past the account limit', async () => {
    await createUser(t.app, { username: 'burst' });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login('burst', `guess ${i}`)));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
  });

  it('limits one address to 20 failures across usernames, while other addresses still log in', async () => {
    await createUser(t.app, { username: 'bystander' });
    const attacker = '203.0.113.7';
    for (let i = 0; i < 20; i += 1) {
      const res = await login(`sprayed-${i}`, 'Winter2024!', { ip: attacker });
      expect(res.statusCode, `failure ${i + 1}`).toBe(401);
    }
    const further = await login('sprayed-20', 'Winter2024!', { ip: attacker });
    expect(further.statusCode).toBe(429);
    expect(errorCode(further)).toBe('RATE_LIMITED');
    expect(Number(further.headers['retry-after'])).toBeGreaterThan(0);

    const elsewhere = await login('bystander', DEFAULT_PASSWORD, { ip: '203.0.113.8' });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('behind a trusted proxy, counts the address the proxy saw, not one the client forged in X-Forwarded-For', async () => {
    const proxied = await createTestApp({ WARRANT_TRUST_PROXY: 'true' });
    try {
      const proxy = '10.0.0.1';
      // A proxy such as nginx with $proxy_add_x_forwarded_for appends the real peer to what the client sent.
      const attempt = (username: string, forged?: string) =>
        login(username, 'Winter2024!', {
          app: proxied.app,
          ip: proxy,
          headers: { 'x-forwarded-for': forged ? `${forged}, 203.0.113.7` : '203.0.113.7' },
        });
      for (let i = 0; i < 20; i += 1) expect((await attempt(`sprayed-${i}`)).statusCode).toBe(401);
      expect((await attempt('sprayed-20')).statusCode).toBe(429);
      const forged = await attempt('sprayed-21', '198.51.100.1');
      expect(forged.statusCode).toBe(429);
      expect(errorCode(forged)).toBe('RATE_LIMITED');
    } finally {
      await proxied.close();
    }
  });
});

describe('sessions', () => {
  it('issues a new session at login: a session presented before login no longer resolves', async () => {
    const before = await Client.login(t.app, 'lead');
    const res = await login('lead', DEFAULT_PASSWORD, {
      cookies: { [SESSION_COOKIE]: before.cookie },
      headers: { [CSRF_HEADER]: before.csrfToken },
    });
    expect(res.statusCode).toBe(200);
    const after = sessionCookieValue(res);
    expect(after).not.toBe(before.cookie);
    const old = await getSession(before.cookie);
    expect(old.statusCode).toBe(401);
    expect(errorCode(old)).toBe('UNAUTHENTICATED');
    expect((await getSession(after)).statusCode).toBe(200);
  });

  it('never adopts a session id chosen by the client', async () => {
    const planted = 'attacker-chosen-session-token-0123456789abcdef';
    const res = await login('lead', DEFAULT_PASSWORD, { cookies: { [SESSION_COOKIE]: planted } });
    expect(res.statusCode).toBe(200);
    expect(sessionCookieValue(res)).not.toBe(planted);
    expect((await getSession(planted)).statusCode).toBe(401);
  });

  it('ends the session at logout and clears the cookie', async () => {
    const c = await Client.login(t.app, 'lead');
    const rowsBefore = sessionRows(c.user.id);
    const res = await c.post('/api/auth/logout');
    expect(res.statusCode).toBe(204);
    const line = sessionSetCookie(res);
    expect(line).toBeDefined();
    expect(line).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    const attributes = cookieAttributes(line ?? '');
    expect(attributes.some((a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970'))).toBe(true);
    expect(attributes).toContain('path=/');

    const after = await getSession(c.cookie);
    expect(after.statusCode).toBe(401);
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
    // Every session of the user ends, not only this one.
    expect(rowsBefore).toBeGreaterThan(0);
    expect(sessionRows(c.user.id)).toBe(0);
  });

  describe('password change', () => {
    let changer: { id: string };
    beforeAll(async () => {
      changer = await createUser(t.app, { username: 'changer' });
    });

    it('ends every other session of the user and keeps the current one', async () => {
      const here = await Client.login(t.app, 'changer');
      const elsewhere = await Client.login(t.app, 'changer');
      const bystander = await Client.login(t.app, 'lead');
      const res = await here.put('/api/auth/password', { currentPassword: DEFAULT_PASSWORD, newPassword: 'a brand new passphrase' });
      expect(res.statusCode).toBe(204);

      expect((await here.get('/api/auth/session')).statusCode).toBe(200);
      const ended = await elsewhere.get('/api/auth/session');
      expect(ended.statusCode).toBe(401);
      expect(errorCode(ended)).toBe('UNAUTHENTICATED');
      expect(sessionRows(changer.id)).toBe(1);
      expect((await bystander.get('/api/auth/session')).statusCode).toBe(200);

      expect((await login('changer', DEFAULT_PASSWORD)).statusCode).toBe(401);
      expect((await login('changer', 'a brand new passphrase')).statusCode).toBe(200);
    });

    it('stores a new password exactly as typed (spaces, combining marks, emoji)', async () => {
      await createUser(t.app, { username: 'exact-changer' });
      const c = await Client.login(t.app, 'exact-changer');
      const typed = ' Zo\u0308e 🦄 cafe\u0301 ';
      const res = await c.put('/api/auth/password', { currentPassword: DEFAULT_PASSWORD, newPassword: typed });
      expect(res.statusCode).toBe(204);
      expect((await login('exact-changer', typed.trim())).statusCode).toBe(401);
      expect((await login('exact-changer', typed.normalize('NFC'))).statusCode).toBe(401);
      expect((await login('exact-changer', typed)).statusCode).toBe(200);
    });

    it.each([
      ['a wrong current password', { currentPassword: 'not my password', newPassword: 'another fine passphrase' }, 'INVALID_CREDENTIALS'],
      ['a common password', { currentPassword: 'a brand new passphrase', newPassword: 'password123' }, 'WEAK_PASSWORD'],
      ['a digits-only common password', { currentPassword: 'a brand new passphrase', newPassword: '12345678' }, 'WEAK_PASSWORD'],
      ['a password with the username', { currentPassword: 'a brand new passphrase', newPassword: 'Changer2024' }, 'WEAK_PASSWORD'],
      ['a password under 8 characters', { currentPassword: 'a brand new passphrase', newPassword: 'Ab1!xyz' }, 'VALIDATION_FAILED'],
    ])('refuses %s with 400 and changes nothing', async (_name, body, code) => {
      const here = await Client.login(t.app, 'changer', 'a brand new passphrase');
      const other = await Client.login(t.app, 'changer', 'a brand new passphrase');
      const hashBefore = passwordHash(changer.id);
      const res = await here.put('/api/auth/password', body);
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe(code);
      expect(passwordHash(changer.id)).toBe(hashBefore);
      expect((await other.get('/api/auth/session')).statusCode).toBe(200);
    });
  });

  it('ends all sessions of a user the moment an admin disables them', async () => {
    const victim = await createUser(t.app, { username: 'soon-disabled' });
    const a = await Client.login(t.app, 'soon-disabled');
    const b = await Client.login(t.app, 'soon-disabled');
    expect(sessionRows(victim.id)).toBe(2);
    const res = await admin.patch(`/api/users/${victim.id}`, { disabled: true });
    expect(res.statusCode).toBe(200);
    expect(user.parse(res.json()).disabled).toBe(true);
    expect(sessionRows(victim.id)).toBe(0);
    for (const c of [a, b]) {
      const after = await c.get('/api/projects');
      expect(after.statusCode).toBe(401);
      expect(errorCode(after)).toBe('UNAUTHENTICATED');
    }
  });
});

describe('session expiry (WARRANT_SESSION_IDLE_MINUTES=1)', () => {
  let idle: TestApp;
  beforeAll(async () => {
    idle = await createTestApp({ WARRANT_SESSION_IDLE_MINUTES: '1' });
    await createUser(idle.app, { username: 'sleepy' });
  });
  afterAll(async () => idle.close());

  /** The session row behind a client's cookie: the row id is an HMAC of the token, so find it by user. */
  function setSessionTimes(userId: string, times: { lastSeenAt?: number; expiresAt?: number }) {
    if (times.lastSeenAt !== undefined) {
      idle.app.sqlite.prepare('update sessions set last_seen_at = ? where user_id = ?').run(times.lastSeenAt, userId);
    }
    if (times.expiresAt !== undefined) {
      idle.app.sqlite.prepare('update sessions set expires_at = ? where user_id = ?').run(times.expiresAt, userId);
    }
  }

  async function freshSession(): Promise<Client> {
    idle.app.sqlite.prepare("delete from sessions where user_id = (select id from users where username = 'sleepy')").run();
    return Client.login(idle.app, 'sleepy');
  }

  it('keeps a session used within the idle time', async () => {
    const c = await freshSession();
    setSessionTimes(c.user.id, { lastSeenAt: Date.now() - 30_000 });
    expect((await getSession(c.cookie, idle.app)).statusCode).toBe(200);
  });

  it('refuses and deletes a session idle for longer than the idle time', async () => {
    const c = await freshSession();
    setSessionTimes(c.user.id, { lastSeenAt: Date.now() - 61_000 });
    const res = await getSession(c.cookie, idle.app);
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(sessionRows(c.user.id, idle.app)).toBe(0);
  });

  it('refuses and deletes a session past its absolute expiry, however active', async () => {
    const c = await freshSession();
    setSessionTimes(c.user.id, { lastSeenAt: Date.now(), expiresAt: Date.now() - 1 });
    const res = await c.get('/api/projects');
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(sessionRows(c.user.id, idle.app)).toBe(0);
  });

  it('keeps an active user logged in: each request restarts the idle time', async () => {
    const c = await freshSession();
    // The user last acted 45 s ago and acts now ...
    setSessionTimes(c.user.id, { lastSeenAt: Date.now() - 45_000 });
    expect((await getSession(c.cookie, idle.app)).statusCode).toBe(200);
    // ... then 20 s pass (shift the stored time back instead of waiting): 20 s idle < 1 minute.
    idle.app.sqlite.prepare('update sessions set last_seen_at = last_seen_at - 20000 where user_id = ?').run(c.user.id);
    const res = await getSession(c.cookie, idle.app);
    expect(res.statusCode).toBe(200);
  });
});

describe('CSRF and origin checks', () => {
  let lead: Client;
  beforeAll(async () => {
    lead = await Client.login(t.app, 'lead');
  });

  async function refusedWithoutCreating(res: LightMyRequestResponse, before: number) {
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('CSRF_FAILED');
    expect(projectRows()).toBe(before);
  }

  it('refuses a change without the x-csrf-token header', async () => {
    const before = projectRows();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/projects',
      cookies: { [SESSION_COOKIE]: lead.cookie },
      payload: { name: 'Forged' },
    });
    await refusedWithoutCreating(res, before);
  });

  it('cannot be side-stepped with a percent-encoded path', async () => {
    const before = projectRows();
    const res = await t.app.inject({
      method: 'POST',
      url: '/%61pi/projects',
      cookies: { [SESSION_COOKIE]: lead.cookie },
      payload: { name: 'Encoded' },
    });
    await refusedWithoutCreating(res, before);
    const logout = await t.app.inject({
      method: 'POST',
      url: '/%61pi/auth/logout',
      cookies: { [SESSION_COOKIE]: lead.cookie },
      headers: { origin: 'https://evil.example' },
    });
    expect(logout.statusCode).toBe(403);
    expect((await getSession(lead.cookie)).statusCode).toBe(200);
  });

  it('refuses a wrong token, and the token of another session', async () => {
    const before = projectRows();
    await refusedWithoutCreating(await lead.request({ method: 'POST', url: '/api/projects', payload: { name: 'Forged' }, headers: { [CSRF_HEADER]: 'wrong' } }), before);
    const other = await Client.login(t.app, 'admin');
    await refusedWithoutCreating(
      await lead.request({ method: 'POST', url: '/api/projects', payload: { name: 'Forged' }, headers: { [CSRF_HEADER]: other.csrfToken } }),
      before,
    );
  });

  it('refuses a foreign Origin even with the right token', async () => {
    const before = projectRows();
    const res = await lead.request({
      method: 'POST',
      url: '/api/projects',
      payload: { name: 'Forged' },
      headers: { host: 'warrant.test', origin: 'https://evil.example' },
    });
    await refusedWithoutCreating(res, before);
  });

  it('refuses Sec-Fetch-Site: cross-site even with the right token', async () => {
    const before = projectRows();
    const res = await lead.request({ method: 'POST', url: '/api/projects', payload: { name: 'Forged' }, headers: { 'sec-fetch-site': 'cross-site' } });
    await refusedWithoutCreating(res, before);
  });

  it('refuses PATCH and PUT without the token too, changing nothing', async () => {
    const me = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      cookies: { [SESSION_COOKIE]: lead.cookie },
      payload: { locale: 'ru' },
    });
    expect(me.statusCode).toBe(403);
    expect(errorCode(me)).toBe('CSRF_FAILED');
    expect(sessionResponse.parse((await lead.get('/api/auth/session')).json()).user.locale).toBe('en');

    const pw = await t.app.inject({
      method: 'PUT',
      url: '/api/auth/password',
      cookies: { [SESSION_COOKIE]: lead.cookie },
      payload: { currentPassword: DEFAULT_PASSWORD, newPassword: 'hijacked passphrase' },
    });
    expect(pw.statusCode).toBe(403);
    expect(errorCode(pw)).toBe('CSRF_FAILED');
    expect((await login('lead', DEFAULT_PASSWORD)).statusCode).toBe(200);
  });

  it('accepts the right token from the same origin', async () => {
    const before = projectRows();
    const res = await lead.request({
      method: 'POST',
      url: '/api/projects',
      payload: { name: 'Same origin' },
      headers: { host: 'warrant.test', origin: 'http://warrant.test', 'sec-fetch-site': 'same-origin' },
    });
    expect(res.statusCode).toBe(201);
    expect(project.parse(res.json()).name).toBe('Same origin');
    expect(projectRows()).toBe(before + 1);
  });

  it('refuses a login posted from another site', async () => {
    const res = await login('lead', DEFAULT_PASSWORD, { headers: { host: 'warrant.test', origin: 'https://evil.example' } });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('CSRF_FAILED');
    expect(sessionSetCookie(res)).toBeUndefined();
  });

  it('refuses a text/plain login with 415 and sets no cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: freshAddress(),
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ username: 'lead', password: DEFAULT_PASSWORD }),
    });
    expect(res.statusCode).toBe(415);
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(sessionSetCookie(res)).toBeUndefined();
  });

  it('refuses a form-encoded login and sets no cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: freshAddress(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `username=lead&password=${encodeURIComponent(DEFAULT_PASSWORD)}`,
    });
    expect(res.statusCode).toBe(415);
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(sessionSetCookie(res)).toBeUndefined();
  });

  it('never changes state on GET: the session answers the same CSRF token every time', async () => {
    const c = await Client.login(t.app, 'lead');
    const rows = sessionRows(c.user.id);
    const first = await getSession(c.cookie);
    const second = await getSession(c.cookie);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(sessionResponse.parse(first.json()).csrfToken).toBe(c.csrfToken);
    expect(sessionResponse.parse(second.json()).csrfToken).toBe(c.csrfToken);
    expect(sessionSetCookie(first)).toBeUndefined();
    expect(sessionSetCookie(second)).toBeUndefined();
    expect(sessionRows(c.user.id)).toBe(rows);
  });
});

describe('anonymous access', () => {
  it.each([
    ['GET', '/api/projects'],
    ['POST', '/api/projects'],
    ['GET', '/api/projects/x12345678'],
    ['GET', '/api/passages/x12345678'],
    ['POST', '/api/annotation-sets/x12345678/changes'],
    ['GET', '/api/users'],
    ['PATCH', '/api/me'],
    ['PUT', '/api/auth/password'],
    ['GET', '/api/auth/session'],
  ] as const)('%s %s answers 401 UNAUTHENTICATED', async (method, url) => {
    const before = projectRows();
    const payload = method === 'GET' ? undefined : { name: 'Anonymous', changeId: 'c1', baseVersion: 0, ops: [] };
    const res = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(projectRows()).toBe(before);
  });

  it('treats an unknown session cookie as anonymous', async () => {
    const res = await getSession('not-a-session');
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    const projects = await t.app.inject({ method: 'GET', url: '/api/projects', cookies: { [SESSION_COOKIE]: 'not-a-session' } });
    expect(projects.statusCode).toBe(401);
  });
});

describe('PATCH /api/me', () => {
  it('sets the locale, which the session then reports', async () => {
    await createUser(t.app, { username: 'russian' });
    const c = await Client.login(t.app, 'russian');
    const res = await c.patch('/api/me', { locale: 'ru' });
    expect(res.statusCode).toBe(200);
    expect(user.parse(res.json()).locale).toBe('ru');
    const session = sessionResponse.parse((await c.get('/api/auth/session')).json());
    expect(session.user.locale).toBe('ru');
    // And a new login sees it too.
    expect(sessionResponse.parse((await login('russian', DEFAULT_PASSWORD)).json()).user.locale).toBe('ru');
  });

  it('refuses unknown fields with 400 and changes nothing', async () => {
    const c = await Client.login(t.app, 'lead');
    const res = await c.patch('/api/me', { locale: 'ru', isAdmin: true });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
    const session = sessionResponse.parse((await c.get('/api/auth/session')).json());
    expect(session.user.isAdmin).toBe(false);
    expect(session.user.locale).toBe('en');
  });

  it('refuses an unsupported locale with 400', async () => {
    const c = await Client.login(t.app, 'lead');
    const res = await c.patch('/api/me', { locale: 'de' });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION_FAILED');
  });

  it('answers an empty patch with the unchanged user', async () => {
    const c = await Client.login(t.app, 'lead');
    const res = await c.patch('/api/me', {});
    expect(res.statusCode).toBe(200);
    expect(user.parse(res.json())).toEqual(c.user);
  });
});
