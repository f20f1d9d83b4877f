import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { annotationSets, appliedChanges, relations, spans } from '../../db/schema/annotations.ts';
import { passages } from '../../db/schema/projects.ts';

const p = sql.placeholder;

/**
 * The statements every save runs, prepared once: building and preparing SQL per call cost more
 * than executing it (measured with `pnpm bench`).
 */
export function prepareAnnotationStatements(db: Db) {
  return {
    setById: db.select().from(annotationSets).where(eq(annotationSets.id, p('id'))).prepare(),
    appliedChange: db
      .select({ version: appliedChanges.version, opsHash: appliedChanges.opsHash })
      .from(appliedChanges)
      .where(and(eq(appliedChanges.setId, p('setId')), eq(appliedChanges.changeId, p('changeId'))))
      .prepare(),
    spanById: db
      .select({ id: spans.id, label: spans.label, start: spans.start, end: spans.end, note: spans.note })
      .from(spans)
      .where(and(eq(spans.setId, p('setId')), eq(spans.id, p('id'))))
      .prepare(),
    relationById: db
      .select({ id: relations.id, type: relations.type, source: relations.sourceId, target: relations.targetId })
      .from(relations)
      .where(and(eq(relations.setId, p('setId')), eq(relations.id, p('id'))))
      .prepare(),
    spanTwin: db
      .select({ id: spans.id })
      .from(spans)
      .where(and(eq(spans.setId, p('setId')), eq(spans.start, p('start')), eq(spans.end, p('end')), eq(spans.label, p('label'))))
      .prepare(),
    relationTwin: db
      .select({ id: relations.id })
      .from(relations)
      .where(
        and(
          eq(relations.setId, p('setId')),
          eq(relations.type, p('type')),
          eq(relations.sourceId, p('source')),
          eq(relations.targetId, p('target')),
        ),
      )
      .prepare(),
    insertSpan: db
      .insert(spans)
      .values({ setId: p('setId'), id: p('id'), label: p('label'), start: p('start'), end: p('end'), note: p('note') })
      .prepare(),
    insertRelation: db
      .insert(relations)
      .values({ setId: p('setId'), id: p('id'), type: p('type'), sourceId: p('source'), targetId: p('target') })
      .prepare(),
    updateSpan: db
      .update(spans)
      .set({ label: sql`${p('label')}`, start: sql`${p('start')}`, end: sql`${p('end')}`, note: sql`${p('note')}` })
      .where(and(eq(spans.setId, p('setId')), eq(spans.id, p('id'))))
      .prepare(),
    deleteSpan: db
      .delete(spans)
      .where(and(eq(spans.setId, p('setId')), eq(spans.id, p('id'))))
      .prepare(),
    updateRelationType: db
      .update(relations)
      .set({ type: sql`${p('type')}` })
      .where(and(eq(relations.setId, p('setId')), eq(relations.id, p('id'))))
      .prepare(),
    updateSet: db
      .update(annotationSets)
      .set({
        version: sql`${p('version')}`,
        updatedAt: sql`${p('updatedAt')}`,
        status: sql`${p('status')}`,
        category: sql`${p('category')}`,
        skipReason: sql`${p('skipReason')}`,
        submittedAt: sql`${p('submittedAt')}`,
      })
      .where(eq(annotationSets.id, p('id')))
      .prepare(),
    insertApplied: db
      .insert(appliedChanges)
      .values({ setId: p('setId'), changeId: p('changeId'), version: p('version'), opsHash: p('opsHash'), appliedAt: p('appliedAt') })
      .prepare(),
    shiftAssigned: db
      .update(passages)
      .set({ assignedCount: sql`${passages.assignedCount} + ${p('delta')}` })
      .where(eq(passages.id, p('passageId')))
      .prepare(),
  };
}

export type AnnotationStatements = ReturnType<typeof prepareAnnotationStatements>;
