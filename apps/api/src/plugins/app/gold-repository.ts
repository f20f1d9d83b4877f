import type { GoldStatus, GoldVersion, PutGoldBody } from '@warrant/contracts';
import { AnnotationOpError, applyOp, createAnnotationState, type AnnotationOp } from '@warrant/domain';
import { and, eq } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import { historyRecorder } from '../../db/history.ts';
import { annotationSets } from '../../db/schema/annotations.ts';
import { goldVersions } from '../../db/schema/gold.ts';
import { passages } from '../../db/schema/projects.ts';
import { users } from '../../db/schema/users.ts';
import { relationOrder } from '../../lib/relation-order.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { toIso } from '../../lib/time.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

type GoldRow = typeof goldVersions.$inferSelect;

/** Where an item of a gold version came from. */
interface Provenance {
  sources: string[];
  edited: boolean;
}

/** Thrown inside the transaction when the base version is stale. */
class GoldConflict {
  constructor(readonly current: GoldRow | undefined) {}
}

function invalid(path: string, message: string, code: 'INVALID_CHANGE' | 'INVALID_OFFSETS' = 'INVALID_CHANGE', extra?: object) {
  return new AppError(400, code, `${path}: ${message}`, { path, ...extra });
}

/**
 * The gold (adjudicated) version of each passage, written by leads only. Annotators never see it:
 * every method asks for the lead role, and nothing else reads this table for them.
 */
export class GoldRepository {
  private readonly history;

  constructor(
    private readonly db: Db,
    private readonly projects: ProjectsRepository,
  ) {
    this.history = historyRecorder(db);
  }

  get(projectId: string, passageId: string, actor: Actor): GoldVersion | null {
    this.projects.requireRole(projectId, actor, 'lead');
    this.requirePassage(projectId, passageId);
    const row = this.db.select().from(goldVersions).where(eq(goldVersions.passageId, passageId)).get();
    return row ? this.toGold(row) : null;
  }

  /** The whole gold version, replaced; 409 VERSION_CONFLICT when `baseVersion` is not the current one. */
  put(projectId: string, passageId: string, body: PutGoldBody, actor: Actor): GoldVersion {
    this.projects.requireRole(projectId, actor, 'lead');
    const text = this.requirePassage(projectId, passageId);
    const scheme = this.projects.scheme(projectId);
    const outcome = this.db.transaction(
      (tx) => {
        const current = tx.select().from(goldVersions).where(eq(goldVersions.passageId, passageId)).get();
        if ((current?.version ?? 0) !== body.baseVersion) return new GoldConflict(current);
        this.validate(tx, passageId, text, scheme, body);
        const now = Date.now();
        const version = body.baseVersion + 1;
        const values = {
          passageId,
          projectId,
          adjudicatorId: actor.id,
          status: body.status,
          category: body.category,
          categorySources: JSON.stringify(body.categorySources),
          spans: JSON.stringify(body.spans.map((s) => ({ id: s.id, label: s.label, start: s.start, end: s.end, note: s.note, sources: s.sources, edited: s.edited }))),
          relations: JSON.stringify(body.relations.map((r) => ({ id: r.id, type: r.type, source: r.source, target: r.target, sources: r.sources, edited: r.edited }))),
          note: body.note,
          version,
          updatedAt: now,
        };
        if (current) tx.update(goldVersions).set(values).where(eq(goldVersions.passageId, passageId)).run();
        else tx.insert(goldVersions).values({ ...values, createdAt: now }).run();
        this.history({
          userId: actor.id,
          projectId,
          entity: 'gold',
          entityId: passageId,
          action: current ? 'update' : 'create',
          data: { version, status: body.status, before: current ? this.toStored(current) : null },
        });
        const row = tx.select().from(goldVersions).where(eq(goldVersions.passageId, passageId)).get();
        if (!row) throw new Error('gold version vanished inside its own transaction');
        return row;
      },
      { behavior: 'immediate' },
    );
    if (outcome instanceof GoldConflict) {
      const currentVersion = outcome.current?.version ?? 0;
      throw new AppError(
        409,
        'VERSION_CONFLICT',
        outcome.current
          ? `the gold version was changed elsewhere: your edit was based on version ${body.baseVersion}, the current version is ${currentVersion}`
          : `this passage has no gold version any more (it was discarded): start again from version 0`,
        { current: outcome.current ? this.toGold(outcome.current) : null },
      );
    }
    return this.toGold(outcome);
  }

  /** Discards the gold version; true when there was one. */
  delete(projectId: string, passageId: string, actor: Actor): boolean {
    this.projects.requireRole(projectId, actor, 'lead');
    this.requirePassage(projectId, passageId);
    return this.db.transaction((tx) => {
      const current = tx.select().from(goldVersions).where(eq(goldVersions.passageId, passageId)).get();
      if (!current) return false;
      tx.delete(goldVersions).where(eq(goldVersions.passageId, passageId)).run();
      this.history({ userId: actor.id, projectId, entity: 'gold', entityId: passageId, action: 'delete', data: { before: this.toStored(current) } });
      return true;
    });
  }

  /**
   * Gold status per passage of a project (by project, not by a list of ids: a large project's ids
   * would pass SQLite's limit of bound variables); no access check (callers have done it).
   */
  statuses(projectId: string): Map<string, GoldStatus> {
    const rows = this.db
      .select({ passageId: goldVersions.passageId, status: goldVersions.status })
      .from(goldVersions)
      .where(eq(goldVersions.projectId, projectId))
      .all();
    return new Map(rows.map((r) => [r.passageId, r.status]));
  }

  /** The passage's text; 404 unless the passage belongs to the project. */
  private requirePassage(projectId: string, passageId: string): string {
    const row = this.db
      .select({ text: passages.text })
      .from(passages)
      .where(and(eq(passages.id, passageId), eq(passages.projectId, projectId)))
      .get();
    if (!row) throw notFound('passage');
    return row.text;
  }

  /**
   * The same rules as an annotator's set (offsets, labels, relation types and ends, no twins),
   * checked by the domain's own applyOp; plus provenance: every source is an annotator of this
   * passage. (Submitted when the item was accepted; one who reopened their set since stays a valid
   * source, so the gold version can still be saved.)
   */
  private validate(tx: Pick<Db, 'select'>, passageId: string, text: string, scheme: ReturnType<ProjectsRepository['scheme']>, body: PutGoldBody): void {
    const annotators = new Set(
      tx
        .select({ userId: annotationSets.userId })
        .from(annotationSets)
        .where(eq(annotationSets.passageId, passageId))
        .all()
        .map((r) => r.userId),
    );
    const checkSources = (path: string, item: Provenance) => {
      const unknown = item.sources.find((id) => !annotators.has(id));
      if (unknown !== undefined) throw invalid(`${path}.sources`, `'${unknown}' has no annotation set on this passage`);
      if (new Set(item.sources).size !== item.sources.length) throw invalid(`${path}.sources`, 'an annotator is listed twice');
      if (item.sources.length === 0 && !item.edited) throw invalid(path, 'an item with no source annotator must be marked edited (added by the adjudicator)');
    };
    const state = createAnnotationState({ spans: [], relations: [], category: null, status: 'draft', skipReason: null });
    const ctx = { text, scheme };
    const apply = (path: string, op: AnnotationOp) => {
      try {
        applyOp(state, op, ctx);
      } catch (error) {
        if (!(error instanceof AnnotationOpError)) throw error;
        throw invalid(path, error.detail, error.code, error.reason ? { reason: error.reason, field: error.field } : undefined);
      }
    };
    body.spans.forEach((span, i) => {
      checkSources(`spans[${i}]`, span);
      apply(`spans[${i}]`, { op: 'addSpan', span: { id: span.id, label: span.label, start: span.start, end: span.end, note: span.note } });
    });
    const order = relationOrder(body.relations);
    const [first] = order.problems;
    if (first) throw invalid(`relations[${first.index}]${first.field ? `.${first.field}` : ''}`, first.message);
    for (const { relation, index } of order.ordered) {
      checkSources(`relations[${index}]`, relation);
      apply(`relations[${index}]`, { op: 'addRelation', relation: { id: relation.id, type: relation.type, source: relation.source, target: relation.target } });
    }
    apply('category', { op: 'setCategory', category: body.category });
    const unknownCategorySource = body.categorySources.find((id) => !annotators.has(id));
    if (unknownCategorySource !== undefined) {
      throw invalid('categorySources', `'${unknownCategorySource}' has no annotation set on this passage`);
    }
    if (body.category === null && body.categorySources.length > 0) throw invalid('categorySources', 'no category is set, so it has no sources');
  }

  private toStored(row: GoldRow) {
    return {
      status: row.status,
      category: row.category,
      categorySources: JSON.parse(row.categorySources) as string[],
      spans: JSON.parse(row.spans) as unknown[],
      relations: JSON.parse(row.relations) as unknown[],
      note: row.note,
      version: row.version,
      adjudicatorId: row.adjudicatorId,
    };
  }

  private toGold(row: GoldRow): GoldVersion {
    const adjudicator = this.db
      .select({ id: users.id, username: users.username, displayName: users.displayName })
      .from(users)
      .where(eq(users.id, row.adjudicatorId))
      .get();
    if (!adjudicator) throw new Error(`adjudicator ${row.adjudicatorId} of gold ${row.passageId} not found`);
    return {
      passageId: row.passageId,
      status: row.status,
      version: row.version,
      category: row.category,
      categorySources: JSON.parse(row.categorySources) as string[],
      spans: JSON.parse(row.spans) as GoldVersion['spans'],
      relations: JSON.parse(row.relations) as GoldVersion['relations'],
      note: row.note,
      adjudicator,
      createdAt: toIso(row.createdAt),
      updatedAt: toIso(row.updatedAt),
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    gold: GoldRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('gold', new GoldRepository(fastify.db, fastify.projects));
  },
  { name: 'gold-repository', dependencies: ['db', 'projects-repository'] },
);
