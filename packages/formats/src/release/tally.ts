import type { DatasetDocument } from '../dataset/document.ts';
import { deriveChains, type ChainOptions } from '../semantic-jsonl/chains.ts';
import { RELEASE_SPLITS, type ReleaseSplit } from './split.ts';

/** The counts of one split. */
export interface ReleaseSplitCounts {
  passages: number;
  records: number;
  spans: number;
  relations: number;
  /** Spans per label key. */
  labels: Record<string, number>;
}

/**
 * What a release holds, as plain JSON (the `counts` of manifest.json). Spans, relations,
 * categories and chains are counted per record: a passage with two annotators and gold is three
 * records, and each of their spans counts. Map keys are sorted (by code unit), so the same
 * documents give the same JSON in any order.
 */
export interface ReleaseCounts {
  /** Documents with at least one record. */
  passages: number;
  /** One per document and annotation source, as in the data files. */
  records: number;
  spans: number;
  relations: number;
  chains: number;
  /** Always train, dev and test, in that order. */
  splits: Record<ReleaseSplit, ReleaseSplitCounts>;
  /** Spans per label key. */
  labels: Record<string, number>;
  /** Relations per type key. */
  relation_types: Record<string, number>;
  /** Records per category key; records without a category are `uncategorised`. */
  categories: Record<string, number>;
  uncategorised: number;
  /** Records per annotation source: an annotator's name, or `gold`. */
  sources: Record<string, number>;
  /**
   * Chains per depth (deriveChains: 0 when nothing supports or attacks the conclusion), keyed by
   * the depth in decimal; only depths that occur.
   */
  chain_depths: Record<string, number>;
}

export interface ReleaseTallyOptions {
  /** How chains are derived, as for the data files; DEFAULT_SCHEME's by default. */
  chains?: ChainOptions;
}

interface SplitTally {
  passages: number;
  records: number;
  spans: number;
  relations: number;
  labels: Map<string, number>;
}

const bump = <K>(map: Map<K, number>, key: K, by = 1) => map.set(key, (map.get(key) ?? 0) + by);

/** A Map as an object with sorted keys; Object.fromEntries keeps a `__proto__` key as data. */
const sortedRecord = (map: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * Counts a release while its documents stream past: only counters are kept, so memory grows with
 * the number of distinct labels, types, categories, sources and depths, never with the number of
 * passages. Add each document once, with its split and only the annotations that go into the
 * release. A document without annotations has no record in the data files, so it is not counted
 * (the JSONL writer reports it as a loss).
 */
export class ReleaseTally {
  readonly #chains: ChainOptions | undefined;
  readonly #splits = new Map<ReleaseSplit, SplitTally>(
    RELEASE_SPLITS.map((split) => [split, { passages: 0, records: 0, spans: 0, relations: 0, labels: new Map<string, number>() }]),
  );
  readonly #relationTypes = new Map<string, number>();
  readonly #categories = new Map<string, number>();
  #uncategorised = 0;
  readonly #sources = new Map<string, number>();
  readonly #depths = new Map<number, number>();
  #chainCount = 0;

  constructor(options: ReleaseTallyOptions = {}) {
    this.#chains = options.chains;
  }

  add(document: DatasetDocument, split: ReleaseSplit): void {
    const tally = this.#splits.get(split);
    if (!tally) throw new RangeError(`unknown split '${String(split)}': expected train, dev or test`);
    if (document.annotations.length === 0) return;
    tally.passages += 1;
    for (const annotation of document.annotations) {
      tally.records += 1;
      tally.spans += annotation.spans.length;
      tally.relations += annotation.relations.length;
      for (const span of annotation.spans) bump(tally.labels, span.label);
      for (const relation of annotation.relations) bump(this.#relationTypes, relation.type);
      if (annotation.category === null) this.#uncategorised += 1;
      else bump(this.#categories, annotation.category);
      bump(this.#sources, annotation.source);
      for (const chain of deriveChains(annotation.spans, annotation.relations, this.#chains)) {
        bump(this.#depths, chain.depth);
        this.#chainCount += 1;
      }
    }
  }

  summary(): ReleaseCounts {
    const splits = {} as Record<ReleaseSplit, ReleaseSplitCounts>;
    const labels = new Map<string, number>();
    let passages = 0;
    let records = 0;
    let spans = 0;
    let relations = 0;
    for (const split of RELEASE_SPLITS) {
      const tally = this.#splits.get(split) as SplitTally;
      splits[split] = { passages: tally.passages, records: tally.records, spans: tally.spans, relations: tally.relations, labels: sortedRecord(tally.labels) };
      passages += tally.passages;
      records += tally.records;
      spans += tally.spans;
      relations += tally.relations;
      for (const [label, count] of tally.labels) bump(labels, label, count);
    }
    return {
      passages,
      records,
      spans,
      relations,
      chains: this.#chainCount,
      splits,
      labels: sortedRecord(labels),
      relation_types: sortedRecord(this.#relationTypes),
      categories: sortedRecord(this.#categories),
      uncategorised: this.#uncategorised,
      sources: sortedRecord(this.#sources),
      // Integer-like keys: JavaScript (and so JSON.stringify) orders them numerically whatever the insertion order.
      chain_depths: Object.fromEntries([...this.#depths].sort(([a], [b]) => a - b).map(([depth, count]) => [String(depth), count])),
    };
  }
}
