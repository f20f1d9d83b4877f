import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ImportSummary, Passage, PassageList, Problem } from '@warrant/contracts';
import type { ImportedPassage, PassageFormat } from '@warrant/formats';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import { countRows, type Db } from '../../db/client.ts';
import { historyRecorder } from '../../db/history.ts';
import { annotationSets } from '../../db/schema/annotations.ts';
import { goldVersions } from '../../db/schema/gold.ts';
import { imports, passages } from '../../db/schema/projects.ts';
import { users } from '../../db/schema/users.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { idBatch, newId } from '../../lib/ids.ts';
import { toIso } from '../../lib/time.ts';
import type { Actor, ProjectsRepository } from './projects-repository.ts';

const PREVIEW_CODE_POINTS = 160;
/** Page cache for one import's transaction (negative: KiB), as annotated imports use. */
const IMPORT_CACHE_KIB = -512 * 1024;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The first code points of a text on one line, never cutting a surrogate pair. */
export function preview(text: string, max = PREVIEW_CODE_POINTS): string {
  const head = text.slice(0, max * 2);
  const points = Array.from(head.replace(/\s+/g, ' ').trim());
  return points.length > max ? `${points.slice(0, max).join('')}…` : points.join('');
}

export interface ImportInput {
  filename: string;
  format: PassageFormat;
  bytes: number;
  passages: ImportedPassage[];
  warnings: Problem[];
}

/** The IMPORT_REJECTED error for a file: its first problem in the message, up to 100 in the details. */
export function importRejected(filename: string, errors: Problem[], errorCount = errors.length): AppError {
  const first = errors[0];
  const where = first?.line ? `line ${first.line}: ` : '';
  return new AppError(
    400,
    'IMPORT_REJECTED',
    `${filename} was not imported (${errorCount} ${errorCount === 1 ? 'problem' : 'problems'}): ${where}${first?.message ?? ''}`,
    { filename, errors: errors.slice(0, 100), errorCount },
  );
}

export class PassagesRepository {
  /** Passage texts are immutable: cache the hot ones for offset validation on every save. */
  private readonly textCache = new Map<string, string>();
  private cachedUnits = 0;

  private readonly q;
  private readonly history;

  /** Plain better-sqlite3 statement for the hot loop of an import (one run per passage). */
  private readonly insertRow: Database.Statement;

  constructor(
    private readonly db: Db,
    private readonly projects: ProjectsRepository,
    private readonly sqlite: Database.Database,
  ) {
    this.history = historyRecorder(db);
    this.insertRow = sqlite.prepare(
      'INSERT INTO passages (id, project_id, external_id, ordinal, text, text_sha256, length, meta, import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const p = sql.placeholder;
    this.q = {
      anyPassage: db.select({ id: passages.id }).from(passages).where(eq(passages.projectId, p('projectId'))).limit(1).prepare(),
      externalIdTaken: db
        .select({ id: passages.id })
        .from(passages)
        .where(and(eq(passages.projectId, p('projectId')), eq(passages.externalId, p('externalId'))))
        .prepare(),
      maxOrdinal: db
        .select({ max: sql<number | null>`max(${passages.ordinal})` })
        .from(passages)
        .where(eq(passages.projectId, p('projectId')))
        .prepare(),
    };
  }

  /**
   * All or nothing: one transaction writes the import record and every passage, or nothing
   * (any duplicate id against the project rejects the whole file with its line numbers).
   * No access check: for callers that have made it (the imports service, the demo seed).
   * Runs synchronously in one transaction with a plain prepared statement per passage: drizzle's
   * placeholder mapping per row, and the default page cache (random ids put every row at a random
   * place in three indexes), made a 1,000,000-line file take over half a minute.
   */
  insertPassages(projectId: string, input: ImportInput, actorId: string): ImportSummary {
    const cacheSize = this.sqlite.pragma('cache_size', { simple: true }) as number;
    this.sqlite.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
    try {
      return this.db.transaction((tx) => this.insertAll(tx, projectId, input, actorId));
    } finally {
      this.sqlite.pragma(`cache_size = ${cacheSize}`);
    }
  }

  private insertAll(tx: Db, projectId: string, input: ImportInput, actorId: string): ImportSummary {
    const withIds = this.withGeneratedIds(projectId, input);
    const clashes = this.clashes(projectId, withIds);
    if (clashes.length > 0) throw importRejected(input.filename, clashes.slice(0, 100), clashes.length);

    const now = Date.now();
    const importId = newId();
    const maxOrdinal = this.q.maxOrdinal.get({ projectId })?.max ?? 0;
    tx.insert(imports)
      .values({
        id: importId,
        projectId,
        filename: input.filename,
        format: input.format,
        passageCount: withIds.length,
        bytes: input.bytes,
        warnings: JSON.stringify(input.warnings),
        createdBy: actorId,
        createdAt: now,
      })
      .run();
    const ids = idBatch(withIds.length);
    const insert = this.insertRow;
    for (let i = 0; i < withIds.length; i += 1) {
      const p = withIds[i]!;
      insert.run(ids[i], projectId, p.externalId, maxOrdinal + i + 1, p.text, sha256Hex(p.text), p.text.length, p.meta === null ? null : JSON.stringify(p.meta), importId, now);
    }
    this.history({
      userId: actorId,
      projectId,
      entity: 'import',
      entityId: importId,
      action: 'create',
      data: { filename: input.filename, format: input.format, passages: withIds.length, bytes: input.bytes },
    });
    return {
      id: importId,
      filename: input.filename,
      format: input.format,
      passages: withIds.length,
      bytes: input.bytes,
      warnings: input.warnings,
      createdAt: toIso(now),
      mode: null,
      source: null,
      annotations: 0,
      existingPassages: 0,
      losses: [],
      lossCount: 0,
    };
  }

  list(projectId: string, offset: number, limit: number, actor: Actor): PassageList {
    this.projects.requireRole(projectId, actor, 'lead');
    const total = countRows(this.db, passages, eq(passages.projectId, projectId));
    const rows = this.db
      .select({
        id: passages.id,
        externalId: passages.externalId,
        ordinal: passages.ordinal,
        head: sql<string>`substr(${passages.text}, 1, 400)`,
        length: passages.length,
      })
      .from(passages)
      .where(eq(passages.projectId, projectId))
      .orderBy(asc(passages.ordinal))
      .limit(limit)
      .offset(offset)
      .all();
    const sets =
      rows.length === 0
        ? []
        : this.db
            .select({
              passageId: annotationSets.passageId,
              setId: annotationSets.id,
              annotator: users.username,
              status: annotationSets.status,
            })
            .from(annotationSets)
            .innerJoin(users, eq(users.id, annotationSets.userId))
            .where(inArray(annotationSets.passageId, rows.map((r) => r.id)))
            .orderBy(asc(users.username))
            .all();
    const gold = new Map(
      rows.length === 0
        ? []
        : this.db
            .select({ passageId: goldVersions.passageId, status: goldVersions.status })
            .from(goldVersions)
            .where(inArray(goldVersions.passageId, rows.map((r) => r.id)))
            .all()
            .map((g) => [g.passageId, g.status] as const),
    );
    const byPassage = new Map<string, { setId: string; annotator: string; status: 'draft' | 'submitted' | 'skipped' }[]>();
    for (const { passageId, ...set } of sets) {
      const list = byPassage.get(passageId) ?? [];
      list.push(set);
      byPassage.set(passageId, list);
    }
    return {
      passages: rows.map((row) => ({
        id: row.id,
        externalId: row.externalId,
        ordinal: row.ordinal,
        preview: preview(row.head),
        length: row.length,
        sets: byPassage.get(row.id) ?? [],
        gold: gold.get(row.id) ?? null,
      })),
      total,
      offset,
      limit,
    };
  }

  /** Ids in the file that the project already has, as line-numbered problems. */
  clashes(projectId: string, items: { line: number; externalId: string | null }[]): Problem[] {
    // A first import into an empty project cannot clash: skip the lookups.
    if (!this.q.anyPassage.get({ projectId })) return [];
    const problems: Problem[] = [];
    for (const p of items) {
      if (p.externalId === null || !this.q.externalIdTaken.get({ projectId, externalId: p.externalId })) continue;
      problems.push({ line: p.line, field: 'id', message: `a passage with id '${p.externalId}' already exists in this project` });
    }
    return problems;
  }

  /**
   * Passages without an id get `<file>:<line>`; when that clashes with an id in the file or in the
   * project (the same file name imported again), `<file>#2:<line>`, `#3`, ... instead.
   */
  private withGeneratedIds(projectId: string, input: ImportInput) {
    const unnamed = input.passages.filter((p) => p.externalId === null);
    let prefix = input.filename;
    if (unnamed.length > 0) {
      const explicit = new Set(input.passages.map((p) => p.externalId));
      const hasProjectPassages = this.q.anyPassage.get({ projectId }) !== undefined;
      const free = (id: string) => !explicit.has(id) && !(hasProjectPassages && this.q.externalIdTaken.get({ projectId, externalId: id }));
      for (let n = 2; !unnamed.every((p) => free(`${prefix}:${p.line}`)); n += 1) prefix = `${input.filename}#${n}`;
    }
    return input.passages.map((p) => ({ ...p, externalId: p.externalId ?? `${prefix}:${p.line}` }));
  }

  /** Leads see every passage of their projects; an annotator only the passages handed to them. */
  get(passageId: string, actor: Actor): Passage {
    const row = this.db.select().from(passages).where(eq(passages.id, passageId)).get();
    if (!row) throw notFound('passage');
    const role = this.projects.roleOf(row.projectId, actor);
    if (role === null) throw notFound('passage');
    if (role === 'annotator') {
      const mine = this.db
        .select({ id: annotationSets.id })
        .from(annotationSets)
        .where(and(eq(annotationSets.passageId, passageId), eq(annotationSets.userId, actor.id)))
        .get();
      if (!mine) throw notFound('passage');
    }
    return {
      id: row.id,
      projectId: row.projectId,
      externalId: row.externalId,
      ordinal: row.ordinal,
      text: row.text,
      textSha256: row.textSha256,
      meta: row.meta === null ? null : (JSON.parse(row.meta) as Record<string, unknown>),
      createdAt: toIso(row.createdAt),
    };
  }

  /** The text offsets are checked against; no access check (callers have done it). */
  text(passageId: string): string {
    const cached = this.textCache.get(passageId);
    if (cached !== undefined) {
      // Refresh recency: Map keeps insertion order, so the oldest entry is first.
      this.textCache.delete(passageId);
      this.textCache.set(passageId, cached);
      return cached;
    }
    const row = this.db
      .select({ text: passages.text })
      .from(passages)
      .where(eq(passages.id, passageId))
      .get();
    if (!row) throw notFound('passage');
    this.textCache.set(passageId, row.text);
    this.cachedUnits += row.text.length;
    // At most ~64 MB of cached text (UTF-16), however long single passages are.
    while (this.cachedUnits > 32 * 1024 * 1024 && this.textCache.size > 1) {
      const oldest = this.textCache.keys().next().value;
      if (oldest === undefined) break;
      this.cachedUnits -= this.textCache.get(oldest)?.length ?? 0;
      this.textCache.delete(oldest);
    }
    return row.text;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    passages: PassagesRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('passages', new PassagesRepository(fastify.db, fastify.projects, fastify.sqlite));
  },
  { name: 'passages-repository', dependencies: ['db', 'projects-repository'] },
);
