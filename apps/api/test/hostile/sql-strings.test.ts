import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CSRF_HEADER, importResponse, passage, passageList, project as projectSchema, releaseSummary, user as userSchema } from '@warrant/contracts';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createUser, type TestApp } from '../helpers/app.ts';
import { multipart } from '../helpers/multipart.ts';
import { createProjectWithTeam, importTexts, next, type ProjectFixture } from '../helpers/project.ts';
import { HOSTILE_CORE, HOSTILE_STRINGS, createRoutedApp, errorCode, expectIntact, label, rowCounts, tableNames } from './hostile.ts';
import { Tally } from './tally.ts';

/**
 * Issue 6, "Injection: SQL": every query, body and path parameter of every route gets each hostile
 * string. The answer is 400 or a normal one, never a 5xx; a refused request changes no row; the
 * tables are all still there at the end; accepted strings come back exactly as sent (bound, not
 * interpolated). The routes come from the app itself, so a new route without a case fails here.
 */

const tally = new Tally('sql-strings');

const SCHEME = {
  spanLabels: [{ key: 'premise', name: 'Premise', color: '#1f77b4', hotkey: 'p', description: 'A reason.' }],
  relationTypes: [{ key: 'supports', name: 'Supports', color: '#2ca02c', hotkey: 's', description: '', target: 'span', sources: ['premise'], targets: ['premise'] }],
  categories: [{ key: 'pro', name: 'Pro', hotkey: '1', description: '' }],
};
const TEXT = 'Cats are better than dogs because they purr. '.repeat(8);
const STATUSES_ALLOWED = new Set([200, 201, 204, 400, 401, 403, 404, 409, 413, 414, 415, 429]);

let t: TestApp & { routes: RouteOptions[] };
let f: ProjectFixture;
let admin: Client;
let pw: Client;
let annotator: Client;
let tables: string[];
let setId: string;
let passageId: string;
let releaseId: string;
let targetUserId: string;
let n = 0;

const sqlite = () => t.app.sqlite;
const setVersion = () => (sqlite().prepare('select version from annotation_sets where id = ?').get(setId) as { version: number }).version;
const goldVersion = () => (sqlite().prepare('select version from gold_versions where passage_id = ?').get(passageId) as { version: number } | undefined)?.version ?? 0;

type Actor = 'anonymous' | 'admin' | 'lead' | 'annotator' | 'pw';

interface RouteCase {
  as: Actor;
  /** A valid body (fresh per case: ids and versions move on as cases are accepted). */
  body?: () => Record<string, unknown>;
  query?: Record<string, string>;
}

const SPEC: Record<string, RouteCase> = {
  'GET /api/health': { as: 'anonymous' },
  'GET /api/auth/session': { as: 'lead' },
  'POST /api/auth/login': { as: 'anonymous', body: () => ({ username: 'sql-lead', password: 'not the password at all' }) },
  'POST /api/auth/logout': { as: 'anonymous' },
  'PUT /api/auth/password': { as: 'pw', body: () => ({ currentPassword: 'not the current password', newPassword: 'a new long passphrase' }) },
  'PATCH /api/me': { as: 'annotator', body: () => ({ locale: 'en', displayName: 'Annotator' }) },
  'GET /api/users': { as: 'admin' },
  'POST /api/users': { as: 'admin', body: () => ({ username: `sql-u${(n += 1)}`, displayName: 'U', password: 'a long enough passphrase', isAdmin: false, canCreateProjects: false }) },
  'PATCH /api/users/:id': { as: 'admin', body: () => ({ displayName: 'Target', isAdmin: false, canCreateProjects: false, disabled: false }) },
  'GET /api/projects': { as: 'lead' },
  'POST /api/projects': { as: 'lead', body: () => ({ name: `p${(n += 1)}`, description: 'd', guidelines: 'g', annotatorsPerPassage: 2, scheme: SCHEME }) },
  'GET /api/projects/:id': { as: 'lead' },
  'PATCH /api/projects/:id': { as: 'lead', body: () => ({ name: 'sql project', description: 'd', guidelines: 'g', annotatorsPerPassage: 2 }) },
  'PUT /api/projects/:id/scheme': { as: 'lead', body: () => ({ scheme: SCHEME }) },
  'GET /api/projects/:id/members': { as: 'lead' },
  'POST /api/projects/:id/members': { as: 'lead', body: () => ({ username: `sql-m${(n += 1)}`, role: 'annotator', createAccount: true, displayName: 'M' }) },
  'DELETE /api/projects/:id/members/:userId': { as: 'lead' },
  'POST /api/projects/:id/imports': { as: 'lead' }, // multipart: its own describe below
  'GET /api/projects/:id/passages': { as: 'lead', query: { offset: '0', limit: '10' } },
  'GET /api/passages/:id': { as: 'lead' },
  'GET /api/passages/:id/annotation-sets': { as: 'lead' },
  'GET /api/projects/:id/queue': { as: 'annotator' },
  'POST /api/projects/:id/queue/next': { as: 'annotator' },
  'GET /api/annotation-sets/:id': { as: 'annotator' },
  'POST /api/annotation-sets/:id/changes': {
    as: 'annotator',
    body: () => {
      n += 1;
      return {
        changeId: `ch${n}`,
        baseVersion: setVersion(),
        ops: [
          { op: 'addSpan', span: { id: `s${n}`, label: 'premise', start: n % 100, end: 101 + (n % 200), note: 'n' } },
          { op: 'setCategory', category: 'pro' },
          { op: 'setStatus', status: 'draft', reason: null },
        ],
      };
    },
  },
  'GET /api/annotation-sets/:id/history': { as: 'annotator', query: { after: '0', limit: '10' } },
  'GET /api/projects/:id/export': { as: 'lead', query: { format: 'csv', progress: 'tok1' } },
  'GET /api/projects/:id/export/progress/:token': { as: 'lead' },
  'GET /api/projects/:id/agreement': { as: 'lead', query: { labels: 'premise,other', annotators: 'placeholder', from: '2020-01-01T00:00:00Z', to: '2099-01-01T00:00:00+02:00' } },
  'GET /api/projects/:id/agreement/passages': { as: 'lead', query: { offset: '0', limit: '10', open: 'false' } },
  'GET /api/projects/:id/passages/:passageId/comparison': { as: 'lead' },
  'PUT /api/projects/:id/passages/:passageId/gold': {
    as: 'lead',
    body: () => {
      n += 1;
      return {
        baseVersion: goldVersion(),
        status: 'in_progress',
        category: 'pro',
        categorySources: [],
        spans: [{ id: `g${n}`, label: 'premise', start: 0, end: 4, note: 'why', sources: [], edited: true }],
        relations: [],
        note: 'adjudicated',
      };
    },
  },
  'DELETE /api/projects/:id/passages/:passageId/gold': { as: 'lead' },
  'GET /api/projects/:id/releases': { as: 'lead' },
  'POST /api/projects/:id/releases': {
    as: 'lead',
    body: () => ({
      name: `r${(n += 1)}`,
      description: 'd',
      source: 'all',
      categories: ['pro'],
      labels: ['premise'],
      minAgreement: null,
      splits: { train: 0.8, dev: 0.1, test: 0.1 },
      splitSeed: 'seed',
      licence: 'CC-BY-4.0',
      citation: 'c',
    }),
  },
  'GET /api/projects/:id/releases/:releaseId': { as: 'lead' },
  'GET /api/projects/:id/releases/:releaseId/download': { as: 'lead' },
  'GET /api/projects/:id/releases/:releaseId/files/:path': { as: 'lead' },
};

/** A valid value for each path parameter of a route. */
function paramValue(url: string, name: string): string {
  switch (name) {
    case 'id':
      if (url.startsWith('/api/users/')) return targetUserId;
      if (url.startsWith('/api/passages/')) return passageId;
      if (url.startsWith('/api/annotation-sets/')) return setId;
      return f.project.id;
    case 'userId':
      return targetUserId;
    case 'passageId':
      return passageId;
    case 'releaseId':
      return releaseId;
    case 'path':
      return 'manifest.json';
    case 'token':
      return 'tok1';
    default:
      throw new Error(`no value for :${name} of ${url}`);
  }
}

function paramsOf(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}

/** Percent-encoding; a lone surrogate (which encodeURIComponent refuses) goes as its WTF-8 bytes. */
const encode = (value: string) => value.split(/([\ud800-\udfff])/u).map((part, i) => (i % 2 ? `%${[0xe0 | (part.charCodeAt(0) >> 12), 0x80 | ((part.charCodeAt(0) >> 6) & 0x3f), 0x80 | (part.charCodeAt(0) & 0x3f)].map((b) => b.toString(16)).join('%')}` : encodeURIComponent(part))).join('');

function fill(url: string, override: Record<string, string> = {}): string {
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => encode(override[name] ?? paramValue(url, name)));
}

type Path = (string | number)[];

/** Paths to every primitive (string, number, boolean, null) inside a JSON value. */
function leaves(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [path];
}

function setAt(value: Record<string, unknown>, path: Path, replacement: unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  let at: Record<string | number, unknown> = copy;
  path.slice(0, -1).forEach((key) => {
    at = at[key] as Record<string | number, unknown>;
  });
  at[path[path.length - 1]!] = replacement;
  return copy;
}

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

let ipCounter = 0;
function send(as: Actor, method: string, url: string, payload?: unknown) {
  const options = { method: method as 'GET', url, ...(payload === undefined ? {} : { payload: payload as object }) };
  if (as === 'anonymous') {
    ipCounter += 1;
    // Loopback addresses only: the login throttle counts per address, and every case is a new one.
    return t.app.inject({ ...options, remoteAddress: `127.1.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}` });
  }
  const client = { admin, lead: f.lead, annotator, pw }[as];
  return client.request(options);
}

/** One hostile request: never a 5xx; a refusal carries a contract error and leaves every row as it was. */
/** Answers that are refusals but not in the contract's error shape (see the `it.fails` below). */
const nonContractErrors: string[] = [];

async function hostileCase(group: string, what: string, as: Actor, method: string, url: string, payload?: unknown) {
  return tally.check(group, async () => {
    const before = rowCounts(sqlite());
    const res = await send(as, method, url, payload);
    const context = `${what}: ${res.statusCode} ${res.body.slice(0, 300)}`;
    expect(STATUSES_ALLOWED.has(res.statusCode), context).toBe(true);
    if (res.statusCode >= 400) {
      if (String((res.json() as { code?: unknown }).code).startsWith('FST_ERR_')) nonContractErrors.push(context);
      else expect(() => errorCode(res), context).not.toThrow();
      expect(rowCounts(sqlite()), `${context}: rows changed by a refused request`).toEqual(before);
    } else {
      expect(tableNames(sqlite()), context).toEqual(tables);
    }
    return res;
  });
}

beforeAll(async () => {
  t = await createRoutedApp();
  f = await createProjectWithTeam(t.app, 'sql', 2, { scheme: SCHEME, annotatorsPerPassage: 2 });
  annotator = f.annotators[0]!;
  await createUser(t.app, { username: 'sql-admin', isAdmin: true });
  admin = await Client.login(t.app, 'sql-admin');
  await createUser(t.app, { username: 'sql-pw' });
  pw = await Client.login(t.app, 'sql-pw');
  targetUserId = (await createUser(t.app, { username: 'sql-target' })).id;
  await importTexts(f.lead, f.project.id, [
    { id: 'p1', text: TEXT },
    { id: 'p2', text: `${TEXT}Second.` },
  ]);
  const item = await next(annotator, f.project.id);
  setId = item!.setId;
  passageId = item!.passageId;
  const rel = await f.lead.post(`/api/projects/${f.project.id}/releases`, { name: 'first', source: 'all' });
  expect(rel.statusCode, rel.body).toBe(201);
  releaseId = releaseSummary.parse(rel.json()).id;
  const agreement = SPEC['GET /api/projects/:id/agreement']!.query!;
  agreement.annotators = `${annotator.user.id},${f.annotators[1]!.user.id}`;
  tables = tableNames(sqlite());
});

afterAll(async () => {
  tally.report();
  await t?.close();
});

const apiRoutes = () =>
  t.routes
    .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ ...r, method })))
    .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && r.method !== 'OPTIONS');

describe('prototype names as label keys, usernames and ids', () => {
  it('keeps "constructor" and "__proto__" as plain names through saves, comparison, agreement, exports and releases', async () => {
    const scheme = {
      spanLabels: [
        { key: 'constructor', name: 'constructor', color: '#1f77b4', hotkey: '', description: '' },
        { key: 'premise', name: 'Premise', color: '#ff7f0e', hotkey: '', description: '' },
      ],
      relationTypes: [{ key: 'constructor', name: 'constructor', color: '#2ca02c', hotkey: '', description: '', target: 'span' }],
      categories: [{ key: 'constructor', name: 'constructor', hotkey: '', description: '' }],
    };
    const k = await createProjectWithTeam(t.app, 'proto', 0, { scheme, annotatorsPerPassage: 2 });
    const members = [];
    for (const username of ['constructor', 'tostring']) {
      await createUser(t.app, { username });
      const added = await k.lead.post(`/api/projects/${k.project.id}/members`, { username, role: 'annotator' });
      expect(added.statusCode, added.body).toBe(201);
      members.push(await Client.login(t.app, username));
    }
    const imported = await importTexts(k.lead, k.project.id, [
      { id: '__proto__', text: 'The first passage says something.' },
      { id: 'constructor', text: 'The second passage says more.' },
    ]);
    expect(imported.passages).toBe(2);
    for (const member of members) {
      for (let i = 0; i < 2; i += 1) {
        const item = await next(member, k.project.id);
        const ops = [
          { op: 'addSpan', span: { id: '__proto__', label: 'constructor', start: 0, end: 9 } },
          { op: 'addSpan', span: { id: 'constructor', label: 'constructor', start: 10, end: 17 } },
          { op: 'addRelation', relation: { id: 'hasOwnProperty', type: 'constructor', source: '__proto__', target: 'constructor' } },
          { op: 'setCategory', category: 'constructor' },
          { op: 'setStatus', status: 'submitted' },
        ];
        const res = await member.post(`/api/annotation-sets/${item!.setId}/changes`, { changeId: 'toString', baseVersion: 0, ops });
        await tally.check('prototype names', () => expect(res.statusCode, res.body).toBe(200));
        const set = await member.get(`/api/annotation-sets/${item!.setId}`);
        await tally.check('prototype names', () => expect(set.json().spans.map((s: { id: string }) => s.id)).toEqual(['__proto__', 'constructor']));
      }
    }
    const list = passageList.parse((await k.lead.get(`/api/projects/${k.project.id}/passages`)).json());
    const first = list.passages[0]!;
    const ids = members.map((m) => m.user.id).join(',');
    const urls: [string, number][] = [
      [`/api/projects/${k.project.id}/passages/${first.id}/comparison`, 200],
      [`/api/projects/${k.project.id}/agreement`, 200],
      [`/api/projects/${k.project.id}/agreement?labels=constructor&annotators=${ids}`, 200],
      // "__proto__" is no label of this project: refused by name, not looked up on a prototype.
      [`/api/projects/${k.project.id}/agreement?labels=constructor,__proto__`, 400],
      // Annotator ids that are nobody's select nobody.
      [`/api/projects/${k.project.id}/agreement?annotators=constructor,__proto__`, 200],
      [`/api/projects/${k.project.id}/agreement/passages`, 200],
      ...['jsonl', 'csv', 'conll', 'brat', 'aif'].map((format): [string, number] => [`/api/projects/${k.project.id}/export?format=${format}`, 200]),
    ];
    for (const [u, status] of urls) {
      const res = await k.lead.get(u);
      await tally.check('prototype names', () => expect(res.statusCode, `${u}: ${res.body.slice(0, 300)}`).toBe(status));
      if (u.includes('annotators=constructor')) expect(res.json().annotators).toEqual([]);
    }
    const gold = await k.lead.put(`/api/projects/${k.project.id}/passages/${first.id}/gold`, {
      baseVersion: 0,
      status: 'done',
      category: 'constructor',
      categorySources: members.map((m) => m.user.id),
      spans: [{ id: '__proto__', label: 'constructor', start: 0, end: 9, note: null, sources: members.map((m) => m.user.id), edited: false }],
      relations: [],
      note: null,
    });
    await tally.check('prototype names', () => expect(gold.statusCode, gold.body).toBe(200));
    const release = await k.lead.post(`/api/projects/${k.project.id}/releases`, { name: 'constructor', source: 'all', labels: ['constructor'], categories: ['constructor'] });
    await tally.check('prototype names', () => expect(release.statusCode, release.body).toBe(201));
    const summary = releaseSummary.parse(release.json());
    await tally.check('prototype names', () => expect(summary.records).toBeGreaterThan(0));
    await tally.check('prototype names', () => expectIntact(sqlite(), tables));
  });
});

describe('hostile strings in every parameter of every route', () => {
  it('has a case for every route the app registers, and every body and query field of it', () => {
    const missing: string[] = [];
    for (const route of apiRoutes()) {
      const key = `${route.method} ${route.url}`;
      const spec = SPEC[key];
      if (!spec) {
        missing.push(key);
        continue;
      }
      const schema = route.schema as { body?: unknown; querystring?: unknown } | undefined;
      const bodyKeys = shapeKeys(schema?.body);
      if (bodyKeys.length > 0 && !spec.body) missing.push(`${key} body`);
      const queryKeys = shapeKeys(schema?.querystring);
      for (const k of queryKeys) if (!spec.query || !(k in spec.query)) missing.push(`${key} ?${k}`);
    }
    expect(missing).toEqual([]);
  });

  it('answers every hostile path parameter with 400 or 404, never a 5xx', async () => {
    for (const route of apiRoutes()) {
      const spec = SPEC[`${route.method} ${route.url}`]!;
      for (const name of paramsOf(route.url)) {
        for (const hostile of HOSTILE_STRINGS) {
          const url = fill(route.url, { [name]: hostile });
          const query = spec.query ? `?${new URLSearchParams(spec.query)}` : '';
          const res = await hostileCase('path parameters', `${route.method} ${route.url} :${name}=${label(hostile)}`, spec.as, route.method, url + query, spec.body?.());
          // The import route answers a request that is not multipart with 415 before reading anything;
          // "__proto__" and "constructor" are well-formed ids and tokens, of nothing (an unknown
          // progress token is "pending").
          const idShaped = /^[A-Za-z0-9_-]{1,64}$/.test(hostile);
          expect([400, 404, 414, ...(route.url.endsWith('/imports') ? [415] : []), ...(idShaped && name === 'token' ? [200] : [])], `${route.method} ${route.url} :${name}=${label(hostile)}`).toContain(res.statusCode);
          if (res.statusCode === 200) expect(res.json()).toMatchObject({ state: 'pending', passages: 0 });
        }
      }
    }
  });

  // A path that is not valid UTF-8 once percent-decoded (a lone surrogate), or a path parameter
  // over 100 characters, is answered by Fastify's router before any hook: it must still be the
  // contract's error body (serverOptions' frameworkErrors), not Fastify's {"code":"FST_ERR_..."}.
  it('answers a malformed path in the contract\'s error shape', () => {
    tally.check('path parameters', () => expect(nonContractErrors).toEqual([]));
  });

  it('answers every hostile query parameter with 400 or a normal answer', async () => {
    for (const route of apiRoutes()) {
      const spec = SPEC[`${route.method} ${route.url}`]!;
      if (!spec.query) continue;
      for (const name of Object.keys(spec.query)) {
        for (const hostile of [...HOSTILE_STRINGS, '-1', '1e308', 'NaN', '0x10', '99999999999999999999']) {
          const query = Object.entries({ ...spec.query, [name]: hostile }).map(([k, v]) => `${k}=${encode(v)}`).join('&');
          await hostileCase('query parameters', `${route.method} ${route.url} ?${name}=${label(hostile)}`, spec.as, route.method, `${fill(route.url)}?${query}`);
        }
        // The same name twice arrives as an array.
        const twice = `${new URLSearchParams(spec.query)}&${name}=${encodeURIComponent("' OR 1=1 --")}`;
        await hostileCase('query parameters', `${route.method} ${route.url} ?${name} twice`, spec.as, route.method, `${fill(route.url)}?${twice}`);
      }
    }
  });

  it('answers every hostile body field, at every depth, with 400 or a normal answer', async () => {
    for (const route of apiRoutes()) {
      const key = `${route.method} ${route.url}`;
      const spec = SPEC[key]!;
      if (!spec.body) continue;
      const base = spec.body();
      const optional = shapeKeys((route.schema as { body?: unknown }).body).filter((k) => !(k in base));
      const paths: Path[] = [...leaves(base), ...optional.map((k) => [k])];
      for (const path of paths) {
        const deep = path.length > 2;
        for (const hostile of deep ? HOSTILE_CORE : HOSTILE_STRINGS) {
          const body = setAt(spec.body(), path, hostile);
          await hostileCase('body fields', `${key} ${path.join('.')}=${label(hostile)}`, spec.as, route.method, fill(route.url), body);
        }
        // The wrong JSON type in the same place: an object, an array, a huge number.
        for (const odd of path.length > 1 ? [{ $ne: null }] : [{ $ne: null }, ["' OR 1=1 --"], 1e308, -1, true]) {
          const body = setAt(spec.body(), path, odd);
          await hostileCase('body fields', `${key} ${path.join('.')}=${label(odd)}`, spec.as, route.method, fill(route.url), body);
        }
      }
      // A valid body still works after all that: the route was exercised, not just refused.
      const res = await hostileCase('body fields', `${key} valid`, spec.as, route.method, fill(route.url), spec.body());
      if (key !== 'POST /api/auth/login' && key !== 'PUT /api/auth/password') expect(res.statusCode, `${key}: ${res.body}`).toBeLessThan(300);
    }
  });

  it('refuses prototype-poisoning keys in a JSON body with 400 and writes nothing', async () => {
    const bodies = [
      '{"name":"proto","__proto__":{"isAdmin":true}}',
      '{"name":"ctor","constructor":{"prototype":{"isAdmin":true}}}',
    ];
    for (const payload of bodies) {
      const raw = await tally.check('body fields', async () => {
        const before = rowCounts(sqlite());
        const r = await f.lead.request({ method: 'POST', url: '/api/projects', payload, headers: { 'content-type': 'application/json' } });
        expect(r.statusCode, r.body).toBe(400);
        expect(rowCounts(sqlite())).toEqual(before);
        return r;
      });
      expect(errorCode(raw)).toBe('VALIDATION_FAILED');
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('stores accepted hostile strings exactly as sent and reads them back', async () => {
    for (const hostile of HOSTILE_STRINGS.filter((s) => s.trim() !== '' && s.length <= 200 && !/\p{Cs}/u.test(s))) {
      await tally.check('round trip', async () => {
        const created = await f.lead.post('/api/projects', { name: hostile, description: hostile, guidelines: hostile });
        expect(created.statusCode, created.body).toBe(201);
        const id = projectSchema.parse(created.json()).id;
        const read = projectSchema.parse((await f.lead.get(`/api/projects/${id}`)).json());
        expect([read.name, read.description, read.guidelines]).toEqual([hostile, hostile, hostile]);
        const me = await admin.patch(`/api/users/${targetUserId}`, { displayName: hostile });
        expect(me.statusCode, me.body).toBe(200);
        expect(userSchema.parse(me.json()).displayName).toBe(hostile);
      });
    }
    expect(tableNames(sqlite())).toEqual(tables);
  });

  // Found by this suite: JSON.parse accepts "\ud800", SQLite stored it as bytes that are not UTF-8,
  // and it read back as three U+FFFD. The JSON body parser (plugins/external/security.ts) now
  // refuses any string or key that is not well-formed, with its path.
  it('refuses a lone surrogate in any JSON string with 400, rather than storing it garbled', async () => {
    const before = rowCounts(sqlite());
    const created = await f.lead.post('/api/projects', { name: 'lone \ud800 surrogate' });
    tally.check('lone surrogate refused', () => {
      expect(created.statusCode, created.body).toBe(400);
      expect(created.body).toContain('body.name: not valid Unicode text');
      expect(rowCounts(sqlite())).toEqual(before);
    });
    // A well-formed pair (an emoji) is of course fine.
    const emoji = await f.lead.post('/api/projects', { name: 'pair 😀 fine' });
    expect(emoji.statusCode).toBe(201);
  });
});

describe('hostile multipart fields and file names on imports', () => {
  const url = () => `/api/projects/${f.project.id}/imports`;

  async function upload(filename: string, content: string, fields: Record<string, string>) {
    const { payload, headers } = multipart({ filename, content }, fields);
    return f.lead.request({ method: 'POST', url: url(), payload, headers: { ...headers, [CSRF_HEADER]: f.lead.csrfToken } });
  }

  it('answers hostile format, mode, annotator, source and language fields with 400 or a normal answer', async () => {
    const semantic = (id: string) =>
      `${JSON.stringify({ format: 'warrant-semantic/0.2', id, text: 'Hello there.', text_sha256: createHash('sha256').update('Hello there.').digest('hex'), annotator: 'ann', status: 'submitted', category: null, spans: [], relations: [] })}\n`;
    for (const field of ['format', 'mode', 'annotator', 'source', 'language']) {
      for (const hostile of HOSTILE_STRINGS) {
        await tally.check('import fields', async () => {
          const before = rowCounts(sqlite());
          const base: Record<string, string> = { format: 'semantic-jsonl', mode: 'annotator', annotator: 'imported-x', source: 'ann', language: 'en' };
          const res = await upload(`hostile-${field}.jsonl`, semantic(`doc-${field}`), { ...base, [field]: hostile });
          const context = `${field}=${label(hostile)}: ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(STATUSES_ALLOWED.has(res.statusCode), context).toBe(true);
          if (res.statusCode >= 400) expect(rowCounts(sqlite()), context).toEqual(before);
        });
      }
    }
  });

  it('takes a file name with ../ as a name only: nothing is read from or written to that path', async () => {
    const canary = resolve(t.dataDir, '../../../../tmp', `warrant-hostile-${process.pid}.txt`);
    const names = [
      '../../etc/passwd',
      `../../../../tmp/warrant-hostile-${process.pid}.txt`,
      '..\\..\\windows\\win.ini.txt',
      '/etc/passwd.txt',
      'C:\\boot.ini.txt',
      '....//....//etc/passwd.txt',
      '%2e%2e%2fetc%2fpasswd.txt',
      `${'a/'.repeat(200)}long.txt`,
      'nul\u0000byte.txt',
      "quote'; DROP TABLE imports; --.txt",
    ];
    for (const [i, filename] of names.entries()) {
      await tally.check('import file names', async () => {
        const before = rowCounts(sqlite());
        const text = `Passage ${i} from a file called ${filename}.`;
        const res = await upload(filename, text, { format: 'txt' });
        const context = `${label(filename)}: ${res.statusCode} ${res.body.slice(0, 300)}`;
        expect(STATUSES_ALLOWED.has(res.statusCode), context).toBe(true);
        if (res.statusCode >= 400) {
          expect(rowCounts(sqlite()), context).toEqual(before);
          return;
        }
        const summary = importResponse.parse(res.json()).import;
        // Reported as a name: no "../", no leading slash, no longer than a name can be.
        expect(summary.filename, context).not.toMatch(/(^|\/)\.\.(\/|$)|^\//);
        expect(summary.filename.length).toBeLessThanOrEqual(255);
        // The text is what was uploaded, never the file the name points at.
        const list = passageList.parse((await f.lead.get(`/api/projects/${f.project.id}/passages?offset=0&limit=200`)).json());
        const texts = await Promise.all(list.passages.map(async (p) => passage.parse((await f.lead.get(`/api/passages/${p.id}`)).json()).text));
        expect(texts).toContain(text);
        expect(texts.some((x) => x.includes('root:'))).toBe(false);
      });
    }
    expect(existsSync(canary)).toBe(false);
    expect(existsSync(join(t.dataDir, 'etc'))).toBe(false);
  });

  it('leaves every table in place and the database whole', () => {
    tally.check('database intact', () => expectIntact(sqlite(), tables));
  });
});
