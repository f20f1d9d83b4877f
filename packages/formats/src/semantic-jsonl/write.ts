import { OffsetIndex } from '@warrant/domain';
import type { DatasetAnnotation, DatasetDocument, FormatLoss } from '../dataset/document.ts';
import { deriveChains, type ChainOptions, type SemanticChain } from './chains.ts';
import { exportSpans, SEMANTIC_JSONL_VERSION, type SemanticSpan } from './record.ts';
import { textSha256 } from './sha256.ts';

export interface WriteSemanticOptions {
  /** How `chains` are derived; DEFAULT_SCHEME's conclusion label and relation types by default. */
  chains?: ChainOptions;
  /**
   * Each record's `provenance` (null by default): where the data came from, e.g.
   * `{ converted_by: 'warrant convert', source_format: 'brat', source_file: 'essay01.ann' }`.
   */
  provenance?: Record<string, unknown> | ((document: DatasetDocument, annotation: DatasetAnnotation) => Record<string, unknown> | null) | null;
}

/**
 * A record written from a dataset document (by `warrant convert`): the same shape as the studio's
 * records, with what the source format did not record left unknown: `status` null unless known, `skip_reason`
 * null; in gold records `category_sources` and each item's `sources` empty with `edited` false.
 */
export interface DatasetSemanticRecord {
  format: string;
  id: string;
  text: string;
  text_sha256: string;
  language: string | null;
  meta: Record<string, unknown> | null;
  annotator: string;
  /** The annotation's status when the document knows it, else null. */
  status: string | null;
  category: string | null;
  skip_reason?: null;
  category_sources?: string[];
  spans: (SemanticSpan & { sources?: string[]; edited?: boolean })[];
  relations: { id: string; type: string; source: string; target: string; sources?: string[]; edited?: boolean }[];
  chains: SemanticChain[];
  provenance: Record<string, unknown> | null;
}

export interface WriteResult {
  text: string;
  losses: FormatLoss[];
}

/** The records of one document, one per annotation, in the annotations' order; spans in offset order. */
export function datasetSemanticRecords(document: DatasetDocument, options: WriteSemanticOptions = {}): DatasetSemanticRecord[] {
  if (document.annotations.length === 0) return [];
  const index = new OffsetIndex(document.text);
  const sha = textSha256(document.text);
  return document.annotations.map((annotation) => {
    const gold = annotation.source === 'gold';
    const unknown = gold ? { sources: [] as string[], edited: false } : {};
    const spans = exportSpans(annotation.spans, index, () => unknown);
    const relations = annotation.relations.map((r) => ({ id: r.id, type: r.type, source: r.source, target: r.target, ...unknown }));
    const provenance = typeof options.provenance === 'function' ? options.provenance(document, annotation) : (options.provenance ?? null);
    return {
      format: `warrant-semantic/${SEMANTIC_JSONL_VERSION}`,
      id: document.id,
      text: document.text,
      text_sha256: sha,
      language: document.language,
      meta: document.meta,
      annotator: annotation.source,
      status: annotation.status ?? null,
      category: annotation.category,
      ...(gold ? { category_sources: [] } : { skip_reason: null }),
      spans,
      relations,
      chains: deriveChains(spans, relations, options.chains),
      provenance,
    };
  });
}

/**
 * Semantic dataset JSONL (docs/semantic-dataset.md) from dataset documents: one line per document
 * and annotation source. A document without annotations has no record; it is reported as a loss.
 * Throws RangeError when a span's offsets are not valid for its text (docs/offsets.md).
 */
export function writeSemanticJsonl(documents: Iterable<DatasetDocument>, options: WriteSemanticOptions = {}): WriteResult {
  const lines: string[] = [];
  const losses: FormatLoss[] = [];
  for (const document of documents) {
    if (document.annotations.length === 0) {
      losses.push({ document: document.id, item: document.id, reason: 'the document has no annotation: a record needs an annotation source, so its text is not written' });
      continue;
    }
    for (const record of datasetSemanticRecords(document, options)) lines.push(`${JSON.stringify(record)}\n`);
  }
  return { text: lines.join(''), losses };
}
