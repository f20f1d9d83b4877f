import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

export const projects = sqliteTable('projects', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  guidelines: text('guidelines').notNull().default(''),
  /** LabelScheme as JSON; validated by the contracts schema before it is written. */
  scheme: text('scheme').notNull(),
  schemeVersion: integer('scheme_version').notNull().default(1),
  annotatorsPerPassage: integer('annotators_per_passage').notNull().default(2),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const projectMembers = sqliteTable(
  'project_members',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['lead', 'annotator'] }).notNull(),
    addedAt: integer('added_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.projectId, table.userId] }), index('project_members_user_idx').on(table.userId)],
);

export const imports = sqliteTable(
  'imports',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    format: text('format', { enum: ['txt', 'jsonl', 'csv', 'semantic-jsonl', 'brat', 'aif', 'arg-microtext'] }).notNull(),
    /** Annotated imports: where the annotations went (null for plain passages). */
    mode: text('mode', { enum: ['pre-annotations', 'annotator'] }),
    /** Annotated imports: the imported annotator's username, or the pre-annotations' source name. */
    source: text('source'),
    annotationCount: integer('annotation_count').notNull().default(0),
    passageCount: integer('passage_count').notNull(),
    bytes: integer('bytes').notNull(),
    /** Problem[] as JSON. */
    warnings: text('warnings').notNull().default('[]'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('imports_project_idx').on(table.projectId)],
);

export const passages = sqliteTable(
  'passages',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    /** Order within the project: import order. */
    ordinal: integer('ordinal').notNull(),
    text: text('text').notNull(),
    textSha256: text('text_sha256').notNull(),
    /** Length in UTF-16 code units (what offsets count). */
    length: integer('length').notNull(),
    /** Number of annotation sets handed out for this passage (kept with them in one transaction). */
    assignedCount: integer('assigned_count').notNull().default(0),
    meta: text('meta'),
    importId: text('import_id').references(() => imports.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('passages_project_external_idx').on(table.projectId, table.externalId),
    uniqueIndex('passages_project_ordinal_idx').on(table.projectId, table.ordinal),
    // "Next passage" prefers passages others have started, so overlap accrues early.
    index('passages_queue_idx').on(table.projectId, table.assignedCount, table.ordinal),
  ],
);
