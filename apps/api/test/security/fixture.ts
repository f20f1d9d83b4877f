import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CSRF_HEADER, SESSION_COOKIE, project as projectSchema, releaseSummary, type User } from '@warrant/contracts';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { app as warrant, serverOptions } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { hashPassword } from '../../src/plugins/app/passwords.ts';
import { DEFAULT_PASSWORD } from '../helpers/app.ts';
import { multipart } from '../helpers/multipart.ts';

/** Who calls, in the order of the matrix columns. */
export const ACTORS = ['anon', 'annAway', 'ann', 'peer', 'leadAway', 'lead', 'admin'] as const;
export type ActorName = (typeof ACTORS)[number];

/** A signed-in user (or nobody): the cookie and CSRF token a browser tab would hold. */
export interface Actor {
  name: ActorName;
  user: User | null;
  cookie: string | null;
  csrf: string | null;
}

export interface RouteKey {
  method: string;
  url: string;
}

export interface SecurityApp {
  app: FastifyInstance;
  config: Config;
  dataDir: string;
  /** Every route the app registered (HEAD routes included), in registration order. */
  routes: RouteKey[];
  close(): Promise<void>;
}

/**
 * The real app on its own SQLite file, built like `buildServer` but with an `onRoute` hook added
 * before any plugin, so the tests see every route the app registers, and with a minimal built web
 * app so its routes are registered too. (No trusted proxy: the default configuration.) `extra`
 * may add test-only routes after the app's own.
 */
export async function createSecurityApp(env: Record<string, string> = {}, extra?: (app: FastifyInstance) => void): Promise<SecurityApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'warrant-security-'));
  const webDir = join(dataDir, 'web');
  mkdirSync(join(webDir, 'assets'), { recursive: true });
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Warrant</title><div id="root"></div><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(webDir, 'assets', 'app.js'), 'console.log("warrant");');
  writeFileSync(join(webDir, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
  const config = loadConfig({
    NODE_ENV: 'test',
    WARRANT_DATA_DIR: join(dataDir, 'data'),
    WARRANT_SESSION_SECRET: randomBytes(32).toString('base64url'),
    WARRANT_DEMO: 'false',
    WARRANT_WEB_DIR: webDir,
    ...env,
  });
  const routes: RouteKey[] = [];
  const app = Fastify(serverOptions(config, { logger: process.env.TEST_LOG ? { level: 'error' } : false })).withTypeProvider<ZodTypeProvider>();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await warrant(app, config);
  extra?.(app);
  await app.ready();
  return {
    app,
    config,
    dataDir,
    routes,
    async close() {
      await app.close();
      // Retried: a background job may still be finishing a file in the data directory.
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

let passwordHash: Promise<string> | undefined;

/** A user with DEFAULT_PASSWORD (hashed once per file: argon2 is slow on purpose). */
export async function makeUser(app: FastifyInstance, username: string, flags: { isAdmin?: boolean; canCreateProjects?: boolean } = {}): Promise<User> {
  passwordHash ??= hashPassword(DEFAULT_PASSWORD);
  return app.users.create({ username, passwordHash: await passwordHash, ...flags }, null);
}

/** A new session for the user without a login round-trip (no argon2): what a login would set. */
export function signIn(app: FastifyInstance, name: ActorName, user: User | null): Actor {
  if (!user) return { name, user: null, cookie: null, csrf: null };
  const { token, csrfToken } = app.sessions.create(user.id);
  return { name, user, cookie: token, csrf: csrfToken };
}

/** The request as this actor's browser tab sends it: its cookie and, on every request, its CSRF token. */
export function asActor(actor: Actor, options: InjectOptions): InjectOptions {
  if (!actor.cookie) return options;
  return {
    ...options,
    cookies: { [SESSION_COOKIE]: actor.cookie, ...(options.cookies ?? {}) },
    headers: { [CSRF_HEADER]: actor.csrf ?? '', ...(options.headers ?? {}) },
  };
}

/**
 * Everything a refused request must leave alone: each table's row count and a hash of its rows,
 * the largest history id, and the files in the data directory. Sessions are counted only (their
 * last-seen time moves on reads by design).
 */
export function snapshot(t: { app: FastifyInstance; config: Config }): Record<string, string> {
  const db = t.app.sqlite;
  const tables = db
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .all() as { name: string }[];
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = db.prepare(`select * from "${name}"`).raw().all();
    if (name === 'sessions') {
      out[name] = String(rows.length);
      continue;
    }
    const hash = createHash('sha256').update(JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).digest('hex');
    out[name] = `${rows.length} ${hash.slice(0, 16)}`;
  }
  out['history max id'] = String((db.prepare('select max(id) as id from history').get() as { id: number | null }).id);
  out.files = listFiles(t.config.dataDir).join(', ');
  return out;
}

function listFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.in-use') walk(path);
      } else if (!/\.sqlite(-wal|-shm|-journal)?$/.test(entry.name)) {
        found.push(`${relative(dir, path)}:${statSync(path).size}`);
      }
    }
  };
  walk(dir);
  return found.sort();
}

export interface Seeded {
  users: Record<Exclude<ActorName, 'anon'>, User> & { bystander: User };
  actors: Record<ActorName, Actor>;
  /** Project A: the one the matrix asks about; B: the other project. */
  projectA: string;
  projectB: string;
  /** Passage of A handed to `ann` (with `ann`'s set S1 and a gold version); P2 went to `peer`. */
  passageA1: string;
  passageA2: string;
  setA1: string;
  setA2: string;
  passageB1: string;
  setB1: string;
  releaseA: string;
  releaseB: string;
}

async function ok(res: LightMyRequestResponse, status: number, what: string): Promise<LightMyRequestResponse> {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res;
}

/**
 * Two projects through the API: A (lead, annotators `ann` and `peer`, three passages, one each to
 * `ann` and `peer`, a gold version on ann's passage, a release) and B (its own lead and
 * annotator, a passage, a set, a release); an administrator who is in neither; a bystander.
 */
export async function seed(app: FastifyInstance): Promise<Seeded> {
  const users = {
    admin: await makeUser(app, 'm-admin', { isAdmin: true }),
    lead: await makeUser(app, 'm-lead', { canCreateProjects: true }),
    ann: await makeUser(app, 'm-ann'),
    peer: await makeUser(app, 'm-peer'),
    leadAway: await makeUser(app, 'm-lead-away', { canCreateProjects: true }),
    annAway: await makeUser(app, 'm-ann-away'),
    bystander: await makeUser(app, 'm-bystander'),
  };
  const actors = Object.fromEntries(
    ACTORS.map((name) => [name, signIn(app, name, name === 'anon' ? null : users[name])]),
  ) as Record<ActorName, Actor>;
  const call = (actor: ActorName, options: InjectOptions) => app.inject(asActor(actors[actor], options));

  async function makeProject(lead: ActorName, annotators: ActorName[], texts: string[]) {
    const created = await ok(await call(lead, { method: 'POST', url: '/api/projects', payload: { name: `${lead} project`, annotatorsPerPassage: 1 } }), 201, 'project');
    const id = projectSchema.parse(created.json()).id;
    for (const a of annotators) {
      await ok(await call(lead, { method: 'POST', url: `/api/projects/${id}/members`, payload: { username: actors[a].user?.username, role: 'annotator' } }), 201, 'member');
    }
    const file = multipart({ filename: 'texts.jsonl', content: texts.map((text, i) => JSON.stringify({ id: `t${i + 1}`, text })).join('\n') });
    await ok(await call(lead, { method: 'POST', url: `/api/projects/${id}/imports`, payload: file.payload, headers: file.headers }), 201, 'import');
    const sets: { setId: string; passageId: string }[] = [];
    for (const a of annotators) {
      const res = await ok(await call(a, { method: 'POST', url: `/api/projects/${id}/queue/next` }), 200, 'next');
      const item = (res.json() as { item: { setId: string; passageId: string } }).item;
      sets.push({ setId: item.setId, passageId: item.passageId });
    }
    return { id, sets };
  }

  const a = await makeProject('lead', ['ann', 'peer'], ['It rains, so the street is wet.', 'Coffee is bitter; therefore add sugar.', 'A third passage, for nobody yet.']);
  const b = await makeProject('leadAway', ['annAway'], ['Project B: private text, so keep it private.']);
  const [s1, s2] = a.sets;
  const [b1] = b.sets;
  if (!s1 || !s2 || !b1) throw new Error('seed: missing sets');

  // ann marks S1 (kept open, so the matrix can still change it); peer submits S2.
  await ok(
    await call('ann', { method: 'POST', url: `/api/annotation-sets/${s1.setId}/changes`, payload: { changeId: 'seed-1', baseVersion: 0, ops: [{ op: 'addSpan', span: { id: 's', label: 'premise', start: 0, end: 8 } }] } }),
    200,
    'change',
  );
  await ok(
    await call('peer', { method: 'POST', url: `/api/annotation-sets/${s2.setId}/changes`, payload: { changeId: 'seed-2', baseVersion: 0, ops: [{ op: 'setCategory', category: 'reasoning' }, { op: 'setStatus', status: 'submitted' }] } }),
    200,
    'submit',
  );
  await ok(await call('lead', { method: 'PUT', url: `/api/projects/${a.id}/passages/${s1.passageId}/gold`, payload: goldBody(0) }), 200, 'gold');
  const release = async (lead: ActorName, project: string) =>
    releaseSummary.parse((await ok(await call(lead, { method: 'POST', url: `/api/projects/${project}/releases`, payload: { name: 'v1', source: 'all' } }), 201, 'release')).json()).id;

  return {
    users,
    actors,
    projectA: a.id,
    projectB: b.id,
    passageA1: s1.passageId,
    passageA2: s2.passageId,
    setA1: s1.setId,
    setA2: s2.setId,
    passageB1: b1.passageId,
    setB1: b1.setId,
    releaseA: await release('lead', a.id),
    releaseB: await release('leadAway', b.id),
  };
}

/** A gold version with nothing in it, based on `baseVersion`. */
export function goldBody(baseVersion: number) {
  return { baseVersion, status: 'in_progress', category: null, categorySources: [], spans: [], relations: [], note: null };
}

/** A one-passage JSONL upload with a fresh id. */
export function importUpload(n: number) {
  return multipart({ filename: `more-${n}.jsonl`, content: `${JSON.stringify({ id: `more-${n}`, text: `Another passage (${n}), so more text.` })}\n` });
}

