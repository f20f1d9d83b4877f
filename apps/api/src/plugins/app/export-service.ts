import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { OffsetIndex, type LabelScheme, type Relation, type Span } from '@warrant/domain';
import type { EXPORT_FORMATS } from '@warrant/contracts';
import {
  annotationConf,
  serializeSemanticRecord,
  toGoldRecord,
  toSemanticRecord,
  writeAif,
  writeBrat,
  writeConll,
  writeCsv,
  type DatasetDocument,
  type FormatLoss,
  type GoldProvenance,
} from '@warrant/formats';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fp from 'fastify-plugin';
import { openReadConnection, schema } from '../../db/client.ts';
import { annotationSets, relations, spans } from '../../db/schema/annotations.ts';
import { goldVersions } from '../../db/schema/gold.ts';
import { passages, projects } from '../../db/schema/projects.ts';
import { users } from '../../db/schema/users.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { tarEnd, tarEntry } from '../../lib/tar.ts';
import { toIso, toIsoOrNull } from '../../lib/time.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

const PASSAGES_PER_BATCH = 50;
/** Each export holds a read snapshot (and so the WAL) open: a few at a time is plenty. */
export const MAX_CONCURRENT_EXPORTS = 4;

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function slug(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return ascii || 'project';
}

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportDownload {
  filename: string;
  contentType: string;
  stream: Readable;
}

interface ExportedSet {
  username: string;
  set: typeof annotationSets.$inferSelect;
  spans: Span[];
  relations: Relation[];
}

interface ExportedGold {
  row: typeof goldVersions.$inferSelect;
  adjudicator: string;
  /** Provenance with usernames, as every record speaks. */
  categorySources: string[];
  spans: (Span & GoldProvenance)[];
  relations: (Relation & GoldProvenance)[];
}

/** One passage with everything exported about it. */
interface ExportedPassage {
  passage: typeof passages.$inferSelect;
  meta: Record<string, unknown> | null;
  sets: ExportedSet[];
  gold: ExportedGold | null;
}

interface ExportContext {
  project: typeof projects.$inferSelect;
  scheme: LabelScheme;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  conll: 'text/plain; charset=utf-8',
  brat: 'application/gzip',
  aif: 'application/gzip',
};

const EXTENSIONS: Record<ExportFormat, string> = { jsonl: 'jsonl', csv: 'csv', conll: 'conll', brat: 'brat.tar.gz', aif: 'aif.tar.gz' };

/** A passage id as a file name inside an archive (ids are the dataset's; names must be safe). */
function fileStem(externalId: string, ordinal: number, taken: Set<string>): string {
  let stem = externalId.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '_').slice(0, 80) || `passage-${ordinal}`;
  if (taken.has(stem)) stem = `${stem}-${ordinal}`;
  taken.add(stem);
  return stem;
}

function toDocument(item: ExportedPassage): DatasetDocument {
  const annotations = item.sets.map((s) => ({ source: s.username, category: s.set.category, spans: s.spans, relations: s.relations }));
  if (item.gold) {
    annotations.push({
      source: 'gold',
      category: item.gold.row.category,
      spans: item.gold.spans.map((g) => ({ id: g.id, label: g.label, start: g.start, end: g.end, note: g.note })),
      relations: item.gold.relations.map((g) => ({ id: g.id, type: g.type, source: g.source, target: g.target })),
    });
  }
  const language = item.meta?.language ?? item.meta?.lang;
  return { id: item.passage.externalId, text: item.passage.text, language: typeof language === 'string' ? language : null, meta: item.meta, annotations };
}

export class ExportService {
  private running = 0;

  constructor(
    private readonly dbFile: string,
    private readonly projects: ProjectsRepository,
  ) {}

  /**
   * A lead's download of every annotation set (and gold version) of a project in a format, streamed
   * from one read snapshot in constant memory; 429 when too many are running. Multi-file formats
   * (brat, AIF) come as a .tar.gz with a losses.json of what the format could not carry; CoNLL ends
   * with its losses as comment lines; CSV carries spans only (docs/api.md).
   */
  download(projectId: string, format: ExportFormat, actor: Actor): ExportDownload {
    this.projects.requireRole(projectId, actor, 'lead');
    const name = this.projects.name(projectId);
    if (this.running >= MAX_CONCURRENT_EXPORTS) {
      throw new AppError(429, 'RATE_LIMITED', 'too many exports are running: try again in a minute', undefined, { 'retry-after': '30' });
    }
    this.running += 1;
    const base = `${slug(name)}-${new Date().toISOString().slice(0, 10)}`;
    const chunks = this.encode(format, base, this.passages(projectId));
    const source = Readable.from(chunks, { objectMode: false });
    const stream = format === 'brat' || format === 'aif' ? source.pipe(createGzip()) : source;
    if (stream !== source) source.once('error', (error) => stream.destroy(error));
    // 'close' comes however the stream ends: finished, failed, or destroyed by a client that left.
    stream.once('close', () => {
      this.running -= 1;
      if (!source.destroyed) source.destroy();
    });
    return { filename: `${base}.${EXTENSIONS[format]}`, contentType: CONTENT_TYPES[format], stream };
  }

  /** Kept for callers of the JSONL export. */
  jsonl(projectId: string, actor: Actor): ExportDownload {
    return this.download(projectId, 'jsonl', actor);
  }

  private async *encode(format: ExportFormat, base: string, batches: AsyncGenerator<{ context: ExportContext; items: ExportedPassage[] }>): AsyncGenerator<string | Uint8Array> {
    const losses: FormatLoss[] = [];
    const taken = new Set<string>();
    let context: ExportContext | null = null;
    let first = true;
    const labels = new Set<string>();
    for await (const batch of batches) {
      context = batch.context;
      const { project } = batch.context;
      const projectRef = { id: project.id, name: project.name, schemeVersion: project.schemeVersion };
      const out: (string | Uint8Array)[] = [];
      for (const item of batch.items) {
        const index = new OffsetIndex(item.passage.text);
        if (format === 'jsonl') {
          const passageRef = { id: item.passage.id, externalId: item.passage.externalId, text: item.passage.text, textSha256: item.passage.textSha256, meta: item.meta };
          for (const { set, username, spans: setSpans, relations: setRelations } of item.sets) {
            const record = toSemanticRecord(
              {
                passage: passageRef,
                source: { kind: 'annotator', username },
                set: {
                  id: set.id,
                  status: set.status,
                  category: set.category,
                  skipReason: set.skipReason,
                  version: set.version,
                  updatedAt: toIso(set.updatedAt),
                  submittedAt: toIsoOrNull(set.submittedAt),
                },
                spans: setSpans,
                relations: setRelations,
                project: projectRef,
              },
              index,
            );
            out.push(serializeSemanticRecord(record));
          }
          if (item.gold) {
            const { row, adjudicator } = item.gold;
            const record = toGoldRecord(
              {
                passage: passageRef,
                project: projectRef,
                gold: {
                  status: row.status,
                  version: row.version,
                  category: row.category,
                  categorySources: item.gold.categorySources,
                  note: row.note,
                  adjudicator,
                  updatedAt: toIso(row.updatedAt),
                },
                spans: item.gold.spans,
                relations: item.gold.relations,
              },
              index,
            );
            out.push(serializeSemanticRecord(record));
          }
          continue;
        }
        const document = toDocument(item);
        if (format === 'csv') {
          const result = writeCsv([document]);
          // One header for the whole file.
          out.push(first ? result.text : result.text.slice(result.text.indexOf('\r\n') + 2));
          first = false;
          continue;
        }
        for (const annotation of document.annotations) {
          if (format === 'conll') {
            const result = writeConll(document, annotation.source);
            losses.push(...result.losses);
            out.push(result.text);
          } else {
            for (const span of annotation.spans) labels.add(span.label);
            const stem = fileStem(`${annotation.source}/${document.id}`, item.passage.ordinal, taken);
            if (format === 'brat') {
              const result = writeBrat(document, annotation.source);
              losses.push(...result.losses);
              out.push(tarEntry(`${base}/${stem}.txt`, result.txt), tarEntry(`${base}/${stem}.ann`, result.ann));
            } else {
              const result = writeAif(document, annotation.source);
              losses.push(...result.losses);
              out.push(tarEntry(`${base}/${stem}.json`, result.json));
            }
          }
        }
      }
      if (out.length > 0) yield* out;
    }
    if (format === 'conll' && losses.length > 0) {
      yield `# losses: ${losses.length} item(s) CoNLL cannot carry\n${losses.map((l) => `# lost ${l.document} ${l.source ?? ''} ${l.item}: ${l.reason}`.replace(/\s+/g, ' ')).join('\n')}\n`;
    }
    if (format === 'brat' || format === 'aif') {
      if (format === 'brat' && context) {
        const types = context.scheme.relationTypes.filter((t) => t.target === 'span').map((t) => ({ key: t.key, ...(t.sources ? { sources: t.sources } : {}), ...(t.targets ? { targets: t.targets } : {}) }));
        const entityLabels = [...new Set([...context.scheme.spanLabels.map((l) => l.key), ...labels])];
        yield tarEntry(`${base}/annotation.conf`, annotationConf(entityLabels, types));
      }
      yield tarEntry(`${base}/losses.json`, `${JSON.stringify(losses, null, 2)}\n`);
      yield tarEnd();
    }
  }

  /**
   * Every passage that has an annotation set or a gold version, in passage order, in batches, from
   * one read transaction on its own connection: the export is a consistent snapshot while
   * annotators keep saving (WAL lets writers go on).
   */
  private async *passages(projectId: string): AsyncGenerator<{ context: ExportContext; items: ExportedPassage[] }> {
    const sqlite = openReadConnection(this.dbFile);
    const db = drizzle(sqlite, { schema });
    try {
      sqlite.exec('BEGIN');
      const project = db.select().from(projects).where(eq(projects.id, projectId)).get();
      if (!project) throw notFound('project');
      const context = { project, scheme: JSON.parse(project.scheme) as LabelScheme };
      const usernames = new Map<string, string>();
      // Gold provenance is stored as user ids; the export speaks usernames, as annotator records do.
      const nameOf = (id: string) => {
        let name = usernames.get(id);
        if (name === undefined) {
          name = db.select({ username: users.username }).from(users).where(eq(users.id, id)).get()?.username ?? id;
          usernames.set(id, name);
        }
        return name;
      };
      let lastOrdinal = -1;
      for (;;) {
        const batch = db
          .select()
          .from(passages)
          .where(and(eq(passages.projectId, projectId), gt(passages.ordinal, lastOrdinal)))
          .orderBy(asc(passages.ordinal))
          .limit(PASSAGES_PER_BATCH)
          .all();
        const last = batch.at(-1);
        if (!last) break;
        lastOrdinal = last.ordinal;
        const ids = batch.map((p) => p.id);
        const sets = db
          .select({ set: annotationSets, username: users.username })
          .from(annotationSets)
          .innerJoin(users, eq(users.id, annotationSets.userId))
          .where(inArray(annotationSets.passageId, ids))
          .orderBy(asc(users.username))
          .all();
        const setIds = sets.map((s) => s.set.id);
        const spansBySet = groupBy(setIds.length === 0 ? [] : db.select().from(spans).where(inArray(spans.setId, setIds)).all(), (r) => r.setId);
        const relationsBySet = groupBy(
          setIds.length === 0 ? [] : db.select().from(relations).where(inArray(relations.setId, setIds)).all(),
          (r) => r.setId,
        );
        const setsByPassage = groupBy(sets, (s) => s.set.passageId);
        const golds = new Map(
          db
            .select({ gold: goldVersions, adjudicator: users.username })
            .from(goldVersions)
            .innerJoin(users, eq(users.id, goldVersions.adjudicatorId))
            .where(inArray(goldVersions.passageId, ids))
            .all()
            .map((row) => [row.gold.passageId, row]),
        );
        const withNames = <T extends GoldProvenance>(item: T): T => ({ ...item, sources: item.sources.map(nameOf) });
        const items: ExportedPassage[] = [];
        for (const passage of batch) {
          const mine = setsByPassage.get(passage.id) ?? [];
          const gold = golds.get(passage.id);
          if (mine.length === 0 && !gold) continue;
          items.push({
            passage,
            meta: passage.meta === null ? null : (JSON.parse(passage.meta) as Record<string, unknown>),
            sets: mine.map(({ set, username }) => ({
              set,
              username,
              spans: (spansBySet.get(set.id) ?? []).map((s) => ({ id: s.id, label: s.label, start: s.start, end: s.end, note: s.note })),
              relations: (relationsBySet.get(set.id) ?? []).map((r) => ({ id: r.id, type: r.type, source: r.sourceId, target: r.targetId })),
            })),
            gold: gold
              ? {
                  row: gold.gold,
                  adjudicator: gold.adjudicator,
                  categorySources: (JSON.parse(gold.gold.categorySources) as string[]).map(nameOf),
                  spans: (JSON.parse(gold.gold.spans) as (Span & GoldProvenance)[]).map(withNames),
                  relations: (JSON.parse(gold.gold.relations) as (Relation & GoldProvenance)[]).map(withNames),
                }
              : null,
          });
        }
        if (items.length > 0) yield { context, items };
      }
      sqlite.exec('COMMIT');
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      sqlite.close();
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    exports: ExportService;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('exports', new ExportService(fastify.dbFile, fastify.projects));
  },
  { name: 'export-service', dependencies: ['db', 'projects-repository'] },
);
