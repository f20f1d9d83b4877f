import type { AddMemberResponse, CreateUserBody, CreatedUserResponse, User } from '@warrant/contracts';
import type { ProjectRole } from '@warrant/domain';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { generatePassword } from '../../lib/ids.ts';
import { clientKey, type LoginThrottle } from './login-throttle.ts';
import { burnVerification, checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';
import type { UsersRepository } from './users-repository.ts';

function rateLimited(what: string, wait: number): AppError {
  return new AppError(429, 'RATE_LIMITED', `too many ${what}: try again in ${wait} seconds`, { retryAfterSeconds: wait }, {
    'retry-after': String(wait),
  });
}

/** Passwords and accounts: login checks, password changes, accounts made by admins and leads. */
export class AccountsService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly projects: ProjectsRepository,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * The user these credentials belong to. Unknown names and wrong passwords get the same answer
   * after the same work; repeated failures per account and per address are refused before any.
   */
  async authenticate(username: string, password: string, ip: string): Promise<User> {
    const client = clientKey(ip);
    const wait = this.throttle.retryAfter(username, client);
    if (wait !== null) throw rateLimited('failed logins', wait);
    const attempt = this.throttle.begin(username, client);
    const found = this.users.findWithHash(username);
    let ok = false;
    if (found) ok = await verifyPassword(found.passwordHash, password);
    else await burnVerification(password);
    if (!found || !ok) throw new AppError(401, 'INVALID_CREDENTIALS', 'wrong username or password');
    if (found.user.disabled) throw new AppError(403, 'FORBIDDEN', 'this account is disabled: ask an administrator');
    attempt.succeeded();
    return found.user;
  }

  /** Ends every other session of the user; guessing the current password is throttled like logins. */
  async changePassword(me: User, currentPassword: string, newPassword: string, ip: string, keepSessionId: string | null): Promise<void> {
    const client = clientKey(ip);
    const wait = this.throttle.retryAfter(me.username, client);
    if (wait !== null) throw rateLimited('wrong passwords', wait);
    const attempt = this.throttle.begin(me.username, client);
    const current = this.users.passwordHashOf(me.id);
    if (!current || !(await verifyPassword(current, currentPassword))) {
      throw new AppError(400, 'INVALID_CREDENTIALS', 'the current password is wrong', {
        issues: [{ path: 'currentPassword', message: 'wrong password' }],
      });
    }
    attempt.succeeded();
    checkPasswordPolicy(newPassword, me.username);
    this.users.setPasswordHash(me.id, await hashPassword(newPassword), keepSessionId);
  }

  /** An administrator's new account: with the given password (policy-checked) or a generated one, returned once. */
  async createUser(body: CreateUserBody & { username: string }, admin: Actor): Promise<CreatedUserResponse> {
    const { password, ...rest } = body;
    if (password !== undefined) checkPasswordPolicy(password, rest.username);
    const plain = password ?? generatePassword();
    const user = this.users.create({ ...rest, passwordHash: await hashPassword(plain) }, admin.id);
    return password === undefined ? { user, generatedPassword: plain } : { user };
  }

  /**
   * A lead adds an existing account to a project, or creates it (generated password, returned
   * once) and adds it in one transaction.
   */
  async addMember(
    projectId: string,
    input: { username: string; role: ProjectRole; createAccount: boolean; displayName?: string | undefined },
    lead: Actor,
  ): Promise<AddMemberResponse> {
    this.projects.requireRole(projectId, lead, 'lead');
    const existing = this.users.findByUsername(input.username);
    let generatedPassword: string | undefined;
    if (existing) {
      if (existing.imported) {
        throw new AppError(409, 'CONFLICT', `'${existing.username}' is an imported annotator: it holds imported annotations and cannot sign in, so it cannot be a member`);
      }
      this.projects.addMember(projectId, existing.id, input.role, lead);
    } else {
      if (!input.createAccount) {
        throw new AppError(404, 'NOT_FOUND', `no account is named '${input.username}': choose "create account" to make one`);
      }
      generatedPassword = generatePassword();
      const passwordHash = await hashPassword(generatedPassword);
      this.db.transaction((tx) => {
        const created = this.users.create({ username: input.username, displayName: input.displayName, passwordHash }, lead.id, tx);
        this.projects.addMember(projectId, created.id, input.role, lead, tx);
      });
    }
    const member = this.projects.members(projectId).find((m) => m.user.username === input.username);
    if (!member) throw notFound('member');
    return generatedPassword ? { member, accountCreated: true, generatedPassword } : { member, accountCreated: false };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountsService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('accounts', new AccountsService(fastify.db, fastify.users, fastify.projects, fastify.loginThrottle));
  },
  { name: 'accounts-service', dependencies: ['db', 'auth', 'users-repository', 'projects-repository'] },
);
