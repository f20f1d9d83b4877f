import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorBody } from '@warrant/contracts';
import type Database from 'better-sqlite3';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { expect } from 'vitest';
import { app as warrant, serverOptions } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { TestApp } from '../helpers/app.ts';

/** Strings that break a query built by concatenation, a path, a parser or an object lookup. */
export const HOSTILE_STRINGS: readonly string[] = [
  "' OR 1=1 --",
  '"; DROP TABLE passages; --',
  "%' --",
  "x'); DELETE FROM users; --",
  '1; SELECT sqlite_version()',
  '\u0000',
  'a\u0000b',
  '*/ UNION SELECT * FROM sessions /*',
  '../../../../etc/passwd',
  '__proto__',
  'constructor',
  '{"$gt": ""}',
  '${7*7}{{7*7}}',
  'Поэтому 😀 e\u0301 \u202e\u200d',
  '\ud800',
  ' ',
  'x'.repeat(70_000),
];

/** The few that matter most, for fields nested deep in a body (keeps the run short). */
export const HOSTILE_CORE: readonly string[] = ["' OR 1=1 --", '"; DROP TABLE passages; --', 'a\u0000b', '__proto__', 'constructor', 'x'.repeat(70_000)];

/** A short label for a hostile string in test names and failure messages. */
export function label(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 20)}…(${text.length} chars)` : text);
}

export const tableNames = (sqlite: Database.Database): string[] =>
  (sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((r) => r.name);

/** Row counts of every table: what a refused request must leave as it was. */
export function rowCounts(sqlite: Database.Database): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of tableNames(sqlite)) {
    counts[name] = (sqlite.prepare(`select count(*) as n from "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  }
  return counts;
}

/** The database is whole: every table still there, SQLite's own checks clean. */
export function expectIntact(sqlite: Database.Database, tables: string[]): void {
  expect(tableNames(sqlite)).toEqual(tables);
  expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(sqlite.pragma('foreign_key_check')).toEqual([]);
}

/** A refusal with the error body of the contract; returns its code. */
export function errorCode(res: { statusCode: number; json(): unknown; body: string }): string {
  return errorBody.parse(res.json()).error.code;
}

/**
 * The real app on its own temporary SQLite file (as helpers/app.ts builds it), with every route
 * it registers recorded, so the hostile tests can tell when a route has no case yet.
 */
export async function createRoutedApp(): Promise<TestApp & { routes: RouteOptions[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'warrant-hostile-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    WARRANT_DATA_DIR: dataDir,
    WARRANT_SESSION_SECRET: randomBytes(32).toString('base64url'),
    WARRANT_DEMO: 'false',
    WARRANT_WEB_DIR: join(dataDir, 'no-web'),
  });
  const routes: RouteOptions[] = [];
  const fastify = Fastify(serverOptions(config, { logger: process.env.TEST_LOG ? { level: 'error' } : false })).withTypeProvider<ZodTypeProvider>();
  fastify.addHook('onRoute', (route) => {
    routes.push(route);
  });
  await warrant(fastify, config);
  await fastify.ready();
  const instance = fastify as unknown as FastifyInstance;
  return {
    app: instance,
    config,
    dataDir,
    routes,
    async close() {
      await fastify.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
