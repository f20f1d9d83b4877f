import { createdUserResponse, errorBody, sessionResponse } from '@warrant/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Client, DEFAULT_PASSWORD, createTestApp, createUser, type TestApp } from '../helpers/app.ts';
import { printTallyAfterAll, tallyCase } from './tally.ts';

/**
 * Issue 6, "Login": failed logins are limited per account and per address; unknown and known
 * usernames are answered alike; passwords are argon2id, at least 8 characters, taken exactly as
 * typed, and common ones are refused. (Redirects after login are the web app's:
 * apps/web/src/lib/redirect.ts, tested in redirect.test.ts next to it.)
 */

let t: TestApp;
let admin: Client;
let ip = 0;
const freshIp = () => `10.55.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`;

function login(username: string, password: string, remoteAddress = freshIp()) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
}
const code = (res: LightMyRequestResponse) => errorBody.parse(res.json()).error.code;
const hashOf = (username: string) => (t.app.sqlite.prepare('select password_hash as h from users where username = ?').get(username) as { h: string }).h;
const sessionCount = () => (t.app.sqlite.prepare('select count(*) as n from sessions').get() as { n: number }).n;

function expectLimited(res: LightMyRequestResponse, group: string) {
  tallyCase(group, () => {
    expect(res.statusCode).toBe(429);
    expect(code(res)).toBe('RATE_LIMITED');
    const retry = Number(res.headers['retry-after']);
    expect(Number.isInteger(retry)).toBe(true);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
}

beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.app, { username: 'admin', isAdmin: true });
  admin = await Client.login(t.app, 'admin', DEFAULT_PASSWORD);
});
afterAll(async () => t.close());
afterEach(() => {
  vi.useRealTimers();
});
printTallyAfterAll('login');

describe('failed-login limits', () => {
  it('per account: after 5 failures (from 5 addresses) even the right password gets 429 with Retry-After', async () => {
    await createUser(t.app, { username: 'victim' });
    for (let i = 0; i < 5; i += 1) expect((await login('victim', `guess ${i}`)).statusCode).toBe(401);
    const sessions = sessionCount();
    expectLimited(await login('victim', DEFAULT_PASSWORD), 'login: limits');
    expectLimited(await login('VICTIM', 'another guess'), 'login: limits');
    expect(sessionCount()).toBe(sessions);
  });

  it('per address: after 20 failures across usernames, 429 for any name from that address; other addresses unaffected', async () => {
    await createUser(t.app, { username: 'sprayed' });
    const attacker = '198.51.100.9';
    for (let i = 0; i < 20; i += 1) expect((await login(`nobody-${i}`, 'Winter2024!', attacker)).statusCode).toBe(401);
    expectLimited(await login('sprayed', DEFAULT_PASSWORD, attacker), 'login: limits');
    const elsewhere = await login('sprayed', DEFAULT_PASSWORD, '198.51.100.10');
    tallyCase('login: limits', () => expect(elsewhere.statusCode).toBe(200));
  });

  it('per address, IPv6: one /64 counts as one client', async () => {
    for (let i = 0; i < 20; i += 1) expect((await login(`v6-${i}`, 'x', `2001:db8:1:2::${(i + 1).toString(16)}`)).statusCode).toBe(401);
    expectLimited(await login('v6-next', 'x', '2001:db8:1:2:ffff::1'), 'login: limits');
    const elsewhere = await login('v6-next', 'x', '2001:db8:1:3::1');
    tallyCase('login: limits', () => expect(elsewhere.statusCode).toBe(401));
  });

  it('lifts the limit once the window has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await createUser(t.app, { username: 'patient' });
    for (let i = 0; i < 5; i += 1) await login('patient', `guess ${i}`);
    const locked = await login('patient', DEFAULT_PASSWORD);
    expectLimited(locked, 'login: limits');
    vi.setSystemTime(Date.now() + Number(locked.headers['retry-after']) * 1000 + 1000);
    const later = await login('patient', DEFAULT_PASSWORD);
    tallyCase('login: limits', () => expect(later.statusCode).toBe(200));
  });

  it('wrong current passwords on a password change count against the account like failed logins', async () => {
    await createUser(t.app, { username: 'changer' });
    const c = await Client.login(t.app, 'changer');
    for (let i = 0; i < 5; i += 1) {
      const res = await c.put('/api/auth/password', { currentPassword: `guess ${i}`, newPassword: 'a fresh long passphrase' });
      expect(res.statusCode).toBe(400);
    }
    const res = await c.put('/api/auth/password', { currentPassword: DEFAULT_PASSWORD, newPassword: 'a fresh long passphrase' });
    expectLimited(res, 'login: limits');
    // The same account count: logging in is now limited too.
    expectLimited(await login('changer', DEFAULT_PASSWORD), 'login: limits');
  });
});

describe('unknown and known usernames look alike', () => {
  it('same status and body for an unknown name, a wrong password, and a wrong password of a disabled account', async () => {
    await createUser(t.app, { username: 'known' });
    const off = await createUser(t.app, { username: 'switched-off' });
    expect((await admin.patch(`/api/users/${off.id}`, { disabled: true })).statusCode).toBe(200);
    const answers = [await login('known', 'wrong password'), await login('never-existed', 'wrong password'), await login('switched-off', 'wrong password')];
    for (const res of answers) {
      tallyCase('login: same answer', () => {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual(answers[0]?.json());
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(Object.keys(res.headers).sort()).toEqual(Object.keys(answers[0]?.headers ?? {}).sort());
      });
    }
  });

  it('spends similar time on both (ratio of medians within 0.5-2)', async () => {
    const names = ['timing-1', 'timing-2', 'timing-3'];
    for (const name of names) await createUser(t.app, { username: name });
    await login('warm-up-nobody', 'x');
    await login('timing-1', 'warm up');
    const known: number[] = [];
    const unknown: number[] = [];
    const time = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    // Interleaved, so load on the machine hits both alike; 3 accounts keep each under 5 failures.
    for (let i = 0; i < 9; i += 1) {
      known.push(await time(() => login(names[i % 3] ?? '', `wrong ${i}`)));
      unknown.push(await time(() => login(`ghost-${i}`, `wrong ${i}`)));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const ratio = median(unknown) / median(known);
    tallyCase('login: same time', () => {
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    });
  });
});

describe('passwords', () => {
  const create = (username: string, password: string) => admin.post('/api/users', { username, password });

  it('are stored as argon2id hashes (OWASP parameters), however the account was made', async () => {
    expect((await create('hashed-1', 'a fine long passphrase')).statusCode).toBe(201);
    const generated = createdUserResponse.parse((await admin.post('/api/users', { username: 'hashed-2' })).json());
    expect(generated.generatedPassword).toBeDefined();
    await createUser(t.app, { username: 'hashed-3' });
    const c = await Client.login(t.app, 'hashed-3');
    expect((await c.put('/api/auth/password', { currentPassword: DEFAULT_PASSWORD, newPassword: 'another long passphrase' })).statusCode).toBe(204);
    const rows = t.app.sqlite.prepare('select username, password_hash as h from users where imported = 0').all() as { username: string; h: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      tallyCase('login: argon2id', () => expect(row.h, row.username).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/));
    }
  });

  it.each([
    ['7 ASCII characters', 'Xk9#mQ2'],
    ['4 emoji (8 UTF-16 units, but 4 characters)', '🔐🦄🙂🎉'],
    ['7 characters with a combining mark counted once each', 'Zoe\u0308xy!'.slice(0, 7)],
  ])('refuse fewer than 8 characters: %s', async (_name, password) => {
    const res = await create('short-pw', password);
    tallyCase('login: minimum length', () => {
      expect(res.statusCode).toBe(400);
      expect(['VALIDATION_FAILED', 'WEAK_PASSWORD']).toContain(code(res));
    });
  });

  it('accept exactly 8 characters', async () => {
    const res = await create('eight-pw', 'Xk9#mQ2!');
    tallyCase('login: minimum length', () => expect(res.statusCode).toBe(201));
  });

  const LONG_ASCII = Array.from({ length: 1000 }, (_, i) => 'Lorem ipsum dolor sit amet, 42! '[i % 32]).join('');
  const LONG_MIXED = Array.from({ length: 1000 }, (_, i) => Array.from('aZ9#ж🙂 é')[i % 8]).join('');
  it.each([
    ['1,000 ASCII characters', LONG_ASCII],
    ['1,000 characters with Cyrillic and emoji', LONG_MIXED],
    ['Cyrillic', 'Съешь же ещё этих мягких булок'],
    ['Chinese', '我能吞下玻璃而不伤身体'],
    ['emoji with joiners', '👩‍👩‍👧‍👦 family 🔐 vault'],
    ['NFD combining marks', 'Cafe\u0301 nai\u0308ve Zo\u0308e'],
    ['outer spaces', '  padded secret words  '],
  ])('accept %s unchanged: set through the API, then log in with exactly that', async (name, password) => {
    const username = `pw-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 30)}`.replace(/-+$/, '');
    const made = await create(username, password);
    tallyCase('login: long and Unicode passwords', () => expect(made.statusCode, made.body).toBe(201));
    const ok = await login(username, password);
    tallyCase('login: long and Unicode passwords', () => {
      expect(ok.statusCode).toBe(200);
      expect(sessionResponse.parse(ok.json()).user.username).toBe(username);
    });
    // Not normalised, trimmed or truncated: a near miss is a wrong password.
    const near = [password.normalize('NFC'), password.normalize('NFD'), password.trim(), Array.from(password).slice(0, -1).join('')].filter((p) => p !== password);
    for (const miss of near) {
      const res = await login(username, miss);
      tallyCase('login: long and Unicode passwords', () => expect(res.statusCode).toBe(401));
    }
  });

  it.each(['password', 'Password1', 'P@ssw0rd!', 'Password2024!', 'qwerty123', '12345678', '87654321', 'abcdefgh', 'iloveyou', 'Welcome1', 'letmein!', 'Winter2024!', 'Summer2025', 'trustno1', 'aaaaaaaa', 'Пароль2024', 'warrant123'])(
    'refuse the common password %j',
    async (password) => {
      const before = hashOf('admin');
      const res = await create('common-pw', password);
      const change = await admin.put('/api/auth/password', { currentPassword: DEFAULT_PASSWORD, newPassword: password });
      tallyCase('login: common passwords refused', () => {
        expect(res.statusCode).toBe(400);
        expect(code(res)).toBe('WEAK_PASSWORD');
        expect(change.statusCode).toBe(400);
        expect(hashOf('admin')).toBe(before);
      });
    },
  );
});
