import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import fp from 'fastify-plugin';
import { openDatabase, type Db } from '../../db/client.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    sqlite: Database.Database;
    dbFile: string;
    /** Throws when the database cannot answer a trivial query. */
    checkDatabase(): void;
  }
}

export const DATABASE_FILE = 'warrant.sqlite';
/** One file per open of the database (named by the process's pid): `warrant restore` refuses while any is alive. */
export const IN_USE_DIR = '.in-use';

/** The pids of the live processes that have this data directory's database open. */
export function processesUsing(dataDir: string): number[] {
  let names: string[] = [];
  try {
    names = readdirSync(join(dataDir, IN_USE_DIR));
  } catch {
    return [];
  }
  return names
    .map((name) => Number(name.split('.')[0]))
    .filter((pid) => Number.isInteger(pid) && pid > 0)
    .filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (error) {
        // EPERM: alive, someone else's.
        return error instanceof Error && 'code' in error && error.code === 'EPERM';
      }
    });
}

/** Opens (and migrates) the SQLite file in the data directory; closes it with the server. */
export default fp(
  async (fastify, opts: { dataDir: string }) => {
    mkdirSync(opts.dataDir, { recursive: true });
    // SQLite's own message ("unable to open database file") names neither the folder nor the cause.
    try {
      accessSync(opts.dataDir, constants.W_OK);
    } catch {
      throw new Error(`the data directory ${opts.dataDir} is not writable: Warrant keeps its database there (WARRANT_DATA_DIR)`);
    }
    const handle = openDatabase(join(opts.dataDir, DATABASE_FILE));
    // <pid>.<random>: one process may open the same directory twice (a test and a command in it).
    const marker = join(opts.dataDir, IN_USE_DIR, `${process.pid}.${randomBytes(6).toString('hex')}`);
    mkdirSync(join(opts.dataDir, IN_USE_DIR), { recursive: true });
    writeFileSync(marker, '');
    fastify.decorate('db', handle.db);
    fastify.decorate('sqlite', handle.sqlite);
    fastify.decorate('dbFile', handle.file);
    const probe = handle.sqlite.prepare('select 1');
    fastify.decorate('checkDatabase', () => {
      probe.get();
    });
    fastify.addHook('onClose', async () => {
      handle.sqlite.close();
      rmSync(marker, { force: true });
    });
  },
  { name: 'db' },
);
