import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { history } from './schema/history.ts';

export type HistoryEntity = 'annotation_set' | 'gold' | 'project' | 'scheme' | 'member' | 'import' | 'user';

export interface HistoryEntry {
  userId: string | null;
  projectId: string | null;
  entity: HistoryEntity;
  entityId: string;
  action: string;
  changeId?: string | null;
  data: unknown;
  at?: number;
}

const p = sql.placeholder;

function prepareInsert(db: Pick<Db, 'insert'>) {
  return db
    .insert(history)
    .values({
      at: p('at'),
      userId: p('userId'),
      projectId: p('projectId'),
      entity: p('entity'),
      entityId: p('entityId'),
      action: p('action'),
      changeId: p('changeId'),
      data: p('data'),
    })
    .prepare();
}

/**
 * The history log of one database: its INSERT is prepared once, on the root connection, and
 * appends inside whatever transaction the caller is in (one SQLite connection), so a change and
 * its record commit together.
 */
export function historyRecorder(db: Pick<Db, 'insert'>): (entries: HistoryEntry | HistoryEntry[]) => void {
  const insert = prepareInsert(db);
  return (entries) => {
    const list = Array.isArray(entries) ? entries : [entries];
    const now = Date.now();
    for (const entry of list) {
      insert.run({
        at: entry.at ?? now,
        userId: entry.userId,
        projectId: entry.projectId,
        entity: entry.entity,
        entityId: entry.entityId,
        action: entry.action,
        changeId: entry.changeId ?? null,
        data: JSON.stringify(entry.data),
      });
    }
  };
}
