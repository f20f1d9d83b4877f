import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { OffsetIndex, type LabelScheme, type Relation, type Span } from '@warrant/domain';
import type { EXPORT_FORMATS, ExportProgress } from '@warrant/contracts';
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
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fp from 'fastify-plugin';
import { openReadConnection, schema } from '../../db/client.ts';
import type { annotationSets } from '../../db/schema/annotations.ts';
import type { goldVersions } from '../../db/schema/gold.ts';
import { projects, type passages } from '../../db/schema/projects.ts';
import { users } from '../../db/schema/users.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { slug } from '../../lib/slug.ts';
import { tarEnd, tarEntry } from '../../lib/tar.ts';
import { toIso, toIsoOrNull } from '../../lib/time.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

const PASSAGES_PER_BATCH = 200;
/** Each export holds a read snapshot (and so the WAL) open: a few at a time is plenty. */
export const MAX_CONCURRENT_EXPORTS = 4;


export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportDownload {
  filename: string;
  contentType: string;
  stream: Readable;
}

export interface ExportedSet {
  username: string;
  set: typeof annotationSets.$inferSelect;
  spans: Span[];
  relations: Relation[];
}

export interface ExportedGold {
  row: typeof goldVersions.$inferSelect;
  adjudicator: string;
  /** Provenance with usernames, as every record speaks. */
  categorySources: string[];
  spans: (Span & GoldProvenance)[];
  relations: (Relation & GoldProvenance)[];
}

/** One passage with everything exported about it. */
export interface ExportedPassage {
  passage: typeof passages.$inferSelect;
  meta: Record<string, unknown> | null;
  sets: ExportedSet[];
  gold: ExportedGold | null;
}

/** One batch of a snapshot: its passages with annotations, and how far the read has got. */
export interface SnapshotBatch {
  context: ExportContext;
  items: ExportedPassage[];
  /** Passages read so far (with or without annotations), of `total` in the project. */
  read: number;
  total: number;
}

export interface ExportContext {
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

const encoder = new TextEncoder();

/**
 * A passage id as a file name inside an archive: safe characters only (no '/', no leading dot, so no
 * path leaves the archive's folder), at most 80 UTF-8 bytes cut on a code point (ustar names hold
 * 100 bytes, and the extension follows), and never a name already used.
 */
function fileStem(externalId: string, ordinal: number, taken: Set<string>): string {
  let stem = '';
  for (const char of externalId.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '_')) {
    if (encoder.encode(stem + char).length > 80) break;
    stem += char;
  }
  if (stem === '') stem = `passage-${ordinal}`;
  let name = stem;
  for (let n = 2; taken.has(name); n += 1) name = `${stem}-${n}`;
  taken.add(name);
  return name;
}

export function toDocument(item: ExportedPassage): DatasetDocument {
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

/** A passage's semantic JSONL lines: one per annotation set, then its gold version. */
export function semanticLines(item: ExportedPassage, projectRef: { id: string; name: string; schemeVersion: number }): string[] {
  const out: string[] = [];
  // One offset index per passage for all its records (the other writers index the text themselves).
  const index = new OffsetIndex(item.passage.text);
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
  return out;
}

/** A token is only ever read back by the lead who started the download, in the same project. */
const progressKey = (projectId: string, userId: string, token: string) => `${projectId}\u0000${userId}\u0000${token}`;

/** Progress of running downloads, kept a few minutes after they end so a last poll sees the end. */
class ProgressRegistry {
  private readonly entries = new Map<string, ExportProgress & { endedAt: number | null }>();

  start(key: string): ExportProgress & { endedAt: number | null } {
    this.sweep();
    const entry = { state: 'running' as const, passages: 0, total: 0, bytes: 0, endedAt: null };
    this.entries.set(key, entry);
    return entry;
  }

  finish(entry: ExportProgress & { endedAt: number | null }, state: 'done' | 'failed'): void {
    entry.state = state;
    entry.endedAt = Date.now();
  }

  get(key: string): (ExportProgress & { endedAt: number | null }) | undefined {
    return this.entries.get(key);
  }

  private sweep(): void {
    const cutoff = Date.now() - 10 * 60_000;
    for (const [key, entry] of this.entries) if (entry.endedAt !== null && entry.endedAt < cutoff) this.entries.delete(key);
  }
}

export class ExportService {
  private running = 0;
  private readonly progress = new ProgressRegistry();

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
  download(projectId: string, format: ExportFormat, actor: Actor, progressToken?: string): ExportDownload {
    this.projects.requireRole(projectId, actor, 'lead');
    const name = this.projects.name(projectId);
    if (this.running >= MAX_CONCURRENT_EXPORTS) {
      throw new AppError(429, 'RATE_LIMITED', 'too many exports are running: try again in a minute', undefined, { 'retry-after': '30' });
    }
    this.running += 1;
    const base = `${slug(name, 'project')}-${new Date().toISOString().slice(0, 10)}`;
    const progress = progressToken === undefined ? null : this.progress.start(progressKey(projectId, actor.id, progressToken));
    const chunks = this.encode(format, base, this.snapshot(projectId), progress);
    const source = Readable.from(chunks, { objectMode: false });
    const stream = format === 'brat' || format === 'aif' ? source.pipe(createGzip()) : source;
    if (stream !== source) source.once('error', (error) => stream.destroy(error));
    let ended = false;
    stream.once('end', () => {
      ended = true;
      if (progress) this.progress.finish(progress, 'done');
    });
    // 'close' comes however the stream ends: finished, failed, or destroyed by a client that left.
    stream.once('close', () => {
      this.running -= 1;
      if (!source.destroyed) source.destroy();
      if (progress && !ended) this.progress.finish(progress, 'failed');
    });
    return { filename: `${base}.${EXTENSIONS[format]}`, contentType: CONTENT_TYPES[format], stream };
  }

  /** How far a lead's download with this token has got (`pending` until it starts). */
  progressOf(projectId: string, token: string, actor: Actor): ExportProgress {
    this.projects.requireRole(projectId, actor, 'lead');
    const entry = this.progress.get(progressKey(projectId, actor.id, token));
    return entry ? { state: entry.state, passages: entry.passages, total: entry.total, bytes: entry.bytes } : { state: 'pending', passages: 0, total: 0, bytes: 0 };
  }

  /** Kept for callers of the JSONL export. */
  jsonl(projectId: string, actor: Actor): ExportDownload {
    return this.download(projectId, 'jsonl', actor);
  }

  private async *encode(format: ExportFormat, base: string, batches: AsyncGenerator<SnapshotBatch>, progress: ExportProgress | null): AsyncGenerator<string | Uint8Array> {
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
        if (format === 'jsonl') {
          out.push(...semanticLines(item, projectRef));
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
      if (progress) {
        progress.passages = batch.read;
        progress.total = batch.total;
        for (const chunk of out) progress.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      }
      // One chunk per batch for the text formats: a chunk per record costs more in the stream
      // machinery than the records themselves.
      if (out.length > 0) {
        if (format === 'brat' || format === 'aif') yield* out;
        else yield (out as string[]).join('');
      }
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
  async *snapshot(projectId: string): AsyncGenerator<SnapshotBatch> {
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
      // Plain prepared statements, one row per set with its spans and relations as JSON built by
      // SQLite: an export reads millions of rows, and row-by-row mapping is what would cost.
      const q = {
        passages: sqlite.prepare(`SELECT * FROM passages WHERE project_id = ? AND ordinal > ? ORDER BY ordinal LIMIT ${PASSAGES_PER_BATCH}`),
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
      };
      type PassageRow = { id: string; project_id: string; external_id: string; ordinal: number; text: string; text_sha256: string; meta: string | null; created_at: number };
      type SetRow = [string, string, string, string, 'draft' | 'submitted' | 'skipped', string | null, string | null, number, number, number, number | null, string, string, string];
      type GoldRow = { passage_id: string; project_id: string; adjudicator_id: string; status: 'in_progress' | 'done'; category: string | null; category_sources: string; spans: string; relations: string; note: string | null; version: number; created_at: number; updated_at: number; adjudicator: string };
      let lastOrdinal = -1;
      let read = 0;
      const total = (sqlite.prepare('SELECT count(*) AS n FROM passages WHERE project_id = ?').get(projectId) as { n: number }).n;
      for (;;) {
        const batch = q.passages.all(projectId, lastOrdinal) as PassageRow[];
        const last = batch.at(-1);
        if (!last) break;
        lastOrdinal = last.ordinal;
        read += batch.length;
        const ids = JSON.stringify(batch.map((p) => p.id));
        const setsByPassage = new Map<string, ExportedSet[]>();
        for (const row of q.sets.iterate(ids) as Iterable<SetRow>) {
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
        const golds = new Map((q.golds.all(ids) as GoldRow[]).map((row) => [row.passage_id, row]));
        const withNames = <T extends GoldProvenance>(item: T): T => ({ ...item, sources: item.sources.map(nameOf) });
        const items: ExportedPassage[] = [];
        for (const row of batch) {
          const mine = setsByPassage.get(row.id) ?? [];
          const gold = golds.get(row.id);
          if (mine.length === 0 && !gold) continue;
          items.push({
            passage: { id: row.id, projectId: row.project_id, externalId: row.external_id, ordinal: row.ordinal, text: row.text, textSha256: row.text_sha256, meta: row.meta, createdAt: row.created_at } as ExportedPassage['passage'],
            meta: row.meta === null ? null : (JSON.parse(row.meta) as Record<string, unknown>),
            sets: mine,
            gold: gold
              ? {
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
                  categorySources: (JSON.parse(gold.category_sources) as string[]).map(nameOf),
                  spans: (JSON.parse(gold.spans) as (Span & GoldProvenance)[]).map(withNames),
                  relations: (JSON.parse(gold.relations) as (Relation & GoldProvenance)[]).map(withNames),
                }
              : null,
          });
        }
        // Batches without annotations are yielded too: they are progress.
        yield { context, items, read, total };
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
