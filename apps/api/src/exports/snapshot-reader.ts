import type { LabelScheme, Relation, Span } from '@warrant/domain';
import type { GoldProvenance } from '@warrant/formats';
import type Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { openReadConnection, schema } from '../db/client.ts';
import { projects } from '../db/schema/projects.ts';
import { notFound } from '../lib/errors.ts';
import type { ExportContext, ExportedGold, ExportedPassage, ExportedSet } from './records.ts';

const PASSAGES_PER_BATCH = 200;

type PassageRow = [id: string, projectId: string, externalId: string, ordinal: number, text: string, textSha256: string, meta: string | null, createdAt: number];
type SetRow = [string, string, string, string, 'draft' | 'submitted' | 'skipped', string | null, string | null, number, number, number, number | null, string, string, string];
type GoldRow = {
  passage_id: string;
  project_id: string;
  adjudicator_id: string;
  status: 'in_progress' | 'done';
  category: string | null;
  category_sources: string;
  spans: string;
  relations: string;
  note: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  adjudicator: string;
};

/**
 * One batch as read: plain arrays and the JSON text SQLite built, which a worker thread can post
 * for next to nothing (a structured clone of the objects built from them is what would cost).
 * Gold versions come built: they are few, and their provenance needs the usernames of the snapshot.
 */
export interface RawBatch {
  passages: PassageRow[];
  sets: SetRow[];
  golds: [passageId: string, gold: ExportedGold][];
  /** Passages read so far (with or without annotations), of `total` in the project. */
  read: number;
  total: number;
}

/**
 * Every passage of a project, in passage order and in batches, from one read transaction on its
 * own connection: the export is a consistent snapshot while annotators keep saving (WAL lets
 * writers go on). Synchronous, so it runs the same on the main thread and in the export worker.
 */
export class SnapshotReader {
  private lastOrdinal = -1;
  private read = 0;
  private readonly usernames = new Map<string, string>();

  private constructor(
    private readonly sqlite: Database.Database,
    readonly context: ExportContext,
    private readonly total: number,
    private readonly q: { passages: Database.Statement; sets: Database.Statement; golds: Database.Statement; username: Database.Statement },
  ) {}

  static open(dbFile: string, projectId: string): SnapshotReader {
    const sqlite = openReadConnection(dbFile);
    try {
      sqlite.exec('BEGIN');
      const project = drizzle(sqlite, { schema }).select().from(projects).where(eq(projects.id, projectId)).get();
      if (!project) throw notFound('project');
      const total = (sqlite.prepare('SELECT count(*) AS n FROM passages WHERE project_id = ?').get(projectId) as { n: number }).n;
      // Plain prepared statements, one row per set with its spans and relations as JSON built by
      // SQLite: an export reads millions of rows, and row-by-row mapping is what would cost.
      const q = {
        passages: sqlite
          .prepare(
            `SELECT id, project_id, external_id, ordinal, text, text_sha256, meta, created_at FROM passages
             WHERE project_id = ? AND ordinal > ? ORDER BY ordinal LIMIT ${PASSAGES_PER_BATCH}`,
          )
          .raw(true),
        sets: sqlite
          .prepare(
            `SELECT s.id, s.project_id, s.passage_id, s.user_id, s.status, s.category, s.skip_reason, s.version, s.created_at, s.updated_at, s.submitted_at, u.username,
               (SELECT json_group_array(json_array(sp.id, sp.label, sp.start, sp."end", sp.note)) FROM spans sp WHERE sp.set_id = s.id),
               (SELECT json_group_array(json_array(r.id, r.type, r.source_id, r.target_id)) FROM relations r WHERE r.set_id = s.id)
             FROM annotation_sets s JOIN users u ON u.id = s.user_id
             WHERE s.passage_id IN (SELECT value FROM json_each(?)) ORDER BY u.username`,
          )
          .raw(true),
        golds: sqlite.prepare(
          `SELECT g.*, u.username AS adjudicator FROM gold_versions g JOIN users u ON u.id = g.adjudicator_id WHERE g.passage_id IN (SELECT value FROM json_each(?))`,
        ),
        username: sqlite.prepare('SELECT username FROM users WHERE id = ?'),
      };
      return new SnapshotReader(sqlite, { project, scheme: JSON.parse(project.scheme) as LabelScheme }, total, q);
    } catch (error) {
      sqlite.close();
      throw error;
    }
  }

  /** The next batch (batches without annotations too: they are progress), or null at the end. */
  next(): RawBatch | null {
    const passages = this.q.passages.all(this.context.project.id, this.lastOrdinal) as PassageRow[];
    const last = passages.at(-1);
    if (!last) return null;
    this.lastOrdinal = last[3];
    this.read += passages.length;
    const ids = JSON.stringify(passages.map((p) => p[0]));
    const sets = this.q.sets.all(ids) as SetRow[];
    const withNames = <T extends GoldProvenance>(item: T): T => ({ ...item, sources: item.sources.map(this.nameOf) });
    const golds = (this.q.golds.all(ids) as GoldRow[]).map((gold): [string, ExportedGold] => [
      gold.passage_id,
      {
        row: {
          passageId: gold.passage_id,
          projectId: gold.project_id,
          adjudicatorId: gold.adjudicator_id,
          status: gold.status,
          category: gold.category,
          categorySources: gold.category_sources,
          spans: gold.spans,
          relations: gold.relations,
          note: gold.note,
          version: gold.version,
          createdAt: gold.created_at,
          updatedAt: gold.updated_at,
        },
        adjudicator: gold.adjudicator,
        categorySources: (JSON.parse(gold.category_sources) as string[]).map(this.nameOf),
        spans: (JSON.parse(gold.spans) as (Span & GoldProvenance)[]).map(withNames),
        relations: (JSON.parse(gold.relations) as (Relation & GoldProvenance)[]).map(withNames),
      },
    ]);
    return { passages, sets, golds, read: this.read, total: this.total };
  }

  /** Ends the read transaction after the last batch. */
  finish(): void {
    if (this.sqlite.inTransaction) this.sqlite.exec('COMMIT');
  }

  close(): void {
    if (!this.sqlite.open) return;
    if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
    this.sqlite.close();
  }

  /** Gold provenance is stored as user ids; the export speaks usernames, as annotator records do. */
  private readonly nameOf = (id: string): string => {
    let name = this.usernames.get(id);
    if (name === undefined) {
      name = (this.q.username.get(id) as { username: string } | undefined)?.username ?? id;
      this.usernames.set(id, name);
    }
    return name;
  };
}

/** A batch's passages with their annotations, as the writers take them; passages without any are left out. */
export function toItems(batch: RawBatch): ExportedPassage[] {
  const setsByPassage = new Map<string, ExportedSet[]>();
  for (const row of batch.sets) {
    const [id, projectIdOfSet, passageId, userId, status, category, skipReason, version, createdAt, updatedAt, submittedAt, username, spansJson, relationsJson] = row;
    const exported: ExportedSet = {
      username,
      set: { id, projectId: projectIdOfSet, passageId, userId, status, category, skipReason, version, createdAt, updatedAt, submittedAt },
      spans: (JSON.parse(spansJson) as [string, string, number, number, string | null][]).map(([sid, label, start, end, note]) => ({ id: sid, label, start, end, note })),
      relations: (JSON.parse(relationsJson) as [string, string, string, string][]).map(([rid, type, source, target]) => ({ id: rid, type, source, target })),
    };
    const list = setsByPassage.get(passageId);
    if (list) list.push(exported);
    else setsByPassage.set(passageId, [exported]);
  }
  const golds = new Map(batch.golds);
  const items: ExportedPassage[] = [];
  for (const [id, projectId, externalId, ordinal, text, textSha256, meta, createdAt] of batch.passages) {
    const mine = setsByPassage.get(id) ?? [];
    const gold = golds.get(id) ?? null;
    if (mine.length === 0 && !gold) continue;
    items.push({
      passage: { id, projectId, externalId, ordinal, text, textSha256, meta, createdAt } as ExportedPassage['passage'],
      meta: meta === null ? null : (JSON.parse(meta) as Record<string, unknown>),
      sets: mine,
      gold,
    });
  }
  return items;
}
