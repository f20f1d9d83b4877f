import { randomBytes } from 'node:crypto';
import { errorBody, exportProgress, projectList } from '@warrant/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, asActor, createSecurityApp, goldBody, seed, signIn, snapshot, type ActorName, type Seeded, type SecurityApp } from './fixture.ts';
import { routeTable, withHeadRows, type Case, type Ids, type TableContext } from './routes-table.ts';
import { printTallyAfterAll, tallyCase } from './tally.ts';

/**
 * Issue 6, "Access (every route)": every route the app registers, called as each kind of caller,
 * answers the expected status, and a refused call changes nothing. A route the table does not
 * list fails the first test: a new route cannot ship without saying who may call it.
 */

let t: SecurityApp;
let s: Seeded;
let counter = 0;
const ctx = { n: () => (counter += 1), member: '' } as TableContext;
const ROWS: [string, Case][] = withHeadRows(routeTable(ctx));

function realIds(): Ids {
  return { projectA: s.projectA, passageA1: s.passageA1, setA1: s.setA1, releaseA: s.releaseA, user: s.users.bystander.id, member: ctx.member };
}

const guess = () => randomBytes(16).toString('base64url');

/** Sends one row's request as a caller; the caller's tab signs in again if the call ended its session. */
async function call(row: Case, name: ActorName, ids: Ids = realIds()): Promise<LightMyRequestResponse> {
  const actor = s.actors[name];
  const { as, ...options } = row.request(ids, actor);
  const res = await t.app.inject(asActor(as ?? actor, options));
  if (actor.cookie && !t.app.sessions.resolve(actor.cookie)) s.actors[name] = signIn(t.app, name, actor.user);
  return res;
}

beforeAll(async () => {
  t = await createSecurityApp();
  s = await seed(t.app);
  ctx.t = t;
  ctx.s = s;
});
afterAll(async () => t?.close());
printTallyAfterAll('access-matrix');

describe('the route table', () => {
  it('lists every route the app registers, and nothing else', () => {
    const registered = new Set(t.routes.map((r) => `${r.method} ${r.url}`));
    const listed = new Set(ROWS.map(([key]) => key));
    tallyCase('access: route table complete', () => {
      expect([...registered].filter((key) => !listed.has(key)), 'registered routes missing from routes-table.ts').toEqual([]);
      expect([...listed].filter((key) => !registered.has(key)), 'routes-table.ts rows for routes that do not exist').toEqual([]);
    });
    // Sanity: the collector saw the whole API, the new routes included.
    expect(registered.size).toBeGreaterThan(60);
  });
});

describe('every route as every caller', () => {
  it.each(ROWS)('%s', async (key, row) => {
    const expected = row.expect.split(' ').map(Number);
    expect(expected).toHaveLength(ACTORS.length);
    const wrong: string[] = [];
    for (const [i, name] of ACTORS.entries()) {
      await row.setup?.();
      const readOnly = key.startsWith('GET ') || key.startsWith('HEAD ');
      const before = snapshot(t);
      const res = await call(row, name);
      const want = expected[i];
      const refused = res.statusCode >= 400;
      try {
        tallyCase('access: status per route and caller', () => expect(res.statusCode, `${name}: ${res.body.slice(0, 200)}`).toBe(want));
        if (refused || readOnly) {
          tallyCase('access: nothing changed (refused or GET)', () => expect(snapshot(t), `${name} changed something`).toEqual(before));
        }
        if (refused && key.startsWith('HEAD ')) expect(res.body).toBe('');
        else if (refused) errorBody.parse(res.json());
      } catch (error) {
        wrong.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('guessing ids', () => {
  it('ids are random 128-bit values, not counters', () => {
    for (const id of [s.projectA, s.projectB, s.passageA1, s.passageA2, s.setA1, s.setA2, s.releaseA, s.users.ann.id]) {
      tallyCase('access: ids unguessable', () => expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/));
    }
  });

  // For an outsider, a real id of project A and a made-up one must be indistinguishable.
  const scoped = ROWS.filter(([key, row]) => key.startsWith('GET ') && row.expect.split(' ')[4] === '404');
  it.each(scoped)('%s: a real id of another project answers exactly like a made-up one', async (_key, row) => {
    for (const name of ['annAway', 'leadAway'] as const) {
      const real = await call(row, name);
      const made = await call(row, name, { projectA: guess(), passageA1: guess(), setA1: guess(), releaseA: guess(), user: guess(), member: guess() });
      tallyCase('access: foreign id = unknown id', () => {
        expect(real.statusCode).toBe(404);
        expect(made.statusCode).toBe(404);
        expect(real.json()).toEqual(made.json());
      });
    }
  });

  it("another project's ids used inside one's own project's URLs are not found", async () => {
    const cases: [ActorName, string][] = [
      ['leadAway', `/api/projects/${s.projectB}/passages/${s.passageA1}/comparison`],
      ['leadAway', `/api/projects/${s.projectB}/releases/${s.releaseA}`],
      ['leadAway', `/api/projects/${s.projectB}/releases/${s.releaseA}/download`],
      ['leadAway', `/api/projects/${s.projectB}/releases/${s.releaseA}/files/manifest.json`],
      ['lead', `/api/projects/${s.projectA}/passages/${s.passageB1}/comparison`],
      ['lead', `/api/projects/${s.projectA}/releases/${s.releaseB}`],
      ['lead', `/api/passages/${s.passageB1}`],
      ['lead', `/api/annotation-sets/${s.setB1}`],
      ['ann', `/api/annotation-sets/${s.setA2}`],
      ['ann', `/api/passages/${s.passageA2}`],
    ];
    for (const [name, url] of cases) {
      const before = snapshot(t);
      const res = await t.app.inject(asActor(s.actors[name], { method: 'GET', url }));
      tallyCase('access: cross-project ids', () => {
        expect(res.statusCode, `${name} ${url}`).toBe(404);
        expect(res.body).not.toContain('private text');
        expect(snapshot(t)).toEqual(before);
      });
    }
    // Writes too: the gold of B's passage through A's URL, a member of B removed through A.
    for (const options of [
      { method: 'PUT' as const, url: `/api/projects/${s.projectA}/passages/${s.passageB1}/gold`, payload: goldBody(0) },
      { method: 'DELETE' as const, url: `/api/projects/${s.projectA}/members/${s.users.annAway.id}` },
    ]) {
      const before = snapshot(t);
      const res = await t.app.inject(asActor(s.actors.lead, options));
      tallyCase('access: cross-project ids', () => {
        expect(res.statusCode, options.url).toBe(404);
        expect(snapshot(t)).toEqual(before);
      });
    }
  });

  it("an export's progress token is the caller's own: another lead of the project cannot follow it", async () => {
    const token = 'private-progress-token';
    const started = await t.app.inject(asActor(s.actors.lead, { method: 'GET', url: `/api/projects/${s.projectA}/export?format=jsonl&progress=${token}` }));
    expect(started.statusCode).toBe(200);
    const progress = (name: ActorName) => t.app.inject(asActor(s.actors[name], { method: 'GET', url: `/api/projects/${s.projectA}/export/progress/${token}` }));
    const own = exportProgress.parse((await progress('lead')).json());
    const other = exportProgress.parse((await progress('admin')).json());
    tallyCase('access: cross-project ids', () => {
      expect(own.state).toBe('done');
      expect(other).toEqual({ state: 'pending', passages: 0, total: 0, bytes: 0 });
    });
  });

  it('the project list shows each caller only their own projects', async () => {
    const ids = async (name: ActorName) =>
      projectList.parse((await t.app.inject(asActor(s.actors[name], { method: 'GET', url: '/api/projects' }))).json()).projects.map((p) => p.id);
    const [annAway, ann, leadAway] = [await ids('annAway'), await ids('ann'), await ids('leadAway')];
    tallyCase('access: project list', () => {
      expect(annAway).toEqual([s.projectB]);
      expect(ann).toEqual([s.projectA]);
      expect(leadAway).not.toContain(s.projectA);
    });
  });
});

describe('own account', () => {
  it.each([
    ['isAdmin', { isAdmin: true }],
    ['canCreateProjects', { canCreateProjects: true }],
    ['disabled', { disabled: false }],
    ['username', { username: 'm-admin2' }],
    ['passwordHash', { passwordHash: 'x' }],
  ])('an annotator cannot set %s on their own account through /api/me (400, nothing changed)', async (_field, body) => {
    const before = snapshot(t);
    const res = await t.app.inject(asActor(s.actors.ann, { method: 'PATCH', url: '/api/me', payload: body }));
    tallyCase('access: own role and others’ data', () => {
      expect(res.statusCode).toBe(400);
      expect(snapshot(t)).toEqual(before);
    });
  });

  it("an annotator cannot change their own role or another user's data through /api/users/:id (403)", async () => {
    for (const [target, body] of [
      [s.users.ann.id, { isAdmin: true }],
      [s.users.ann.id, { canCreateProjects: true }],
      [s.users.peer.id, { disabled: true }],
      [s.users.admin.id, { displayName: 'pwned' }],
    ] as const) {
      const before = snapshot(t);
      const res = await t.app.inject(asActor(s.actors.ann, { method: 'PATCH', url: `/api/users/${target}`, payload: body }));
      tallyCase('access: own role and others’ data', () => {
        expect(res.statusCode).toBe(403);
        expect(snapshot(t)).toEqual(before);
      });
    }
  });

  it('an annotator cannot make themselves a lead of their project (403)', async () => {
    const before = snapshot(t);
    const res = await t.app.inject(asActor(s.actors.ann, { method: 'POST', url: `/api/projects/${s.projectA}/members`, payload: { username: 'm-ann', role: 'lead' } }));
    tallyCase('access: own role and others’ data', () => {
      expect(res.statusCode).toBe(403);
      expect(snapshot(t)).toEqual(before);
    });
  });
});

describe('filter and paging parameters', () => {
  it.each([
    ['passages', (p: string) => `/api/projects/${p}/passages?limit=100000`],
    ['passages', (p: string) => `/api/projects/${p}/passages?offset=-1`],
    ['passages', (p: string) => `/api/projects/${p}/passages?limit=1;drop table users`],
    ['export', (p: string) => `/api/projects/${p}/export?format=../../warrant.sqlite`],
    ['export', (p: string) => `/api/projects/${p}/export?format=sql`],
    ['export', (p: string) => `/api/projects/${p}/export?progress=../x`],
    ['agreement', (p: string) => `/api/projects/${p}/agreement?from=yesterday`],
    ['agreement', (p: string) => `/api/projects/${p}/agreement/passages?open=maybe`],
    ['agreement', (p: string) => `/api/projects/${p}/agreement/passages?limit=201`],
    ['history', () => `/api/annotation-sets/${s.setA1}/history?limit=100000`],
  ])('%s: %s is refused with 400', async (_group, url) => {
    const res = await t.app.inject(asActor(s.actors.lead, { method: 'GET', url: url(s.projectA) }));
    tallyCase('access: listed parameters only', () => {
      expect(res.statusCode, res.body).toBe(400);
      expect(errorBody.parse(res.json()).error.code).toBe('VALIDATION_FAILED');
    });
  });
});
