import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { passages, projects } from './projects.ts';
import { users } from './users.ts';

/**
 * The adjudicated (gold) version of a passage: one per passage, built by a lead from the
 * annotators' submitted sets. Its content is one JSON document, written whole on every save: it
 * has one editor at a time, is read whole (comparison, export), and every item carries its
 * provenance, which rows per item would only spread over more tables.
 */
export const goldVersions = sqliteTable(
  'gold_versions',
  {
    passageId: text('passage_id')
      .primaryKey()
      .references(() => passages.id, { onDelete: 'cascade' }),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    adjudicatorId: text('adjudicator_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['in_progress', 'done'] }).notNull(),
    category: text('category'),
    /** JSON: annotator ids the category came from. */
    categorySources: text('category_sources').notNull(),
    /** JSON: [{ id, label, start, end, note, sources, edited }], UTF-16 offsets. */
    spans: text('spans').notNull(),
    /** JSON: [{ id, type, source, target, sources, edited }]. */
    relations: text('relations').notNull(),
    note: text('note'),
    version: integer('version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [index('gold_versions_project_idx').on(table.projectId, table.status)],
);
