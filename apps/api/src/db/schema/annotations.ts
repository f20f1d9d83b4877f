import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { passages, projects } from './projects.ts';
import { users } from './users.ts';

/** One per (passage, annotator): created when the passage is handed to the annotator. */
export const annotationSets = sqliteTable(
  'annotation_sets',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    passageId: text('passage_id')
      .notNull()
      .references(() => passages.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['draft', 'submitted', 'skipped'] })
      .notNull()
      .default('draft'),
    category: text('category'),
    skipReason: text('skip_reason'),
    version: integer('version').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    submittedAt: integer('submitted_at'),
  },
  (table) => [
    uniqueIndex('annotation_sets_passage_user_idx').on(table.passageId, table.userId),
    index('annotation_sets_project_user_idx').on(table.projectId, table.userId),
  ],
);

export const spans = sqliteTable(
  'spans',
  {
    setId: text('set_id')
      .notNull()
      .references(() => annotationSets.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    label: text('label').notNull(),
    /** UTF-16 code units, half-open. */
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    note: text('note'),
  },
  // Stored WITHOUT ROWID, clustered on (set_id, id), with no other index (migration 0006): every
  // query reads one set's spans, a short range of that key, and every index is written on every
  // save and for each of the millions of rows an import writes. drizzle-kit cannot express
  // WITHOUT ROWID: a generated migration that rebuilds this table must keep it by hand.
  (table) => [primaryKey({ columns: [table.setId, table.id] })],
);

export const relations = sqliteTable(
  'relations',
  {
    setId: text('set_id')
      .notNull()
      .references(() => annotationSets.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    type: text('type').notNull(),
    sourceId: text('source_id').notNull(),
    /** A span id, or a relation id for relation types that target relations. */
    targetId: text('target_id').notNull(),
  },
  // As spans: WITHOUT ROWID, clustered on (set_id, id), no other index (a set's relations by
  // source or target are found in that set's short range).
  (table) => [primaryKey({ columns: [table.setId, table.id] })],
);

/** Change ids already applied to a set: a retried request is answered from here, not applied twice. */
export const appliedChanges = sqliteTable(
  'applied_changes',
  {
    setId: text('set_id')
      .notNull()
      .references(() => annotationSets.id, { onDelete: 'cascade' }),
    changeId: text('change_id').notNull(),
    version: integer('version').notNull(),
    /** Hash of the ops: a retry must carry the same edits, or it is a different change reusing an id. */
    opsHash: text('ops_hash').notNull(),
    appliedAt: integer('applied_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.setId, table.changeId] })],
);
