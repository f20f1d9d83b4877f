import { CLIENT_ID_PATTERN, type AnnotationOp } from '@warrant/domain';
import { z } from 'zod';
import { entityId, isoDateTime } from './common.ts';
import { annotationStatus } from './passages.ts';

export const clientId = z.string().regex(CLIENT_ID_PATTERN, '1-64 characters: letters, digits, "-" or "_"');
export const MAX_OPS_PER_CHANGE = 1000;
export const MAX_NOTE_LENGTH = 5000;

/** Offsets are validated against the passage by the server; here only their JSON type. */
const offset = z.number();
const note = z.string().max(MAX_NOTE_LENGTH).nullable();
const labelKey = z.string().min(1).max(64);

export const spanSchema = z.object({
  id: clientId,
  label: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  note: z.string().nullable(),
});
export const relationSchema = z.object({
  id: clientId,
  type: z.string(),
  source: clientId,
  target: clientId,
});

export const annotationOp = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('addSpan'),
    span: z.object({ id: clientId, label: labelKey, start: offset, end: offset, note: note.optional() }),
  }),
  z.object({
    op: z.literal('updateSpan'),
    id: clientId,
    label: labelKey.optional(),
    start: offset.optional(),
    end: offset.optional(),
    note: note.optional(),
  }),
  z.object({ op: z.literal('deleteSpan'), id: clientId }),
  z.object({
    op: z.literal('addRelation'),
    relation: z.object({ id: clientId, type: labelKey, source: clientId, target: clientId }),
  }),
  z.object({ op: z.literal('updateRelation'), id: clientId, type: labelKey }),
  z.object({ op: z.literal('deleteRelation'), id: clientId }),
  z.object({ op: z.literal('setCategory'), category: labelKey.nullable() }),
  z.object({
    op: z.literal('setStatus'),
    status: annotationStatus,
    reason: z.string().trim().max(1000).nullable().optional(),
  }),
]) satisfies z.ZodType<AnnotationOp, unknown>;
export type AnnotationOpInput = z.infer<typeof annotationOp>;

export const changeBody = z.object({
  /** Chosen by the client; a retry with the same id is answered without applying twice. */
  changeId: clientId,
  /** The set version the client's edits were based on. */
  baseVersion: z.number().int().min(0),
  ops: z.array(annotationOp).min(1).max(MAX_OPS_PER_CHANGE),
});
export type ChangeBody = z.infer<typeof changeBody>;

export const changeResponse = z.object({
  changeId: z.string(),
  version: z.number().int(),
  /** true when this change had already been applied: nothing was done twice. */
  replayed: z.boolean(),
});
export type ChangeResponse = z.infer<typeof changeResponse>;

export const annotationSet = z.object({
  id: entityId,
  projectId: entityId,
  passageId: entityId,
  annotator: z.object({ id: entityId, username: z.string(), displayName: z.string() }),
  status: annotationStatus,
  category: z.string().nullable(),
  skipReason: z.string().nullable(),
  version: z.number().int(),
  spans: z.array(spanSchema),
  relations: z.array(relationSchema),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  submittedAt: isoDateTime.nullable(),
});
export type AnnotationSet = z.infer<typeof annotationSet>;

/** `details` of a VERSION_CONFLICT error: the state the client must reconcile with. */
export const versionConflict = z.object({ current: annotationSet });
export type VersionConflict = z.infer<typeof versionConflict>;

export const annotationSetSummary = annotationSet.omit({ spans: true, relations: true }).extend({
  spanCount: z.number().int(),
  relationCount: z.number().int(),
});
export type AnnotationSetSummary = z.infer<typeof annotationSetSummary>;

export const annotationSetList = z.object({ sets: z.array(annotationSetSummary) });
export type AnnotationSetList = z.infer<typeof annotationSetList>;

export const historyEntry = z.object({
  id: z.number().int(),
  at: isoDateTime,
  user: z.string().nullable(),
  entity: z.string(),
  entityId: z.string(),
  action: z.string(),
  changeId: z.string().nullable(),
  data: z.unknown(),
});
export const historyList = z.object({ entries: z.array(historyEntry) });
export const historyQuery = z.object({
  /** Entries after this id (paging forwards). */
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type HistoryList = z.infer<typeof historyList>;

/** jsonl: Warrant's semantic dataset; csv and conll: one file; brat and aif: a .tar.gz of files. */
export const EXPORT_FORMATS = ['jsonl', 'csv', 'conll', 'brat', 'aif'] as const;
export const exportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default('jsonl'),
  /** A token the client chose, to follow the download's progress at …/export/progress/:token. */
  progress: clientId.optional(),
});
export const exportProgressParams = z.object({ id: entityId, token: clientId });
/** How far a download has got: `pending` until the server starts it (or for an unknown token). */
export const exportProgress = z.object({
  state: z.enum(['pending', 'running', 'done', 'failed']),
  /** Passages read so far, of `total` in the project's snapshot. */
  passages: z.number().int(),
  total: z.number().int(),
  /** Bytes written so far (before compression, for the .tar.gz formats). */
  bytes: z.number().int(),
});
export type ExportProgress = z.infer<typeof exportProgress>;
