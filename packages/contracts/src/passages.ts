import { ANNOTATION_STATUSES } from '@warrant/domain';
import { z } from 'zod';
import { entityId, isoDateTime } from './common.ts';
import { problem } from './errors.ts';

export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;
export const PASSAGE_IMPORT_FORMATS = ['txt', 'jsonl', 'csv'] as const;
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

export const importSummary = z.object({
  id: entityId,
  filename: z.string(),
  format: z.enum(PASSAGE_IMPORT_FORMATS),
  passages: z.number().int(),
  bytes: z.number().int(),
  warnings: z.array(problem),
  createdAt: isoDateTime,
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
