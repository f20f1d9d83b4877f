import { z } from 'zod';
import { clientId, MAX_NOTE_LENGTH, relationSchema, spanSchema } from './annotations.ts';
import { entityId, isoDateTime } from './common.ts';
import { goldStatus } from './passages.ts';

/**
 * Agreement figures, the disagreement queue, the side-by-side comparison and the gold version
 * (docs/agreement.md). JSON has no NaN: an undefined coefficient is `value: null` with a `reason`.
 */
export const UNDEFINED_REASONS = ['one-category', 'too-few-coders', 'nothing-to-compare'] as const;
export const undefinedReason = z.enum(UNDEFINED_REASONS);
export type UndefinedReason = z.infer<typeof undefinedReason>;

/** A coefficient with its 95% bootstrap interval (over passages); all null when undefined. */
export const estimate = z.object({
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  reason: undefinedReason.nullable(),
});
export type Estimate = z.infer<typeof estimate>;

/** Precision, recall and F1; null when neither side has a span to compare. */
export const f1Figures = z.object({
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
});
export type F1Figures = z.infer<typeof f1Figures>;

const commaList = z
  .string()
  .max(10_000)
  .transform((value) => value.split(',').map((item) => item.trim()).filter((item) => item !== ''))
  .optional();

export const agreementQuery = z.object({
  /** Span labels to include (comma-separated keys); all when absent. */
  labels: commaList,
  /** Annotator user ids to include (comma-separated); all when absent. */
  annotators: commaList,
  /** Only sets submitted at or after / before this instant (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AgreementQuery = z.input<typeof agreementQuery>;

export const annotatorRef = z.object({ id: entityId, username: z.string(), displayName: z.string() });
export type AnnotatorRef = z.infer<typeof annotatorRef>;

export const pairFigures = z.object({
  a: entityId,
  b: entityId,
  /** Passages both submitted. */
  passages: z.number().int(),
  category: estimate,
  unitizing: estimate,
  exact: f1Figures,
  overlap: f1Figures,
  relations: estimate,
  /** Span F1 of this pair per label (exact and overlap). */
  perLabel: z.record(z.string(), z.object({ exact: z.number().nullable(), overlap: z.number().nullable() })),
});
export type PairFigures = z.infer<typeof pairFigures>;

export const annotatorFigures = z.object({
  annotator: entityId,
  /** Passages this annotator submitted that somebody else submitted too (in the filter). */
  passages: z.number().int(),
  /** Category alpha of this annotator against each of the others on the same passages. */
  category: estimate,
  /** Span F1 with this annotator as candidate and the others as reference. */
  exact: f1Figures,
  overlap: f1Figures,
});

export const labelFigures = z.object({
  label: z.string(),
  name: z.string(),
  spans: z.number().int(),
  unitizing: estimate,
  exact: f1Figures,
  overlap: f1Figures,
});

export const progressRow = z.object({
  annotator: entityId,
  assigned: z.number().int(),
  draft: z.number().int(),
  submitted: z.number().int(),
  skipped: z.number().int(),
});

export const timeBucket = z.object({
  /** Monday of the week (UTC, YYYY-MM-DD) in which the passages' last set was submitted. */
  week: z.string(),
  passages: z.number().int(),
  category: z.number().nullable(),
  unitizing: z.number().nullable(),
  exactF1: z.number().nullable(),
});

export const agreementReport = z.object({
  generatedAt: isoDateTime,
  /** How long the computation took, in milliseconds. */
  tookMs: z.number(),
  /** Passages with at least two submitted sets in the filter. */
  passages: z.number().int(),
  annotators: z.array(annotatorRef),
  labels: z.array(z.object({ key: z.string(), name: z.string(), color: z.string() })),
  category: z.object({
    /** Passages with at least two categories given. */
    items: z.number().int(),
    alpha: estimate,
    /** Only when exactly two annotators are involved. */
    cohenKappa: estimate.nullable(),
    /** Only when every passage has the same number of categorised sets. */
    fleissKappa: estimate.nullable(),
  }),
  spans: z.object({
    count: z.number().int(),
    unitizing: estimate,
    exact: f1Figures,
    overlap: f1Figures,
    perLabel: z.array(labelFigures),
  }),
  relations: z.object({
    /** Spans whose offsets every annotator of their passage marked (the relation items' ends). */
    matchedSpans: z.number().int(),
    items: z.number().int(),
    alpha: estimate,
    fleissKappa: estimate.nullable(),
  }),
  pairs: z.array(pairFigures),
  perAnnotator: z.array(annotatorFigures),
  overTime: z.array(timeBucket),
  progress: z.array(progressRow),
});
export type AgreementReport = z.infer<typeof agreementReport>;


export const disagreementQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Hide passages whose gold version is done. */
  open: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export const disagreementItem = z.object({
  passageId: entityId,
  externalId: z.string(),
  preview: z.string(),
  annotators: z.number().int(),
  /** 0 (all agree) to 1: the mean of the category, span and relation disagreement shares. */
  disagreement: z.number(),
  /** Distinct categories given, with how many annotators gave each. */
  categories: z.array(z.object({ category: z.string().nullable(), count: z.number().int() })),
  exactF1: z.number().nullable(),
  unitizing: z.number().nullable(),
  relationF1: z.number().nullable(),
  gold: goldStatus.nullable(),
});
export type DisagreementItem = z.infer<typeof disagreementItem>;

export const disagreementList = z.object({
  items: z.array(disagreementItem),
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
});
export type DisagreementList = z.infer<typeof disagreementList>;

export const passageParams = z.object({ id: entityId, passageId: entityId });

/** Who an item of the gold version came from: annotator user ids, and whether the lead changed it. */
const provenance = {
  sources: z.array(entityId).max(100),
  edited: z.boolean(),
};

export const goldSpan = spanSchema.extend(provenance);
export const goldRelation = relationSchema.extend(provenance);
export type GoldSpan = z.infer<typeof goldSpan>;
export type GoldRelation = z.infer<typeof goldRelation>;

export const goldVersion = z.object({
  passageId: entityId,
  status: goldStatus,
  version: z.number().int(),
  category: z.string().nullable(),
  categorySources: z.array(entityId),
  spans: z.array(goldSpan),
  relations: z.array(goldRelation),
  note: z.string().nullable(),
  adjudicator: annotatorRef,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type GoldVersion = z.infer<typeof goldVersion>;

const labelKey = z.string().min(1).max(64);
export const putGoldBody = z.object({
  /** 0 to create; otherwise the version this edit was based on (409 VERSION_CONFLICT if stale). */
  baseVersion: z.number().int().min(0),
  status: goldStatus,
  category: labelKey.nullable(),
  categorySources: z.array(entityId).max(100),
  spans: z
    .array(z.object({ id: clientId, label: labelKey, start: z.number(), end: z.number(), note: z.string().max(MAX_NOTE_LENGTH).nullable(), ...provenance }))
    .max(10_000),
  relations: z.array(z.object({ id: clientId, type: labelKey, source: clientId, target: clientId, ...provenance })).max(10_000),
  note: z.string().max(MAX_NOTE_LENGTH).nullable(),
});
export type PutGoldBody = z.infer<typeof putGoldBody>;

/** A span as the annotators marked it: identical offsets and label make one item. */
export const comparedSpan = z.object({
  /** `start:end:label`. */
  key: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  label: z.string(),
  text: z.string(),
  /** Annotator id -> that annotator's span id. */
  ids: z.record(z.string(), z.string()),
  notes: z.array(z.object({ annotator: entityId, note: z.string() })),
});
export const comparedRelation = z.object({
  /** `type(sourceKey>targetKey)`: the same relation between the same spans makes one item. */
  key: z.string(),
  type: z.string(),
  sourceKey: z.string(),
  targetKey: z.string(),
  /** Annotator id -> that annotator's relation id. */
  ids: z.record(z.string(), z.string()),
});
export const comparison = z.object({
  passage: z.object({ id: entityId, externalId: z.string(), text: z.string() }),
  /** Annotators with a submitted set, in username order. */
  annotators: z.array(
    annotatorRef.extend({ setId: entityId, category: z.string().nullable(), submittedAt: isoDateTime.nullable() }),
  ),
  spans: z.array(comparedSpan),
  relations: z.array(comparedRelation),
  figures: z.object({ exactF1: z.number().nullable(), unitizing: estimate, relationF1: z.number().nullable() }),
  gold: goldVersion.nullable(),
});
export type Comparison = z.infer<typeof comparison>;
export type ComparedSpan = z.infer<typeof comparedSpan>;
export type ComparedRelation = z.infer<typeof comparedRelation>;
