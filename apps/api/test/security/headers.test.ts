import { EXPORT_FORMATS, releaseSummary } from '@warrant/contracts';
import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/app.ts';
import security, { frameworkErrors } from '../../src/plugins/external/security.ts';
import { createTestApp } from '../helpers/app.ts';
import { asActor, createSecurityApp, seed, type Seeded, type SecurityApp } from './fixture.ts';
import { printTallyAfterAll, tallyCase } from './tally.ts';

/**
 * Issue 6, "Security headers on every response, errors included" and "downloads are served as
 * attachments with fixed content types".
 */

let t: SecurityApp;
let s: Seeded;

beforeAll(async () => {
  t = await createSecurityApp({}, (app) => {
    // Test-only: the one way to reach the generic 500 without breaking the database.
    app.get('/api/test-only/boom', { config: { public: true } }, async () => {
      throw new Error('kaboom: internal detail');
    });
  });
  s = await seed(t.app);
});
afterAll(async () => t?.close());
printTallyAfterAll('headers');

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [(name ?? '').toLowerCase(), values]),
  );
}

function expectSecurityHeaders(res: LightMyRequestResponse, what: string) {
  tallyCase('headers: every response', () => {
    const csp = res.headers['content-security-policy'];
    expect(typeof csp, `${what}: an enforcing CSP`).toBe('string');
    expect(res.headers['content-security-policy-report-only'], what).toBeUndefined();
    const d = directives(String(csp));
    const scripts = d.get('script-src') ?? d.get('default-src');
    expect(scripts, `${what}: script-src or default-src`).toBeDefined();
    expect(scripts, what).not.toContain("'unsafe-inline'");
    expect(scripts, what).not.toContain("'unsafe-eval'");
    expect(scripts, what).not.toContain('*');
    expect(scripts?.some((v) => /^(https?:|data:|blob:)$/.test(v)), `${what}: no scheme-wide script source`).toBe(false);
    for (const attr of ['script-src-attr', 'script-src-elem']) expect(d.get(attr) ?? [], what).not.toContain("'unsafe-inline'");
    expect(d.get('object-src'), what).toEqual(["'none'"]);
    expect(d.get('base-uri'), what).toEqual(["'none'"]);
    expect(d.get('frame-ancestors'), what).toBeDefined();
    expect(d.get('frame-ancestors')?.join(' '), what).toMatch(/^'none'$|^'self'$/);
    expect(res.headers['x-content-type-options'], what).toBe('nosniff');
    expect(res.headers['x-powered-by'], what).toBeUndefined();
    expect(res.headers['referrer-policy'], what).toBeDefined();
  });
}

describe('security headers on every response', () => {
  const cases: [string, number, () => InjectOptions][] = [
    ['the API, 200', 200, () => ({ method: 'GET', url: '/api/health' })],
    ['the web app page, 200', 200, () => ({ method: 'GET', url: '/' })],
    ['a client-side route, 200', 200, () => ({ method: 'GET', url: '/projects/abc12345/members' })],
    ['a static asset, 200', 200, () => ({ method: 'GET', url: '/assets/app.js' })],
    ['a HEAD request', 200, () => ({ method: 'HEAD', url: '/api/health' })],
    ['an unknown API route, 404', 404, () => ({ method: 'GET', url: '/api/nothing-here' })],
    ['a missing asset, 404', 404, () => ({ method: 'GET', url: '/assets/missing.js' })],
    ['an unknown method, 404', 404, () => ({ method: 'OPTIONS', url: '/api/health' })],
    ['a project that does not exist, 404', 404, () => asActor(s.actors.lead, { method: 'GET', url: '/api/projects/AAAAAAAAAAAAAAAAAAAAAA' })],
    ['a validation error, 400', 400, () => asActor(s.actors.lead, { method: 'GET', url: `/api/projects/${s.projectA}/passages?limit=-1` })],
    ['malformed JSON, 400', 400, () => asActor(s.actors.lead, { method: 'PATCH', url: '/api/me', payload: '{"displayName":', headers: { 'content-type': 'application/json' } })],
    ['no session, 401', 401, () => ({ method: 'GET', url: '/api/projects' })],
    ['a CSRF refusal, 403', 403, () => asActor(s.actors.lead, { method: 'PATCH', url: '/api/me', payload: { displayName: 'x' }, headers: { 'x-csrf-token': 'wrong', origin: 'https://evil.example' } })],
    ['a body over the limit, 413', 413, () => asActor(s.actors.lead, { method: 'PATCH', url: '/api/me', payload: JSON.stringify({ displayName: 'x'.repeat(BODY_LIMIT + 10) }), headers: { 'content-type': 'application/json' } })],
    ['the wrong content type, 415', 415, () => ({ method: 'POST', url: '/api/auth/login', payload: 'username=a', headers: { 'content-type': 'text/plain' } })],
    ['an internal error, 500', 500, () => ({ method: 'GET', url: '/api/test-only/boom' })],
  ];

  it.each(cases)('%s', async (what, status, options) => {
    const res = await t.app.inject(options());
    tallyCase('headers: every response', () => expect(res.statusCode, res.body.slice(0, 200)).toBe(status));
    expectSecurityHeaders(res, what);
    if (status >= 400 && options().method !== 'HEAD') {
      tallyCase('headers: error bodies', () => {
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body).not.toContain('kaboom');
        expect(res.body).not.toMatch(/at .*\.ts:\d+/);
      });
    }
  });

  it('429 (too many failed logins) carries them too', async () => {
    let res: LightMyRequestResponse | undefined;
    for (let i = 0; i < 6; i += 1) {
      res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'm-bystander', password: `nope ${i}` }, remoteAddress: `10.44.0.${i + 1}` });
    }
    tallyCase('headers: every response', () => expect(res?.statusCode).toBe(429));
    if (res) expectSecurityHeaders(res, '429');
  });
});

describe('answers Fastify gives before any hook (a malformed URL)', () => {
  const BAD_URLS: [string, string, number][] = [
    ['a bad percent-encoding', '/api/projects/%E0%A4%A', 400],
    ['a path parameter over the length limit', `/api/projects/${'a'.repeat(200)}`, 414],
  ];

  // Found by this suite: Fastify answers these from its router, before helmet's hook; buildServer
  // now passes `frameworkErrors` (plugins/external/security.ts) so they carry the headers too.
  it.each(BAD_URLS)('%s (%s) through buildServer carries the security headers', async (what, url, status) => {
    const real = await createTestApp();
    try {
      const res = await real.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(status);
      expectSecurityHeaders(res, what);
    } finally {
      await real.close();
    }
  });

  it.each(BAD_URLS)('%s (%s) with the frameworkErrors of security.ts: headers and the error shape', async (what, url, status) => {
    const app = Fastify({ frameworkErrors });
    await app.register(security);
    app.get('/api/projects/:id', async () => ({}));
    try {
      const res = await app.inject({ method: 'GET', url });
      tallyCase('headers: malformed URLs (fix ready)', () => {
        expect(res.statusCode).toBe(status);
        expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      });
      expectSecurityHeaders(res, what);
    } finally {
      await app.close();
    }
  });
});

describe('downloads', () => {
  const attachment = /^attachment; filename="[A-Za-z0-9][A-Za-z0-9._-]*"$/;

  beforeAll(async () => {
    // A project name built to break out of the header if it were copied into the file name.
    const res = await t.app.inject(asActor(s.actors.lead, { method: 'PATCH', url: `/api/projects/${s.projectA}`, payload: { name: 'Evil "x"; filename=a.html <script>' } }));
    expect(res.statusCode).toBe(200);
  });

  const TYPES: Record<string, RegExp> = {
    jsonl: /^application\/(x-ndjson|jsonl|x-jsonlines)(; charset=utf-8)?$/,
    csv: /^text\/csv; charset=utf-8$/,
    conll: /^text\/plain; charset=utf-8$/,
    brat: /^application\/gzip$/,
    aif: /^application\/gzip$/,
  };

  it.each(EXPORT_FORMATS)('the %s export is an attachment with a fixed content type and a safe name', async (format) => {
    const res = await t.app.inject(asActor(s.actors.lead, { method: 'GET', url: `/api/projects/${s.projectA}/export?format=${format}` }));
    tallyCase('headers: downloads', () => {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toMatch(attachment);
      expect(String(res.headers['content-type'])).toMatch(TYPES[format] ?? /^$/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    });
    expectSecurityHeaders(res, `export ${format}`);
  });

  it('a release bundle, and every file of it, is an attachment with a fixed content type', async () => {
    const url = `/api/projects/${s.projectA}/releases/${s.releaseA}`;
    const bundle = await t.app.inject(asActor(s.actors.lead, { method: 'GET', url: `${url}/download` }));
    tallyCase('headers: downloads', () => {
      expect(bundle.statusCode).toBe(200);
      expect(bundle.headers['content-type']).toBe('application/gzip');
      expect(bundle.headers['content-disposition']).toMatch(attachment);
      expect(bundle.headers['cache-control']).toBe('no-store');
    });
    expectSecurityHeaders(bundle, 'release download');
    const summary = releaseSummary.parse((await t.app.inject(asActor(s.actors.lead, { method: 'GET', url }))).json());
    expect(summary.files.length).toBeGreaterThan(2);
    const fixed = new Set(['application/json', 'application/json; charset=utf-8', 'application/x-ndjson', 'application/x-ndjson; charset=utf-8', 'text/markdown; charset=utf-8', 'text/plain; charset=utf-8', 'text/csv; charset=utf-8', 'application/octet-stream', 'application/gzip']);
    for (const file of summary.files) {
      const res = await t.app.inject(asActor(s.actors.lead, { method: 'GET', url: `${url}/files/${file.path}` }));
      tallyCase('headers: downloads', () => {
        expect(res.statusCode, file.path).toBe(200);
        expect(res.headers['content-disposition'], file.path).toMatch(attachment);
        expect(fixed, `${file.path}: ${String(res.headers['content-type'])}`).toContain(res.headers['content-type']);
        expect(res.headers['content-type'], file.path).not.toMatch(/html|javascript|svg|xml/);
      });
      expectSecurityHeaders(res, `release file ${file.path}`);
    }
  });

  it('a release file outside the manifest (path tricks) is not served', async () => {
    for (const path of ['..%2F..%2Fwarrant.sqlite', '%2E%2E', 'session-secret', '.partial', 'manifest.json%00.html']) {
      const res = await t.app.inject(asActor(s.actors.lead, { method: 'GET', url: `/api/projects/${s.projectA}/releases/${s.releaseA}/files/${path}` }));
      tallyCase('headers: downloads', () => {
        expect([400, 404], path).toContain(res.statusCode);
        expect(res.headers['content-disposition']).toBeUndefined();
      });
      expectSecurityHeaders(res, `release file ${path}`);
    }
  });
});
