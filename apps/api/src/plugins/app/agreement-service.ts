import type { AgreementReport, Comparison, DisagreementList } from '@warrant/contracts';
import type Database from 'better-sqlite3';
import fp from 'fastify-plugin';
import {
  passageFigures,
  pooledUnitizingAlpha,
  relationKeys,
  spanKey,
  toEstimate,
  unitizingParts,
  unitsForUnitizing,
  type LoadedPassage,
  type LoadedSet,
} from '@warrant/agreement';
import { dataStamp, STAMP_SQL } from '../../agreement/project-data.ts';
import { ReportWorker } from '../../agreement/report-pool.ts';
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

/**
 * Agreement figures, the disagreement queue and the side-by-side comparison, for leads. Reports
 * and the ranking run in the agreement worker thread (agreement/report-worker.ts) on its own read
 * connection: a large project takes seconds, and annotators' saves must not wait for them.
 */
/** Reports and rankings kept (with the data stamp they were computed from). */
const CACHED_RESULTS = 16;

export class AgreementService {
  private readonly q;
  private readonly results = new Map<string, { stamp: string; value: unknown }>();

  constructor(
    sqlite: Database.Database,
    private readonly worker: ReportWorker,
    private readonly projects: ProjectsRepository,
    private readonly gold: GoldRepository,
  ) {
    this.q = {
      stamp: dataStamp(sqlite.prepare(STAMP_SQL)),
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

  async report(projectId: string, filters: ReportFilters, actor: Actor): Promise<AgreementReport> {
    this.projects.requireRole(projectId, actor, 'lead');
    const scheme = this.projects.scheme(projectId);
    const schemeLabels = scheme.spanLabels.map((l) => l.key);
    const unknownLabel = filters.labels?.find((label) => !schemeLabels.includes(label));
    if (unknownLabel !== undefined) throw new AppError(400, 'VALIDATION_FAILED', `labels: '${unknownLabel}' is not a span label of this project`);
    const from = filters.from === undefined ? null : Date.parse(filters.from);
    const to = filters.to === undefined ? null : Date.parse(filters.to);
    if (from !== null && to !== null && from > to) throw new AppError(400, 'VALIDATION_FAILED', 'from: the start of the period is after its end');
    const started = performance.now();
    const filter = {
      projectId,
      scheme,
      labels: filters.labels && filters.labels.length > 0 ? [...new Set(filters.labels)] : schemeLabels,
      annotators: filters.annotators && filters.annotators.length > 0 ? [...new Set(filters.annotators)].sort() : null,
      from,
      to,
    };
    // A dashboard asks again on every visit: the same question of the same data has the same answer.
    const body = await this.cached(`report:${JSON.stringify(filter)}`, projectId, () => this.worker.run({ kind: 'report', ...filter }));
    return { generatedAt: new Date().toISOString(), tookMs: Math.round(performance.now() - started), ...body };
  }

  /** Passages with at least two submitted sets, worst agreement first. */
  /** Each compared passage's agreement (1 - its disagreement), by passage id: for a release's minimum. */
  async passageAgreement(projectId: string, actor: Actor): Promise<Map<string, number>> {
    this.projects.requireRole(projectId, actor, 'lead');
    const ranking = await this.cached(`ranking:${projectId}`, projectId, () => this.worker.run({ kind: 'ranking', projectId }));
    return new Map(ranking.map((item) => [item.passageId, 1 - item.disagreement]));
  }

  async disagreements(projectId: string, page: { offset: number; limit: number; open: boolean }, actor: Actor): Promise<DisagreementList> {
    this.projects.requireRole(projectId, actor, 'lead');
    const ranking = await this.cached(`ranking:${projectId}`, projectId, () => this.worker.run({ kind: 'ranking', projectId }));
    const gold = this.gold.statuses(projectId);
    const ranked = page.open ? ranking.filter((p) => gold.get(p.passageId) !== 'done') : ranking;
    const slice = ranked.slice(page.offset, page.offset + page.limit);
    const heads = new Map(
      (this.q.heads.all(projectId, JSON.stringify(slice.map((r) => r.passageId))) as [string, string][]).map(([id, head]) => [id, head]),
    );
    return {
      items: slice.map((item) => ({ ...item, preview: preview(heads.get(item.passageId) ?? ''), gold: gold.get(item.passageId) ?? null })),
      total: ranked.length,
      offset: page.offset,
      limit: page.limit,
    };
  }

  private async cached<T>(key: string, projectId: string, compute: () => Promise<T>): Promise<T> {
    const stamp = this.q.stamp(projectId);
    const hit = this.results.get(key);
    if (hit?.stamp === stamp) return hit.value as T;
    const value = await compute();
    this.results.delete(key);
    this.results.set(key, { stamp, value });
    while (this.results.size > CACHED_RESULTS) this.results.delete(this.results.keys().next().value as string);
    return value;
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
      // One passage: resampling it would only give the value back as its own interval.
      { resamples: 0 },
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

}

declare module 'fastify' {
  interface FastifyInstance {
    agreement: AgreementService;
  }
}

export default fp(
  async (fastify) => {
    const worker = new ReportWorker(fastify.dbFile);
    // A listening server starts the report thread (and its helper) at once, so the first lead
    // who opens the dashboard does not wait for threads to boot; they idle until asked. (Tests
    // inject without listening and start it on the first report.)
    fastify.addHook('onListen', async () => worker.warm());
    fastify.addHook('onClose', async () => worker.close());
    fastify.decorate('agreement', new AgreementService(fastify.sqlite, worker, fastify.projects, fastify.gold));
  },
  { name: 'agreement-service', dependencies: ['db', 'projects-repository', 'gold-repository'] },
);
