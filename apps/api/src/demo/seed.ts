import { DEFAULT_SCHEME } from '@warrant/domain';
import type { FastifyInstance } from 'fastify';
import { generatePassword } from '../lib/ids.ts';
import { hashPassword } from '../plugins/app/passwords.ts';
import { DEMO_GUIDELINES, DEMO_PASSAGES } from './passages.ts';

export interface SeededAccount {
  username: string;
  password: string;
  role: string;
}

/**
 * On the first start (no accounts yet): an administrator, and with the demo enabled a lead, two
 * annotators and a demo project. Passwords are generated here and returned to be printed once;
 * only their argon2id hashes are stored.
 */
export async function seedFirstStart(
  fastify: FastifyInstance,
  withDemo: boolean,
  adminPassword?: string,
): Promise<SeededAccount[] | null> {
  if (fastify.users.count() > 0) return null;
  const plan = [
    { username: 'admin', displayName: 'Administrator', role: 'administrator', isAdmin: true, canCreateProjects: true },
    ...(withDemo
      ? [
          { username: 'lead', displayName: 'Demo Lead', role: 'lead of the demo project', isAdmin: false, canCreateProjects: true },
          { username: 'anna', displayName: 'Anna', role: 'annotator', isAdmin: false, canCreateProjects: false },
          { username: 'boris', displayName: 'Борис', role: 'annotator', isAdmin: false, canCreateProjects: false },
        ]
      : []),
  ];
  const accounts = await Promise.all(
    plan.map(async (p) => {
      const given = p.username === 'admin' ? adminPassword : undefined;
      const password = given ?? generatePassword();
      return { ...p, password: given === undefined ? password : '(as set in WARRANT_ADMIN_PASSWORD)', passwordHash: await hashPassword(password) };
    }),
  );
  // Repositories open their own transactions; inside this one they nest as savepoints.
  fastify.db.transaction((tx) => {
    const ids = new Map<string, string>();
    for (const a of accounts) {
      const user = fastify.users.create(
        { username: a.username, displayName: a.displayName, passwordHash: a.passwordHash, isAdmin: a.isAdmin, canCreateProjects: a.canCreateProjects },
        null,
        tx,
      );
      ids.set(a.username, user.id);
    }
    if (!withDemo) return;
    const leadId = ids.get('lead') ?? '';
    const project = fastify.projects.create(
      {
        name: 'Demo: everyday arguments',
        description: 'Short passages in English and Russian to try the studio with.',
        guidelines: DEMO_GUIDELINES,
        annotatorsPerPassage: 2,
        scheme: DEFAULT_SCHEME,
      },
      { id: leadId, isAdmin: false },
    );
    for (const name of ['anna', 'boris']) {
      fastify.projects.addMember(project.id, ids.get(name) ?? '', 'annotator', { id: leadId, isAdmin: false }, tx);
    }
    fastify.passages.insertPassages(
      project.id,
      {
        filename: 'demo',
        format: 'jsonl',
        bytes: DEMO_PASSAGES.reduce((n, p) => n + Buffer.byteLength(p.text), 0),
        passages: DEMO_PASSAGES.map((p, i) => ({ line: i + 1, externalId: p.id, text: p.text, meta: p.meta })),
        warnings: [],
      },
      leadId,
    );
  });
  return accounts.map((a) => ({ username: a.username, password: a.password, role: a.role }));
}
