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
import type { DatasetAnnotation, DatasetDocument, DatasetReadFormat, FormatLoss } from '@warrant/formats';
import { hash } from '@node-rs/argon2';
import { and, eq, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { Db } from '../../db/client.ts';
import { historyRecorder } from '../../db/history.ts';
import { annotationSets, relations, spans } from '../../db/schema/annotations.ts';
import { imports, passages } from '../../db/schema/projects.ts';
import { preAnnotations } from '../../db/schema/releases.ts';
import { users } from '../../db/schema/users.ts';
import { AppError } from '../../lib/errors.ts';
import { idBatch, newId } from '../../lib/ids.ts';
import { relationOrder } from '../../lib/relation-order.ts';
import { toIso } from '../../lib/time.ts';
import { importRejected } from './passages-repository.ts';
import type { ProjectsRepository } from './projects-repository.ts';

/** What a parsed annotated corpus becomes in a project. */
export interface AnnotatedImportInput {
  /** The file name, or "first and N more" for several files. */
  filename: string;
  format: DatasetReadFormat;
  bytes: number;
  documents: readonly DatasetDocument[];
  losses: readonly FormatLoss[];
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
  status: 'draft' | 'submitted' | 'skipped';
}

interface Planned {
  document: DatasetDocument;
  /** The project's passage with this id and text, if it has one. */
  existingId: string | null;
  content: Content | null;
}

const SET_STATUSES = new Set(['draft', 'submitted', 'skipped']);
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
export function checkAnnotation(
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
  const status = annotation.status && SET_STATUSES.has(annotation.status) ? (annotation.status as Content['status']) : 'submitted';
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
    private readonly projects: ProjectsRepository,
  ) {
    this.history = historyRecorder(db);
  }

  /** The one annotation source to take from the documents, or a 400 naming the choices. */
  private chooseSource(input: AnnotatedImportInput): string {
    const sources = new Set<string>();
    for (const document of input.documents) for (const annotation of document.annotations) sources.add(annotation.source);
    const all = [...sources].sort();
    if (input.source !== undefined) {
      if (!sources.has(input.source)) {
        throw new AppError(400, 'VALIDATION_FAILED', `no annotations from '${input.source}' in ${input.filename}: it holds ${all.length ? all.map((s) => `'${s}'`).join(', ') : 'none'}`, {
          issues: [{ path: 'source', message: `one of ${all.join(', ') || '(none)'}` }],
        });
      }
      return input.source;
    }
    if (all.length === 1) return all[0]!;
    if (all.length === 0) {
      throw new AppError(400, 'VALIDATION_FAILED', `${input.filename} holds no annotations: import it as plain passages`, { issues: [{ path: 'format', message: 'no annotations' }] });
    }
    throw new AppError(400, 'VALIDATION_FAILED', `${input.filename} holds annotations from ${all.map((s) => `'${s}'`).join(', ')}: choose one source (import again for another)`, {
      issues: [{ path: 'source', message: `one of ${all.join(', ')}` }],
    });
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

  /** Runs the import; `passwordHash` is an unusable argon2 hash for a new imported annotator. */
  importDocuments(projectId: string, input: AnnotatedImportInput, actorId: string | null, passwordHash: string): ImportSummary {
    const source = this.chooseSource(input);
    const annotator = input.mode === 'annotator' ? this.annotatorName(input, source) : null;
    const scheme = this.projects.scheme(projectId);
    const problems: Problem[] = [];
    const plan: Planned[] = [];
    return this.db.transaction(
      (tx) => {
        const existing = new Map(
          tx
            .select({ id: passages.id, externalId: passages.externalId, sha: passages.textSha256 })
            .from(passages)
            .where(eq(passages.projectId, projectId))
            .all()
            .map((row) => [row.externalId, row]),
        );
        let annotatorId: string | null = null;
        let taken = new Set<string>();
        if (annotator !== null) {
          const user = tx.select({ id: users.id, imported: users.imported }).from(users).where(eq(users.username, annotator)).get();
          if (user && !user.imported) {
            throw new AppError(409, 'USERNAME_TAKEN', `'${annotator}' is a person's account: name the imported annotator differently`, {
              issues: [{ path: 'annotator', message: 'taken by an account that signs in' }],
            });
          }
          if (user) {
            annotatorId = user.id;
            taken = new Set(
              tx
                .select({ passageId: annotationSets.passageId })
                .from(annotationSets)
                .where(and(eq(annotationSets.projectId, projectId), eq(annotationSets.userId, user.id)))
                .all()
                .map((r) => r.passageId),
            );
          }
        }
        const preAnnotated =
          input.mode === 'pre-annotations'
            ? new Set(tx.select({ passageId: preAnnotations.passageId }).from(preAnnotations).where(eq(preAnnotations.projectId, projectId)).all().map((r) => r.passageId))
            : new Set<string>();

        for (const document of input.documents) {
          const at = (item: string, message: string) => problems.push({ path: `${document.id}: ${item}`, message });
          if (document.text.length === 0) {
            at('text', 'the passage text is empty');
            continue;
          }
          const known = existing.get(document.id);
          if (known && known.sha !== sha256Hex(document.text)) {
            at('text', 'the project has a passage with this id and a different text: rename one of them');
            continue;
          }
          const annotation = document.annotations.find((a) => a.source === source);
          if (known && annotation) {
            if (annotator !== null && taken.has(known.id)) at(annotator, `'${annotator}' already has annotations on this passage`);
            if (input.mode === 'pre-annotations' && preAnnotated.has(known.id)) at('pre-annotations', 'this passage already has pre-annotations');
          }
          const content = annotation ? checkAnnotation(annotation, document.text, scheme, at) : null;
          plan.push({ document, existingId: known?.id ?? null, content });
        }
        if (problems.length > 0) throw importRejected(input.filename, problems.slice(0, 100), problems.length);

        const now = Date.now();
        if (annotator !== null && annotatorId === null) {
          annotatorId = newId();
          tx.insert(users)
            .values({
              id: annotatorId,
              username: annotator,
              displayName: annotator,
              passwordHash,
              disabled: true,
              imported: true,
              createdAt: now,
              passwordChangedAt: now,
            })
            .run();
          this.history({ userId: actorId, projectId: null, entity: 'user', entityId: annotatorId, action: 'create', data: { username: annotator, imported: true } });
        }

        const importId = newId();
        const fresh = plan.filter((p) => p.existingId === null);
        const annotated = plan.filter((p) => p.content !== null);
        tx.insert(imports)
          .values({
            id: importId,
            projectId,
            filename: input.filename,
            format: input.format,
            passageCount: fresh.length,
            bytes: input.bytes,
            warnings: '[]',
            mode: input.mode,
            source: annotator ?? source,
            annotationCount: annotated.length,
            createdBy: actorId,
            createdAt: now,
          })
          .run();

        const maxOrdinal = tx.select({ max: sql<number | null>`max(${passages.ordinal})` }).from(passages).where(eq(passages.projectId, projectId)).get()?.max ?? 0;
        const passageIds = idBatch(fresh.length);
        const ids = new Map<Planned, string>();
        const insertPassage = tx
          .insert(passages)
          .values({
            id: sql.placeholder('id'),
            projectId,
            externalId: sql.placeholder('externalId'),
            ordinal: sql.placeholder('ordinal'),
            text: sql.placeholder('text'),
            textSha256: sql.placeholder('sha'),
            length: sql.placeholder('length'),
            meta: sql.placeholder('meta'),
            importId,
            createdAt: now,
          })
          .prepare();
        fresh.forEach((planned, i) => {
          const { document } = planned;
          const meta = document.meta === null && document.language === null ? null : { ...(document.language ? { language: document.language } : {}), ...document.meta };
          insertPassage.run({
            id: passageIds[i],
            externalId: document.id,
            ordinal: maxOrdinal + i + 1,
            text: document.text,
            sha: sha256Hex(document.text),
            length: document.text.length,
            meta: meta === null ? null : JSON.stringify(meta),
          });
          ids.set(planned, passageIds[i]!);
        });

        const insertSpan = tx
          .insert(spans)
          .values({ setId: sql.placeholder('setId'), id: sql.placeholder('id'), label: sql.placeholder('label'), start: sql.placeholder('start'), end: sql.placeholder('end'), note: sql.placeholder('note') })
          .prepare();
        const insertRelation = tx
          .insert(relations)
          .values({ setId: sql.placeholder('setId'), id: sql.placeholder('id'), type: sql.placeholder('type'), sourceId: sql.placeholder('source'), targetId: sql.placeholder('target') })
          .prepare();
        const insertSet = tx
          .insert(annotationSets)
          .values({
            id: sql.placeholder('id'),
            projectId,
            passageId: sql.placeholder('passageId'),
            userId: sql.placeholder('userId'),
            status: sql.placeholder('status'),
            category: sql.placeholder('category'),
            version: 1,
            createdAt: now,
            updatedAt: now,
            submittedAt: sql.placeholder('submittedAt'),
          })
          .prepare();
        const insertPre = tx
          .insert(preAnnotations)
          .values({
            passageId: sql.placeholder('passageId'),
            projectId,
            importId,
            source,
            category: sql.placeholder('category'),
            content: sql.placeholder('content'),
            createdAt: now,
          })
          .prepare();
        const setIds = idBatch(annotated.length);
        annotated.forEach((planned, i) => {
          const content = planned.content!;
          const passageId = planned.existingId ?? ids.get(planned)!;
          if (input.mode === 'pre-annotations') {
            insertPre.run({ passageId, category: content.category, content: JSON.stringify({ spans: content.spans, relations: content.relations }) });
            return;
          }
          const setId = setIds[i]!;
          insertSet.run({ id: setId, passageId, userId: annotatorId, status: content.status, category: content.category, submittedAt: content.status === 'submitted' ? now : null });
          for (const span of content.spans) insertSpan.run({ setId, id: span.id, label: span.label, start: span.start, end: span.end, note: span.note ?? null });
          for (const relation of content.relations) insertRelation.run({ setId, ...relation });
        });

        this.history({
          userId: actorId,
          projectId,
          entity: 'import',
          entityId: importId,
          action: 'create',
          data: { filename: input.filename, format: input.format, mode: input.mode, source: annotator ?? source, passages: fresh.length, annotations: annotated.length, bytes: input.bytes },
        });
        return {
          id: importId,
          filename: input.filename,
          format: input.format,
          passages: fresh.length,
          bytes: input.bytes,
          warnings: [],
          createdAt: toIso(now),
          mode: input.mode,
          source: annotator ?? source,
          annotations: annotated.length,
          existingPassages: annotated.filter((p) => p.existingId !== null).length,
          losses: input.losses.slice(0, 100).map((loss) => ({ ...loss })),
          lossCount: input.losses.length,
        };
      },
      { behavior: 'immediate' },
    );
  }
}

let unusableHash: Promise<string> | undefined;

/**
 * An imported annotator's password hash: argon2 of 32 random bytes nobody keeps. A real hash (not
 * a marker) so that signing in as one costs the same time as any wrong password, and fails.
 */
export function unusablePasswordHash(): Promise<string> {
  unusableHash ??= hash(randomBytes(32).toString('base64url'), { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  return unusableHash;
}

declare module 'fastify' {
  interface FastifyInstance {
    annotatedImports: AnnotatedImportsRepository;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('annotatedImports', new AnnotatedImportsRepository(fastify.db, fastify.projects));
  },
  { name: 'annotated-imports', dependencies: ['db', 'projects-repository'] },
);
