import { OffsetIndex, type AnnotationStatus, type Relation, type Span } from '@warrant/domain';
import { deriveChains, type ChainOptions, type SemanticChain } from './chains.ts';

/**
 * Warrant's semantic dataset JSONL: one record per passage and annotation source.
 * Every span carries code-point offsets (`start`/`end`, Python `text[start:end]`), the UTF-16
 * offsets it is stored with (`start_utf16`/`end_utf16`) and its `text` (docs/offsets.md).
 */
export const SEMANTIC_JSONL_VERSION = '0.2';

export interface SemanticRecordInput {
  passage: { externalId: string; id: string; text: string; textSha256: string; meta: Record<string, unknown> | null };
  source: { kind: 'annotator'; username: string };
  set: {
    id: string;
    status: AnnotationStatus;
    category: string | null;
    skipReason: string | null;
    version: number;
    updatedAt: string;
    submittedAt: string | null;
  };
  spans: Span[];
  relations: Relation[];
  project: { id: string; name: string; schemeVersion: number };
  /** How `chains` are derived (conclusion label, relation types); DEFAULT_SCHEME's by default. */
  chainOptions?: ChainOptions;
}

export interface SemanticSpan {
  id: string;
  label: string;
  start: number;
  end: number;
  start_utf16: number;
  end_utf16: number;
  text: string;
  note: string | null;
}

export interface SemanticRecord {
  format: string;
  id: string;
  text: string;
  text_sha256: string;
  language: string | null;
  meta: Record<string, unknown> | null;
  annotator: string;
  status: AnnotationStatus;
  category: string | null;
  skip_reason: string | null;
  spans: SemanticSpan[];
  relations: { id: string; type: string; source: string; target: string }[];
  /** Since 0.2: for each conclusion, the structure below it (derived; see chains.ts). */
  chains: SemanticChain[];
  provenance: {
    project_id: string;
    project: string;
    scheme_version: number;
    passage_id: string;
    annotation_set_id: string;
    version: number;
    updated_at: string;
    submitted_at: string | null;
  };
}

function language(meta: Record<string, unknown> | null): string | null {
  const value = meta?.language ?? meta?.lang;
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Spans in offset order, each with its code-point and UTF-16 offsets and its text
 * (docs/offsets.md), and whatever else the record keeps on it (`extra`: gold provenance).
 */
export function exportSpans<S extends Span, X extends object>(spans: readonly S[], index: OffsetIndex, extra: (span: S) => X = () => ({}) as X): (SemanticSpan & X)[] {
  return [...spans]
    .sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1))
    .map((span) => ({ id: span.id, label: span.label, ...index.exportSpan(span.start, span.end), note: span.note, ...extra(span) }));
}

/** Builds one record; `index` may be passed in to reuse one OffsetIndex for a passage's many sets. */
export function toSemanticRecord(input: SemanticRecordInput, index = new OffsetIndex(input.passage.text)): SemanticRecord {
  const spans = exportSpans(input.spans, index);
  const relations = input.relations.map((r) => ({ id: r.id, type: r.type, source: r.source, target: r.target }));
  return {
    format: `warrant-semantic/${SEMANTIC_JSONL_VERSION}`,
    id: input.passage.externalId,
    text: input.passage.text,
    text_sha256: input.passage.textSha256,
    language: language(input.passage.meta),
    meta: input.passage.meta,
    annotator: input.source.username,
    status: input.set.status,
    category: input.set.category,
    skip_reason: input.set.skipReason,
    spans,
    relations,
    chains: deriveChains(spans, relations, input.chainOptions),
    provenance: {
      project_id: input.project.id,
      project: input.project.name,
      scheme_version: input.project.schemeVersion,
      passage_id: input.passage.id,
      annotation_set_id: input.set.id,
      version: input.set.version,
      updated_at: input.set.updatedAt,
      submitted_at: input.set.submittedAt,
    },
  };
}

export function serializeSemanticRecord(record: SemanticRecord | GoldRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Who an item of a gold record came from: annotators' usernames, and whether the adjudicator changed it. */
export interface GoldProvenance {
  sources: string[];
  edited: boolean;
}

export interface GoldRecordInput {
  passage: SemanticRecordInput['passage'];
  project: SemanticRecordInput['project'];
  gold: {
    status: 'in_progress' | 'done';
    version: number;
    category: string | null;
    categorySources: string[];
    note: string | null;
    adjudicator: string;
    updatedAt: string;
  };
  spans: (Span & GoldProvenance)[];
  relations: (Relation & GoldProvenance)[];
  /** How `chains` are derived (conclusion label, relation types); DEFAULT_SCHEME's by default. */
  chainOptions?: ChainOptions;
}

export interface GoldRecord extends Omit<SemanticRecord, 'annotator' | 'status' | 'skip_reason' | 'spans' | 'relations' | 'chains' | 'provenance'> {
  annotator: 'gold';
  status: 'in_progress' | 'done';
  category_sources: string[];
  spans: (SemanticSpan & GoldProvenance)[];
  relations: ({ id: string; type: string; source: string; target: string } & GoldProvenance)[];
  chains: SemanticChain[];
  provenance: {
    project_id: string;
    project: string;
    scheme_version: number;
    passage_id: string;
    gold_version: number;
    adjudicated_by: string;
    adjudicated_at: string;
    note: string | null;
  };
}

/**
 * The adjudicated version of a passage, as one more record of the passage with annotator "gold":
 * every span, relation and the category say which annotators they came from (`sources`,
 * usernames) and whether the adjudicator changed or added them (`edited`).
 */
export function toGoldRecord(input: GoldRecordInput, index = new OffsetIndex(input.passage.text)): GoldRecord {
  const spans = exportSpans(input.spans, index, (span) => ({ sources: span.sources, edited: span.edited }));
  const relations = input.relations.map((r) => ({ id: r.id, type: r.type, source: r.source, target: r.target, sources: r.sources, edited: r.edited }));
  return {
    format: `warrant-semantic/${SEMANTIC_JSONL_VERSION}`,
    id: input.passage.externalId,
    text: input.passage.text,
    text_sha256: input.passage.textSha256,
    language: language(input.passage.meta),
    meta: input.passage.meta,
    annotator: 'gold',
    status: input.gold.status,
    category: input.gold.category,
    category_sources: input.gold.categorySources,
    spans,
    relations,
    chains: deriveChains(spans, relations, input.chainOptions),
    provenance: {
      project_id: input.project.id,
      project: input.project.name,
      scheme_version: input.project.schemeVersion,
      passage_id: input.passage.id,
      gold_version: input.gold.version,
      adjudicated_by: input.gold.adjudicator,
      adjudicated_at: input.gold.updatedAt,
      note: input.gold.note,
    },
  };
}
