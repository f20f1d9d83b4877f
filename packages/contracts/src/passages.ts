import { ANNOTATION_STATUSES } from '@warrant/domain';
import { z } from 'zod';
import { entityId, isoDateTime } from './common.ts';
import { problem } from './errors.ts';

export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
export const PASSAGE_IMPORT_FORMATS = ['txt', 'jsonl', 'csv'] as const;
export type PassageImportFormat = (typeof PASSAGE_IMPORT_FORMATS)[number];
/** File name endings the server reads as passages (kept equal to the formats package by an API test). */
export const PASSAGE_IMPORT_EXTENSIONS = ['.txt', '.jsonl', '.ndjson', '.csv'] as const;
export const annotationStatus = z.enum(ANNOTATION_STATUSES);

export const passage = z.object({
  id: entityId,
  projectId: entityId,
  externalId: z.string(),
  ordinal: z.number().int(),
  text: z.string(),
  /** SHA-256 of the text's UTF-8 bytes, hex. */
  textSha256: z.string(),
  meta: z.record(z.string(), z.unknown()).nullable(),
  createdAt: isoDateTime,
});
export type Passage = z.infer<typeof passage>;

export const passageSetState = z.object({
  setId: entityId,
  annotator: z.string(),
  status: annotationStatus,
});

/** A passage's adjudicated version: being built, or done. */
export const GOLD_STATUSES = ['in_progress', 'done'] as const;
export const goldStatus = z.enum(GOLD_STATUSES);
export type GoldStatus = z.infer<typeof goldStatus>;

export const passageListItem = z.object({
  id: entityId,
  externalId: z.string(),
  ordinal: z.number().int(),
  preview: z.string(),
  /** Length in UTF-16 code units. */
  length: z.number().int(),
  sets: z.array(passageSetState),
  /** Leads only (annotators never see adjudication); null when there is none. */
  gold: goldStatus.nullable(),
});
export type PassageListItem = z.infer<typeof passageListItem>;

export const passageListQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const passageList = z.object({
  passages: z.array(passageListItem),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
});
export type PassageList = z.infer<typeof passageList>;

/**
 * Annotated corpora (kept equal to the formats package's DATASET_READ_FORMATS by an API test): the
 * passages come with annotations, which become pre-annotations or an imported annotator's sets.
 */
export const ANNOTATED_IMPORT_FORMATS = ['semantic-jsonl', 'brat', 'aif', 'arg-microtext'] as const;
export const IMPORT_FORMATS = [...PASSAGE_IMPORT_FORMATS, ...ANNOTATED_IMPORT_FORMATS] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** File name endings an annotated import reads (brat: .ann with its .txt; configuration files are skipped). */
export const ANNOTATED_IMPORT_EXTENSIONS = ['.jsonl', '.ndjson', '.ann', '.txt', '.conf', '.json', '.xml'] as const;
/**
 * `pre-annotations`: every annotator's set starts from them. `annotator`: they are the submitted
 * sets of a named imported annotator, compared and adjudicated like anyone's.
 */
export const IMPORT_MODES = ['pre-annotations', 'annotator'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** Something the format could not carry, per item (a discontinuous brat span, an AIF node type). */
export const formatLoss = z.object({
  document: z.string(),
  source: z.string().optional(),
  item: z.string(),
  reason: z.string(),
});

export const importSummary = z.object({
  id: entityId,
  filename: z.string(),
  format: z.enum(IMPORT_FORMATS),
  /** Passages added to the project. */
  passages: z.number().int(),
  bytes: z.number().int(),
  warnings: z.array(problem),
  createdAt: isoDateTime,
  /** Annotated imports only (null / 0 / empty otherwise). */
  mode: z.enum(IMPORT_MODES).nullable(),
  /** The imported annotator's username, or the pre-annotations' source. */
  source: z.string().nullable(),
  /** Annotation sets (annotator) or pre-annotated passages written. */
  annotations: z.number().int(),
  /** Of those, on passages the project already had (matched by id and identical text). */
  existingPassages: z.number().int(),
  /** The first 100 losses, and how many there were. */
  losses: z.array(formatLoss),
  lossCount: z.number().int(),
});
export type ImportSummary = z.infer<typeof importSummary>;

export const importResponse = z.object({ import: importSummary });
export type ImportResponse = z.infer<typeof importResponse>;

/** `details` of an IMPORT_REJECTED error. */
export const importRejection = z.object({
  filename: z.string(),
  errors: z.array(problem),
  errorCount: z.number().int(),
});
export type ImportRejection = z.infer<typeof importRejection>;

export const queueItem = z.object({
  setId: entityId,
  passageId: entityId,
  externalId: z.string(),
  preview: z.string(),
  status: annotationStatus,
  updatedAt: isoDateTime,
});
export type QueueItem = z.infer<typeof queueItem>;

export const queue = z.object({
  items: z.array(queueItem),
  /** Whether "next" can hand out another passage right now. */
  moreAvailable: z.boolean(),
});
export type Queue = z.infer<typeof queue>;

export const nextResponse = z.object({ item: queueItem.nullable() });
export type NextResponse = z.infer<typeof nextResponse>;
