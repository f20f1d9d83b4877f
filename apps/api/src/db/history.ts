import type { Db } from './client.ts';
import { history } from './schema/history.ts';

export type HistoryEntity = 'annotation_set' | 'project' | 'scheme' | 'member' | 'import' | 'user';

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

/** Append to history inside the caller's transaction, so a change and its record commit together. */
export function recordHistory(tx: Pick<Db, 'insert'>, entries: HistoryEntry | HistoryEntry[]): void {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const now = Date.now();
  const rows = list.map((entry) => ({
        at: entry.at ?? now,
        userId: entry.userId,
        projectId: entry.projectId,
        entity: entry.entity,
        entityId: entry.entityId,
        action: entry.action,
        changeId: entry.changeId ?? null,
        data: JSON.stringify(entry.data),
      }));
  // Stay well under SQLite's limit on bound variables per statement.
  for (let i = 0; i < rows.length; i += 500) {
    tx.insert(history).values(rows.slice(i, i + 500)).run();
  }
}
