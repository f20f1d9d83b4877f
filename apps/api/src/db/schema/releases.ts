import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { imports, passages, projects } from './projects.ts';
import { users } from './users.ts';

/**
 * Annotations every annotator starts from (a model's or another tool's output): copied into each
 * annotation set when the passage is handed out, then the annotator's own. One per passage.
 */
export const preAnnotations = sqliteTable(
  'pre_annotations',
  {
    passageId: text('passage_id')
      .primaryKey()
      .references(() => passages.id, { onDelete: 'cascade' }),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    importId: text('import_id').references(() => imports.id, { onDelete: 'set null' }),
    /** The source's name in the imported file (`arg-microtexts`, a model's name). */
    source: text('source').notNull(),
    category: text('category'),
    /** { spans: Span[]; relations: Relation[] } as JSON, validated against the scheme when imported. */
    content: text('content').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('pre_annotations_project_idx').on(table.projectId)],
);

/**
 * A dataset release: an immutable bundle of files (kept in the data directory under
 * `releases/<id>/`), cut once and never rewritten. The row is written when the bundle is
 * complete, so a listed release always has all its files.
 */
export const releases = sqliteTable(
  'releases',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** 1, 2, 3... per project. */
    version: integer('version').notNull(),
    name: text('name').notNull(),
    /** The lead's choices (ReleaseOptions) as JSON. */
    options: text('options').notNull(),
    /** manifest.json as written into the bundle. */
    manifest: text('manifest').notNull(),
    bytes: integer('bytes').notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [uniqueIndex('releases_project_version_idx').on(table.projectId, table.version)],
);
