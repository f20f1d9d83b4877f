import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { count, type SQL } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as annotationsSchema from './schema/annotations.ts';
import * as goldSchema from './schema/gold.ts';
import * as historySchema from './schema/history.ts';
import * as projectsSchema from './schema/projects.ts';
import * as releasesSchema from './schema/releases.ts';
import * as usersSchema from './schema/users.ts';

export const schema = { ...usersSchema, ...projectsSchema, ...annotationsSchema, ...goldSchema, ...historySchema, ...releasesSchema };
export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseHandle {
  db: Db;
  sqlite: Database.Database;
  file: string;
}

/**
 * Migrations live in apps/api/drizzle; this module runs from src/db (tests, dev) or from the
 * bundled dist/server.js, so look upwards for the folder instead of hard-coding the depth.
 */
export function findMigrationsFolder(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (let i = 0; i < 5; i += 1) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`drizzle migrations folder not found above ${from}`);
}

export function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // NORMAL in WAL mode survives a crash of the process (kill -9); only power loss can drop
  // the last commits. FULL would fsync every save and cap saves far below what editors need.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
}

export function openDatabase(file: string, migrationsFolder = findMigrationsFolder()): DatabaseHandle {
  const sqlite = new Database(file);
  applyPragmas(sqlite);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return { db, sqlite, file };
}

/** A second, read-only connection for consistent snapshots (exports) that do not block writers. */
export function openReadConnection(file: string): Database.Database {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/** Synchronous row count (drizzle's $count is awaitable only). */
export function countRows(db: Pick<Db, 'select'>, table: SQLiteTable, where?: SQL): number {
  return db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
}
