import { z } from 'zod';
import { entityId, isoDateTime } from './common.ts';

export const RELEASE_SOURCES = ['gold', 'all'] as const;
export const RELEASE_SPLITS = ['train', 'dev', 'test'] as const;
export type ReleaseSplit = (typeof RELEASE_SPLITS)[number];

const ratio = z.number().min(0).max(1);

/** What a lead puts into a release. */
export const createReleaseBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(20_000).default(''),
    /** `gold`: adjudicated versions only; `all`: every annotator's submitted set, and gold. */
    source: z.enum(RELEASE_SOURCES).default('gold'),
    /** Passage categories to keep (by the record's category); all when empty. */
    categories: z.array(z.string().max(64)).max(100).default([]),
    /** Span labels to keep (others are left out of the records, with the relations on them); all when empty. */
    labels: z.array(z.string().max(64)).max(200).default([]),
    /**
     * Keep only passages whose agreement (1 - disagreement over their submitted sets) is at least
     * this; passages with fewer than two submitted sets have none and are left out. Null: no minimum.
     */
    minAgreement: ratio.nullable().default(null),
    splits: z
      .object({ train: ratio, dev: ratio, test: ratio })
      .refine((s) => Math.abs(s.train + s.dev + s.test - 1) < 1e-9, 'train, dev and test must add up to 1')
      .default({ train: 0.8, dev: 0.1, test: 0.1 }),
    /** Changes which passages go to which split; the same seed always gives the same split. */
    splitSeed: z.string().max(100).default(''),
    licence: z.string().max(200).default(''),
    citation: z.string().max(5_000).default(''),
  })
  .strict();
export type CreateReleaseBody = z.input<typeof createReleaseBody>;
export type ReleaseOptions = z.output<typeof createReleaseBody>;

export const releaseFile = z.object({
  /** Path inside the bundle (`train.jsonl`, `manifest.json`, `README.md`). */
  path: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
});

export const releaseSummary = z.object({
  id: entityId,
  projectId: entityId,
  /** 1, 2, 3... per project. */
  version: z.number().int(),
  name: z.string(),
  createdAt: isoDateTime,
  createdBy: z.string().nullable(),
  /** Of the whole bundle's files. */
  bytes: z.number().int(),
  passages: z.number().int(),
  records: z.number().int(),
  splits: z.object({ train: z.number().int(), dev: z.number().int(), test: z.number().int() }),
  files: z.array(releaseFile),
  options: createReleaseBody,
});
export type ReleaseSummary = z.infer<typeof releaseSummary>;

export const releaseList = z.object({ releases: z.array(releaseSummary) });
export type ReleaseList = z.infer<typeof releaseList>;

export const releaseParams = z.object({ id: entityId, releaseId: entityId });
/** One file of a release, by its path in the bundle (only paths the manifest lists). */
export const releaseFileParams = releaseParams.extend({ path: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/) });
