import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { EXPORT_FORMATS, ExportProgress } from '@warrant/contracts';
import { annotationConf, writeAif, writeBrat, writeConll, writeCsv, type FormatLoss } from '@warrant/formats';
import fp from 'fastify-plugin';
import { JsonlExportStream, WorkerJsonl } from '../../exports/jsonl-stream.ts';
import { toDocument, type ExportContext, type ExportedPassage } from '../../exports/records.ts';
import { SnapshotReader, toItems } from '../../exports/snapshot-reader.ts';
import { AppError } from '../../lib/errors.ts';
import { slug } from '../../lib/slug.ts';
import { tarEnd, tarEntry } from '../../lib/tar.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

/** Each export holds a read snapshot (and so the WAL) open: a few at a time is plenty. */
export const MAX_CONCURRENT_EXPORTS = 4;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportDownload {
  filename: string;
  contentType: string;
  stream: Readable;
}

/** One batch of a snapshot: its passages with annotations, and how far the read has got. */
export interface SnapshotBatch {
  context: ExportContext;
  items: ExportedPassage[];
  /** Passages read so far (with or without annotations), of `total` in the project. */
  read: number;
  total: number;
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
  /** Export workers still alive: closing the app waits for them. */
  private readonly readers = new Set<WorkerJsonl>();

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
    // Semantic JSONL, the dataset format, is read and built on two threads (exports/jsonl-stream.ts);
    // the other formats on this one.
    const reader = format === 'jsonl' ? new WorkerJsonl({ dbFile: this.dbFile, projectId }) : null;
    if (reader) {
      this.readers.add(reader);
      void reader.exited.then(() => this.readers.delete(reader));
    }
    const source =
      reader
        ? new JsonlExportStream(reader, (chunk) => {
            if (!progress) return;
            progress.passages = chunk.read;
            progress.total = chunk.total;
            progress.bytes += chunk.bytes.length;
          })
        : Readable.from(this.encode(format as Exclude<ExportFormat, 'jsonl'>, base, this.snapshot(projectId), progress), { objectMode: false });
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
  /** Ends every export worker and waits until each has exited, so nothing touches the data directory after. */
  async close(): Promise<void> {
    const readers = [...this.readers];
    for (const reader of readers) reader.close();
    await Promise.all(readers.map((reader) => reader.exited));
  }

  jsonl(projectId: string, actor: Actor): ExportDownload {
    return this.download(projectId, 'jsonl', actor);
  }

  private async *encode(format: Exclude<ExportFormat, 'jsonl'>, base: string, batches: AsyncGenerator<SnapshotBatch>, progress: ExportProgress | null): AsyncGenerator<string | Uint8Array> {
    const losses: FormatLoss[] = [];
    const taken = new Set<string>();
    let context: ExportContext | null = null;
    let first = true;
    const labels = new Set<string>();
    for await (const batch of batches) {
      context = batch.context;
      const out: (string | Uint8Array)[] = [];
      for (const item of batch.items) {
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
   * one read transaction on its own connection (SnapshotReader), on this thread: the release
   * service's reader, and the other formats'.
   */
  async *snapshot(projectId: string): AsyncGenerator<SnapshotBatch> {
    const reader = SnapshotReader.open(this.dbFile, projectId);
    try {
      for (let batch = reader.next(); batch; batch = reader.next()) {
        yield { context: reader.context, items: toItems(batch), read: batch.read, total: batch.total };
      }
      reader.finish();
    } finally {
      reader.close();
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
    const exports = new ExportService(fastify.dbFile, fastify.projects);
    fastify.decorate('exports', exports);
    fastify.addHook('onClose', async () => exports.close());
  },
  { name: 'export-service', dependencies: ['db', 'projects-repository'] },
);
