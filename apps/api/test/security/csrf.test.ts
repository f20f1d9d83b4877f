import { CSRF_HEADER, SESSION_COOKIE, errorBody } from '@warrant/contracts';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, asActor, createSecurityApp, seed, signIn, snapshot, type Actor, type ActorName, type Seeded, type SecurityApp } from './fixture.ts';
import { routeTable, withHeadRows, type Case, type Ids, type TableContext } from './routes-table.ts';
import { printTallyAfterAll, tallyCase } from './tally.ts';

/**
 * Issue 6, "CSRF": every state-changing route, replayed as the attacks a foreign page can mount
 * against a signed-in user's browser, is refused and changes nothing; the same request from the
 * studio itself then succeeds (so the refusal was the defence, not a broken request). And no GET
 * changes anything.
 */

let t: SecurityApp;
let s: Seeded;
let counter = 0;
const ctx = { n: () => (counter += 1), member: '' } as TableContext;
const ROWS = withHeadRows(routeTable(ctx));
const CHANGING = ROWS.filter(([key]) => /^(POST|PUT|PATCH|DELETE) /.test(key));
const READING = ROWS.filter(([key]) => /^(GET|HEAD) /.test(key));

const EVIL = 'https://evil.example';

/** The caller a row lets through, preferring a lead; login is for anyone. */
function permitted(row: Case): ActorName {
  const statuses = row.expect.split(' ').map(Number);
  const ok = (name: ActorName) => (statuses[ACTORS.indexOf(name)] ?? 0) < 300;
  const found = (['lead', 'ann', 'admin', 'anon'] as const).find(ok);
  if (!found) throw new Error(`no caller may use ${row.expect}`);
  return found;
}

function ids(): Ids {
  return { projectA: s.projectA, passageA1: s.passageA1, setA1: s.setA1, releaseA: s.releaseA, user: s.users.bystander.id, member: ctx.member };
}

/** What a page on another site can make a browser send (cookies included, no custom header). */
const ATTACKS: [string, (options: InjectOptions, token: string) => InjectOptions][] = [
  [
    'a cross-origin form post (urlencoded)',
    (o) => ({ ...o, payload: 'name=x&role=lead', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL, 'sec-fetch-site': 'cross-site' } }),
  ],
  [
    'a cross-origin multipart form',
    (o) => ({
      ...o,
      payload: '--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nx\r\n--b--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=b', origin: EVIL, 'sec-fetch-site': 'cross-site' },
    }),
  ],
  ['a text/plain body (no preflight), without a token', (o) => ({ ...o, payload: JSON.stringify(o.payload ?? {}), headers: { 'content-type': 'text/plain' } })],
  ['a missing CSRF token, same origin', (o) => ({ ...o, headers: { ...withoutToken(o.headers), origin: 'http://localhost:80' } })],
  ['a wrong CSRF token', (o) => ({ ...o, headers: { ...withoutToken(o.headers), [CSRF_HEADER]: 'x'.repeat(43) } })],
  ['a foreign Origin, even with the token', (o, token) => ({ ...o, headers: { ...o.headers, [CSRF_HEADER]: token, origin: EVIL } })],
  ['Origin: null (sandboxed frame), with the token', (o, token) => ({ ...o, headers: { ...o.headers, [CSRF_HEADER]: token, origin: 'null' } })],
  ['sec-fetch-site: cross-site, with the token', (o, token) => ({ ...o, headers: { ...o.headers, [CSRF_HEADER]: token, 'sec-fetch-site': 'cross-site' } })],
  ['sec-fetch-site: same-site (a sibling subdomain), with the token', (o, token) => ({ ...o, headers: { ...o.headers, [CSRF_HEADER]: token, 'sec-fetch-site': 'same-site' } })],
];

function withoutToken(headers: InjectOptions['headers']): Record<string, string> {
  const copy = { ...(headers as Record<string, string> | undefined) };
  delete copy[CSRF_HEADER];
  return copy;
}

beforeAll(async () => {
  t = await createSecurityApp();
  s = await seed(t.app);
  ctx.t = t;
  ctx.s = s;
});
afterAll(async () => t?.close());
printTallyAfterAll('csrf');

describe('every state-changing route refuses cross-site requests', () => {
  it('covers every state-changing route the app registers', () => {
    const registered = t.routes.filter((r) => /^(POST|PUT|PATCH|DELETE)$/.test(r.method)).map((r) => `${r.method} ${r.url}`);
    tallyCase('csrf: route list complete', () => expect(CHANGING.map(([key]) => key).sort()).toEqual([...new Set(registered)].sort()));
  });

  it.each(CHANGING)('%s', async (_key, row) => {
    const name = permitted(row);
    const wrong: string[] = [];
    for (const [attack, shape] of ATTACKS) {
      await row.setup?.();
      const actor: Actor = s.actors[name];
      const { as, ...request } = row.request(ids(), actor);
      const victim = as ?? actor;
      // The browser attaches the victim's cookie; the attacker cannot read the CSRF token.
      const base: InjectOptions = { ...request, cookies: victim.cookie ? { [SESSION_COOKIE]: victim.cookie } : {}, headers: { ...(request.headers as Record<string, string>) } };
      const before = snapshot(t);
      const res = await t.app.inject(shape(base, victim.csrf ?? ''));
      try {
        tallyCase('csrf: attack refused, nothing changed', () => {
          expect([403, 415], `${res.statusCode} ${res.body.slice(0, 120)}`).toContain(res.statusCode);
          expect(snapshot(t)).toEqual(before);
          if (res.statusCode === 403) expect(errorBody.parse(res.json()).error.code).toBe('CSRF_FAILED');
        });
      } catch (error) {
        wrong.push(`${attack}: ${(error as Error).message.split('\n')[0]}`);
      }
      if (victim.cookie && !t.app.sessions.resolve(victim.cookie) && !as) wrong.push(`${attack}: ended the session`);
    }
    // The control: the same request from the studio's own page goes through.
    await row.setup?.();
    const actor = s.actors[name];
    const { as, ...request } = row.request(ids(), actor);
    const res = await t.app.inject(asActor(as ?? actor, { ...request, headers: { ...(request.headers as Record<string, string>), origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' } }));
    tallyCase('csrf: same request from the studio accepted', () => expect(res.statusCode, res.body.slice(0, 200)).toBeLessThan(300));
    if (actor.cookie && !t.app.sessions.resolve(actor.cookie)) s.actors[name] = signIn(t.app, name, actor.user);
    expect(wrong).toEqual([]);
  });

  it('a login form posted from another site cannot sign the victim into the attacker’s account', async () => {
    for (const headers of [
      { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL },
      { 'content-type': 'text/plain', origin: EVIL },
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/json', origin: EVIL },
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    ]) {
      const before = snapshot(t);
      const payload = headers['content-type'] === 'application/x-www-form-urlencoded' ? 'username=m-lead-away&password=x' : JSON.stringify({ username: 'm-lead-away', password: 'correct horse battery staple' });
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload, headers });
      tallyCase('csrf: login from another site refused', () => {
        expect([403, 415]).toContain(res.statusCode);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(snapshot(t)).toEqual(before);
      });
    }
  });

  it('grants no other origin CORS access (no Access-Control-Allow-Origin, preflights not answered)', async () => {
    const get = await t.app.inject(asActor(s.actors.lead, { method: 'GET', url: `/api/projects/${s.projectA}`, headers: { origin: EVIL } }));
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: `/api/projects/${s.projectA}`,
      headers: { origin: EVIL, 'access-control-request-method': 'PATCH', 'access-control-request-headers': CSRF_HEADER },
    });
    tallyCase('csrf: no CORS', () => {
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
      expect(get.headers['access-control-allow-credentials']).toBeUndefined();
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
    });
  });
});

describe('no GET changes anything', () => {
  it.each(READING)('%s, as a lead and as an annotator', async (_key, row) => {
    for (const name of ['lead', 'ann', 'admin'] as const) {
      await row.setup?.();
      const before = snapshot(t);
      const { as, ...request } = row.request(ids(), s.actors[name]);
      const res = await t.app.inject(asActor(as ?? s.actors[name], request));
      tallyCase('csrf: GET changes nothing', () => {
        expect(res.statusCode).toBeLessThan(500);
        expect(snapshot(t)).toEqual(before);
      });
    }
  });
});
