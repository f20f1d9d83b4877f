import type { CreateProjectInput, Member, Project, ProjectSummary, UpdateProjectBody } from '@warrant/contracts';
import {
  DEFAULT_SCHEME,
  findSchemeProblems,
  retargetedRelationTypes,
  schemeRemovals,
  type LabelScheme,
  type ProjectRole,
} from '@warrant/domain';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { countRows, type Db } from '../../db/client.ts';
import { personsSet } from '../../db/people.ts';
import { historyRecorder } from '../../db/history.ts';
import { annotationSets, relations, spans } from '../../db/schema/annotations.ts';
import { goldVersions } from '../../db/schema/gold.ts';
import { passages, projectMembers, projects } from '../../db/schema/projects.ts';
import { users } from '../../db/schema/users.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toIso } from '../../lib/time.ts';

type ProjectRow = typeof projects.$inferSelect;

export interface Actor {
  id: string;
  isAdmin: boolean;
}

interface Counts {
  assigned: number;
  submitted: number;
  skipped: number;
}

const EMPTY_COUNTS: Counts = { assigned: 0, submitted: 0, skipped: 0 };

export function schemeProblemsError(scheme: LabelScheme): AppError | null {
  const problems = findSchemeProblems(scheme);
  if (problems.length === 0) return null;
  return new AppError(400, 'INVALID_SCHEME', problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
    issues: problems.map((p) => ({ path: `scheme.${p.path}`, message: p.message })),
  });
}

export class ProjectsRepository {
  // Resolved on every request that touches a project: prepared once.
  private readonly q;
  private readonly schemes = new Map<string, { version: number; scheme: LabelScheme }>();
  private readonly history;

  constructor(private readonly db: Db) {
    this.history = historyRecorder(db);
    const p = sql.placeholder;
    this.q = {
      exists: db.select({ id: projects.id }).from(projects).where(eq(projects.id, p('projectId'))).prepare(),
      role: db
        .select({ role: projectMembers.role })
        .from(projectMembers)
        .where(and(eq(projectMembers.projectId, p('projectId')), eq(projectMembers.userId, p('userId'))))
        .prepare(),
      schemeVersion: db.select({ version: projects.schemeVersion }).from(projects).where(eq(projects.id, p('projectId'))).prepare(),
      scheme: db.select({ scheme: projects.scheme }).from(projects).where(eq(projects.id, p('projectId'))).prepare(),
    };
  }

  /**
   * The caller's role in a project: their membership, else lead for admins; null means the
   * project does not exist for this user (callers answer 404 either way, so ids reveal nothing).
   */
  roleOf(projectId: string, actor: Actor): ProjectRole | null {
    const member = this.q.role.get({ projectId, userId: actor.id })?.role ?? null;
    if (member !== null || !actor.isAdmin) return member;
    return this.q.exists.get({ projectId }) ? 'lead' : null;
  }

  /** Resolves the role or throws 404; with `lead: true`, an annotator gets 403 on a project they can see. */
  requireRole(projectId: string, actor: Actor, need: 'member' | 'lead'): ProjectRole {
    const role = this.roleOf(projectId, actor);
    if (role === null) throw notFound('project');
    if (need === 'lead' && role !== 'lead') throw new AppError(403, 'FORBIDDEN', 'only a lead of this project can do this');
    return role;
  }

  create(input: CreateProjectInput, actor: Actor): Project {
    const scheme = input.scheme ?? DEFAULT_SCHEME;
    const invalid = schemeProblemsError(scheme);
    if (invalid) throw invalid;
    const now = Date.now();
    const row: ProjectRow = {
      id: newId(),
      name: input.name,
      description: input.description,
      guidelines: input.guidelines,
      scheme: JSON.stringify(scheme),
      schemeVersion: 1,
      annotatorsPerPassage: input.annotatorsPerPassage,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    this.db.transaction((tx) => {
      tx.insert(projects).values(row).run();
      tx.insert(projectMembers).values({ projectId: row.id, userId: actor.id, role: 'lead', addedAt: now }).run();
      this.history({
        userId: actor.id,
        projectId: row.id,
        entity: 'project',
        entityId: row.id,
        action: 'create',
        data: { name: row.name, annotatorsPerPassage: row.annotatorsPerPassage, scheme },
      });
    });
    return this.toProject(row, 'lead');
  }

  list(actor: Actor): ProjectSummary[] {
    const rows = actor.isAdmin
      ? this.db.select({ project: projects, role: sql<ProjectRole | null>`${projectMembers.role}` })
          .from(projects)
          .leftJoin(projectMembers, and(eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, actor.id)))
          .orderBy(asc(projects.name))
          .all()
      : this.db
          .select({ project: projects, role: sql<ProjectRole | null>`${projectMembers.role}` })
          .from(projectMembers)
          .innerJoin(projects, eq(projects.id, projectMembers.projectId))
          .where(eq(projectMembers.userId, actor.id))
          .orderBy(asc(projects.name))
          .all();
    // Admins act as leads in projects they are not members of (as roleOf answers).
    return this.summaries(
      rows.map(({ project, role }) => ({ row: project, role: role ?? (actor.isAdmin ? 'lead' : null) })),
      actor.id,
    );
  }

  get(projectId: string, actor: Actor): Project {
    const role = this.requireRole(projectId, actor, 'member');
    const row = this.db.select().from(projects).where(eq(projects.id, projectId)).get();
    if (!row) throw notFound('project');
    return this.toProject(row, role, actor.id);
  }

  name(projectId: string): string {
    const row = this.db.select({ name: projects.name }).from(projects).where(eq(projects.id, projectId)).get();
    if (!row) throw notFound('project');
    return row.name;
  }

  /**
   * Read and parsed once per scheme version (every scheme write bumps it): each save validates
   * against it, and reads only the version number.
   */
  scheme(projectId: string): LabelScheme {
    const current = this.q.schemeVersion.get({ projectId });
    if (!current) throw notFound('project');
    const cached = this.schemes.get(projectId);
    if (cached && cached.version === current.version) return cached.scheme;
    const row = this.q.scheme.get({ projectId });
    if (!row) throw notFound('project');
    const scheme = JSON.parse(row.scheme) as LabelScheme;
    this.schemes.set(projectId, { version: current.version, scheme });
    if (this.schemes.size > 256) this.schemes.delete(this.schemes.keys().next().value ?? '');
    return scheme;
  }

  update(projectId: string, patch: UpdateProjectBody, actor: Actor): Project {
    this.requireRole(projectId, actor, 'lead');
    this.db.transaction((tx) => {
      const before = tx.select().from(projects).where(eq(projects.id, projectId)).get();
      if (!before) throw notFound('project');
      tx.update(projects)
        .set({ ...patch, updatedAt: Date.now() })
        .where(eq(projects.id, projectId))
        .run();
      this.history({
        userId: actor.id,
        projectId,
        entity: 'project',
        entityId: projectId,
        action: 'update',
        data: {
          after: patch,
          before: Object.fromEntries(Object.keys(patch).map((key) => [key, before[key as keyof ProjectRow]])),
        },
      });
    });
    return this.get(projectId, actor);
  }

  /**
   * Replaces the scheme. Removing a label, relation type or category that annotations use (or
   * changing what a used relation type points at) is refused with the counts, never done silently.
   */
  updateScheme(projectId: string, scheme: LabelScheme, actor: Actor, baseSchemeVersion?: number): Project {
    this.requireRole(projectId, actor, 'lead');
    const invalid = schemeProblemsError(scheme);
    if (invalid) throw invalid;
    this.db.transaction((tx) => {
      const row = tx.select().from(projects).where(eq(projects.id, projectId)).get();
      if (!row) throw notFound('project');
      if (baseSchemeVersion !== undefined && baseSchemeVersion !== row.schemeVersion) {
        throw new AppError(
          409,
          'CONFLICT',
          `the label scheme was changed meanwhile (your edits started from version ${baseSchemeVersion}, it is now version ${row.schemeVersion}): reload to see it`,
          { schemeVersion: row.schemeVersion },
        );
      }
      const before = JSON.parse(row.scheme) as LabelScheme;
      const removed = schemeRemovals(before, scheme);
      const retargeted = retargetedRelationTypes(before, scheme);
      const usages: { kind: 'spanLabel' | 'relationType' | 'category'; key: string; count: number }[] = [];
      if (removed.spanLabels.length > 0) {
        const counts = tx
          .select({ key: spans.label, count: sql<number>`count(*)` })
          .from(spans)
          .innerJoin(annotationSets, eq(annotationSets.id, spans.setId))
          .where(and(eq(annotationSets.projectId, projectId), inArray(spans.label, removed.spanLabels)))
          .groupBy(spans.label)
          .all();
        usages.push(...counts.map((c) => ({ kind: 'spanLabel' as const, ...c })));
      }
      const relationKeys = [...new Set([...removed.relationTypes, ...retargeted])];
      if (relationKeys.length > 0) {
        const counts = tx
          .select({ key: relations.type, count: sql<number>`count(*)` })
          .from(relations)
          .innerJoin(annotationSets, eq(annotationSets.id, relations.setId))
          .where(and(eq(annotationSets.projectId, projectId), inArray(relations.type, relationKeys)))
          .groupBy(relations.type)
          .all();
        usages.push(...counts.map((c) => ({ kind: 'relationType' as const, ...c })));
      }
      if (removed.categories.length > 0) {
        const counts = tx
          .select({ key: sql<string>`${annotationSets.category}`, count: sql<number>`count(*)` })
          .from(annotationSets)
          .where(and(eq(annotationSets.projectId, projectId), inArray(annotationSets.category, removed.categories)))
          .groupBy(annotationSets.category)
          .all();
        usages.push(...counts.map((c) => ({ kind: 'category' as const, ...c })));
      }
      // Gold versions use keys too (their items are JSON): a key they use is in use as well.
      const goldCounts = (kind: 'spanLabel' | 'relationType', keys: string[]) => {
        if (keys.length === 0) return;
        const column = kind === 'spanLabel' ? sql`${goldVersions.spans}` : sql`${goldVersions.relations}`;
        const field = kind === 'spanLabel' ? '$.label' : '$.type';
        const rows = tx.all<{ key: string; count: number }>(
          sql`SELECT json_extract(item.value, ${field}) AS key, count(*) AS count FROM ${goldVersions}, json_each(${column}) AS item
              WHERE ${goldVersions.projectId} = ${projectId} AND json_extract(item.value, ${field}) IN (${sql.join(keys.map((k) => sql`${k}`), sql`, `)}) GROUP BY key`,
        );
        for (const row of rows) addUsage(kind, row.key, row.count);
      };
      const addUsage = (kind: 'spanLabel' | 'relationType' | 'category', key: string, count: number) => {
        const known = usages.find((u) => u.kind === kind && u.key === key);
        if (known) known.count += count;
        else usages.push({ kind, key, count });
      };
      goldCounts('spanLabel', removed.spanLabels);
      goldCounts('relationType', relationKeys);
      if (removed.categories.length > 0) {
        const rows = tx
          .select({ key: sql<string>`${goldVersions.category}`, count: sql<number>`count(*)` })
          .from(goldVersions)
          .where(and(eq(goldVersions.projectId, projectId), inArray(goldVersions.category, removed.categories)))
          .groupBy(goldVersions.category)
          .all();
        for (const row of rows) addUsage('category', row.key, row.count);
      }
      if (usages.length > 0) {
        const list = usages.map((u) => `'${u.key}' (${u.count})`).join(', ');
        throw new AppError(409, 'LABEL_IN_USE', `still used by annotations: ${list}; relabel or delete those first`, {
          usages,
        });
      }
      tx.update(projects)
        .set({ scheme: JSON.stringify(scheme), schemeVersion: row.schemeVersion + 1, updatedAt: Date.now() })
        .where(eq(projects.id, projectId))
        .run();
      this.history({
        userId: actor.id,
        projectId,
        entity: 'scheme',
        entityId: projectId,
        action: 'update',
        data: { before, after: scheme, version: row.schemeVersion + 1 },
      });
    });
    return this.get(projectId, actor);
  }

  members(projectId: string): Member[] {
    const rows = this.db
      .select({
        id: users.id,
        username: users.username,
        displayName: users.displayName,
        disabled: users.disabled,
        role: projectMembers.role,
        addedAt: projectMembers.addedAt,
      })
      .from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.userId))
      .where(eq(projectMembers.projectId, projectId))
      .orderBy(asc(projectMembers.role), asc(users.username))
      .all();
    const counts = this.db
      .select({
        userId: annotationSets.userId,
        assigned: sql<number>`count(*)`,
        submitted: sql<number>`sum(${annotationSets.status} = 'submitted')`,
        skipped: sql<number>`sum(${annotationSets.status} = 'skipped')`,
      })
      .from(annotationSets)
      .where(eq(annotationSets.projectId, projectId))
      .groupBy(annotationSets.userId)
      .all();
    const byUser = new Map(counts.map((c) => [c.userId, c]));
    return rows.map((row) => {
      const c = byUser.get(row.id);
      return {
        user: { id: row.id, username: row.username, displayName: row.displayName, disabled: row.disabled },
        role: row.role,
        addedAt: toIso(row.addedAt),
        assigned: c?.assigned ?? 0,
        submitted: c?.submitted ?? 0,
        skipped: c?.skipped ?? 0,
      };
    });
  }

  /** Adds a member; 409 when they already are one. Inside the caller's transaction when given one. */
  addMember(projectId: string, userId: string, role: ProjectRole, actor: Actor, db: Db = this.db): void {
    db.transaction((tx) => this.insertMember(projectId, userId, role, actor, tx));
  }

  private insertMember(projectId: string, userId: string, role: ProjectRole, actor: Actor, tx: Pick<Db, 'select' | 'insert'>): void {
    const existing = tx
      .select({ role: projectMembers.role })
      .from(projectMembers)
      .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
      .get();
    if (existing) throw new AppError(409, 'ALREADY_MEMBER', `this user is already a ${existing.role} of the project`);
    tx.insert(projectMembers).values({ projectId, userId, role, addedAt: Date.now() }).run();
    this.history({ userId: actor.id, projectId, entity: 'member', entityId: userId, action: 'add', data: { role } });
  }

  removeMember(projectId: string, userId: string, actor: Actor): boolean {
    return this.db.transaction((tx) => {
      const existing = tx
        .select({ role: projectMembers.role })
        .from(projectMembers)
        .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
        .get();
      if (!existing) return false;
      if (existing.role === 'lead') {
        const leads = countRows(tx, projectMembers, and(eq(projectMembers.projectId, projectId), eq(projectMembers.role, 'lead')));
        if (leads <= 1) throw new AppError(403, 'FORBIDDEN', 'a project keeps at least one lead');
      }
      tx.delete(projectMembers)
        .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
        .run();
      // Passages handed out but never touched go back to the pool; anything the annotator did
      // stays (leads can still read it, and it still counts for the passage).
      const untouched = tx
        .select({ id: annotationSets.id, passageId: annotationSets.passageId })
        .from(annotationSets)
        .where(and(eq(annotationSets.projectId, projectId), eq(annotationSets.userId, userId), eq(annotationSets.version, 0)))
        .all();
      for (const set of untouched) {
        tx.delete(annotationSets).where(eq(annotationSets.id, set.id)).run();
        tx.update(passages)
          .set({ assignedCount: sql`${passages.assignedCount} - 1` })
          .where(eq(passages.id, set.passageId))
          .run();
      }
      this.history({
        userId: actor.id,
        projectId,
        entity: 'member',
        entityId: userId,
        action: 'remove',
        data: { before: { role: existing.role }, releasedPassages: untouched.map((set) => set.passageId) },
      });
      return true;
    });
  }

  private setCounts(projectIds: string[], userId?: string): Map<string, Counts> {
    if (projectIds.length === 0) return new Map();
    // Progress is the people's work.
    const where = userId
      ? and(inArray(annotationSets.projectId, projectIds), eq(annotationSets.userId, userId))
      : and(inArray(annotationSets.projectId, projectIds), personsSet);
    const rows = this.db
      .select({
        projectId: annotationSets.projectId,
        assigned: sql<number>`count(*)`,
        submitted: sql<number>`coalesce(sum(${annotationSets.status} = 'submitted'), 0)`,
        skipped: sql<number>`coalesce(sum(${annotationSets.status} = 'skipped'), 0)`,
      })
      .from(annotationSets)
      .where(where)
      .groupBy(annotationSets.projectId)
      .all();
    return new Map(rows.map(({ projectId, ...counts }) => [projectId, counts]));
  }

  private passageCounts(projectIds: string[]): Map<string, number> {
    if (projectIds.length === 0) return new Map();
    const rows = this.db
      .select({ projectId: passages.projectId, count: sql<number>`count(*)` })
      .from(passages)
      .where(inArray(passages.projectId, projectIds))
      .groupBy(passages.projectId)
      .all();
    return new Map(rows.map((row) => [row.projectId, row.count]));
  }

  /** Summaries with their progress: three queries for the whole list, not three per project. */
  private summaries(items: { row: ProjectRow; role: ProjectRole | null }[], viewerId?: string): ProjectSummary[] {
    const ids = items.map((item) => item.row.id);
    const passageCounts = this.passageCounts(ids);
    const counts = this.setCounts(ids);
    const annotated = items.filter((item) => item.role === 'annotator').map((item) => item.row.id);
    const mine = viewerId ? this.setCounts(annotated, viewerId) : new Map<string, Counts>();
    return items.map(({ row, role }) => {
      const passageCount = passageCounts.get(row.id) ?? 0;
      return {
        id: row.id,
        name: row.name,
        description: row.description,
        role,
        annotatorsPerPassage: row.annotatorsPerPassage,
        createdAt: toIso(row.createdAt),
        progress: { passages: passageCount, required: passageCount * row.annotatorsPerPassage, ...(counts.get(row.id) ?? EMPTY_COUNTS) },
        myProgress: role === 'annotator' && viewerId ? (mine.get(row.id) ?? EMPTY_COUNTS) : null,
      };
    });
  }

  private toSummary(row: ProjectRow, role: ProjectRole | null, viewerId?: string): ProjectSummary {
    const [summary] = this.summaries([{ row, role }], viewerId);
    if (!summary) throw new Error('unreachable: one project in, one summary out');
    return summary;
  }

  private toProject(row: ProjectRow, role: ProjectRole | null, viewerId?: string): Project {
    return {
      ...this.toSummary(row, role, viewerId),
      guidelines: row.guidelines,
      scheme: JSON.parse(row.scheme) as LabelScheme,
      schemeVersion: row.schemeVersion,
      updatedAt: toIso(row.updatedAt),
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    projects: ProjectsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('projects', new ProjectsRepository(fastify.db));
  },
  { name: 'projects-repository', dependencies: ['db'] },
);
