/**
 * The first half of an annotated import, the part that needs no database: each document checked
 * (ids, texts, the chosen annotation against the project's scheme by the editor's own rules) and
 * turned into the rows it will be stored as, a batch at a time. It runs on the import's own thread
 * for small inputs and on a reader thread for large ones (reader-thread.ts); either way the
 * repository only writes what comes out. Pure: what it needs of the project's state comes in
 * `PrepareContext`, read before the first document.
 */
import { randomBytes } from 'node:crypto';
import type { ImportMode, Problem } from '@warrant/contracts';
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
import { sha256Hex, type DatasetAnnotation, type DatasetDocument, type FormatLoss, type FormatProblem } from '@warrant/formats';
import { AppError } from '../lib/errors.ts';
import { relationOrder } from '../lib/relation-order.ts';

/** What an import needs to know of the project, read before its first document. */
export interface PrepareContext {
  filename: string;
  mode: ImportMode;
  /** Which annotation source to take; when absent, the first annotated document's (only) source. */
  source: string | undefined;
  scheme: LabelScheme;
  /** The project's passages by external id. */
  existing: Map<string, { id: string; sha: string }>;
  /** mode `pre-annotations`: passages that have them already. */
  preAnnotated: Set<string>;
  /** mode `pre-annotations`: passages handed out, and to how many people. */
  handed: Map<string, number>;
}

/** One document, checked, with the rows it becomes. */
export interface PreparedDocument {
  /** The dataset's id: the passage's external id. */
  id: string;
  /** Passed the checks of id, text and a known passage's text: the annotation checks applied. */
  checked: boolean;
  /** The project's passage with this id and this text. */
  known: string | null;
  /** An annotation of the chosen source is taken (before the scheme checks). */
  annotated: boolean;
  /** The first document that passed the checks of id and text once the source was known: the imported annotator's account is settled here. */
  settles: boolean;
  /** A new passage: [id, text, SHA-256, length, meta as JSON]. */
  passage: [string, string, string, number, string | null] | null;
  /** Its problems, in order; the repository adds the one that needs the annotator's account. */
  problems: Problem[];
  /**
   * The annotation as it will be stored, when it passed every check: annotator mode, the set's id
   * (its spans and relations are in the batch); pre-annotations, their content as JSON.
   */
  content: { setId: string; category: string | null } | { category: string | null; json: string } | null;
}

export interface PreparedBatch {
  documents: PreparedDocument[];
  /** Annotator mode: the batch's spans, `[[set, id, label, start, end, note], ...]` as JSON. */
  spans: string;
  /** Annotator mode: the batch's relations, `[[set, id, type, source, target], ...]` as JSON. */
  relations: string;
  /** What the format's reader found since the last batch. */
  formatProblems: FormatProblem[];
  losses: FormatLoss[];
  /** Annotations left out for an imported annotator because they are not finished work. */
  unfinished: FormatLoss[];
  /** Annotation sources seen since the last batch (of documents that passed the first checks). */
  sources: string[];
  /** The source taken, once settled (the first annotated document settles it). */
  source: string | null;
}

/** Documents per batch: a batch is one message from a reader thread and two multi-row inserts. */
export const BATCH_DOCUMENTS = 500;

/** Statuses of finished work: an annotator's submitted set, a gold version marked done. */
const FINISHED = new Set(['submitted', 'done']);

/**
 * The documents, checked and turned into rows, a batch at a time. `formatProblems` and `losses`
 * are the arrays a streaming reader fills as it reads; each batch carries what was added since the
 * one before. Throws an AppError when the sources make the import impossible (several, none chosen).
 */
export function* prepareBatches(
  documents: Iterable<DatasetDocument>,
  context: PrepareContext,
  formatProblems: readonly FormatProblem[] = [],
  losses: readonly FormatLoss[] = [],
): Generator<PreparedBatch> {
  const { mode, scheme, existing, preAnnotated, handed } = context;
  const ids = sortedIds();
  const seen = new Set<string>();
  const sources = new Set<string>();
  let source: string | null = context.source ?? null;
  let settled = false;
  let problemsSoFar = 0;
  let formatAt = 0;
  let lossesAt = 0;
  let batch = emptyBatch();
  // Each document's rows as JSON text of their own, joined when the batch is posted: compact
  // strings live until then, not millions of small arrays (which outlived the young generation).
  let spans: string[] = [];
  let relations: string[] = [];
  let newSources: string[] = [];

  const flush = (): PreparedBatch => {
    const out = batch;
    out.spans = `[${spans.join(',')}]`;
    out.relations = `[${relations.join(',')}]`;
    out.formatProblems = formatProblems.slice(formatAt);
    out.losses = losses.slice(lossesAt);
    out.sources = newSources;
    out.source = source;
    formatAt = formatProblems.length;
    lossesAt = losses.length;
    batch = emptyBatch();
    spans = [];
    relations = [];
    newSources = [];
    return out;
  };

  for (const document of documents) {
    const problems: Problem[] = [];
    const at = (item: string, message: string) => problems.push({ path: `${document.id}: ${item}`, message });
    const prepared: PreparedDocument = { id: document.id, checked: false, known: null, annotated: false, settles: false, passage: null, problems, content: null };
    batch.documents.push(prepared);
    const finish = () => {
      problemsSoFar += problems.length;
      return batch.documents.length >= BATCH_DOCUMENTS;
    };
    if (seen.has(document.id)) {
      at('id', 'this passage id occurs twice');
      if (finish()) yield flush();
      continue;
    }
    seen.add(document.id);
    if (document.text.length === 0) {
      at('text', 'the passage text is empty');
      if (finish()) yield flush();
      continue;
    }
    const known = existing.get(document.id);
    const sha = sha256Hex(document.text);
    if (known && known.sha !== sha) {
      at('text', 'the project has a passage with this id and a different text: rename one of them');
      if (finish()) yield flush();
      continue;
    }
    prepared.checked = true;
    prepared.known = known?.id ?? null;
    // The source is settled by the first annotated document.
    for (const annotation of document.annotations) {
      if (!sources.has(annotation.source)) {
        sources.add(annotation.source);
        newSources.push(annotation.source);
      }
    }
    if (source === null) {
      if (sources.size > 1) throw severalSources(context.filename, sources);
      source = sources.values().next().value ?? null;
    }
    if (source !== null && !settled) {
      settled = true;
      prepared.settles = true;
    }
    let annotation = source === null ? undefined : document.annotations.find((a) => a.source === source);
    // An imported annotator's sets are finished work, compared like submitted sets: unfinished
    // work (a draft, a skipped set, gold in progress) is left out, and said so.
    if (annotation && mode === 'annotator' && annotation.status !== undefined && !FINISHED.has(annotation.status)) {
      batch.unfinished.push({ document: document.id, source: annotation.source, item: 'annotation', reason: `its status is '${annotation.status}': only finished annotations are imported for an annotator` });
      annotation = undefined;
    }
    prepared.annotated = annotation !== undefined;
    if (known && annotation && mode === 'pre-annotations') {
      if (preAnnotated.has(known.id)) at('pre-annotations', 'this passage already has pre-annotations');
      // Pre-annotations are copied when a passage is handed out: someone who has it already would
      // start from other material than those who come after.
      const handedOut = handed.get(known.id) ?? 0;
      if (handedOut > 0) at('pre-annotations', `this passage was already handed out to ${handedOut} annotator(s): pre-annotations must come before the annotators start`);
    }
    const content = annotation ? checkAnnotation(annotation, document.text, scheme, at) : null;
    // After the first problem, only checking goes on: the import will be refused.
    if (problemsSoFar + problems.length > 0 || formatProblems.length > 0) {
      if (finish()) yield flush();
      continue;
    }
    if (!known) {
      const meta = document.meta === null && document.language === null ? null : { ...(document.language ? { language: document.language } : {}), ...document.meta };
      prepared.passage = [ids.next(), document.text, sha, document.text.length, meta === null ? null : JSON.stringify(meta)];
    }
    if (content) {
      if (mode === 'pre-annotations') {
        prepared.content = { category: content.category, json: JSON.stringify({ spans: content.spans, relations: content.relations }) };
      } else {
        const setId = ids.next();
        prepared.content = { setId, category: content.category };
        if (content.spans.length > 0) spans.push(JSON.stringify(content.spans.map((span) => [setId, span.id, span.label, span.start, span.end, span.note ?? null])).slice(1, -1));
        if (content.relations.length > 0) relations.push(JSON.stringify(content.relations.map((r) => [setId, r.id, r.type, r.source, r.target])).slice(1, -1));
      }
    }
    if (finish()) yield flush();
  }
  // The last batch, also when empty: it carries what the reader found at the end.
  yield flush();
}

function emptyBatch(): PreparedBatch {
  return { documents: [], spans: '[]', relations: '[]', formatProblems: [], losses: [], unfinished: [], sources: [], source: null };
}

export function severalSources(filename: string, sources: Iterable<string>): AppError {
  const all = [...sources].sort();
  return new AppError(400, 'VALIDATION_FAILED', `${filename} holds annotations from ${all.map((s) => `'${s}'`).join(', ')}: choose one source (import again for another)`, {
    issues: [{ path: 'source', message: `one of ${all.join(', ')}` }],
  });
}

interface Content {
  category: string | null;
  spans: Span[];
  relations: Relation[];
}

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
function checkAnnotation(annotation: DatasetAnnotation, text: string, scheme: LabelScheme, problem: (item: string, message: string) => void): Content {
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
  return { category: state.category, spans: [...state.spans.values()], relations: [...state.relations.values()] };
}

/**
 * Ids for one import's rows, ascending: a random prefix for the import (64 bits), a batch number,
 * and a random part (64 bits) sorted within each batch of a thousand. The span and relation tables
 * are clustered on the set id, so an import's rows go in one sweep instead of at random places (a
 * 100,000-passage import writes 3 million of them). Still unguessable; all they tell is which
 * thousand of an import a row came in, which the passage order shows anyway.
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
