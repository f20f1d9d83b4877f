import { randomBytes } from 'node:crypto';
import type { ImportMode, ImportSummary, Problem } from '@warrant/contracts';
import { USERNAME_PATTERN } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import {
  FormatError,
  readDatasetFiles,
  streamSemanticJsonl,
  type ArgMicrotextLanguage,
  type DatasetDocument,
  type DatasetFile,
  type DatasetReadFormat,
  type FormatLoss,
  type FormatProblem,
} from '@warrant/formats';
import type Database from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { prepareBatches, severalSources, type PrepareContext, type PreparedBatch } from '../../annotated-import/prepare.ts';
import { readerThread } from '../../annotated-import/reader-thread.ts';
import type { Db } from '../../db/client.ts';
import { historyRecorder } from '../../db/history.ts';
import { annotationSets } from '../../db/schema/annotations.ts';
import { imports, passages } from '../../db/schema/projects.ts';
import { preAnnotations } from '../../db/schema/releases.ts';
import { users } from '../../db/schema/users.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { toIso } from '../../lib/time.ts';
import { importRejected } from './passages-repository.ts';
import { hashPassword } from './passwords.ts';
import type { ProjectsRepository } from './projects-repository.ts';

/** Files of an annotated corpus, and what they become in a project. */
export interface AnnotatedFilesInput {
  /** The file name, or "first and N more" for several files. */
  filename: string;
  format: DatasetReadFormat;
  bytes: number;
  files: DatasetFile[];
  /** arg-microtext: which language of a bilingual file. */
  language?: ArgMicrotextLanguage | undefined;
  mode: ImportMode;
  /** Which annotation source of the documents to take; required when they hold several. */
  source?: string | undefined;
  /** mode `annotator`: the imported annotator's username (default: the source's name). */
  annotator?: string | undefined;
}

export interface ImportOptions {
  /**
   * Whether one semantic JSONL file is read and checked on a thread of its own while this one
   * writes: `auto` from READER_THREAD_MIN_BYTES on. The answer is the same either way.
   */
  readerThread?: 'auto' | 'always' | 'never';
}

/** From this size a single semantic JSONL file is read on a thread of its own (starting one costs ~50 ms). */
export const READER_THREAD_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Annotated corpora into a project: the passages (new ones added, known ones matched by id and
 * identical text) and, per passage, either pre-annotations every annotator starts from or the
 * submitted set of a named imported annotator. One synchronous transaction: all or nothing.
 * No access check: for callers that have made it (the imports service, the `warrant` command).
 */
export class AnnotatedImportsRepository {
  private readonly history;

  constructor(
    private readonly db: Db,
    private readonly sqlite: Database.Database,
    private readonly projects: ProjectsRepository,
  ) {
    this.history = historyRecorder(db);
  }

  private annotatorName(input: AnnotatedFilesInput, source: string): string {
    const name = (input.annotator ?? source).trim().toLowerCase();
    if (!USERNAME_PATTERN.test(name) || name === 'gold') {
      throw new AppError(400, 'VALIDATION_FAILED', `'${name}' cannot name an imported annotator: use 2-40 characters a-z, digits, ".", "_" or "-" (not "gold")`, {
        issues: [{ path: 'annotator', message: 'not a valid username' }],
      });
    }
    return name;
  }

  /**
   * Reads the files and imports them; `passwordHash` is an unusable argon2 hash for a new imported
   * annotator. One semantic JSONL file (an export of a whole project, possibly hundreds of MB) is
   * read as a stream of documents, on a thread of its own when large, checked and written a batch
   * at a time; other formats are many small files, read first. Once a problem is found nothing
   * more is written, every document is still checked, and the transaction is rolled back, so the
   * answer lists every problem. Returns every loss (the summary lists 100).
   */
  importFiles(projectId: string, input: AnnotatedFilesInput, actorId: string | null, passwordHash: string, options: ImportOptions = {}): { summary: ImportSummary; losses: FormatLoss[] } {
    const scheme = this.projects.scheme(projectId);
    // Foreign keys are off for this one synchronous transaction (nothing else runs on the
    // connection meanwhile): every row it writes refers to a row it has just written or read, and
    // checking that again costs a lookup per span and relation. A bigger cache while it writes.
    const cacheSize = this.sqlite.pragma('cache_size', { simple: true }) as number;
    const foreignKeys = this.sqlite.pragma('foreign_keys', { simple: true }) as number;
    this.sqlite.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
    this.sqlite.pragma('foreign_keys = OFF');
    try {
      return this.db.transaction(
        (tx) => {
          const context = this.context(tx, projectId, input, scheme);
          const prepared = this.prepared(input, context, options);
          try {
            return this.write(tx, projectId, input, prepared, actorId, passwordHash);
          } finally {
            prepared.close();
          }
        },
        { behavior: 'immediate' },
      );
    } finally {
      this.sqlite.pragma(`cache_size = ${cacheSize}`);
      this.sqlite.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }

  /** What the checks need of the project, read in the import's transaction. */
  private context(tx: Db, projectId: string, input: AnnotatedFilesInput, scheme: LabelScheme): PrepareContext {
    const existing = new Map(
      tx
        .select({ id: passages.id, externalId: passages.externalId, sha: passages.textSha256 })
        .from(passages)
        .where(eq(passages.projectId, projectId))
        .all()
        .map((row) => [row.externalId, { id: row.id, sha: row.sha }]),
    );
    const pre = input.mode === 'pre-annotations';
    const preAnnotated = pre
      ? new Set(tx.select({ passageId: preAnnotations.passageId }).from(preAnnotations).where(eq(preAnnotations.projectId, projectId)).all().map((r) => r.passageId))
      : new Set<string>();
    const handed = pre
      ? new Map(
          this.sqlite
            .prepare(`SELECT s.passage_id, count(*) FROM annotation_sets s JOIN users u ON u.id = s.user_id WHERE s.project_id = ? AND u.imported = 0 GROUP BY s.passage_id`)
            .raw()
            .all(projectId) as [string, number][],
        )
      : new Map<string, number>();
    return { filename: input.filename, mode: input.mode, source: input.source, scheme, existing, preAnnotated, handed };
  }

  /** The files read and checked, as batches of rows: inline, or on a reader thread for a large JSONL file. */
  private prepared(input: AnnotatedFilesInput, context: PrepareContext, options: ImportOptions): { batches: Iterable<PreparedBatch>; close(): void } {
    const { files } = input;
    if (input.format === 'semantic-jsonl' && files.length === 1) {
      const file = { name: files[0]!.name, bytes: files[0]!.bytes };
      const thread = options.readerThread ?? 'auto';
      if (thread === 'always' || (thread === 'auto' && file.bytes.byteLength >= READER_THREAD_MIN_BYTES)) return readerThread(file, context);
      const formatProblems: FormatProblem[] = [];
      const losses: FormatLoss[] = [];
      return { batches: prepareBatches(streamSemanticJsonl({ file: file.name, bytes: file.bytes }, formatProblems, losses), context, formatProblems, losses), close() {} };
    }
    let read: { documents: DatasetDocument[]; losses: FormatLoss[] } = { documents: [], losses: [] };
    let formatProblems: FormatProblem[] = [];
    try {
      read = readDatasetFiles(input.format, files, { language: input.language, stripBom: true });
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      formatProblems = error.problems;
    }
    return { batches: prepareBatches(read.documents, context, formatProblems, read.losses), close() {} };
  }

  private write(tx: Db, projectId: string, input: AnnotatedFilesInput, prepared: { batches: Iterable<PreparedBatch> }, actorId: string | null, passwordHash: string): { summary: ImportSummary; losses: FormatLoss[] } {
    const problems: Problem[] = [];
    const formatProblems: FormatProblem[] = [];
    const losses: FormatLoss[] = [];
    const unfinished: FormatLoss[] = [];
    const sources = new Set<string>();
    const now = Date.now();
    const sqlite = this.sqlite;
    const pre = input.mode === 'pre-annotations';

    const importId = newId();
    tx.insert(imports)
      .values({ id: importId, projectId, filename: input.filename, format: input.format, passageCount: 0, bytes: input.bytes, warnings: '[]', mode: input.mode, source: null, annotationCount: 0, createdBy: actorId, createdAt: now })
      .run();
    let ordinal = tx.select({ max: sql<number | null>`max(${passages.ordinal})` }).from(passages).where(eq(passages.projectId, projectId)).get()?.max ?? 0;

    const insertPassage = sqlite.prepare(
      'INSERT INTO passages (id, project_id, external_id, ordinal, text, text_sha256, length, meta, import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertSet = sqlite.prepare(
      `INSERT INTO annotation_sets (id, project_id, passage_id, user_id, status, category, version, created_at, updated_at, submitted_at) VALUES (?, ?, ?, ?, 'submitted', ?, 1, ?, ?, ?)`,
    );
    // A batch's spans and relations in one statement each: SQLite reads the rows out of the JSON
    // the preparing thread built, without a call per row from here.
    const insertSpans = sqlite.prepare(
      `INSERT INTO spans (set_id, id, label, start, "end", note) SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM json_each(?)`,
    );
    const insertRelations = sqlite.prepare(
      `INSERT INTO relations (set_id, id, type, source_id, target_id) SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?)`,
    );
    const insertPre = sqlite.prepare('INSERT INTO pre_annotations (passage_id, project_id, import_id, source, category, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    let source: string | null = input.source ?? null;
    let annotator: { id: string; name: string; taken: Set<string> } | null = null;
    let added = 0;
    let annotations = 0;
    let onExisting = 0;

    // Appended one by one: a batch may carry more problems than a spread's arguments can hold.
    const append = <T>(to: T[], items: readonly T[]) => {
      for (const item of items) to.push(item);
    };
    for (const batch of prepared.batches) {
      append(formatProblems, batch.formatProblems);
      append(losses, batch.losses);
      append(unfinished, batch.unfinished);
      for (const name of batch.sources) sources.add(name);
      for (const document of batch.documents) {
        // The imported annotator's account, at the document that settles the source (the first
        // that passed the id and text checks with the source known): before it, nothing of it is asked.
        if (document.settles) {
          source = batch.source as string;
          if (input.mode === 'annotator') annotator = this.annotator(tx, projectId, this.annotatorName(input, source), passwordHash, actorId, now);
        }
        const account = annotator as { id: string; name: string; taken: Set<string> } | null;
        if (document.checked && document.known && document.annotated && account?.taken.has(document.known)) {
          problems.push({ path: `${document.id}: ${account.name}`, message: `'${account.name}' already has annotations on this passage` });
        }
        append(problems, document.problems);
        // After the first problem, only checking goes on: the transaction will be rolled back.
        if (problems.length > 0 || formatProblems.length > 0) continue;
        let passageId = document.known;
        if (document.passage) {
          const [id, text, sha, length, meta] = document.passage;
          passageId = id;
          ordinal += 1;
          insertPassage.run(id, projectId, document.id, ordinal, text, sha, length, meta, importId, now);
          added += 1;
        }
        const content = document.content;
        if (!content) continue;
        annotations += 1;
        if (document.known) onExisting += 1;
        if ('json' in content) insertPre.run(passageId, projectId, importId, source, content.category, content.json, now);
        else insertSet.run(content.setId, projectId, passageId, account!.id, content.category, now, now, now);
      }
      if (problems.length === 0 && formatProblems.length === 0 && !pre) {
        insertSpans.run(batch.spans);
        insertRelations.run(batch.relations);
      }
    }

    if (formatProblems.length > 0) {
      const mapped = formatProblems.map((p) => ({ ...(p.line !== undefined ? { line: p.line } : {}), path: p.element ? `${p.file} (${p.element})` : p.file, message: p.message }));
      throw importRejected(input.filename, [...mapped, ...problems].slice(0, 100), mapped.length + problems.length);
    }
    if (problems.length > 0) throw importRejected(input.filename, problems.slice(0, 100), problems.length);
    if (input.source !== undefined && !sources.has(input.source)) {
      const all = [...sources].sort();
      throw new AppError(400, 'VALIDATION_FAILED', `no annotations from '${input.source}' in ${input.filename}: it holds ${all.length ? all.map((s) => `'${s}'`).join(', ') : 'none'}`, {
        issues: [{ path: 'source', message: `one of ${all.join(', ') || '(none)'}` }],
      });
    }
    if (input.source === undefined && sources.size > 1) throw severalSources(input.filename, sources);
    if (sources.size === 0) {
      throw new AppError(400, 'VALIDATION_FAILED', `${input.filename} holds no annotations: import it as plain passages`, { issues: [{ path: 'format', message: 'no annotations' }] });
    }
    const settled = (annotator as { name: string } | null)?.name ?? source;
    tx.update(imports).set({ passageCount: added, annotationCount: annotations, source: settled }).where(eq(imports.id, importId)).run();
    this.history({
      userId: actorId,
      projectId,
      entity: 'import',
      entityId: importId,
      action: 'create',
      data: { filename: input.filename, format: input.format, mode: input.mode, source: settled, passages: added, annotations, bytes: input.bytes },
    });
    const all = [...losses, ...unfinished];
    const summary: ImportSummary = {
      id: importId,
      filename: input.filename,
      format: input.format,
      passages: added,
      bytes: input.bytes,
      warnings: [],
      createdAt: toIso(now),
      mode: input.mode,
      source: settled,
      annotations,
      existingPassages: onExisting,
      losses: all.slice(0, 100).map((loss) => ({ ...loss })),
      lossCount: all.length,
    };
    return { summary, losses: all };
  }

  /** The imported annotator's account: reused when it exists, made (unable to sign in) when not. */
  private annotator(tx: Db, projectId: string, name: string, passwordHash: string, actorId: string | null, now: number): { id: string; name: string; taken: Set<string> } {
    const user = tx.select({ id: users.id, imported: users.imported }).from(users).where(eq(users.username, name)).get();
    if (user && !user.imported) {
      throw new AppError(409, 'USERNAME_TAKEN', `'${name}' is a person's account: name the imported annotator differently`, {
        issues: [{ path: 'annotator', message: 'taken by an account that signs in' }],
      });
    }
    if (user) {
      const taken = tx
        .select({ passageId: annotationSets.passageId })
        .from(annotationSets)
        .where(and(eq(annotationSets.projectId, projectId), eq(annotationSets.userId, user.id)))
        .all()
        .map((r) => r.passageId);
      return { id: user.id, name, taken: new Set(taken) };
    }
    const id = newId();
    tx.insert(users).values({ id, username: name, displayName: name, passwordHash, disabled: true, imported: true, createdAt: now, passwordChangedAt: now }).run();
    this.history({ userId: actorId, projectId: null, entity: 'user', entityId: id, action: 'create', data: { username: name, imported: true } });
    return { id, name, taken: new Set() };
  }
}

/** Negative: KiB (SQLite's convention); 512 MB while an import writes. */
const IMPORT_CACHE_KIB = -512 * 1024;

let unusableHash: Promise<string> | undefined;

/**
 * An imported annotator's password hash: argon2 of 32 random bytes nobody keeps. A real hash (not
 * a marker) so that signing in as one costs the same time as any wrong password, and fails.
 */
export function unusablePasswordHash(): Promise<string> {
  unusableHash ??= hashPassword(randomBytes(32).toString('base64url'));
  return unusableHash;
}

declare module 'fastify' {
  interface FastifyInstance {
    annotatedImports: AnnotatedImportsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('annotatedImports', new AnnotatedImportsRepository(fastify.db, fastify.sqlite, fastify.projects));
  },
  { name: 'annotated-imports', dependencies: ['db', 'projects-repository'] },
);
