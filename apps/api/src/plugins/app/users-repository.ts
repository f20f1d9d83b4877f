import type { User } from '@warrant/contracts';
import { and, asc, eq, ne } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { countRows, type Db } from '../../db/client.ts';
import { historyRecorder } from '../../db/history.ts';
import { sessions, users } from '../../db/schema/users.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toIso } from '../../lib/time.ts';

type UserRow = typeof users.$inferSelect;

export interface UserWithHash {
  user: User;
  passwordHash: string;
  passwordChangedAt: number;
}

export interface NewUser {
  username: string;
  displayName?: string | undefined;
  passwordHash: string;
  isAdmin?: boolean;
  canCreateProjects?: boolean;
}

/** The account as the API shows it: never the password hash. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    isAdmin: row.isAdmin,
    canCreateProjects: row.canCreateProjects,
    disabled: row.disabled,
    imported: row.imported,
    locale: row.locale,
    createdAt: toIso(row.createdAt),
  };
}

export class UsersRepository {
  private readonly history;

  constructor(private readonly db: Db) {
    this.history = historyRecorder(db);
  }

  count(): number {
    return countRows(this.db, users);
  }

  findByUsername(username: string): User | null {
    const row = this.db.select().from(users).where(eq(users.username, username)).get();
    return row ? toUser(row) : null;
  }

  findWithHash(username: string): UserWithHash | null {
    const row = this.db.select().from(users).where(eq(users.username, username)).get();
    return row ? { user: toUser(row), passwordHash: row.passwordHash, passwordChangedAt: row.passwordChangedAt } : null;
  }

  passwordHashOf(id: string): string | null {
    return this.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id)).get()?.hash ?? null;
  }

  list(): User[] {
    return this.db.select().from(users).orderBy(asc(users.username)).all().map(toUser);
  }

  /** Inside a caller's transaction when given one, so "create account + add to project" is atomic. */
  create(input: NewUser, actorId: string | null, db: Db = this.db): User {
    // A savepoint when called inside a caller's transaction.
    return db.transaction((tx) => this.insert(input, actorId, tx));
  }

  private insert(input: NewUser, actorId: string | null, tx: Pick<Db, 'select' | 'insert'>): User {
    const now = Date.now();
    const row: UserRow = {
      id: newId(),
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash: input.passwordHash,
      isAdmin: input.isAdmin ?? false,
      canCreateProjects: input.canCreateProjects ?? false,
      disabled: false,
      imported: false,
      locale: 'en',
      createdAt: now,
      passwordChangedAt: now,
    };
    const existing = tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).get();
    if (existing) throw new AppError(409, 'USERNAME_TAKEN', `the username '${input.username}' is taken`);
    tx.insert(users).values(row).run();
    this.history({
      userId: actorId,
      projectId: null,
      entity: 'user',
      entityId: row.id,
      action: 'create',
      data: { username: row.username, isAdmin: row.isAdmin, canCreateProjects: row.canCreateProjects },
    });
    return toUser(row);
  }

  /** Disabling a user ends all their sessions in the same transaction. */
  update(
    id: string,
    patch: Partial<Pick<UserRow, 'displayName' | 'isAdmin' | 'canCreateProjects' | 'disabled' | 'locale'>>,
    actorId: string,
  ): User | null {
    return this.db.transaction((tx) => {
      const before = tx.select().from(users).where(eq(users.id, id)).get();
      if (!before) return null;
      if (before.imported && patch.disabled === false) {
        throw new AppError(409, 'CONFLICT', `'${before.username}' is an imported annotator: it holds imported annotations and cannot sign in`);
      }
      if (Object.keys(patch).length === 0) return toUser(before);
      const row = tx.update(users).set(patch).where(eq(users.id, id)).returning().get();
      if (patch.disabled === true) tx.delete(sessions).where(eq(sessions.userId, id)).run();
      this.history({
        userId: actorId,
        projectId: null,
        entity: 'user',
        entityId: id,
        action: 'update',
        data: {
          after: patch,
          before: Object.fromEntries(Object.keys(patch).map((key) => [key, before[key as keyof UserRow]])),
        },
      });
      return row ? toUser(row) : null;
    });
  }

  /** A new password ends every session of the user except `keepSessionId`. */
  setPasswordHash(id: string, passwordHash: string, keepSessionId: string | null): void {
    this.db.transaction((tx) => {
      tx.update(users).set({ passwordHash, passwordChangedAt: Date.now() }).where(eq(users.id, id)).run();
      tx.delete(sessions)
        .where(and(eq(sessions.userId, id), keepSessionId === null ? undefined : ne(sessions.id, keepSessionId)))
        .run();
      this.history({ userId: id, projectId: null, entity: 'user', entityId: id, action: 'change_password', data: {} });
    });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    users: UsersRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('users', new UsersRepository(fastify.db));
  },
  { name: 'users-repository', dependencies: ['db'] },
);
