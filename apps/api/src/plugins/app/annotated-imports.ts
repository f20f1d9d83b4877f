import { createHash, randomBytes } from 'node:crypto';
import type { ImportMode, ImportSummary, Problem } from '@warrant/contracts';
import { USERNAME_PATTERN } from '@warrant/contracts';
import {
  AnnotationOpError,
  CLIENT_ID_PATTERN,
  applyOp,
  createAnnotationState,
  type AnnotationOp,
  type AnnotationState,
  type LabelScheme,
  type Relation,
  type Span,
} from '@warrant/domain';
import {
  FormatError,
  readDatasetFiles,
  streamSemanticJsonl,
  type ArgMicrotextLanguage,
  type DatasetAnnotation,
  type DatasetDocument,
  type DatasetFile,
  type DatasetReadFormat,
  type FormatLoss,
  type FormatProblem,
} from '@warrant/formats';
import type Database from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import { historyRecorder } from '../../db/history.ts';
import { annotationSets } from '../../db/schema/annotations.ts';
import { imports, passages } from '../../db/schema/projects.ts';
import { preAnnotations } from '../../db/schema/releases.ts';
import { users } from '../../db/schema/users.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { relationOrder } from '../../lib/relation-order.ts';
import { toIso } from '../../lib/time.ts';
import { importRejected } from './passages-repository.ts';
import { hashPassword } from './passwords.ts';
import type { ProjectsRepository } from './projects-repository.ts';

/** Files of an annotated corpus, and what they become in a project. */
export interface AnnotatedFilesInput extends Omit<AnnotatedImportInput, 'documents' | 'losses' | 'formatProblems'> {
  files: DatasetFile[];
  /** arg-microtext: which language of a bilingual file. */
  language?: ArgMicrotextLanguage | undefined;
}

/** What a parsed annotated corpus becomes in a project. */
export interface AnnotatedImportInput {
  /** The file name, or "first and N more" for several files. */
  filename: string;
  format: DatasetReadFormat;
  bytes: number;
  /** An array, or a stream of documents read as the import goes (see streamSemanticJsonl). */
  documents: Iterable<DatasetDocument>;
  /** For a stream, filled as it is read. */
  losses: readonly FormatLoss[];
  /** For a stream: the problems its reader finds, filled as it is read. */
  formatProblems?: readonly FormatProblem[];
  mode: ImportMode;
  /** Which annotation source of the documents to take; required when they hold several. */
  source?: string | undefined;
  /** mode `annotator`: the imported annotator's username (default: the source's name). */
  annotator?: string | undefined;
}

interface Content {
  category: string | null;
  spans: Span[];
  relations: Relation[];
  status: 'submitted';
}


/** Statuses of finished work: an annotator's submitted set, a gold version marked done. */
const FINISHED = new Set(['submitted', 'done']);
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Ids the editor can keep using: a format's own ids (`T1`, `a3`, AIF node numbers) are kept when
 * they fit the client id pattern, otherwise replaced by `imp-<n>`; never two alike in one set.
 */
function idMapper(): (id: string) => string {
  const map = new Map<string, string>();
  const used = new Set<string>();
  return (id) => {
    let mapped = map.get(id);
    if (mapped !== undefined) return mapped;
    mapped = CLIENT_ID_PATTERN.test(id) && !used.has(id) ? id : `imp-${used.size + 1}`;
    while (used.has(mapped)) mapped = `imp-${used.size + 1}-${map.size}`;
    map.set(id, mapped);
    used.add(mapped);
    return mapped;
  };
}

/**
 * Every problem of one annotation against the passage text and the project's scheme, by the
 * domain's own rules (applyOp: offsets on code-point boundaries, known labels and relation types,
 * relation ends of the right kind, no twins). Returns the content as it will be stored.
 */
function checkAnnotation(
  annotation: DatasetAnnotation,
  text: string,
  scheme: LabelScheme,
  problem: (item: string, message: string) => void,
): Content {
  const state: AnnotationState = createAnnotationState({ spans: [], relations: [], category: null, status: 'draft', skipReason: null });
  const ctx = { text, scheme };
  const mapId = idMapper();
  const apply = (item: string, op: AnnotationOp): boolean => {
    try {
      applyOp(state, op, ctx);
      return true;
    } catch (error) {
      if (!(error instanceof AnnotationOpError)) throw error;
      problem(item, error.detail);
      return false;
    }
  };
  const kept = new Set<string>();
  for (const span of annotation.spans) {
    const ok = apply(`span ${span.id}`, { op: 'addSpan', span: { id: mapId(span.id), label: span.label, start: span.start, end: span.end, note: span.note } });
    if (ok) kept.add(span.id);
  }
  const order = relationOrder(annotation.relations);
  for (const p of order.problems) problem(`relation ${annotation.relations[p.index]?.id ?? p.index}`, p.message);
  for (const { relation } of order.ordered) {
    // A relation on a refused span is already reported through that span.
    if (!kept.has(relation.source)) continue;
    apply(`relation ${relation.id}`, {
      op: 'addRelation',
      relation: { id: mapId(relation.id), type: relation.type, source: mapId(relation.source), target: mapId(relation.target) },
    });
  }
  if (annotation.category !== null) apply('category', { op: 'setCategory', category: annotation.category });
  const status = 'submitted';
  return {
    category: state.category,
    spans: [...state.spans.values()],
    relations: [...state.relations.values()],
    status,
  };
}

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

  private annotatorName(input: AnnotatedImportInput, source: string): string {
    const name = (input.annotator ?? source).trim().toLowerCase();
    if (!USERNAME_PATTERN.test(name) || name === 'gold') {
      throw new AppError(400, 'VALIDATION_FAILED', `'${name}' cannot name an imported annotator: use 2-40 characters a-z, digits, ".", "_" or "-" (not "gold")`, {
        issues: [{ path: 'annotator', message: 'not a valid username' }],
      });
    }
    return name;
  }

  /**
   * Reads the files and imports them. One semantic JSONL file (an export of a whole project,
   * possibly hundreds of MB) is read as a stream of documents, checked and written one by one;
   * other formats are many small files, read first. Returns every loss (the summary lists 100).
   */
  importFiles(projectId: string, input: AnnotatedFilesInput, actorId: string | null, passwordHash: string): { summary: ImportSummary; losses: FormatLoss[] } {
    const { files, language, ...rest } = input;
    const formatProblems: FormatProblem[] = [];
    const losses: FormatLoss[] = [];
    let documents: Iterable<DatasetDocument> = [];
    if (input.format === 'semantic-jsonl' && files.length === 1) {
      documents = streamSemanticJsonl({ file: files[0]!.name, bytes: files[0]!.bytes }, formatProblems, losses);
    } else {
      try {
        const read = readDatasetFiles(input.format, files, { language, stripBom: true });
        documents = read.documents;
        losses.push(...read.losses);
      } catch (error) {
        if (!(error instanceof FormatError)) throw error;
        formatProblems.push(...error.problems);
      }
    }
    const summary = this.importDocuments(projectId, { ...rest, documents, losses, formatProblems }, actorId, passwordHash);
    return { summary, losses };
  }

  /**
   * Runs the import; `passwordHash` is an unusable argon2 hash for a new imported annotator.
   * Documents may be a stream (a generator reading a large file): each is checked and written as it
   * comes, in one transaction; once a problem is found nothing more is written, every document is
   * still checked, and the transaction is rolled back, so the answer lists every problem.
   */
  importDocuments(projectId: string, input: AnnotatedImportInput, actorId: string | null, passwordHash: string): ImportSummary {
    const scheme = this.projects.scheme(projectId);
    // Random ids put every new span and relation at a random place in the indexes: with the default
    // cache (8 MB) a large import spills pages all the time. A bigger cache for this transaction.
    // Foreign keys are off for this one synchronous transaction (nothing else runs on the connection
    // meanwhile): every row it writes refers to a row it has just written or read, and checking
    // that again costs a lookup per span and relation.
    const cacheSize = this.sqlite.pragma('cache_size', { simple: true }) as number;
    const foreignKeys = this.sqlite.pragma('foreign_keys', { simple: true }) as number;
    this.sqlite.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
    this.sqlite.pragma('foreign_keys = OFF');
    try {
      return this.db.transaction((tx) => this.write(tx, projectId, input, actorId, passwordHash, scheme), { behavior: 'immediate' });
    } finally {
      this.sqlite.pragma(`cache_size = ${cacheSize}`);
      this.sqlite.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }

  private write(tx: Db, projectId: string, input: AnnotatedImportInput, actorId: string | null, passwordHash: string, scheme: LabelScheme): ImportSummary {
    const problems: Problem[] = [];
    const formatProblems = input.formatProblems ?? [];
    const now = Date.now();
    const sqlite = this.sqlite;
    const existing = new Map(
      tx
        .select({ id: passages.id, externalId: passages.externalId, sha: passages.textSha256 })
        .from(passages)
        .where(eq(passages.projectId, projectId))
        .all()
        .map((row) => [row.externalId, row]),
    );
    const preAnnotated =
      input.mode === 'pre-annotations'
        ? new Set(tx.select({ passageId: preAnnotations.passageId }).from(preAnnotations).where(eq(preAnnotations.projectId, projectId)).all().map((r) => r.passageId))
        : new Set<string>();

    const handed =
      input.mode === 'pre-annotations'
        ? new Map(
            (
              sqlite
                .prepare(
                  `SELECT s.passage_id, count(*) FROM annotation_sets s JOIN users u ON u.id = s.user_id WHERE s.project_id = ? AND u.imported = 0 GROUP BY s.passage_id`,
                )
                .raw()
                .all(projectId) as [string, number][]
            ).map(([passageId, n]) => [passageId, n]),
          )
        : new Map<string, number>();

    // The source, and for mode `annotator` the account, are settled by the first annotated document.
    const sources = new Set<string>();
    let source: string | null = input.source ?? null;
    let annotator: { id: string; name: string; taken: Set<string> } | null = null;
    const settle = (document: DatasetDocument): string | null => {
      for (const annotation of document.annotations) sources.add(annotation.source);
      if (source === null) {
        if (sources.size > 1) throw severalSources(input.filename, sources);
        source = sources.values().next().value ?? null;
      }
      if (source !== null && input.mode === 'annotator' && annotator === null) annotator = this.annotator(tx, projectId, this.annotatorName(input, source), passwordHash, actorId, now);
      return source;
    };

    const importId = newId();
    tx.insert(imports)
      .values({ id: importId, projectId, filename: input.filename, format: input.format, passageCount: 0, bytes: input.bytes, warnings: '[]', mode: input.mode, source: null, annotationCount: 0, createdBy: actorId, createdAt: now })
      .run();
    let ordinal = tx.select({ max: sql<number | null>`max(${passages.ordinal})` }).from(passages).where(eq(passages.projectId, projectId)).get()?.max ?? 0;

    // Plain prepared statements, several rows per INSERT for spans and relations: an import writes
    // millions of rows, and the per-call cost is what a row-at-a-time insert pays for.
    const insertPassage = sqlite.prepare(
      'INSERT INTO passages (id, project_id, external_id, ordinal, text, text_sha256, length, meta, import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertSet = sqlite.prepare(
      `INSERT INTO annotation_sets (id, project_id, passage_id, user_id, status, category, version, created_at, updated_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    );
    const insertSpans = multiRowInsert(sqlite, 'spans', ['set_id', 'id', 'label', 'start', '"end"', 'note']);
    const insertRelations = multiRowInsert(sqlite, 'relations', ['set_id', 'id', 'type', 'source_id', 'target_id']);
    const insertPre = sqlite.prepare('INSERT INTO pre_annotations (passage_id, project_id, import_id, source, category, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    // Random ids, taken in sorted order, a batch at a time: every span and relation index leads
    // with the set id, so rows go into each index in sweeps instead of at random places.
    const ids = sortedIds();
    const seen = new Set<string>();
    const unfinished: FormatLoss[] = [];
    let added = 0;
    let annotations = 0;
    let onExisting = 0;

    for (const document of input.documents) {
      const at = (item: string, message: string) => problems.push({ path: `${document.id}: ${item}`, message });
      if (seen.has(document.id)) {
        at('id', 'this passage id occurs twice');
        continue;
      }
      seen.add(document.id);
      if (document.text.length === 0) {
        at('text', 'the passage text is empty');
        continue;
      }
      const known = existing.get(document.id);
      const sha = sha256Hex(document.text);
      if (known && known.sha !== sha) {
        at('text', 'the project has a passage with this id and a different text: rename one of them');
        continue;
      }
      const chosen = settle(document);
      let annotation = chosen === null ? undefined : document.annotations.find((a) => a.source === chosen);
      // An imported annotator's sets are finished work, compared like submitted sets: unfinished
      // work (a draft, a skipped set, gold in progress) is left out, and said so.
      if (annotation && input.mode === 'annotator' && annotation.status !== undefined && !FINISHED.has(annotation.status)) {
        unfinished.push({ document: document.id, source: annotation.source, item: 'annotation', reason: `its status is '${annotation.status}': only finished annotations are imported for an annotator` });
        annotation = undefined;
      }
      const account = annotator as { id: string; name: string; taken: Set<string> } | null;
      if (known && annotation) {
        if (account && account.taken.has(known.id)) at(account.name, `'${account.name}' already has annotations on this passage`);
        if (input.mode === 'pre-annotations' && preAnnotated.has(known.id)) at('pre-annotations', 'this passage already has pre-annotations');
        // Pre-annotations are copied when a passage is handed out: someone who has it already would
        // start from other material than those who come after.
        const handedOut = input.mode === 'pre-annotations' ? (handed.get(known.id) ?? 0) : 0;
        if (handedOut > 0) at('pre-annotations', `this passage was already handed out to ${handedOut} annotator(s): pre-annotations must come before the annotators start`);
      }
      const content = annotation ? checkAnnotation(annotation, document.text, scheme, at) : null;
      // After the first problem, only checking goes on: the transaction will be rolled back.
      if (problems.length > 0 || formatProblems.length > 0) continue;

      let passageId = known?.id;
      if (!passageId) {
        passageId = ids.next();
        ordinal += 1;
        const meta = document.meta === null && document.language === null ? null : { ...(document.language ? { language: document.language } : {}), ...document.meta };
        insertPassage.run(passageId, projectId, document.id, ordinal, document.text, sha, document.text.length, meta === null ? null : JSON.stringify(meta), importId, now);
        added += 1;
      }
      if (!content) continue;
      annotations += 1;
      if (known) onExisting += 1;
      if (input.mode === 'pre-annotations') {
        insertPre.run(passageId, projectId, importId, chosen, content.category, JSON.stringify({ spans: content.spans, relations: content.relations }), now);
        continue;
      }
      const setId = ids.next();
      insertSet.run(setId, projectId, passageId, account!.id, content.status, content.category, now, now, content.status === 'submitted' ? now : null);
      insertSpans(content.spans.map((span) => [setId, span.id, span.label, span.start, span.end, span.note ?? null]));
      insertRelations(content.relations.map((relation) => [setId, relation.id, relation.type, relation.source, relation.target]));
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
    const settled = (annotator as { name: string } | null)?.name ?? (source as string | null);
    tx.update(imports).set({ passageCount: added, annotationCount: annotations, source: settled }).where(eq(imports.id, importId)).run();
    this.history({
      userId: actorId,
      projectId,
      entity: 'import',
      entityId: importId,
      action: 'create',
      data: { filename: input.filename, format: input.format, mode: input.mode, source: settled, passages: added, annotations, bytes: input.bytes },
    });
    const losses = [...input.losses, ...unfinished];
    return {
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
      losses: losses.slice(0, 100).map((loss) => ({ ...loss })),
      lossCount: losses.length,
    };
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

function severalSources(filename: string, sources: Set<string>): AppError {
  const all = [...sources].sort();
  return new AppError(400, 'VALIDATION_FAILED', `${filename} holds annotations from ${all.map((s) => `'${s}'`).join(', ')}: choose one source (import again for another)`, {
    issues: [{ path: 'source', message: `one of ${all.join(', ')}` }],
  });
}

/**
 * Ids for one import's rows, ascending: a random prefix for the import (64 bits), a batch number,
 * and a random part (64 bits) sorted within each batch of a thousand. Every span and relation
 * index leads with the set id, so an import's rows go into each index in one sweep instead of at
 * random places (a 100,000-passage import writes 3 million of them). Still unguessable; all they
 * tell is which thousand of an import a row came in, which the passage order shows anyway.
 */
function sortedIds(): { next(): string } {
  const prefix = randomBytes(8).toString('base64url');
  let batch: string[] = [];
  let at = 0;
  let number = 0;
  return {
    next() {
      if (at === batch.length) {
        const head = `${prefix}${(number++).toString(36).padStart(4, '0')}`;
        const bytes = randomBytes(8 * 1000);
        batch = Array.from({ length: 1000 }, (_, i) => head + bytes.subarray(i * 8, i * 8 + 8).toString('base64url')).sort();
        at = 0;
      }
      return batch[at++]!;
    },
  };
}

const ROWS_PER_INSERT = 50;
/** Negative: KiB (SQLite's convention); 512 MB while an import writes. */
const IMPORT_CACHE_KIB = -512 * 1024;

/** Inserts rows into a table, up to ROWS_PER_INSERT per statement; one cached statement per row count. */
function multiRowInsert(sqlite: Database.Database, table: string, columns: string[]): (rows: unknown[][]) => void {
  const statements = new Map<number, Database.Statement>();
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const statement = (count: number) => {
    let prepared = statements.get(count);
    if (!prepared) {
      prepared = sqlite.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: count }, () => placeholders).join(', ')}`);
      statements.set(count, prepared);
    }
    return prepared;
  };
  return (rows) => {
    for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) {
      const chunk = rows.slice(at, at + ROWS_PER_INSERT);
      statement(chunk.length).run(chunk.flat());
    }
  };
}

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
