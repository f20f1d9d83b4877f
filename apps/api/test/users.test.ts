import { createdUserResponse, errorBody, project, sessionResponse, user, userList } from '@warrant/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, DEFAULT_PASSWORD, createTestApp, createUser, type TestApp } from './helpers/app.ts';

let t: TestApp;
let admin: Client;
let member: Client; // an ordinary account, allowed to create projects
let bystander: { id: string };

const userCount = () => (t.app.sqlite.prepare('select count(*) as n from users').get() as { n: number }).n;
const userRow = (id: string) =>
  t.app.sqlite.prepare('select username, is_admin, can_create_projects, disabled, display_name from users where id = ?').get(id);

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(errorBody.parse(res.json()).error.code).toBe(code);
}

function login(username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
}

beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.app, { username: 'admin', isAdmin: true });
  await createUser(t.app, { username: 'member', canCreateProjects: true });
  bystander = await createUser(t.app, { username: 'bystander' });
  admin = await Client.login(t.app, 'admin');
  member = await Client.login(t.app, 'member');
});
afterAll(async () => t.close());

describe('only administrators manage accounts', () => {
  it('refuses GET /api/users to a non-admin with 403', async () => {
    expectError(await member.get('/api/users'), 403, 'FORBIDDEN');
  });

  it('refuses POST /api/users to a non-admin with 403 and creates nothing', async () => {
    const before = userCount();
    const res = await member.post('/api/users', { username: 'minion', password: 'a fine long passphrase', isAdmin: true });
    expectError(res, 403, 'FORBIDDEN');
    expect(userCount()).toBe(before);
  });

  it('refuses PATCH /api/users/:id to a non-admin, even on their own account', async () => {
    const selfBefore = userRow(member.user.id);
    expectError(await member.patch(`/api/users/${member.user.id}`, { isAdmin: true }), 403, 'FORBIDDEN');
    expect(userRow(member.user.id)).toEqual(selfBefore);

    const otherBefore = userRow(bystander.id);
    expectError(await member.patch(`/api/users/${bystander.id}`, { disabled: true }), 403, 'FORBIDDEN');
    expect(userRow(bystander.id)).toEqual(otherBefore);
  });
});

describe('creating accounts', () => {
  it('keeps "gold" free for adjudicated versions: no account may take that name', async () => {
    const before = userCount();
    for (const username of ['gold', 'GOLD', ' gold ']) {
      const res = await admin.post('/api/users', { username, displayName: 'Gold', password: 'quill and ink forever' });
      expect(res.statusCode, username).toBe(400);
      expect(res.body).toContain('reserved');
    }
    expect(userCount()).toBe(before);
  });

  it('creates an account with the given password, which is not echoed back', async () => {
    const before = userCount();
    const res = await admin.post('/api/users', {
      username: 'Writer',
      displayName: 'The Writer',
      password: 'quill and ink forever',
      canCreateProjects: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toContain('quill and ink forever');
    const body = createdUserResponse.parse(res.json());
    expect(body.generatedPassword).toBeUndefined();
    expect(body.user).toMatchObject({ username: 'writer', displayName: 'The Writer', isAdmin: false, canCreateProjects: true, disabled: false });
    expect(userCount()).toBe(before + 1);

    const loggedIn = await login('writer', 'quill and ink forever');
    expect(loggedIn.statusCode).toBe(200);
    expect(sessionResponse.parse(loggedIn.json()).user.id).toBe(body.user.id);
  });

  it('generates a password when none is given and shows it only in that answer', async () => {
    const res = await admin.post('/api/users', { username: 'generated' });
    expect(res.statusCode, res.body).toBe(201);
    const body = createdUserResponse.parse(res.json());
    const password = body.generatedPassword ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(body.user.displayName).toBe('generated');

    expect((await login('generated', password)).statusCode).toBe(200);
    const list = await admin.get('/api/users');
    expect(list.body).not.toContain(password);

    const other = createdUserResponse.parse((await admin.post('/api/users', { username: 'generated-2' })).json());
    expect(other.generatedPassword).toBeDefined();
    expect(other.generatedPassword).not.toBe(password);
  });

  it.each([
    ['a common password', 'password123'],
    ['a digits-only common password', '12345678'],
    ['a password containing the username', 'xx-policyuser-xx'],
    ['a password of one repeated character', 'aaaaaaaaaaaa'],
  ])('refuses %s with 400 WEAK_PASSWORD and creates nothing', async (_name, password) => {
    const before = userCount();
    expectError(await admin.post('/api/users', { username: 'policyuser', password }), 400, 'WEAK_PASSWORD');
    expect(userCount()).toBe(before);
  });

  it('refuses a password under 8 characters with 400 VALIDATION_FAILED', async () => {
    const before = userCount();
    expectError(await admin.post('/api/users', { username: 'shortpw', password: 'Ab1!xyz' }), 400, 'VALIDATION_FAILED');
    expect(userCount()).toBe(before);
  });

  it.each(['member', 'MEMBER', 'Member', '  member  '])('refuses the taken username %j with 409 USERNAME_TAKEN', async (username) => {
    const before = userCount();
    expectError(await admin.post('/api/users', { username, password: 'some other passphrase' }), 409, 'USERNAME_TAKEN');
    expect(userCount()).toBe(before);
  });

  it.each([
    ['spaces', 'john smith'],
    ['a path', '../x'],
    ['41 characters', 'a'.repeat(41)],
    ['empty', ''],
    ['one character', 'x'],
    ['a leading dash', '-dash'],
    ['non-ASCII letters', 'zoë'],
    ['a slash', 'a/b'],
  ])('refuses a username with %s with 400 VALIDATION_FAILED', async (_name, username) => {
    const before = userCount();
    expectError(await admin.post('/api/users', { username, password: 'some other passphrase' }), 400, 'VALIDATION_FAILED');
    expect(userCount()).toBe(before);
  });

  it('accepts a username of exactly 40 characters', async () => {
    const username = `${'b'.repeat(39)}9`;
    const res = await admin.post('/api/users', { username, password: 'some other passphrase' });
    expect(res.statusCode, res.body).toBe(201);
    expect(createdUserResponse.parse(res.json()).user.username).toBe(username);
  });
});

describe('changing accounts', () => {
  it('does not let an admin disable themselves or drop their own admin role', async () => {
    const before = userRow(admin.user.id);
    expectError(await admin.patch(`/api/users/${admin.user.id}`, { disabled: true }), 400, 'VALIDATION_FAILED');
    expectError(await admin.patch(`/api/users/${admin.user.id}`, { isAdmin: false }), 400, 'VALIDATION_FAILED');
    expect(userRow(admin.user.id)).toEqual(before);
    expect((await admin.get('/api/auth/session')).statusCode).toBe(200);
  });

  it('grants project creation, effective on the user’s next request', async () => {
    await createUser(t.app, { username: 'promoted' });
    const promoted = await Client.login(t.app, 'promoted');
    expectError(await promoted.post('/api/projects', { name: 'Too early' }), 403, 'FORBIDDEN');
    const res = await admin.patch(`/api/users/${promoted.user.id}`, { canCreateProjects: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(user.parse(res.json()).canCreateProjects).toBe(true);
    const created = await promoted.post('/api/projects', { name: 'Now allowed' });
    expect(created.statusCode, created.body).toBe(201);
    expect(project.parse(created.json()).role).toBe('lead');
  });

  it('disables and re-enables an account', async () => {
    await createUser(t.app, { username: 'on-and-off' });
    const id = t.app.users.findByUsername('on-and-off')?.id ?? '';
    const off = await admin.patch(`/api/users/${id}`, { disabled: true });
    expect(off.statusCode).toBe(200);
    expect(user.parse(off.json()).disabled).toBe(true);
    expect((await login('on-and-off', DEFAULT_PASSWORD)).statusCode).toBe(403);
    const on = await admin.patch(`/api/users/${id}`, { disabled: false });
    expect(on.statusCode).toBe(200);
    expect((await login('on-and-off', DEFAULT_PASSWORD)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown user id', async () => {
    expectError(await admin.patch('/api/users/doesnotexist123', { disabled: true }), 404, 'NOT_FOUND');
  });

  it('refuses fields that cannot be patched (username, password hash) with 400', async () => {
    const before = userRow(bystander.id);
    expectError(await admin.patch(`/api/users/${bystander.id}`, { username: 'renamed' }), 400, 'VALIDATION_FAILED');
    expectError(await admin.patch(`/api/users/${bystander.id}`, { passwordHash: 'x' }), 400, 'VALIDATION_FAILED');
    expect(userRow(bystander.id)).toEqual(before);
  });

  it('answers an empty patch with the unchanged user', async () => {
    const before = userRow(bystander.id);
    const res = await admin.patch(`/api/users/${bystander.id}`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(user.parse(res.json()).username).toBe('bystander');
    expect(userRow(bystander.id)).toEqual(before);
  });
});

describe('listing accounts', () => {
  it('lists every account without any password material', async () => {
    const res = await admin.get('/api/users');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/argon2|passwordHash|password_hash|password/i);
    const { users } = userList.parse(res.json());
    expect(users).toHaveLength(userCount());
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'member', 'bystander']));
    for (const u of users) expect(Object.keys(u).sort()).toEqual(['canCreateProjects', 'createdAt', 'disabled', 'displayName', 'id', 'imported', 'isAdmin', 'locale', 'username']);
  });
});
