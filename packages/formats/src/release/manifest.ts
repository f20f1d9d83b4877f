import { SEMANTIC_JSONL_VERSION } from '../semantic-jsonl/record.ts';
import { sha256Hex } from './sha256-hex.ts';
import { DEFAULT_SPLIT_RATIOS, validateSplitRatios, type SplitRatios } from './split.ts';
import type { ReleaseCounts } from './tally.ts';

/** The version of manifest.json's own shape; bumped when a field changes meaning or goes away. */
export const MANIFEST_VERSION = 1;

export const RELEASE_FORMAT_NAME = 'warrant-semantic-jsonl';

/** The JSON Schema of one record, as shipped in a release (packages/formats/src/semantic-jsonl/semantic-dataset.schema.json). */
export const RELEASE_SCHEMA_FILE = 'semantic-dataset.schema.json';

/** One file of the bundle, as the writer measured it. */
export interface ManifestFile {
  /** Relative to the bundle, `/`-separated: `train.jsonl`. */
  path: string;
  bytes: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  /** JSONL lines (records) in the file; 0 for a file that is not data. */
  records: number;
}

/** What the lead chose to put in the release. */
export interface ReleaseSelectionInput {
  /** Gold records only, or every annotator's (and gold). */
  source: 'gold' | 'all';
  /** Category keys kept; null or absent: all. */
  categories?: readonly string[] | null;
  /** Span label keys kept; null or absent: all. */
  labels?: readonly string[] | null;
  /** The smallest passage agreement kept; null or absent: no minimum. */
  minAgreement?: number | null;
  /** The split seed ('' by default) and ratios (DEFAULT_SPLIT_RATIOS by default). */
  split?: { seed?: string; ratios?: SplitRatios };
}

export interface ManifestInput {
  project: { id: string; name: string };
  /** The release's number within the project: 1, 2, ... */
  version: number;
  /** The release's name or tag, as the lead gave it. */
  name: string;
  /** ISO 8601. */
  createdAt: string;
  /** Username of the lead who cut it. */
  createdBy: string;
  selection: ReleaseSelectionInput;
  /** The label scheme's version number: the guidelines' version. */
  schemeVersion: number;
  /** The annotation guidelines' text, hashed into the manifest; null when the project has none. */
  guidelines: string | null;
  /** ReleaseTally.summary(). */
  counts: ReleaseCounts;
  /** Every file of the bundle but manifest.json itself, in any order. */
  files: readonly ManifestFile[];
  /** How many items the formats could not carry (FormatLoss), all files together. */
  losses: number;
  /** The record schema's file name in the bundle; RELEASE_SCHEMA_FILE by default. */
  schemaFile?: string;
}

/** manifest.json: JSON-ready, snake_case like the records. */
export interface ReleaseManifest {
  manifest_version: number;
  release: {
    project: { id: string; name: string };
    version: number;
    name: string;
    created_at: string;
    created_by: string;
  };
  selection: {
    source: 'gold' | 'all';
    categories: string[] | null;
    labels: string[] | null;
    min_agreement: number | null;
    split: { seed: string; ratios: SplitRatios };
  };
  format: { name: string; version: string; schema: string };
  guidelines: { version: number; sha256: string | null };
  counts: ReleaseCounts;
  /** Sorted by path (code units). */
  files: ManifestFile[];
  losses: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

const isCount = (value: number) => Number.isSafeInteger(value) && value >= 0;

/** A bundle path: relative, `/`-separated, with no empty, `.` or `..` segment. */
function checkPath(path: string): void {
  const bad = path === '' || path.includes('\\') || path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw new RangeError(`file path '${path}' must be relative and '/'-separated, with no empty, '.' or '..' segment`);
}

/**
 * The manifest.json object of a release. The selection is recorded with its defaults filled in
 * (seed '', default ratios, null for "all"), so the manifest alone says how to rebuild the splits.
 * Throws a RangeError on a malformed input (a version that is not a positive integer, a date that
 * does not parse, a duplicate or unsafe path, a hash that is not hex SHA-256, a negative count,
 * ratios that do not add up to 1).
 */
export function buildManifest(input: ManifestInput): ReleaseManifest {
  if (!Number.isSafeInteger(input.version) || input.version < 1) throw new RangeError(`release version must be a positive integer, not ${input.version}`);
  if (!Number.isSafeInteger(input.schemeVersion) || input.schemeVersion < 0) throw new RangeError(`scheme version must be a non-negative integer, not ${input.schemeVersion}`);
  if (Number.isNaN(Date.parse(input.createdAt))) throw new RangeError(`created_at '${input.createdAt}' is not a date`);
  if (!isCount(input.losses)) throw new RangeError(`losses must be a non-negative integer, not ${input.losses}`);

  const { selection } = input;
  if (selection.source !== 'gold' && selection.source !== 'all') throw new RangeError(`selection source must be 'gold' or 'all', not '${String(selection.source)}'`);
  const minAgreement = selection.minAgreement ?? null;
  if (minAgreement !== null && !Number.isFinite(minAgreement)) throw new RangeError(`minimum agreement must be a finite number, not ${minAgreement}`);
  const ratios = selection.split?.ratios ?? DEFAULT_SPLIT_RATIOS;
  validateSplitRatios(ratios);

  const schema = input.schemaFile ?? RELEASE_SCHEMA_FILE;
  checkPath(schema);
  const seen = new Set<string>();
  for (const file of input.files) {
    checkPath(file.path);
    if (seen.has(file.path)) throw new RangeError(`file '${file.path}' is listed twice`);
    seen.add(file.path);
    if (!SHA256.test(file.sha256)) throw new RangeError(`file '${file.path}': sha256 must be 64 lower-case hex digits`);
    if (!isCount(file.bytes)) throw new RangeError(`file '${file.path}': bytes must be a non-negative integer, not ${file.bytes}`);
    if (!isCount(file.records)) throw new RangeError(`file '${file.path}': records must be a non-negative integer, not ${file.records}`);
  }

  return {
    manifest_version: MANIFEST_VERSION,
    release: {
      project: { id: input.project.id, name: input.project.name },
      version: input.version,
      name: input.name,
      created_at: input.createdAt,
      created_by: input.createdBy,
    },
    selection: {
      source: selection.source,
      categories: selection.categories ? [...selection.categories] : null,
      labels: selection.labels ? [...selection.labels] : null,
      min_agreement: minAgreement,
      split: { seed: selection.split?.seed ?? '', ratios: { train: ratios.train, dev: ratios.dev, test: ratios.test } },
    },
    format: { name: RELEASE_FORMAT_NAME, version: SEMANTIC_JSONL_VERSION, schema },
    guidelines: { version: input.schemeVersion, sha256: input.guidelines === null ? null : sha256Hex(input.guidelines) },
    // A copy, through JSON: what the manifest holds is exactly what manifest.json will say.
    counts: JSON.parse(JSON.stringify(input.counts)) as ReleaseCounts,
    files: [...input.files]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((file) => ({ path: file.path, bytes: file.bytes, sha256: file.sha256, records: file.records })),
    losses: input.losses,
  };
}
