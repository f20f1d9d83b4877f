import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Append-only record of every change: who, when, what, and what it replaced.
 * No foreign keys on purpose: history outlives what it describes.
 */
export const history = sqliteTable(
  'history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    userId: text('user_id'),
    projectId: text('project_id'),
    /** 'annotation_set' | 'project' | 'scheme' | 'member' | 'import' | 'user' | 'session' */
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    changeId: text('change_id'),
    /** JSON: the op or new values, and `before` where something was replaced or removed. */
    data: text('data').notNull(),
  },
  // One index: history is read by entity; each extra index would be written on every save.
  (table) => [index('history_entity_idx').on(table.entity, table.entityId)],
);
