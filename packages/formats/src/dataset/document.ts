/**
 * The in-memory form every importer produces and every exporter consumes: one document (a
 * passage) with the annotations of each of its sources (an annotator, an imported annotator,
 * `gold`). Offsets are UTF-16 code units, half-open, as everywhere inside Warrant
 * (docs/offsets.md); each format converts at its edge (brat counts code points, for instance).
 */

export interface DatasetSpan {
  id: string;
  label: string;
  /** UTF-16 code units, half-open. */
  start: number;
  end: number;
  note: string | null;
}

export interface DatasetRelation {
  id: string;
  type: string;
  /** A span id. */
  source: string;
  /** A span id, or a relation id (an undercut aims at a relation). */
  target: string;
}

export interface DatasetAnnotation {
  /** Who made it: an annotator's username, an imported annotator's name, or `gold`. */
  source: string;
  category: string | null;
  spans: DatasetSpan[];
  relations: DatasetRelation[];
  /**
   * Where the format records it, how far along the annotation was: an annotator's `draft`,
   * `submitted` or `skipped`, a gold version's `in_progress` or `done` (semantic JSONL). Absent
   * when unknown; agreement counts only submitted annotations when it is known.
   */
  status?: string;
}

export interface DatasetDocument {
  /** The passage's id in the dataset (a file name without extension, a record id). */
  id: string;
  text: string;
  /** BCP 47 code when known ('en', 'de', 'ru'). */
  language: string | null;
  meta: Record<string, unknown> | null;
  annotations: DatasetAnnotation[];
}

/**
 * Something a format could not carry, reported per item instead of dropped silently: exporters
 * list them for the release manifest, importers for the import report.
 */
export interface FormatLoss {
  /** Document id. */
  document: string;
  /** Annotation source, when the loss is inside one. */
  source?: string;
  /** The item: a span, relation or attribute id, or a line / element reference. */
  item: string;
  reason: string;
}

/**
 * A refused input: where (file, line or element) and why. Importers collect all they find, then
 * throw one FormatError holding them, so nothing is half-imported.
 */
export interface FormatProblem {
  file: string;
  /** 1-based line, when the format has lines. */
  line?: number;
  /** An element or item reference (`edge c3`, `T4`), when it has no line. */
  element?: string;
  message: string;
}

export class FormatError extends Error {
  constructor(readonly problems: FormatProblem[]) {
    const first = problems[0];
    const where = first ? `${first.file}${first.line !== undefined ? `:${first.line}` : ''}${first.element ? ` (${first.element})` : ''}` : '';
    super(
      problems.length === 1 && first
        ? `${where}: ${first.message}`
        : `${problems.length} problems, the first at ${where}: ${first?.message ?? ''}`,
    );
    this.name = 'FormatError';
  }
}
