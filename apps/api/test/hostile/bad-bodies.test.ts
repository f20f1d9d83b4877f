import { MAX_OPS_PER_CHANGE, errorBody, passageList } from '@warrant/contracts';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../src/app.ts';
import { Client, createUser, type TestApp } from '../helpers/app.ts';
import { createProjectWithTeam, importTexts, next, type ProjectFixture } from '../helpers/project.ts';
import { createRoutedApp, errorCode, rowCounts } from './hostile.ts';
import { Tally } from './tally.ts';

/**
 * Issue 6, "Bad input: bodies": a body over the limit is refused with 413 before it is parsed; a
 * deeply nested body or an oversized array is refused with 400 (a short answer, not one issue per
 * element); nothing crashes, nothing is written.
 */

const tally = new Tally('bad-bodies');

let t: TestApp & { routes: RouteOptions[] };
let f: ProjectFixture;
let admin: Client;
let setId: string;
let passageId: string;

const sqlite = () => t.app.sqlite;

/**
 * Every route that takes a JSON body (`typed`: only those whose contract has a body schema; the
 * others, such as logout, ignore a body), with its path parameters filled (ids of real things).
 */
function bodyRoutes(typed = false): { method: string; url: string; as: Client }[] {
  return t.routes
    .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method, url: r.url, body: (r.schema as { body?: unknown } | undefined)?.body })))
    .filter((r) => r.url.startsWith('/api/') && ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.url.endsWith('/imports') && (!typed || r.body !== undefined))
    .map((r) => ({
      method: r.method,
      url: r.url.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
        name === 'passageId' ? passageId : r.url.startsWith('/api/annotation-sets/') ? setId : r.url.startsWith('/api/users/') ? admin.user.id : f.project.id,
      ),
      as: r.url.startsWith('/api/users') ? admin : r.url.includes('/changes') || r.url.includes('/queue') ? f.annotators[0]! : f.lead,
    }));
}

async function refused(group: string, what: string, as: Client, method: string, url: string, payload: string, status: number, headers: Record<string, string> = {}) {
  return tally.check(group, async () => {
    const before = rowCounts(sqlite());
    const started = performance.now();
    const res = await as.request({ method: method as 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });
    const ms = performance.now() - started;
    expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBe(status);
    expect(() => errorCode(res), what).not.toThrow();
    // A short answer: the first problems, never one issue per element of a huge array.
    expect(res.body.length, what).toBeLessThan(64 * 1024);
    expect(rowCounts(sqlite()), `${what}: rows changed`).toEqual(before);
    return { res, ms };
  });
}

beforeAll(async () => {
  t = await createRoutedApp();
  f = await createProjectWithTeam(t.app, 'body', 1);
  await createUser(t.app, { username: 'body-admin', isAdmin: true });
  admin = await Client.login(t.app, 'body-admin');
  await importTexts(f.lead, f.project.id, [{ id: 'one', text: 'A short passage to annotate.' }]);
  const item = await next(f.annotators[0]!, f.project.id);
  setId = item!.setId;
  passageId = passageList.parse((await f.lead.get(`/api/projects/${f.project.id}/passages`)).json()).passages[0]!.id;
});

afterAll(async () => {
  tally.report();
  await t?.close();
});

describe('bodies over the limit', () => {
  it('refuses a body one byte over the limit with 413 on every JSON route, before parsing it', async () => {
    const times: number[] = [];
    for (const route of bodyRoutes()) {
      // Not JSON at all: a parser that ran first would say 400; the size check says 413.
      const notJson = '{'.repeat(BODY_LIMIT + 1);
      times.push((await refused('over the limit', `${route.method} ${route.url} (not JSON)`, route.as, route.method, route.url, notJson, 413)).ms);
      // Valid JSON, just too long.
      const long = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT) });
      times.push((await refused('over the limit', `${route.method} ${route.url} (long)`, route.as, route.method, route.url, long, 413)).ms);
    }
    const { res } = await refused('over the limit', 'the code', f.lead, 'POST', '/api/projects', '['.repeat(BODY_LIMIT + 1), 413);
    expect(errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    // Figures, not an assertion (tests never assert on time): refusing 2 MiB should take milliseconds.
    console.log(`413 over the limit: median ${times.sort((a, b) => a - b)[Math.floor(times.length / 2)]?.toFixed(1)} ms of ${times.length}`);
  });

  it('refuses on the declared Content-Length alone, without reading the body', async () => {
    for (const route of bodyRoutes()) {
      await refused('over the limit', `${route.method} ${route.url} (declared)`, route.as, route.method, route.url, '{}', 413, { 'content-length': String(BODY_LIMIT + 1) });
    }
  });

  it('takes a body exactly at the limit (the limit is not off by one)', async () => {
    await tally.check('over the limit', async () => {
      const head = '{"name":"at the limit","description":"';
      const tail = '"}';
      const payload = head + ' '.repeat(BODY_LIMIT - head.length - tail.length) + tail;
      expect(Buffer.byteLength(payload)).toBe(BODY_LIMIT);
      const res = await f.lead.request({ method: 'POST', url: '/api/projects', payload, headers: { 'content-type': 'application/json' } });
      // Parsed and validated: the description is over its own maximum, so 400, not 413.
      expect(res.statusCode, res.body.slice(0, 200)).toBe(400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    });
  });
});

describe('deeply nested JSON', () => {
  const nestedArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it.each([10_000, 100_000])('refuses %i levels as the body or in a typed field of JSON routes with 400', async (depth) => {
    // 100,000 levels: on the routes that take the largest bodies (saves, gold, projects).
    const routes = bodyRoutes(true).filter((r) => depth <= 10_000 || /changes|gold|\/api\/projects$/.test(r.url));
    for (const route of routes) {
      for (const [i, nested] of [nestedArray(depth), nestedObject(Math.min(depth, 50_000))].entries()) {
        // As the whole body, and in every field a route can take.
        await refused('deep nesting', `${route.method} ${route.url} body`, route.as, route.method, route.url, nested, 400);
        const fields = ['name', 'ops', 'scheme', 'spans', 'username', 'displayName', 'changeId', 'baseVersion', 'status', 'labels', 'newPassword', 'password'];
        const payload = `{${fields.map((field) => `"${field}":${nested}`).join(',')}}`;
        // In every field: 10,000 levels of arrays (100,000 levels, and objects, go in as the whole body only).
        if (depth > 10_000 || i > 0 || payload.length > BODY_LIMIT) continue;
        await refused('deep nesting', `${route.method} ${route.url} fields`, route.as, route.method, route.url, payload, 400);
      }
    }
  });

  it('drops 10,000 levels under a key no contract names, like any unknown key, and applies nothing from it', async () => {
    await tally.check('deep nesting', async () => {
      const payload = `{"changeId":"deep1","baseVersion":0,"ops":[{"op":"setCategory","category":null}],"extra":${nestedObject(10_000)}}`;
      const res = await f.annotators[0]!.request({ method: 'POST', url: `/api/annotation-sets/${setId}/changes`, payload, headers: { 'content-type': 'application/json' } });
      expect([200, 400], res.body).toContain(res.statusCode);
      const history = sqlite().prepare("select data from history where change_id = 'deep1'").all() as { data: string }[];
      expect(history.every((h) => !h.data.includes('"extra"'))).toBe(true);
    });
  });

  it('refuses prototype keys at depth with 400', async () => {
    for (const payload of [
      `{"name":"p","scheme":{"spanLabels":[{"__proto__":{"key":"x"}}]}}`,
      `{"name":"p","description":${nestedObject(100).replace('{"a":1}', '{"__proto__":{"polluted":true}}')}}`,
    ]) {
      await refused('deep nesting', 'prototype key', f.lead, 'POST', '/api/projects', payload, 400);
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('oversized arrays', () => {
  const annotator = () => f.annotators[0]!;
  const changes = () => `/api/annotation-sets/${setId}/changes`;
  const gold = () => `/api/projects/${f.project.id}/passages/${passageId}/gold`;
  const op = { op: 'setCategory', category: null };
  const goldSpan = (i: number) => ({ id: `s${i}`, label: 'premise', start: 0, end: 1, note: null, sources: [], edited: true });
  const goldBody = (over: Record<string, unknown>) => JSON.stringify({ baseVersion: 0, status: 'in_progress', category: null, categorySources: [], spans: [], relations: [], note: null, ...over });
  const scheme = (over: Record<string, unknown>) => ({
    spanLabels: [{ key: 'premise', name: 'Premise', color: '#1f77b4', hotkey: '', description: '' }],
    relationTypes: [],
    categories: [],
    ...over,
  });

  it(`refuses ops beyond MAX_OPS_PER_CHANGE (${MAX_OPS_PER_CHANGE}) and 100,000-element arrays with a short 400`, async () => {
    const cases: [string, string][] = [
      ['1001 valid ops', JSON.stringify({ changeId: 'big1', baseVersion: 0, ops: Array(MAX_OPS_PER_CHANGE + 1).fill(op) })],
      ['100,000 empty ops', JSON.stringify({ changeId: 'big2', baseVersion: 0, ops: Array(100_000).fill({}) })],
      ['100,000 zeros', JSON.stringify({ changeId: 'big3', baseVersion: 0, ops: Array(100_000).fill(0) })],
      ['1000 invalid ops (each one an issue)', JSON.stringify({ changeId: 'big4', baseVersion: 0, ops: Array(MAX_OPS_PER_CHANGE).fill({ op: 'addSpan', span: {} }) })],
    ];
    for (const [name, payload] of cases) {
      const { res } = await refused('oversized arrays', name, annotator(), 'POST', changes(), payload, 400);
      expect(errorCode(res)).toBe('VALIDATION_FAILED');
    }
    // Exactly the maximum is still one change.
    await tally.check('oversized arrays', async () => {
      const { version } = sqlite().prepare('select version from annotation_sets where id = ?').get(setId) as { version: number };
      const res = await annotator().post(changes(), { changeId: 'max', baseVersion: version, ops: Array(MAX_OPS_PER_CHANGE).fill(op) });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    });
  });

  it('refuses oversized arrays in the gold version, releases and the scheme with a short 400', async () => {
    const cases: [string, Client, string, string, string][] = [
      ['gold: 10,001 spans', f.lead, 'PUT', gold(), goldBody({ spans: Array.from({ length: 10_001 }, (_, i) => goldSpan(i)) })],
      ['gold: 10,000 invalid spans', f.lead, 'PUT', gold(), goldBody({ spans: Array(10_000).fill({ id: '' }) })],
      ['gold: 100,000 relations', f.lead, 'PUT', gold(), goldBody({ relations: Array(100_000).fill(0) })],
      ['gold: 101 category sources', f.lead, 'PUT', gold(), goldBody({ categorySources: Array(101).fill('abcdefgh') })],
      ['gold: 101 span sources', f.lead, 'PUT', gold(), goldBody({ spans: [{ ...goldSpan(0), sources: Array(101).fill('abcdefgh') }] })],
      ['release: 100,000 labels', f.lead, 'POST', `/api/projects/${f.project.id}/releases`, JSON.stringify({ name: 'r', labels: Array(100_000).fill('x') })],
      ['release: 101 categories', f.lead, 'POST', `/api/projects/${f.project.id}/releases`, JSON.stringify({ name: 'r', categories: Array(101).fill('x') })],
      ['scheme: 51 span labels', f.lead, 'PUT', `/api/projects/${f.project.id}/scheme`, JSON.stringify({ scheme: scheme({ spanLabels: Array.from({ length: 51 }, (_, i) => ({ key: `l${i}`, name: 'L', color: '#000000', hotkey: '', description: '' })) }) })],
      ['scheme: 100,000 categories', f.lead, 'PUT', `/api/projects/${f.project.id}/scheme`, JSON.stringify({ scheme: scheme({ categories: Array(100_000).fill({}) }) })],
      ['project: 100,000 relation types', f.lead, 'POST', '/api/projects', JSON.stringify({ name: 'p', scheme: scheme({ relationTypes: Array(100_000).fill(1) }) })],
    ];
    for (const [name, as, method, url, payload] of cases) {
      expect(payload.length, name).toBeLessThanOrEqual(BODY_LIMIT);
      const { res } = await refused('oversized arrays', name, as, method, url, payload, 400);
      expect(errorCode(res), name).toBe('VALIDATION_FAILED');
    }
  });
});

describe('bodies of the wrong kind', () => {
  it('answers empty, non-object and malformed JSON, and other content types, with 400 or 415', async () => {
    const cases: [string, string, Record<string, string>, number[]][] = [
      ['empty', '', {}, [400]],
      ['null', 'null', {}, [400]],
      ['an array', '[]', {}, [400]],
      ['a string', '"x"', {}, [400]],
      ['a number', '1e999', {}, [400]],
      ['truncated', '{"name":"x"', {}, [400]],
      ['trailing garbage', '{"name":"x"} {"name":"y"}', {}, [400]],
      ['a BOM before the JSON', '\ufeff{"name":"bom"}', {}, [201, 400]],
      ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]).toString('latin1'), {}, [201, 400]],
      ['form encoded', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }, [415]],
      // Fastify reads text/plain as a string, which no contract takes: 400.
      ['text/plain', '{"name":"x"}', { 'content-type': 'text/plain' }, [400, 415]],
      ['a UTF-16 charset', '{"name":"x"}', { 'content-type': 'application/json; charset=utf-16' }, [201, 400, 415]],
      ['a bogus content type', '{"name":"x"}', { 'content-type': 'application/json\u0000evil' }, [400, 415]],
    ];
    for (const [name, payload, headers, statuses] of cases) {
      await tally.check('wrong kind', async () => {
        const before = rowCounts(sqlite());
        const res = await f.lead.request({ method: 'POST', url: '/api/projects', payload, headers: { 'content-type': 'application/json', ...headers } });
        expect(statuses, `${name}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        if (res.statusCode >= 400) {
          expect(errorBody.safeParse(res.json()).success, name).toBe(true);
          expect(rowCounts(sqlite())).toEqual(before);
        }
      });
    }
  });
});
