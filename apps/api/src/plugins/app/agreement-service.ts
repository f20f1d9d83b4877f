import type { AgreementReport, Comparison, DisagreementList } from '@warrant/contracts';
import type Database from 'better-sqlite3';
import fp from 'fastify-plugin';
import { pooledUnitizingAlpha, unitizingParts } from '@warrant/agreement';
import { relationKeys, spanKey, unitsForUnitizing, type LoadedPassage, type LoadedSet } from '../../agreement/passage-data.ts';
import { buildReport, passageFigures, RESAMPLES, toEstimate } from '../../agreement/report.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { toIsoOrNull } from '../../lib/time.ts';
import type { GoldRepository } from './gold-repository.ts';
import { preview } from './passages-repository.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

export interface ReportFilters {
  labels?: string[] | undefined;
  annotators?: string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

interface Snapshot {
  /** Changes whenever a set of the project changes (see snapshot()). */
  stamp: string;
  passages: LoadedPassage[];
  /** The disagreement queue's figures, computed on first use. */
  figures?: Map<string, ReturnType<typeof passageFigures>>;
}

/** Loaded projects kept for repeated reports and queue pages; a project of 10,000 passages is ~100 MB. */
const CACHED_PROJECTS = 2;

/**
 * Agreement figures, the disagreement queue and the side-by-side comparison, for leads. The
 * submitted sets of a project are read in one snapshot with plain prepared statements (hundreds
 * of thousands of rows: drizzle's row mapping would double the time) and kept until a set of the
 * project changes.
 */
export class AgreementService {
  private readonly q;
  private readonly cache = new Map<string, Snapshot>();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly projects: ProjectsRepository,
    private readonly gold: GoldRepository,
  ) {
    this.q = {
      stamp: sqlite.prepare(
        `SELECT count(*) AS n, coalesce(max(updated_at), 0) AS at, coalesce(sum(version), 0) AS v FROM annotation_sets WHERE project_id = ?`,
      ),
      // One row per set, its spans and relations as JSON built by SQLite: about half the time of
      // a row per span (the row-by-row crossing into JavaScript is what costs).
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
      heads: sqlite.prepare(`SELECT id, substr(text, 1, 400) FROM passages WHERE project_id = ? AND id IN (SELECT value FROM json_each(?))`).raw(true),
      passage: sqlite.prepare(`SELECT id, external_id, text FROM passages WHERE id = ? AND project_id = ?`),
      passageSets: sqlite.prepare(
        `SELECT s.id, s.user_id, s.category, s.submitted_at, u.username, u.display_name FROM annotation_sets s JOIN users u ON u.id = s.user_id
         WHERE s.passage_id = ? AND s.status = 'submitted' ORDER BY u.username`,
      ),
      setSpans: sqlite.prepare(`SELECT id, label, start, "end", note FROM spans WHERE set_id = ? ORDER BY start, "end", id`),
      setRelations: sqlite.prepare(`SELECT id, type, source_id AS source, target_id AS target FROM relations WHERE set_id = ? ORDER BY id`),
    };
  }

  report(projectId: string, filters: ReportFilters, actor: Actor): AgreementReport {
    this.projects.requireRole(projectId, actor, 'lead');
    const started = performance.now();
    const scheme = this.projects.scheme(projectId);
    const schemeLabels = scheme.spanLabels.map((l) => l.key);
    const unknownLabel = filters.labels?.find((label) => !schemeLabels.includes(label));
    if (unknownLabel !== undefined) throw new AppError(400, 'VALIDATION_FAILED', `labels: '${unknownLabel}' is not a span label of this project`);
    const labels = filters.labels && filters.labels.length > 0 ? filters.labels : schemeLabels;
    const from = filters.from === undefined ? -Infinity : Date.parse(filters.from);
    const to = filters.to === undefined ? Infinity : Date.parse(filters.to);
    if (from > to) throw new AppError(400, 'VALIDATION_FAILED', 'from: the start of the period is after its end');
    const onlyAnnotators = filters.annotators && filters.annotators.length > 0 ? new Set(filters.annotators) : null;
    const labelSet = new Set(labels);

    const passages: LoadedPassage[] = [];
    for (const passage of this.snapshot(projectId).passages) {
      const sets = passage.sets.filter((set) => (onlyAnnotators === null || onlyAnnotators.has(set.userId)) && set.submittedAt >= from && set.submittedAt <= to);
      if (sets.length < 2) continue;
      passages.push({
        ...passage,
        sets:
          labelSet.size === schemeLabels.length
            ? sets
            : sets.map((set) => ({ ...set, spans: set.spans.filter((span) => labelSet.has(span.label)) })),
      });
    }
    const users = this.users();
    const involved = new Set(passages.flatMap((p) => p.sets.map((s) => s.userId)));
    const annotators = [...involved]
      .map((id) => users.get(id) ?? { id, username: id, displayName: id })
      .sort((a, b) => (a.username < b.username ? -1 : 1));
    const body = buildReport({ passages, scheme, labels, annotators, progress: this.progress(projectId, onlyAnnotators), resamples: RESAMPLES });
    return { generatedAt: new Date().toISOString(), tookMs: Math.round(performance.now() - started), ...body };
  }

  /** Passages with at least two submitted sets, worst agreement first. */
  disagreements(projectId: string, page: { offset: number; limit: number; open: boolean }, actor: Actor): DisagreementList {
    this.projects.requireRole(projectId, actor, 'lead');
    const snapshot = this.snapshot(projectId);
    const compared = snapshot.passages.filter((p) => p.sets.length >= 2);
    snapshot.figures ??= new Map(compared.map((passage) => [passage.id, passageFigures(passage)]));
    const figures = snapshot.figures;
    const gold = this.gold.statuses(compared.map((p) => p.id));
    const ranked = compared
      .filter((p) => !page.open || gold.get(p.id) !== 'done')
      .map((passage) => ({ passage, figures: figures.get(passage.id) as ReturnType<typeof passageFigures> }))
      .sort((a, b) => b.figures.disagreement - a.figures.disagreement || (a.passage.externalId < b.passage.externalId ? -1 : 1));
    const slice = ranked.slice(page.offset, page.offset + page.limit);
    const heads = new Map(
      (this.q.heads.all(projectId, JSON.stringify(slice.map((r) => r.passage.id))) as [string, string][]).map(([id, head]) => [id, head]),
    );
    return {
      items: slice.map(({ passage, figures }) => ({
        passageId: passage.id,
        externalId: passage.externalId,
        preview: preview(heads.get(passage.id) ?? ''),
        annotators: passage.sets.length,
        ...figures,
        gold: gold.get(passage.id) ?? null,
      })),
      total: ranked.length,
      offset: page.offset,
      limit: page.limit,
    };
  }

  /** A passage's submitted sets aligned item by item, with its gold version. */
  comparison(projectId: string, passageId: string, actor: Actor): Comparison {
    this.projects.requireRole(projectId, actor, 'lead');
    const row = this.q.passage.get(passageId, projectId) as { id: string; external_id: string; text: string } | undefined;
    if (!row) throw notFound('passage');
    const sets = this.q.passageSets.all(passageId) as {
      id: string;
      user_id: string;
      category: string | null;
      submitted_at: number | null;
      username: string;
      display_name: string;
    }[];
    const loaded = sets.map((set) => ({
      set,
      spans: this.q.setSpans.all(set.id) as { id: string; label: string; start: number; end: number; note: string | null }[],
      relations: this.q.setRelations.all(set.id) as LoadedSet['relations'],
    }));
    const spans = new Map<string, Comparison['spans'][number]>();
    const relations = new Map<string, Comparison['relations'][number]>();
    for (const { set, spans: own, relations: ownRelations } of loaded) {
      for (const span of own) {
        const key = spanKey(span);
        let item = spans.get(key);
        if (!item) {
          item = { key, start: span.start, end: span.end, label: span.label, text: row.text.slice(span.start, span.end), ids: {}, notes: [] };
          spans.set(key, item);
        }
        item.ids[set.user_id] ??= span.id;
        if (span.note) item.notes.push({ annotator: set.user_id, note: span.note });
      }
      const keyOfSpan = new Map(own.map((s) => [s.id, spanKey(s)]));
      const keyOfRelation = relationKeys({ spans: own, relations: ownRelations });
      const relationById = new Map(ownRelations.map((r) => [r.id, r]));
      for (const [relationId, key] of keyOfRelation) {
        const relation = relationById.get(relationId) as LoadedSet['relations'][number];
        let item = relations.get(key);
        if (!item) {
          const target = keyOfSpan.get(relation.target) ?? keyOfRelation.get(relation.target) ?? '';
          item = { key, type: relation.type, sourceKey: keyOfSpan.get(relation.source) ?? '', targetKey: target, ids: {} };
          relations.set(key, item);
        }
        item.ids[set.user_id] ??= relationId;
      }
    }
    const passage: LoadedPassage = {
      id: row.id,
      externalId: row.external_id,
      length: row.text.length,
      sets: loaded.map(({ set, spans: own, relations: ownRelations }) => ({
        userId: set.user_id,
        category: set.category,
        submittedAt: set.submitted_at ?? 0,
        spans: own,
        relations: ownRelations,
      })),
    };
    const figures = passageFigures(passage);
    const unitizing = pooledUnitizingAlpha(
      [unitizingParts({ begin: 0, end: Math.max(passage.length, 1), units: unitsForUnitizing(passage.sets), coders: passage.sets.map((s) => s.userId) })],
      { resamples: RESAMPLES },
    ).overall;
    return {
      passage: { id: row.id, externalId: row.external_id, text: row.text },
      annotators: sets.map((set) => ({
        id: set.user_id,
        username: set.username,
        displayName: set.display_name,
        setId: set.id,
        category: set.category,
        submittedAt: toIsoOrNull(set.submitted_at),
      })),
      spans: [...spans.values()].sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : 1)),
      relations: [...relations.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
      figures: { exactF1: figures.exactF1, unitizing: toEstimate(unitizing), relationF1: figures.relationF1 },
      gold: this.gold.get(projectId, passageId, actor),
    };
  }

  private users(): Map<string, { id: string; username: string; displayName: string }> {
    return new Map(
      (this.q.users.all() as [string, string, string][]).map(([id, username, displayName]) => [id, { id, username, displayName }]),
    );
  }

  private progress(projectId: string, only: Set<string> | null): AgreementReport['progress'] {
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

  /**
   * Every submitted set of the project, grouped by passage. Re-read only when the project's sets
   * changed: any save bumps a set's version, so the sum of versions (with the count and the last
   * update time) tells.
   */
  private snapshot(projectId: string): Snapshot {
    const stampRow = this.q.stamp.get(projectId) as { n: number; at: number; v: number };
    const stamp = `${stampRow.n}:${stampRow.at}:${stampRow.v}`;
    const cached = this.cache.get(projectId);
    if (cached?.stamp === stamp) {
      // Most recently used last, so the eviction below drops the oldest.
      this.cache.delete(projectId);
      this.cache.set(projectId, cached);
      return cached;
    }
    const read = this.sqlite.transaction(() => {
      const info = new Map((this.q.passages.all(projectId) as [string, string, number][]).map(([id, externalId, length]) => [id, { externalId, length }]));
      const byPassage = new Map<string, LoadedSet[]>();
      type Row = [string, string, string | null, number | null, string, string];
      for (const [passageId, userId, category, submittedAt, spansJson, relationsJson] of this.q.sets.iterate(projectId) as Iterable<Row>) {
        const set: LoadedSet = {
          userId,
          category,
          submittedAt: submittedAt ?? 0,
          spans: (JSON.parse(spansJson) as [string, string, number, number][]).map(([id, label, start, end]) => ({ id, label, start, end })),
          relations: (JSON.parse(relationsJson) as [string, string, string, string][]).map(([id, type, source, target]) => ({ id, type, source, target })),
        };
        const list = byPassage.get(passageId);
        if (list) list.push(set);
        else byPassage.set(passageId, [set]);
      }
      const passages: LoadedPassage[] = [];
      for (const [passageId, sets] of byPassage) {
        const meta = info.get(passageId);
        if (meta) passages.push({ id: passageId, externalId: meta.externalId, length: meta.length, sets });
      }
      return passages;
    });
    const snapshot = { stamp, passages: read() };
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

declare module 'fastify' {
  interface FastifyInstance {
    agreement: AgreementService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('agreement', new AgreementService(fastify.sqlite, fastify.projects, fastify.gold));
  },
  { name: 'agreement-service', dependencies: ['db', 'projects-repository', 'gold-repository'] },
);
