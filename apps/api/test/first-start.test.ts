import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorBody, projectList, queue } from '@warrant/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFirstStart, type SeededAccount } from '../src/demo/seed.ts';
import { Client, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let accounts: SeededAccount[] | null;

beforeAll(async () => {
  t = await createTestApp();
  accounts = await seedFirstStart(t.app, true);
});
afterAll(async () => t.close());

describe('first start', () => {
  it('creates an admin, a lead and two annotators with distinct generated passwords', () => {
    expect(accounts?.map((a) => a.username)).toEqual(['admin', 'lead', 'anna', 'boris']);
    const passwords = accounts?.map((a) => a.password) ?? [];
    expect(new Set(passwords).size).toBe(4);
    for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
  });

  it('stores only hashes', () => {
    const rows = t.app.sqlite.prepare('select password_hash from users').all() as { password_hash: string }[];
    for (const row of rows) {
      expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
      for (const a of accounts ?? []) expect(row.password_hash).not.toContain(a.password);
    }
  });

  it('seeds a demo project the lead runs, with English and Russian passages, and annotators ready to work', async () => {
    const lead = accounts?.find((a) => a.username === 'lead');
    const client = await Client.login(t.app, 'lead', lead?.password);
    const projects = projectList.parse((await client.get('/api/projects')).json()).projects;
    expect(projects).toHaveLength(1);
    expect(projects[0]).toMatchObject({ role: 'lead', annotatorsPerPassage: 2 });
    expect(projects[0]?.progress.passages).toBeGreaterThanOrEqual(6);
    const texts = t.app.sqlite.prepare('select text from passages').all() as { text: string }[];
    expect(texts.some((r) => /[А-Яа-яЁё]/.test(r.text))).toBe(true);
    expect(texts.some((r) => /^[\x20-\x7e’\r\n—▸©👍|]+$/u.test(r.text))).toBe(true);
    const anna = await Client.login(t.app, 'anna', accounts?.find((a) => a.username === 'anna')?.password);
    const q = queue.parse((await anna.get(`/api/projects/${projects[0]?.id}/queue`)).json());
    expect(q.moreAvailable).toBe(true);
  });

  it('does nothing on later starts', async () => {
    expect(await seedFirstStart(t.app, true)).toBeNull();
    expect((t.app.sqlite.prepare('select count(*) as n from users').get() as { n: number }).n).toBe(4);
  });

  it('never accepts a guessable password for the demo accounts', async () => {
    for (const guess of ['admin', 'password', 'lead', 'demo1234', 'changeme']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'lead', password: guess }, remoteAddress: `10.0.0.${guess.length}` });
      expect(res.statusCode).toBe(401);
    }
  });

  it('uses WARRANT_ADMIN_PASSWORD for the admin when given, and creates no demo when disabled', async () => {
    const other = await createTestApp({ WARRANT_ADMIN_PASSWORD: 'a provisioned passphrase' });
    try {
      const seeded = await seedFirstStart(other.app, false, 'a provisioned passphrase');
      expect(seeded?.map((a) => a.username)).toEqual(['admin']);
      const admin = await Client.login(other.app, 'admin', 'a provisioned passphrase');
      expect(admin.user.isAdmin).toBe(true);
      expect((other.app.sqlite.prepare('select count(*) as n from projects').get() as { n: number }).n).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('serving the web app', () => {
  let web: TestApp;
  beforeAll(async () => {
    const dir = join(t.dataDir, 'web');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Warrant</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
    web = await createTestApp({ WARRANT_WEB_DIR: dir });
  });
  afterAll(async () => web.close());

  it('serves index.html for client routes, with the security headers', async () => {
    for (const url of ['/', '/projects/abc', '/login?next=%2Fprojects']) {
      const res = await web.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<div id="root">');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('caches hashed assets for long and index.html never', async () => {
    const asset = await web.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
    const index = await web.app.inject({ method: 'GET', url: '/' });
    expect(index.headers['cache-control']).toBe('no-cache');
  });

  it('serves an asset added after start, and answers a missing asset with 404, not the page', async () => {
    writeFileSync(join(t.dataDir, 'web', 'assets', 'late-def456.js'), 'console.log(2)');
    const late = await web.app.inject({ method: 'GET', url: '/assets/late-def456.js' });
    expect(late.statusCode).toBe(200);
    expect(late.body).toBe('console.log(2)');
    const missing = await web.app.inject({ method: 'GET', url: '/assets/gone-000000.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<div id="root">');
  });

  it('answers unknown API paths with a JSON error, not the app', async () => {
    const res = await web.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(errorBody.parse(res.json()).error.code).toBe('NOT_FOUND');
    const health = await web.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    const errorHeaders = res.headers;
    expect(errorHeaders['content-security-policy']).toBeDefined();
  });
});
