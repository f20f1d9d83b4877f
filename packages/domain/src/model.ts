/**
 * The annotation model. Offsets here are UTF-16 code units, half-open [start, end):
 * what the browser and Node count. Code-point offsets exist only at the export edge
 * (see offsets.ts and docs/offsets.md).
 */

export const ANNOTATION_STATUSES = ['draft', 'submitted', 'skipped'] as const;
export type AnnotationStatus = (typeof ANNOTATION_STATUSES)[number];

export const PROJECT_ROLES = ['lead', 'annotator'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** Ids chosen by clients for spans, relations and changes (so retries and offline queues are idempotent). */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface Span {
  id: string;
  label: string;
  start: number;
  end: number;
  note: string | null;
}

/** `target` is a span id, or a relation id when the relation type targets relations (undercuts). */
export interface Relation {
  id: string;
  type: string;
  source: string;
  target: string;
}

export interface AnnotationContent {
  spans: Span[];
  relations: Relation[];
  category: string | null;
}

export type AnnotationOp =
  | { op: 'addSpan'; span: { id: string; label: string; start: number; end: number; note?: string | null } }
  | { op: 'updateSpan'; id: string; label?: string; start?: number; end?: number; note?: string | null }
  | { op: 'deleteSpan'; id: string }
  | { op: 'addRelation'; relation: Relation }
  | { op: 'updateRelation'; id: string; type: string }
  | { op: 'deleteRelation'; id: string }
  | { op: 'setCategory'; category: string | null }
  | { op: 'setStatus'; status: AnnotationStatus; reason?: string | null };

export type AnnotationOpKind = AnnotationOp['op'];
