import { mkdirSync } from 'node:fs';
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

/** Opens (and migrates) the SQLite file in the data directory; closes it with the server. */
export default fp(
  async (fastify, opts: { dataDir: string }) => {
    mkdirSync(opts.dataDir, { recursive: true });
    const handle = openDatabase(join(opts.dataDir, DATABASE_FILE));
    fastify.decorate('db', handle.db);
    fastify.decorate('sqlite', handle.sqlite);
    fastify.decorate('dbFile', handle.file);
    const probe = handle.sqlite.prepare('select 1');
    fastify.decorate('checkDatabase', () => {
      probe.get();
    });
    fastify.addHook('onClose', async () => {
      handle.sqlite.close();
    });
  },
  { name: 'db' },
);
