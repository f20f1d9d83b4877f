import type { InjectOptions } from 'fastify';
import { DEFAULT_PASSWORD } from '../helpers/app.ts';
import { goldBody, importUpload, makeUser, signIn, type Actor, type Seeded, type SecurityApp } from './fixture.ts';

/**
 * Every route of the app, with a request that a permitted caller would send and who may send it.
 * The access matrix checks the statuses; the CSRF tests replay the state-changing ones as attacks.
 */

/** The ids a request is about: A's real ones, or guesses (random ids of the same shape). */
export interface Ids {
  projectA: string;
  passageA1: string;
  setA1: string;
  releaseA: string;
  user: string;
  member: string;
}

export interface Case {
  /** Runs before each caller's request, outside the snapshot: makes what the request acts on exist. */
  setup?: () => Promise<void> | void;
  request: (ids: Ids, actor: Actor) => InjectOptions & { as?: Actor };
  /** One status per caller, in the order of ACTORS: anon annAway ann peer leadAway lead admin. */
  expect: string;
}

// Shorthands for the common rows.
export const PUBLIC_OK = '200 200 200 200 200 200 200';
export const SIGNED_IN = '401 200 200 200 200 200 200';
export const ADMIN_ONLY = (ok: number) => `401 403 403 403 403 403 ${ok}`;
/** Project A, leads only: outsiders get 404 (the project does not exist for them), A's annotators 403. */
export const LEAD_OF_A = (ok: number) => `401 404 403 403 404 ${ok} ${ok}`;
/** Project A, any member. */
export const MEMBER_OF_A = '401 404 200 200 404 200 200';
/** ann's own set and passage (P1): the other annotator of A gets 404 as well. */
export const ANNS_OWN = '401 404 200 404 404 200 200';

/** What the rows need (read when a request is built, so the table can exist before the app does). */
export interface TableContext {
  t: SecurityApp;
  s: Seeded;
  /** The current request's number (unique per call). */
  n(): number;
  /** The member the next DELETE …/members/:userId removes (made by that row's setup). */
  member: string;
}

export function routeTable(ctx: TableContext): Record<string, Case> {
  const fresh = (actor: Actor): Actor => signIn(ctx.t.app, actor.name, actor.user);
  const n = () => ctx.n();
  return {
    'GET /api/health': { request: () => ({ method: 'GET', url: '/api/health' }), expect: PUBLIC_OK },
    'GET /api/auth/session': { request: () => ({ method: 'GET', url: '/api/auth/session' }), expect: SIGNED_IN },
    // A login from an open tab replaces that tab's session, so each caller uses a spare one.
    'POST /api/auth/login': {
      request: (_ids, actor) => ({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: actor.user?.username ?? ctx.s.users.bystander.username, password: DEFAULT_PASSWORD },
        as: fresh(actor),
      }),
      expect: PUBLIC_OK,
    },
    'POST /api/auth/logout': { request: (_ids, actor) => ({ method: 'POST', url: '/api/auth/logout', as: fresh(actor) }), expect: '204 204 204 204 204 204 204' },
    // The same password again: a change (new hash, other sessions ended) that keeps the fixture usable.
    'PUT /api/auth/password': {
      request: () => ({ method: 'PUT', url: '/api/auth/password', payload: { currentPassword: DEFAULT_PASSWORD, newPassword: DEFAULT_PASSWORD } }),
      expect: '401 204 204 204 204 204 204',
    },
    'PATCH /api/me': { request: () => ({ method: 'PATCH', url: '/api/me', payload: { displayName: `Name ${n()}` } }), expect: SIGNED_IN },
    'GET /api/users': { request: () => ({ method: 'GET', url: '/api/users' }), expect: ADMIN_ONLY(200) },
    'POST /api/users': {
      request: () => ({ method: 'POST', url: '/api/users', payload: { username: `made-${n()}`, password: 'a long enough passphrase' } }),
      expect: ADMIN_ONLY(201),
    },
    'PATCH /api/users/:id': {
      request: (ids) => ({ method: 'PATCH', url: `/api/users/${ids.user}`, payload: { displayName: `Renamed ${n()}`, canCreateProjects: true } }),
      expect: ADMIN_ONLY(200),
    },
    'GET /api/projects': { request: () => ({ method: 'GET', url: '/api/projects' }), expect: SIGNED_IN },
    'POST /api/projects': { request: () => ({ method: 'POST', url: '/api/projects', payload: { name: `New ${n()}` } }), expect: '401 403 403 403 201 201 201' },
    'GET /api/projects/:id': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}` }), expect: MEMBER_OF_A },
    'PATCH /api/projects/:id': {
      request: (ids) => ({ method: 'PATCH', url: `/api/projects/${ids.projectA}`, payload: { description: `Edited ${n()}` } }),
      expect: LEAD_OF_A(200),
    },
    'PUT /api/projects/:id/scheme': {
      request: (ids) => ({ method: 'PUT', url: `/api/projects/${ids.projectA}/scheme`, payload: { scheme: ctx.t.app.projects.scheme(ctx.s.projectA) } }),
      expect: LEAD_OF_A(200),
    },
    'GET /api/projects/:id/members': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/members` }), expect: LEAD_OF_A(200) },
    'POST /api/projects/:id/members': {
      request: (ids) => ({ method: 'POST', url: `/api/projects/${ids.projectA}/members`, payload: { username: `added-${n()}`, role: 'annotator', createAccount: true } }),
      expect: LEAD_OF_A(201),
    },
    'DELETE /api/projects/:id/members/:userId': {
      setup: async () => {
        const u = await makeUser(ctx.t.app, `leaving-${n()}`);
        ctx.t.app.projects.addMember(ctx.s.projectA, u.id, 'annotator', ctx.s.users.lead);
        ctx.member = u.id;
      },
      request: (ids) => ({ method: 'DELETE', url: `/api/projects/${ids.projectA}/members/${ids.member}` }),
      expect: LEAD_OF_A(204),
    },
    'POST /api/projects/:id/imports': {
      request: (ids) => {
        const { payload, headers } = importUpload(n());
        return { method: 'POST', url: `/api/projects/${ids.projectA}/imports`, payload, headers };
      },
      expect: LEAD_OF_A(201),
    },
    'GET /api/projects/:id/passages': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/passages` }), expect: LEAD_OF_A(200) },
    'GET /api/passages/:id': { request: (ids) => ({ method: 'GET', url: `/api/passages/${ids.passageA1}` }), expect: ANNS_OWN },
    'GET /api/passages/:id/annotation-sets': { request: (ids) => ({ method: 'GET', url: `/api/passages/${ids.passageA1}/annotation-sets` }), expect: LEAD_OF_A(200) },
    'GET /api/projects/:id/queue': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/queue` }), expect: MEMBER_OF_A },
    // Only annotators are handed passages; leads and administrators get 403.
    'POST /api/projects/:id/queue/next': { request: (ids) => ({ method: 'POST', url: `/api/projects/${ids.projectA}/queue/next` }), expect: '401 404 200 200 404 403 403' },
    'GET /api/annotation-sets/:id': { request: (ids) => ({ method: 'GET', url: `/api/annotation-sets/${ids.setA1}` }), expect: ANNS_OWN },
    // Only the set's own annotator writes to it; a lead reads it (403 to write), a peer never sees it (404).
    'POST /api/annotation-sets/:id/changes': {
      request: (ids) => ({
        method: 'POST',
        url: `/api/annotation-sets/${ids.setA1}/changes`,
        payload: { changeId: `m-${n()}`, baseVersion: ctx.t.app.annotations.get(ctx.s.setA1, ctx.s.users.ann).version, ops: [{ op: 'setCategory', category: n() % 2 ? 'reasoning' : 'knowledge' }] },
      }),
      expect: '401 404 200 404 404 403 403',
    },
    'GET /api/annotation-sets/:id/history': { request: (ids) => ({ method: 'GET', url: `/api/annotation-sets/${ids.setA1}/history` }), expect: ANNS_OWN },
    'GET /api/projects/:id/export': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/export?format=jsonl&progress=tok-${n()}` }), expect: LEAD_OF_A(200) },
    'GET /api/projects/:id/export/progress/:token': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/export/progress/tok-1` }), expect: LEAD_OF_A(200) },
    'GET /api/projects/:id/agreement': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/agreement` }), expect: LEAD_OF_A(200) },
    'GET /api/projects/:id/agreement/passages': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/agreement/passages` }), expect: LEAD_OF_A(200) },
    'GET /api/projects/:id/passages/:passageId/comparison': {
      request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/passages/${ids.passageA1}/comparison` }),
      expect: LEAD_OF_A(200),
    },
    'PUT /api/projects/:id/passages/:passageId/gold': {
      request: (ids) => ({
        method: 'PUT',
        url: `/api/projects/${ids.projectA}/passages/${ids.passageA1}/gold`,
        payload: goldBody(ctx.t.app.gold.get(ctx.s.projectA, ctx.s.passageA1, ctx.s.users.lead)?.version ?? 0),
      }),
      expect: LEAD_OF_A(200),
    },
    'DELETE /api/projects/:id/passages/:passageId/gold': {
      setup: () => {
        if (!ctx.t.app.gold.get(ctx.s.projectA, ctx.s.passageA1, ctx.s.users.lead)) ctx.t.app.gold.put(ctx.s.projectA, ctx.s.passageA1, goldBody(0) as never, ctx.s.users.lead);
      },
      request: (ids) => ({ method: 'DELETE', url: `/api/projects/${ids.projectA}/passages/${ids.passageA1}/gold` }),
      expect: LEAD_OF_A(204),
    },
    'GET /api/projects/:id/releases': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/releases` }), expect: LEAD_OF_A(200) },
    'POST /api/projects/:id/releases': {
      request: (ids) => ({ method: 'POST', url: `/api/projects/${ids.projectA}/releases`, payload: { name: `r${n()}`, source: 'all' } }),
      expect: LEAD_OF_A(201),
    },
    'GET /api/projects/:id/releases/:releaseId': { request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/releases/${ids.releaseA}` }), expect: LEAD_OF_A(200) },
    'GET /api/projects/:id/releases/:releaseId/download': {
      request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/releases/${ids.releaseA}/download` }),
      expect: LEAD_OF_A(200),
    },
    'GET /api/projects/:id/releases/:releaseId/files/:path': {
      request: (ids) => ({ method: 'GET', url: `/api/projects/${ids.projectA}/releases/${ids.releaseA}/files/manifest.json` }),
      expect: LEAD_OF_A(200),
    },
    // The built web app: public (it holds no data; the API behind it checks every call).
    'GET /': { request: () => ({ method: 'GET', url: '/' }), expect: PUBLIC_OK },
    'GET /*': { request: () => ({ method: 'GET', url: '/projects/abc12345' }), expect: PUBLIC_OK },
    'GET /assets/*': { request: () => ({ method: 'GET', url: '/assets/app.js' }), expect: PUBLIC_OK },
    'GET /robots.txt': { request: () => ({ method: 'GET', url: '/robots.txt' }), expect: PUBLIC_OK },
  };
}

/** Fastify answers HEAD for every GET route with the same checks: the same row applies. */
export function withHeadRows(table: Record<string, Case>): [string, Case][] {
  return Object.entries(table).flatMap(([key, c]): [string, Case][] =>
    key.startsWith('GET ')
      ? [
          [key, c],
          [`HEAD ${key.slice(4)}`, { ...c, request: (ids, actor) => ({ ...c.request(ids, actor), method: 'HEAD' }) }],
        ]
      : [[key, c]],
  );
}

