import type { AnnotationSet, AnnotationSetSummary, ChangeBody, ChangeResponse, HistoryList, Queue, QueueItem } from '@warrant/contracts';
import { checkSpanOffsets, type AnnotationOp, type LabelScheme, type Relation, type Span } from '@warrant/domain';
import { and, asc, desc, eq, gt, inArray, lt, notExists, or, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import { historyRecorder, type HistoryEntry } from '../../db/history.ts';
import { prepareAnnotationStatements, type AnnotationStatements } from './annotation-statements.ts';
import { annotationSets, relations, spans } from '../../db/schema/annotations.ts';
import { personsSet } from '../../db/people.ts';
import { history } from '../../db/schema/history.ts';
import { passages, projects } from '../../db/schema/projects.ts';
import { preAnnotations } from '../../db/schema/releases.ts';
import { users } from '../../db/schema/users.ts';
import { createHash } from 'node:crypto';
import { AppError, forbidden, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toIso, toIsoOrNull } from '../../lib/time.ts';
import { preview, type PassagesRepository } from './passages-repository.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

type SetRow = typeof annotationSets.$inferSelect;

/** Thrown inside the change transaction; carries the op index so the client knows which edit failed. */
function invalid(opIndex: number, message: string, code: 'INVALID_CHANGE' | 'INVALID_OFFSETS' = 'INVALID_CHANGE', extra?: object) {
  return new AppError(400, code, `ops[${opIndex}]: ${message}`, { opIndex, ...extra });
}

/** Returned (not thrown) from the change transaction: the base version is not the current one. */
class VersionConflictSignal {}

interface ChangeContext {
  tx: Db;
  set: SetRow;
  text: string;
  scheme: LabelScheme;
  actor: Actor;
  changeId: string;
  entries: HistoryEntry[];
}

export class AnnotationsRepository {
  private readonly q: AnnotationStatements;
  private readonly log;

  constructor(
    private readonly db: Db,
    private readonly projectsRepo: ProjectsRepository,
    private readonly passagesRepo: PassagesRepository,
  ) {
    this.q = prepareAnnotationStatements(db);
    this.log = historyRecorder(db);
  }

  /**
   * The set if this actor may read it: its annotator while still a member of the project, or a
   * lead of the project. Otherwise 404 (a removed annotator loses access to their sets too).
   */
  private readable(setId: string, actor: Actor): SetRow {
    const set = this.q.setById.get({ id: setId });
    if (!set) throw notFound('annotation set');
    const role = this.projectsRepo.roleOf(set.projectId, actor);
    if (role === 'lead' || (role !== null && set.userId === actor.id)) return set;
    throw notFound('annotation set');
  }

  get(setId: string, actor: Actor): AnnotationSet {
    return this.load(this.readable(setId, actor));
  }

  private load(set: SetRow): AnnotationSet {
    const annotator = this.db
      .select({ id: users.id, username: users.username, displayName: users.displayName })
      .from(users)
      .where(eq(users.id, set.userId))
      .get();
    const spanRows = this.db
      .select({ id: spans.id, label: spans.label, start: spans.start, end: spans.end, note: spans.note })
      .from(spans)
      .where(eq(spans.setId, set.id))
      .orderBy(asc(spans.start), asc(spans.end), asc(spans.id))
      .all();
    const relationRows = this.db
      .select({ id: relations.id, type: relations.type, source: relations.sourceId, target: relations.targetId })
      .from(relations)
      .where(eq(relations.setId, set.id))
      .orderBy(asc(relations.id))
      .all();
    return {
      ...this.summaryFields(set),
      annotator: annotator ?? { id: set.userId, username: '(deleted)', displayName: '(deleted)' },
      spans: spanRows,
      relations: relationRows,
    };
  }

  private summaryFields(set: SetRow) {
    return {
      id: set.id,
      projectId: set.projectId,
      passageId: set.passageId,
      status: set.status,
      category: set.category,
      skipReason: set.skipReason,
      version: set.version,
      createdAt: toIso(set.createdAt),
      updatedAt: toIso(set.updatedAt),
      submittedAt: toIsoOrNull(set.submittedAt),
    };
  }

  /** Leads only: every annotator's set on a passage, without their content. */
  listForPassage(passageId: string, actor: Actor): AnnotationSetSummary[] {
    const passage = this.db.select({ projectId: passages.projectId }).from(passages).where(eq(passages.id, passageId)).get();
    if (!passage || this.projectsRepo.roleOf(passage.projectId, actor) === null) throw notFound('passage');
    this.projectsRepo.requireRole(passage.projectId, actor, 'lead');
    const rows = this.db
      .select({
        set: annotationSets,
        annotator: { id: users.id, username: users.username, displayName: users.displayName },
        spanCount: sql<number>`(select count(*) from ${spans} where ${spans.setId} = ${annotationSets.id})`,
        relationCount: sql<number>`(select count(*) from ${relations} where ${relations.setId} = ${annotationSets.id})`,
      })
      .from(annotationSets)
      .innerJoin(users, eq(users.id, annotationSets.userId))
      .where(eq(annotationSets.passageId, passageId))
      .orderBy(asc(users.username))
      .all();
    return rows.map((r) => ({ ...this.summaryFields(r.set), annotator: r.annotator, spanCount: r.spanCount, relationCount: r.relationCount }));
  }

  queue(projectId: string, actor: Actor): Queue {
    const role = this.projectsRepo.requireRole(projectId, actor, 'member');
    const rows = this.db
      .select({ set: annotationSets, externalId: passages.externalId, head: sql<string>`substr(${passages.text}, 1, 400)` })
      .from(annotationSets)
      .innerJoin(passages, eq(passages.id, annotationSets.passageId))
      .where(and(eq(annotationSets.projectId, projectId), eq(annotationSets.userId, actor.id)))
      .orderBy(desc(annotationSets.updatedAt))
      .all();
    return {
      items: rows.map((r) => this.queueItem(r.set, r.externalId, r.head)),
      moreAvailable: role === 'annotator' && this.candidate(this.db, projectId, actor.id) !== undefined,
    };
  }

  private queueItem(set: SetRow, externalId: string, head: string): QueueItem {
    return {
      setId: set.id,
      passageId: set.passageId,
      externalId,
      preview: preview(head),
      status: set.status,
      updatedAt: toIso(set.updatedAt),
    };
  }

  /**
   * The passage's pre-annotations become the new set's first content (checked when imported).
   * Items whose label or relation type the scheme has lost since are left out, with what hangs on them.
   */
  private copyPreAnnotations(setId: string, content: string, scheme: LabelScheme): void {
    const { spans, relations } = JSON.parse(content) as { spans: Span[]; relations: Relation[] };
    const labels = new Set(scheme.spanLabels.map((l) => l.key));
    const types = new Set(scheme.relationTypes.map((t) => t.key));
    const kept = new Set<string>();
    for (const span of spans) {
      if (!labels.has(span.label)) continue;
      kept.add(span.id);
      this.q.insertSpan.run({ setId, id: span.id, label: span.label, start: span.start, end: span.end, note: span.note ?? null });
    }
    // Stored in dependency order (a relation after the relation it targets).
    for (const relation of relations) {
      if (!types.has(relation.type) || !kept.has(relation.source) || !kept.has(relation.target)) continue;
      kept.add(relation.id);
      this.q.insertRelation.run({ setId, ...relation });
    }
  }

  /** A passage still short of annotators and not yet this user's; passages others began come first. */
  private candidate(tx: Db, projectId: string, userId: string): { id: string; assignedCount: number } | undefined {
    const k = tx.select({ k: projects.annotatorsPerPassage }).from(projects).where(eq(projects.id, projectId)).get()?.k ?? 0;
    return tx
      .select({ id: passages.id, assignedCount: passages.assignedCount })
      .from(passages)
      .where(
        and(
          eq(passages.projectId, projectId),
          lt(passages.assignedCount, k),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(annotationSets)
              .where(and(eq(annotationSets.passageId, passages.id), eq(annotationSets.userId, userId))),
          ),
        ),
      )
      .orderBy(desc(passages.assignedCount), asc(passages.ordinal))
      .limit(1)
      .get();
  }

  /**
   * The annotator's oldest unfinished passage, or else a new one. One synchronous transaction:
   * concurrent callers are serialised, and a trigger refuses any set beyond the project's number.
   */
  next(projectId: string, actor: Actor): QueueItem | null {
    const role = this.projectsRepo.requireRole(projectId, actor, 'member');
    if (role !== 'annotator') throw forbidden('only annotators of this project receive passages');
    return this.db.transaction(
      (tx) => {
        const open = tx
          .select({ set: annotationSets, externalId: passages.externalId, head: sql<string>`substr(${passages.text}, 1, 400)` })
          .from(annotationSets)
          .innerJoin(passages, eq(passages.id, annotationSets.passageId))
          .where(and(eq(annotationSets.projectId, projectId), eq(annotationSets.userId, actor.id), eq(annotationSets.status, 'draft')))
          .orderBy(asc(annotationSets.createdAt))
          .limit(1)
          .get();
        if (open) return this.queueItem(open.set, open.externalId, open.head);
        const pick = this.candidate(tx, projectId, actor.id);
        if (!pick) return null;
        const now = Date.now();
        const set: SetRow = {
          id: newId(),
          projectId,
          passageId: pick.id,
          userId: actor.id,
          status: 'draft',
          category: null,
          skipReason: null,
          version: 0,
          createdAt: now,
          updatedAt: now,
          submittedAt: null,
        };
        const pre = tx.select().from(preAnnotations).where(eq(preAnnotations.passageId, pick.id)).get();
        const scheme = pre ? this.projectsRepo.scheme(projectId) : null;
        if (pre && scheme?.categories.some((c) => c.key === pre.category)) set.category = pre.category;
        tx.insert(annotationSets).values(set).run();
        if (pre && scheme) this.copyPreAnnotations(set.id, pre.content, scheme);
        tx.update(passages)
          .set({ assignedCount: sql`${passages.assignedCount} + 1` })
          .where(eq(passages.id, pick.id))
          .run();
        this.log({
          userId: actor.id,
          projectId,
          entity: 'annotation_set',
          entityId: set.id,
          action: 'assign',
          data: { passageId: pick.id, ...(pre ? { preAnnotations: pre.source } : {}) },
        });
        const p = tx
          .select({ externalId: passages.externalId, head: sql<string>`substr(${passages.text}, 1, 400)` })
          .from(passages)
          .where(eq(passages.id, pick.id))
          .get();
        return this.queueItem(set, p?.externalId ?? '', p?.head ?? '');
      },
      { behavior: 'immediate' },
    );
  }

  /**
   * Applies one change (a list of ops) atomically. Idempotent by change id; a base version that
   * is not the current one gets 409 with the current state; only what the ops name is written.
   */
  applyChange(setId: string, body: ChangeBody, actor: Actor): ChangeResponse {
    const set = this.readable(setId, actor);
    if (set.userId !== actor.id) throw forbidden('only the annotator of this set can change it');
    const text = this.passagesRepo.text(set.passageId);
    const scheme = this.projectsRepo.scheme(set.projectId);
    const opsHash = createHash('sha256').update(JSON.stringify(body.ops)).digest('base64url');
    const outcome: ChangeResponse | VersionConflictSignal = this.db.transaction(
      (tx) => {
        const applied = this.q.appliedChange.get({ setId, changeId: body.changeId });
        if (applied) {
          if (applied.opsHash !== opsHash) {
            throw new AppError(409, 'CONFLICT', `change '${body.changeId}' was already applied with different edits: use a new change id`);
          }
          return { changeId: body.changeId, version: applied.version, replayed: true };
        }
        // `set` was read just before, in this same synchronous call: nothing can have changed it.
        const current = set;
        if (current.version !== body.baseVersion) return new VersionConflictSignal();

        const ctx: ChangeContext = { tx, set: { ...current }, text, scheme, actor, changeId: body.changeId, entries: [] };
        body.ops.forEach((op, index) => this.applyOp(ctx, op as AnnotationOp, index));
        // A skipped set gives its place on the passage back, so another annotator can take it;
        // taking it back needs a free place (the database refuses an extra one too: migration 0003).
        const wasSkipped = current.status === 'skipped';
        const isSkipped = ctx.set.status === 'skipped';
        if (wasSkipped && !isSkipped && this.passageIsFull(tx, current.passageId, current.projectId)) {
          throw new AppError(
            409,
            'CONFLICT',
            'this passage went to another annotator after you skipped it, and it has its full number of annotators: it cannot be taken back',
          );
        }

        const now = Date.now();
        const version = current.version + 1;
        this.q.updateSet.run({
          id: setId,
          version,
          updatedAt: now,
          status: ctx.set.status,
          category: ctx.set.category,
          skipReason: ctx.set.skipReason,
          submittedAt: ctx.set.submittedAt,
        });
        this.q.insertApplied.run({ setId, changeId: body.changeId, version, opsHash, appliedAt: now });
        if (wasSkipped !== isSkipped) this.q.shiftAssigned.run({ passageId: current.passageId, delta: isSkipped ? -1 : 1 });
        this.log(ctx.entries);
        return { changeId: body.changeId, version, replayed: false };
      },
      { behavior: 'immediate' },
    );
    if (outcome instanceof VersionConflictSignal) {
      // Nothing was written, and `set` is still the current row.
      throw new AppError(
        409,
        'VERSION_CONFLICT',
        `this passage was changed elsewhere: your edits were based on version ${body.baseVersion}, the current version is ${set.version}`,
        { current: this.load(set) },
      );
    }
    return outcome;
  }

  /** Whether the passage has as many annotators (sets not skipped) as its project asks for. */
  private passageIsFull(tx: Pick<Db, 'select'>, passageId: string, projectId: string): boolean {
    const row = tx
      .select({
        // Imported annotators' sets take no place (as in the triggers of migration 0005).
        taken: sql<number>`(select count(*) from ${annotationSets} where ${annotationSets.passageId} = ${passageId} and ${annotationSets.status} != 'skipped' and ${personsSet})`,
        limit: projects.annotatorsPerPassage,
      })
      .from(projects)
      .where(eq(projects.id, projectId))
      .get();
    return row !== undefined && row.taken >= row.limit;
  }

  private record(ctx: ChangeContext, op: AnnotationOp, before: unknown = undefined): void {
    ctx.entries.push({
      userId: ctx.actor.id,
      projectId: ctx.set.projectId,
      entity: 'annotation_set',
      entityId: ctx.set.id,
      action: op.op,
      changeId: ctx.changeId,
      data: before === undefined ? { op } : { op, before },
    });
  }

  private checkLabel(ctx: ChangeContext, label: string, index: number): void {
    if (!ctx.scheme.spanLabels.some((l) => l.key === label)) {
      const known = ctx.scheme.spanLabels.map((l) => l.key).join(', ');
      throw invalid(index, `unknown span label '${label}' (this project's labels: ${known})`);
    }
  }

  private checkOffsets(ctx: ChangeContext, start: number, end: number, index: number): void {
    const problem = checkSpanOffsets(ctx.text, start, end);
    if (problem) throw invalid(index, problem.message, 'INVALID_OFFSETS', { field: problem.field, reason: problem.code });
  }

  private span(ctx: ChangeContext, id: string): Span | undefined {
    return this.q.spanById.get({ setId: ctx.set.id, id });
  }

  private relation(ctx: ChangeContext, id: string): Relation | undefined {
    return this.q.relationById.get({ setId: ctx.set.id, id });
  }

  /** Relations that lose their source or target when `ids` go: relations on them, transitively. */
  private dependents(ctx: ChangeContext, spanIds: string[], relationIds: string[]): Relation[] {
    const found = new Map<string, Relation>();
    const relationTargeting = new Set(ctx.scheme.relationTypes.filter((t) => t.target === 'relation').map((t) => t.key));
    let frontierSpans = spanIds;
    let frontierRelations = relationIds;
    while (frontierSpans.length > 0 || frontierRelations.length > 0) {
      const ids = [...frontierSpans, ...frontierRelations];
      const rows = ctx.tx
        .select({ id: relations.id, type: relations.type, source: relations.sourceId, target: relations.targetId })
        .from(relations)
        .where(and(eq(relations.setId, ctx.set.id), or(inArray(relations.sourceId, frontierSpans), inArray(relations.targetId, ids))))
        .all();
      const next: string[] = [];
      for (const row of rows) {
        if (found.has(row.id)) continue;
        const viaTarget = relationTargeting.has(row.type) ? frontierRelations.includes(row.target) : frontierSpans.includes(row.target);
        if (!viaTarget && !frontierSpans.includes(row.source)) continue;
        found.set(row.id, row);
        next.push(row.id);
      }
      frontierSpans = [];
      frontierRelations = next;
    }
    return [...found.values()];
  }

  private deleteRelations(ctx: ChangeContext, ids: string[]): void {
    for (let i = 0; i < ids.length; i += 500) {
      ctx.tx
        .delete(relations)
        .where(and(eq(relations.setId, ctx.set.id), inArray(relations.id, ids.slice(i, i + 500))))
        .run();
    }
  }

  private applyOp(ctx: ChangeContext, op: AnnotationOp, index: number): void {
    const { set } = ctx;
    switch (op.op) {
      case 'addSpan': {
        const { id, label, start, end } = op.span;
        this.checkOffsets(ctx, start, end, index);
        this.checkLabel(ctx, label, index);
        if (this.span(ctx, id) || this.relation(ctx, id)) throw invalid(index, `id '${id}' is already used in this set`);
        const twin = this.q.spanTwin.get({ setId: set.id, start, end, label });
        if (twin) throw invalid(index, `span '${twin.id}' already marks [${start}, ${end}) as '${label}'`);
        this.q.insertSpan.run({ setId: set.id, id, label, start, end, note: op.span.note ?? null });
        this.record(ctx, op);
        return;
      }
      case 'updateSpan': {
        const before = this.span(ctx, op.id);
        if (!before) throw invalid(index, `no span with id '${op.id}'`);
        const after = {
          label: op.label ?? before.label,
          start: op.start ?? before.start,
          end: op.end ?? before.end,
          note: op.note === undefined ? before.note : op.note,
        };
        this.checkOffsets(ctx, after.start, after.end, index);
        this.checkLabel(ctx, after.label, index);
        const twin = this.q.spanTwin.get({ setId: set.id, start: after.start, end: after.end, label: after.label });
        if (twin && twin.id !== op.id) throw invalid(index, `span '${twin.id}' already marks [${after.start}, ${after.end}) as '${after.label}'`);
        this.q.updateSpan.run({ setId: set.id, id: op.id, ...after });
        this.record(ctx, op, before);
        return;
      }
      case 'deleteSpan': {
        const before = this.span(ctx, op.id);
        if (!before) throw invalid(index, `no span with id '${op.id}'`);
        const cascade = this.dependents(ctx, [op.id], []);
        this.deleteRelations(ctx, cascade.map((r) => r.id));
        this.q.deleteSpan.run({ setId: set.id, id: op.id });
        this.record(ctx, op, { span: before, relations: cascade });
        return;
      }
      case 'addRelation': {
        const { id, type, source, target } = op.relation;
        const kind = ctx.scheme.relationTypes.find((t) => t.key === type);
        if (!kind) {
          const known = ctx.scheme.relationTypes.map((t) => t.key).join(', ');
          throw invalid(index, `unknown relation type '${type}' (this project's types: ${known})`);
        }
        if (this.relation(ctx, id) || this.span(ctx, id)) throw invalid(index, `id '${id}' is already used in this set`);
        if (!this.span(ctx, source)) throw invalid(index, `source: no span with id '${source}'`);
        if (kind.target === 'span') {
          if (!this.span(ctx, target)) throw invalid(index, `target: no span with id '${target}' ('${type}' links two spans)`);
          if (source === target) throw invalid(index, 'a span cannot be related to itself');
        } else if (!this.relation(ctx, target)) {
          throw invalid(index, `target: no relation with id '${target}' ('${type}' points at a relation)`);
        }
        const twin = this.q.relationTwin.get({ setId: set.id, type, source, target });
        if (twin) throw invalid(index, `relation '${twin.id}' already links these with '${type}'`);
        this.q.insertRelation.run({ setId: set.id, id, type, source, target });
        this.record(ctx, op);
        return;
      }
      case 'updateRelation': {
        const before = this.relation(ctx, op.id);
        if (!before) throw invalid(index, `no relation with id '${op.id}'`);
        const from = ctx.scheme.relationTypes.find((t) => t.key === before.type);
        const to = ctx.scheme.relationTypes.find((t) => t.key === op.type);
        if (!to) throw invalid(index, `unknown relation type '${op.type}'`);
        if (from && from.target !== to.target) {
          throw invalid(index, `'${before.type}' points at a ${from.target}, '${op.type}' at a ${to.target}: delete and recreate instead`);
        }
        const twin = this.q.relationTwin.get({ setId: set.id, type: op.type, source: before.source, target: before.target });
        if (twin && twin.id !== op.id) throw invalid(index, `relation '${twin.id}' already links these with '${op.type}'`);
        this.q.updateRelationType.run({ setId: set.id, id: op.id, type: op.type });
        this.record(ctx, op, before);
        return;
      }
      case 'deleteRelation': {
        const before = this.relation(ctx, op.id);
        if (!before) throw invalid(index, `no relation with id '${op.id}'`);
        const cascade = this.dependents(ctx, [], [op.id]);
        this.deleteRelations(ctx, [op.id, ...cascade.map((r) => r.id)]);
        this.record(ctx, op, { relation: before, relations: cascade });
        return;
      }
      case 'setCategory': {
        if (op.category !== null && !ctx.scheme.categories.some((c) => c.key === op.category)) {
          const known = ctx.scheme.categories.map((c) => c.key).join(', ');
          throw invalid(index, `unknown category '${op.category}' (this project's categories: ${known})`);
        }
        this.record(ctx, op, { category: set.category });
        set.category = op.category;
        return;
      }
      case 'setStatus': {
        const reason = op.reason?.trim() ?? '';
        if (op.status === 'skipped' && reason === '') throw invalid(index, 'skipping a passage needs a reason');
        this.record(ctx, op, { status: set.status, skipReason: set.skipReason });
        set.status = op.status;
        set.skipReason = op.status === 'skipped' ? reason : null;
        set.submittedAt = op.status === 'submitted' ? Date.now() : op.status === 'draft' ? null : set.submittedAt;
        return;
      }
    }
  }

  history(setId: string, actor: Actor, afterId = 0, limit = 500): HistoryList {
    const set = this.readable(setId, actor);
    const rows = this.db
      .select({ entry: history, username: users.username })
      .from(history)
      .leftJoin(users, eq(users.id, history.userId))
      .where(and(eq(history.entity, 'annotation_set'), eq(history.entityId, set.id), gt(history.id, afterId)))
      .orderBy(asc(history.id))
      .limit(limit)
      .all();
    return {
      entries: rows.map(({ entry, username }) => ({
        id: entry.id,
        at: toIso(entry.at),
        user: username,
        entity: entry.entity,
        entityId: entry.entityId,
        action: entry.action,
        changeId: entry.changeId,
        data: JSON.parse(entry.data) as unknown,
      })),
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    annotations: AnnotationsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('annotations', new AnnotationsRepository(fastify.db, fastify.projects, fastify.passages));
  },
  { name: 'annotations-repository', dependencies: ['db', 'projects-repository', 'passages-repository'] },
);
