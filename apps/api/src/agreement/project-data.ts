import type Database from 'better-sqlite3';
import type { AgreementReport } from '@warrant/contracts';
import type { LoadedPassage, LoadedRelation, LoadedSet, LoadedSpan } from '@warrant/agreement';

export interface Snapshot {
  /** Changes whenever a set of the project changes (see ProjectData.snapshot). */
  stamp: string;
  /** Parsed on first use when the rows were handed to a reader as read (see ProjectData.snapshot). */
  readonly passages: LoadedPassage[];
  /** Memoised results derived from this snapshot (e.g. the disagreement ranking). */
  derived: Map<string, unknown>;
}

/**
 * A project's data stamp: it changes whenever a set of the project changes (any save bumps a set's
 * version; a set added or removed changes the count). Both the worker's snapshots and the main
 * thread's cached results are keyed by it.
 */
export function dataStamp(stamp: Database.Statement): (projectId: string) => string {
  return (projectId) => {
    const row = stamp.get(projectId) as { n: number; at: number; v: number };
    return `${row.n}:${row.at}:${row.v}`;
  };
}

export const STAMP_SQL = `SELECT count(*) AS n, coalesce(max(updated_at), 0) AS at, coalesce(sum(version), 0) AS v FROM annotation_sets WHERE project_id = ?`;

function readSpans(json: string): LoadedSpan[] {
  const tuples = JSON.parse(json) as [string, string, number, number][];
  const spans: LoadedSpan[] = [];
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i]!;
    spans.push({ id: t[0], label: t[1], start: t[2], end: t[3] });
  }
  return spans;
}

function readRelations(json: string): LoadedRelation[] {
  const tuples = JSON.parse(json) as [string, string, string, string][];
  const relations: LoadedRelation[] = [];
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i]!;
    relations.push({ id: t[0], type: t[1], source: t[2], target: t[3] });
  }
  return relations;
}

/** A set as read: passage id, user id, category, submission time, its spans and relations as JSON. */
export type SetRow = [string, string, string | null, number | null, string, string];

/** A passage's sets as read, not yet parsed: what the report worker hands its helper thread. */
export type RawPassage = { id: string; length: number; rows: SetRow[] };

/** Passages per batch handed to onBatch (see snapshot). */
const BATCH_PASSAGES = 100;

export function loadedSet(row: SetRow): LoadedSet {
  return { userId: row[1], category: row[2], submittedAt: row[3] ?? 0, spans: readSpans(row[4]), relations: readRelations(row[5]) };
}

/** Loaded projects kept for repeated reports; a project of 10,000 passages x 3 sets is ~150 MB. */
const CACHED_PROJECTS = 2;

/**
 * The submitted sets of a project, read in one snapshot and kept until a set of the project
 * changes. Plain prepared statements (hundreds of thousands of rows: drizzle's row mapping would
 * add a second), one row per set with its spans and relations as JSON built by SQLite: about half
 * the time of a row per span, since the crossing into JavaScript row by row is what costs.
 */
export class ProjectData {
  private readonly q;
  private readonly cache = new Map<string, Snapshot>();

  constructor(private readonly sqlite: Database.Database) {
    this.q = {
      stamp: dataStamp(sqlite.prepare(STAMP_SQL)),
      sets: sqlite
        .prepare(
          `SELECT s.passage_id, s.user_id, s.category, s.submitted_at,
             (SELECT json_group_array(json_array(sp.id, sp.label, sp.start, sp."end")) FROM spans sp WHERE sp.set_id = s.id),
             (SELECT json_group_array(json_array(r.id, r.type, r.source_id, r.target_id)) FROM relations r WHERE r.set_id = s.id)
           FROM annotation_sets s WHERE s.project_id = ? AND s.status = 'submitted' ORDER BY s.passage_id, s.user_id`,
        )
        .raw(true),
      passages: sqlite.prepare(`SELECT id, external_id, length FROM passages WHERE project_id = ?`).raw(true),
      users: sqlite.prepare(`SELECT id, username, display_name FROM users`).raw(true),
      progress: sqlite
        .prepare(`SELECT user_id, status, count(*) FROM annotation_sets WHERE project_id = ? GROUP BY user_id, status`)
        .raw(true),
    };
  }

  users(): Map<string, { id: string; username: string; displayName: string }> {
    return new Map(
      (this.q.users.all() as [string, string, string][]).map(([id, username, displayName]) => [id, { id, username, displayName }]),
    );
  }

  progress(projectId: string, only: Set<string> | null): AgreementReport['progress'] {
    const rows = new Map<string, AgreementReport['progress'][number]>();
    for (const [userId, status, n] of this.q.progress.all(projectId) as [string, 'draft' | 'submitted' | 'skipped', number][]) {
      if (only !== null && !only.has(userId)) continue;
      const row = rows.get(userId) ?? { annotator: userId, assigned: 0, draft: 0, submitted: 0, skipped: 0 };
      row[status] += n;
      row.assigned += n;
      rows.set(userId, row);
    }
    return [...rows.values()];
  }

  /** Parses what snapshots left unparsed (see snapshot): for idle moments, so that the next job need not. */
  settle(): void {
    for (const snapshot of this.cache.values()) {
      try {
        void snapshot.passages;
      } catch {
        // Rows that do not parse: left for the job that needs them to report.
      }
    }
  }

  /**
   * Every submitted set of the project, grouped by passage (sets in user id order). Re-read only
   * when the project's sets changed: any save bumps a set's version, so the sum of versions (with
   * the count and the last update time) tells (dataStamp). When the rows are read (not cached),
   * onBatch is handed them as read, unparsed, a hundred passages at a time, in snapshot order; the
   * snapshot's passages are then parsed on first use (the caller measures from the batches).
   */
  snapshot(projectId: string, onBatch?: (batch: RawPassage[]) => void): Snapshot {
    const read = this.sqlite.transaction(() => {
      const stamp = this.q.stamp(projectId);
      const cached = this.cache.get(projectId);
      if (cached?.stamp === stamp) return cached;
      const info = new Map(
        (this.q.passages.all(projectId) as [string, string, number][]).map(([id, externalId, length]) => [id, { externalId, length }]),
      );
      // Rows come in passage order, so a passage's sets are together; a passage not of the project is skipped.
      if (onBatch === undefined) {
        const passages: LoadedPassage[] = [];
        let current = null as LoadedPassage | null;
        let skipped: string | null = null;
        // Indexed loops rather than destructuring: 30,000 rows and 900,000 tuples for a large project.
        for (const row of this.q.sets.iterate(projectId) as Iterable<SetRow>) {
          const passageId = row[0];
          if (passageId === skipped || current?.id === passageId) {
            current?.sets.push(loadedSet(row));
            continue;
          }
          const meta = info.get(passageId);
          if (meta === undefined) {
            skipped = passageId;
            continue;
          }
          current = { id: passageId, externalId: meta.externalId, length: meta.length, sets: [loadedSet(row)] };
          passages.push(current);
        }
        return { stamp, passages, derived: new Map<string, unknown>() };
      }
      // Handed over as read, parsed here only when something asks for the passages.
      const raw: (RawPassage & { externalId: string })[] = [];
      let batch: RawPassage[] = [];
      let current = null as (RawPassage & { externalId: string }) | null;
      let skipped: string | null = null;
      for (const row of this.q.sets.iterate(projectId) as Iterable<SetRow>) {
        const passageId = row[0];
        if (passageId === skipped || current?.id === passageId) {
          current?.rows.push(row);
          continue;
        }
        const meta = info.get(passageId);
        if (meta === undefined) {
          skipped = passageId;
          continue;
        }
        if (batch.length === BATCH_PASSAGES) {
          onBatch(batch);
          batch = [];
        }
        current = { id: passageId, externalId: meta.externalId, length: meta.length, rows: [row] };
        raw.push(current);
        batch.push(current);
      }
      if (batch.length > 0) onBatch(batch);
      let passages: LoadedPassage[] | undefined;
      return {
        stamp,
        get passages() {
          passages ??= raw.map((p) => ({ id: p.id, externalId: p.externalId, length: p.length, sets: p.rows.map(loadedSet) }));
          raw.length = 0;
          return passages;
        },
        derived: new Map<string, unknown>(),
      };
    });
    const snapshot = read();
    // Most recently used last, so the eviction below drops the oldest.
    this.cache.delete(projectId);
    this.cache.set(projectId, snapshot);
    while (this.cache.size > CACHED_PROJECTS) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return snapshot;
  }
}
