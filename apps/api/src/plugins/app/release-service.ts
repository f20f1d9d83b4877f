import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { AgreementReport, Estimate, ReleaseOptions, ReleaseSummary } from '@warrant/contracts';
import type { LabelScheme, Relation, Span } from '@warrant/domain';
import {
  RELEASE_SCHEMA_FILE,
  RELEASE_SPLITS,
  ReleaseTally,
  SEMANTIC_DATASET_SCHEMA,
  buildManifest,
  renderDatasetCard,
  sha256Hex,
  splitOf,
  type AgreementFigure,
  type ManifestFile,
  type ReleaseManifest,
  type ReleaseSplit,
} from '@warrant/formats';
import { and, desc, eq, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import { historyRecorder } from '../../db/history.ts';
import { projects } from '../../db/schema/projects.ts';
import { releases } from '../../db/schema/releases.ts';
import { users } from '../../db/schema/users.ts';
import { semanticLines, toDocument, type ExportedPassage } from '../../exports/records.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { slug } from '../../lib/slug.ts';
import { tarEnd, tarHeader, tarPadding } from '../../lib/tar.ts';
import { toIso } from '../../lib/time.ts';
import type { AgreementService } from './agreement-service.ts';
import type { ExportService } from './export-service.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

type ReleaseRow = typeof releases.$inferSelect;

const CONTENT_TYPES: Record<string, string> = {
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};


/**
 * Only what the lead chose: the records of the chosen source whose category is kept, with spans
 * of the kept labels and the relations whose ends are all kept (a relation on a left-out relation
 * goes too). Null when nothing of the passage remains.
 */
function selectRecords(item: ExportedPassage, options: ReleaseOptions): ExportedPassage | null {
  const categories = options.categories.length > 0 ? new Set(options.categories) : null;
  const labels = options.labels.length > 0 ? new Set(options.labels) : null;
  const keepCategory = (category: string | null) => categories === null || (category !== null && categories.has(category));
  const filter = <S extends Span, R extends Relation>(spans: S[], relations: R[]): { spans: S[]; relations: R[] } => {
    if (labels === null) return { spans, relations };
    const keptSpans = spans.filter((span) => labels.has(span.label));
    const kept = new Set(keptSpans.map((span) => span.id));
    let keptRelations = relations;
    // Until nothing changes: a relation can target a relation that is itself left out.
    for (let changed = true; changed; ) {
      const ids = new Set([...kept, ...keptRelations.map((r) => r.id)]);
      const next = keptRelations.filter((r) => kept.has(r.source) && ids.has(r.target));
      changed = next.length !== keptRelations.length;
      keptRelations = next;
    }
    return { spans: keptSpans, relations: keptRelations };
  };
  const sets =
    options.source === 'all'
      ? item.sets.filter((s) => s.set.status === 'submitted' && keepCategory(s.set.category)).map((s) => ({ ...s, ...filter(s.spans, s.relations) }))
      : [];
  const gold = item.gold && item.gold.row.status === 'done' && keepCategory(item.gold.row.category) ? { ...item.gold, ...filter(item.gold.spans, item.gold.relations) } : null;
  if (sets.length === 0 && gold === null) return null;
  return { ...item, sets, gold };
}

/** A report estimate as the dataset card shows it (NaN with its reason when undefined). */
function figure(name: string, estimate: Estimate, n?: number): AgreementFigure {
  return {
    name,
    value: estimate.value ?? Number.NaN,
    ...(estimate.low !== null ? { low: estimate.low } : {}),
    ...(estimate.high !== null ? { high: estimate.high } : {}),
    ...(estimate.reason !== null ? { reason: estimate.reason } : {}),
    ...(n !== undefined ? { n } : {}),
  };
}

function agreementFigures(report: AgreementReport): AgreementFigure[] {
  const figures: AgreementFigure[] = [figure("Passage category, Krippendorff's alpha", report.category.alpha, report.category.items)];
  if (report.category.cohenKappa) figures.push(figure("Passage category, Cohen's kappa", report.category.cohenKappa, report.category.items));
  if (report.category.fleissKappa) figures.push(figure("Passage category, Fleiss' kappa", report.category.fleissKappa, report.category.items));
  figures.push(figure('Spans, unitizing alpha (all labels)', report.spans.unitizing, report.passages));
  for (const label of report.spans.perLabel) figures.push(figure(`Spans, unitizing alpha: ${label.name}`, label.unitizing, report.passages));
  if (report.spans.exact.f1 !== null) figures.push({ name: 'Spans, exact-match F1 (pairwise)', value: report.spans.exact.f1, n: report.passages });
  if (report.spans.overlap.f1 !== null) figures.push({ name: 'Spans, overlap F1 (pairwise)', value: report.spans.overlap.f1, n: report.passages });
  figures.push(figure("Relations, Krippendorff's alpha", report.relations.alpha, report.relations.items));
  return figures;
}

interface OpenFile {
  path: string;
  stream: WriteStream;
  hash: ReturnType<typeof createHash>;
  bytes: number;
  records: number;
  failed: Error | null;
}

async function write(file: OpenFile, text: string): Promise<void> {
  if (file.failed) throw file.failed;
  const data = Buffer.from(text, 'utf8');
  file.hash.update(data);
  file.bytes += data.length;
  // once() rejects on 'error' and removes its listeners either way.
  if (!file.stream.write(data)) await once(file.stream, 'drain');
}

async function close(file: OpenFile): Promise<void> {
  if (file.failed) throw file.failed;
  file.stream.end();
  await once(file.stream, 'finish');
}

function openFile(dir: string, path: string): OpenFile {
  const file: OpenFile = { path, stream: createWriteStream(join(dir, path), { mode: 0o444 }), hash: createHash('sha256'), bytes: 0, records: 0, failed: null };
  // A write error (a full disk) fails the build at its next write, never as an unhandled error.
  file.stream.on('error', (error) => {
    file.failed = error;
  });
  return file;
}

/**
 * Dataset releases: a lead's choice of records, split by a hash of the passage id, written once
 * into `releases/<id>/` beside the database (data files, the record schema, manifest.json and the
 * dataset card README.md), then recorded. A release is never rewritten: the row has a trigger
 * against updates, and the files are read-only.
 */
export class ReleaseService {
  private readonly building = new Set<string>();
  private readonly history;

  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly projects: ProjectsRepository,
    private readonly exports: ExportService,
    private readonly agreement: AgreementService,
  ) {
    this.history = historyRecorder(db);
  }

  list(projectId: string, actor: Actor): ReleaseSummary[] {
    this.projects.requireRole(projectId, actor, 'lead');
    return this.rows(projectId).map((row) => this.toSummary(row));
  }

  get(projectId: string, releaseId: string, actor: Actor): ReleaseSummary {
    this.projects.requireRole(projectId, actor, 'lead');
    return this.toSummary(this.row(projectId, releaseId).row);
  }

  private rows(projectId: string) {
    return this.db
      .select({ row: releases, createdBy: users.username })
      .from(releases)
      .leftJoin(users, eq(users.id, releases.createdBy))
      .where(eq(releases.projectId, projectId))
      .orderBy(desc(releases.version))
      .all()
      .map(({ row, createdBy }) => ({ ...row, createdByName: createdBy }));
  }

  private row(projectId: string, releaseId: string) {
    const found = this.db
      .select({ row: releases, createdBy: users.username })
      .from(releases)
      .leftJoin(users, eq(users.id, releases.createdBy))
      .where(and(eq(releases.projectId, projectId), eq(releases.id, releaseId)))
      .get();
    if (!found) throw notFound('release');
    return { row: { ...found.row, createdByName: found.createdBy } };
  }

  private toSummary(row: ReleaseRow & { createdByName: string | null }): ReleaseSummary {
    const manifest = JSON.parse(row.manifest) as ReleaseManifest;
    const { manifestFile, ...options } = JSON.parse(row.options) as ReleaseOptions & { manifestFile: { bytes: number; sha256: string } };
    // manifest.json cannot list itself: its size and hash are recorded when it is written.
    const files = [...manifest.files.map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.sha256 })), { path: 'manifest.json', ...manifestFile }].sort((a, b) =>
      a.path < b.path ? -1 : 1,
    );
    return {
      id: row.id,
      projectId: row.projectId,
      version: row.version,
      name: row.name,
      createdAt: toIso(row.createdAt),
      createdBy: row.createdByName,
      bytes: row.bytes,
      passages: manifest.counts.passages,
      records: manifest.counts.records,
      splits: {
        train: manifest.counts.splits.train.passages,
        dev: manifest.counts.splits.dev.passages,
        test: manifest.counts.splits.test.passages,
      },
      files,
      options,
    };
  }

  /** Cuts a release: reads one snapshot, writes the bundle, then records it. One build per project at a time. */
  async create(projectId: string, options: ReleaseOptions, actor: Actor): Promise<ReleaseSummary> {
    this.projects.requireRole(projectId, actor, 'lead');
    const scheme = this.projects.scheme(projectId);
    this.checkOptions(scheme, options);
    if (this.building.has(projectId)) throw new AppError(409, 'CONFLICT', 'a release of this project is being cut: wait for it to finish');
    this.building.add(projectId);
    const id = newId();
    const final = join(this.dir, id);
    const partial = join(this.dir, `.partial-${id}`);
    try {
      const minimum = options.minAgreement;
      const agreementByPassage = minimum === null ? null : await this.agreement.passageAgreement(projectId, actor);
      const report = await this.agreement.report(projectId, {}, actor);
      const project = this.db.select().from(projects).where(eq(projects.id, projectId)).get();
      if (!project) throw notFound('project');
      const actorName = this.db.select({ username: users.username }).from(users).where(eq(users.id, actor.id)).get()?.username ?? actor.id;
      const version = (this.db.select({ max: sql<number | null>`max(${releases.version})` }).from(releases).where(eq(releases.projectId, projectId)).get()?.max ?? 0) + 1;

      await mkdir(partial, { recursive: true });
      const files = new Map<ReleaseSplit, OpenFile>();
      for (const split of RELEASE_SPLITS) {
        const path = `${split}.jsonl`;
        files.set(split, openFile(partial, path));
      }
      const tally = new ReleaseTally();
      const ratios = options.splits;
      try {
        for await (const batch of this.exports.snapshot(projectId)) {
          const projectRef = { id: batch.context.project.id, name: batch.context.project.name, schemeVersion: batch.context.project.schemeVersion };
          for (const item of batch.items) {
            if (agreementByPassage !== null) {
              const agreement = agreementByPassage.get(item.passage.id);
              if (agreement === undefined || agreement < minimum!) continue;
            }
            const chosen = selectRecords(item, options);
            if (!chosen) continue;
            const split = splitOf(item.passage.externalId, { seed: options.splitSeed, ratios });
            const file = files.get(split)!;
            const lines = semanticLines(chosen, projectRef);
            file.records += lines.length;
            await write(file, lines.join(''));
            tally.add(toDocument(chosen), split);
          }
        }
      } finally {
        await Promise.all([...files.values()].map(close));
      }

      const schemaText = `${JSON.stringify(SEMANTIC_DATASET_SCHEMA, null, 2)}\n`;
      await writeFile(join(partial, RELEASE_SCHEMA_FILE), schemaText, { mode: 0o444 });
      const dataFiles: ManifestFile[] = [
        ...[...files.values()].map((f) => ({ path: f.path, bytes: f.bytes, sha256: f.hash.digest('hex'), records: f.records })),
        { path: RELEASE_SCHEMA_FILE, bytes: Buffer.byteLength(schemaText), sha256: sha256Hex(schemaText), records: 0 },
      ];
      const createdAt = Date.now();
      const manifestInput = {
        project: { id: project.id, name: project.name },
        version,
        name: options.name,
        createdAt: toIso(createdAt),
        createdBy: actorName,
        selection: {
          source: options.source,
          categories: options.categories.length > 0 ? options.categories : null,
          labels: options.labels.length > 0 ? options.labels : null,
          minAgreement: options.minAgreement,
          split: { seed: options.splitSeed, ratios },
        },
        schemeVersion: project.schemeVersion,
        guidelines: project.guidelines || null,
        counts: tally.summary(),
        losses: 0,
      };
      // The card is rendered from the manifest of the data files; the final manifest adds the card's hash.
      const card = renderDatasetCard({
        manifest: buildManifest({ ...manifestInput, files: dataFiles }),
        description: options.description || project.description || null,
        scheme,
        agreement: agreementFigures(report),
        agreementScope: `Computed over the whole project when the release was cut: the ${report.passages} passages with at least two submitted annotation sets, whatever this release keeps. Intervals: 95% bootstrap over passages.`,
        licence: options.licence || null,
        citation: options.citation || null,
      });
      await writeFile(join(partial, 'README.md'), card, { mode: 0o444 });
      const manifest = buildManifest({ ...manifestInput, files: [...dataFiles, { path: 'README.md', bytes: Buffer.byteLength(card), sha256: sha256Hex(card), records: 0 }] });
      const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
      await writeFile(join(partial, 'manifest.json'), manifestText, { mode: 0o444 });
      const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0) + Buffer.byteLength(manifestText);
      await rename(partial, final);

      const row = {
        id,
        projectId,
        version,
        name: options.name,
        options: JSON.stringify({ ...options, manifestFile: { bytes: Buffer.byteLength(manifestText), sha256: sha256Hex(manifestText) } }),
        manifest: JSON.stringify(manifest),
        bytes,
        createdBy: actor.id,
        createdAt,
      };
      try {
        this.db.transaction((tx) => {
          tx.insert(releases).values(row).run();
          this.history({ userId: actor.id, projectId, entity: 'project', entityId: projectId, action: 'release', data: { releaseId: id, version, name: options.name, records: manifest.counts.records } });
        });
      } catch (error) {
        await rm(final, { recursive: true, force: true });
        // Another process (the `warrant` command, say) recorded this version first.
        if (error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new AppError(409, 'CONFLICT', 'another release of this project was cut at the same time: cut this one again');
        }
        throw error;
      }
      return this.toSummary({ ...row, createdByName: actorName });
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw error;
    } finally {
      this.building.delete(projectId);
    }
  }

  private checkOptions(scheme: LabelScheme, options: ReleaseOptions): void {
    const labels = new Set(scheme.spanLabels.map((l) => l.key));
    const categories = new Set(scheme.categories.map((c) => c.key));
    const unknownLabel = options.labels.find((l) => !labels.has(l));
    if (unknownLabel !== undefined) throw new AppError(400, 'VALIDATION_FAILED', `labels: '${unknownLabel}' is not a span label of this project`, { issues: [{ path: 'labels', message: `unknown label '${unknownLabel}'` }] });
    const unknownCategory = options.categories.find((c) => !categories.has(c));
    if (unknownCategory !== undefined) {
      throw new AppError(400, 'VALIDATION_FAILED', `categories: '${unknownCategory}' is not a category of this project`, { issues: [{ path: 'categories', message: `unknown category '${unknownCategory}'` }] });
    }
  }

  /** The files of a release with their recorded sizes, checked against the disk before anything is sent. */
  private async bundleFiles(row: ReleaseRow): Promise<{ path: string; bytes: number }[]> {
    const manifest = JSON.parse(row.manifest) as ReleaseManifest;
    const manifestFile = (JSON.parse(row.options) as { manifestFile: { bytes: number } }).manifestFile;
    const files = [{ path: 'README.md' }, { path: 'manifest.json' }, ...manifest.files.filter((f) => f.path !== 'README.md')].map((f) => ({
      path: f.path,
      bytes: f.path === 'manifest.json' ? manifestFile.bytes : manifest.files.find((m) => m.path === f.path)!.bytes,
    }));
    for (const file of files) {
      const size = await stat(join(this.dir, row.id, file.path)).then(
        (s) => s.size,
        () => -1,
      );
      if (size !== file.bytes) throw new AppError(500, 'INTERNAL', `release v${row.version} is damaged on disk (${file.path}): restore it from a backup`);
    }
    return files;
  }

  /** The whole bundle as a .tar.gz, streamed from the files (constant memory). */
  async download(projectId: string, releaseId: string, actor: Actor): Promise<{ filename: string; stream: Readable }> {
    this.projects.requireRole(projectId, actor, 'lead');
    const { row } = this.row(projectId, releaseId);
    const files = await this.bundleFiles(row);
    const base = `${slug(this.projects.name(projectId), 'dataset')}-v${row.version}`;
    const dir = join(this.dir, row.id);
    const mtime = Math.floor(row.createdAt / 1000);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (const file of files) {
        yield tarHeader(`${base}/${file.path}`, file.bytes, mtime);
        for await (const chunk of createReadStream(join(dir, file.path))) yield chunk as Buffer;
        yield tarPadding(file.bytes);
      }
      yield tarEnd();
    }
    const source = Readable.from(chunks(), { objectMode: false });
    const stream = source.pipe(createGzip());
    source.once('error', (error) => stream.destroy(error));
    stream.once('close', () => {
      if (!source.destroyed) source.destroy();
    });
    return { filename: `${base}.tar.gz`, stream };
  }

  /** One file of a release, by its path in the bundle; only the files the release lists. */
  async file(projectId: string, releaseId: string, path: string, actor: Actor): Promise<{ filename: string; contentType: string; bytes: number; stream: Readable }> {
    this.projects.requireRole(projectId, actor, 'lead');
    const { row } = this.row(projectId, releaseId);
    const file = (await this.bundleFiles(row)).find((f) => f.path === path);
    if (!file) throw notFound('file');
    const extension = path.slice(path.lastIndexOf('.'));
    return {
      filename: `${slug(this.projects.name(projectId), 'dataset')}-v${row.version}-${path}`,
      contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      bytes: file.bytes,
      stream: createReadStream(join(this.dir, row.id, path)),
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    releases: ReleaseService;
  }
}

export default fp(
  async (fastify) => {
    const dir = join(dirname(fastify.dbFile), 'releases');
    await mkdir(dir, { recursive: true });
    // A build cut short (the process killed) leaves its .partial- folder: never a release, so removed.
    for (const name of await readdir(dir)) if (name.startsWith('.partial-')) await rm(join(dir, name), { recursive: true, force: true });
    fastify.decorate('releases', new ReleaseService(fastify.db, dir, fastify.projects, fastify.exports, fastify.agreement));
  },
  { name: 'release-service', dependencies: ['db', 'projects-repository', 'export-service', 'agreement-service'] },
);
