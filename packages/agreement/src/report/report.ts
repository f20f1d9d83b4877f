import type { UndefinedReason } from '../estimate.ts';
import { krippendorffAlpha } from '../krippendorff.ts';
import { pooledUnitizingAlpha } from '../pooled-unitizing.ts';
import { relationPairParts, relationPairPartsOf, type RelationPairParts, type RelationParts } from '../relations.ts';
import type { ResampleHelper } from '../resample-sums.ts';
import { Resampler } from '../resampler.ts';
import { unitizingPairParts, unitizingPairPartsOf, unitizingParts, type UnitizingPairParts, type UnitizingParts } from '../unitizing.ts';
import { pairSpanCounts, readPassage, sharedComponents } from './passage-arrays.ts';
import type { PassageDisagreement, ProjectReport, ReportEstimate, ReportF1, ReportPair, ReportScheme } from './types.ts';
import {
  addCounts,
  exactF1,
  overlapF1,
  relationInput,
  relationKeys,
  sharedOffsets,
  spanCounts,
  unitsForUnitizing,
  zeroCounts,
  type LoadedPassage,
  type LoadedSet,
  type SpanCounts,
} from './passage-data.ts';

/** Resamples for every interval in a report: the usual 1000, seeded, so a report is reproducible. */
export const RESAMPLES = 1000;
const SEED = 20041;

type Interval = { value: number; low: number; high: number; reason?: UndefinedReason | undefined };

function nullIfNaN(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function toEstimate(result: Interval): ReportEstimate {
  const value = nullIfNaN(result.value);
  return {
    value,
    low: value === null ? null : nullIfNaN(result.low),
    high: value === null ? null : nullIfNaN(result.high),
    reason: value === null ? (result.reason ?? 'nothing-to-compare') : null,
  };
}

function f1Figures(figures: { precision: number | null; recall: number | null; f1: number | null }): ReportF1 {
  return { precision: figures.precision, recall: figures.recall, f1: figures.f1 };
}

function pairKey(a: string, b: string): string {
  return `${a}|${b}`;
}

/** Every unordered pair of a passage's sets, in set order (sets are in user id order). */
function* pairsOf(sets: LoadedSet[]): Generator<[LoadedSet, LoadedSet]> {
  for (let i = 0; i < sets.length; i += 1) {
    for (let j = i + 1; j < sets.length; j += 1) yield [sets[i] as LoadedSet, sets[j] as LoadedSet];
  }
}

function unitizingOf(passage: LoadedPassage, sets: LoadedSet[]): UnitizingParts {
  return unitizingParts({ begin: 0, end: Math.max(passage.length, 1), units: unitsForUnitizing(sets), coders: sets.map((s) => s.userId) });
}

function weekOf(ms: number): string {
  const date = new Date(ms);
  const day = (date.getUTCDay() + 6) % 7;
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day));
  return monday.toISOString().slice(0, 10);
}

function addTo<K>(map: Map<K, SpanCounts>, key: K, counts: SpanCounts, swap = false): void {
  let into = map.get(key);
  if (!into) {
    into = zeroCounts();
    map.set(key, into);
  }
  addCounts(into, counts, swap);
}

function totalOf(byLabel: Map<string, SpanCounts>): SpanCounts {
  const total = zeroCounts();
  for (const counts of byLabel.values()) addCounts(total, counts);
  return total;
}

/**
 * What the report needs of one passage, computed from its sets alone (the "map" half of a report:
 * it runs in each shard's worker, on that shard's passages). Plain data, so it crosses threads.
 */
export interface PassagePart {
  passageId: string;
  /** Monday (UTC) of the week the passage's last set was submitted. */
  week: string;
  /** The annotators of the passage's sets, in set (user id) order, and their categories. */
  coders: string[];
  categories: (string | null)[];
  spanCount: number;
  spansByLabel: [label: string, count: number][];
  unitizing: UnitizingParts;
  relations: RelationParts;
  /** Offsets every annotator marked: relation agreement's components. */
  matchedSpans: number;
  /** Every pair of annotators (a before b in set order). */
  pairs: { a: string; b: string; counts: [label: string, counts: SpanCounts][]; unitizing: UnitizingParts; relations: RelationParts }[];
}

export function passagePart(passage: LoadedPassage): PassagePart {
  const read = readPassage(passage);
  if (read === undefined) return checkedPassagePart(passage);
  const sets = passage.sets;
  const unitizing = unitizingPairPartsOf(read.units, read.length, read.coders, read.labels);
  const relations = relationPairPartsOf(read.relations, read.coders, read.marked, read.components, read.types);
  const pairs: PassagePart['pairs'] = [];
  let index = 0;
  for (let a = 0; a < sets.length; a += 1) {
    for (let b = a + 1; b < sets.length; b += 1) {
      const unitizingPair = unitizing.pairs[index] as UnitizingPairParts['pairs'][number];
      const relationPair = relations.pairs[index] as RelationPairParts['pairs'][number];
      index += 1;
      pairs.push({ a: read.coders[a] as string, b: read.coders[b] as string, counts: pairSpanCounts(read, a, b), unitizing: unitizingPair.parts, relations: relationPair.parts });
    }
  }
  let spanCount = 0;
  for (const set of sets) spanCount += set.spans.length;
  return {
    passageId: passage.id,
    week: weekOf(Math.max(...sets.map((s) => s.submittedAt))),
    coders: read.coders,
    categories: sets.map((s) => s.category),
    spanCount,
    spansByLabel: read.labels.map((label, l) => [label, read.labelSpans[l] as number]),
    unitizing: unitizing.all,
    relations: relations.all,
    matchedSpans: sharedComponents(read),
    pairs,
  };
}

/** passagePart on input readPassage turned down: each measure checks it and says what is wrong. */
function checkedPassagePart(passage: LoadedPassage): PassagePart {
  const sets = passage.sets;
  const coders = sets.map((s) => s.userId);
  // All annotators and every pair of them, each from one pass (packages/agreement).
  const unitizing = unitizingPairParts({ begin: 0, end: Math.max(passage.length, 1), units: unitsForUnitizing(sets), coders });
  const relations = relationPairParts(relationInput(sets));
  const spansByLabel = new Map<string, number>();
  let spanCount = 0;
  for (const set of sets) {
    spanCount += set.spans.length;
    for (const span of set.spans) spansByLabel.set(span.label, (spansByLabel.get(span.label) ?? 0) + 1);
  }
  const pairs: PassagePart['pairs'] = [];
  let index = 0;
  for (const [a, b] of pairsOf(sets)) {
    const unitizingPair = unitizing.pairs[index];
    const relationPair = relations.pairs[index];
    index += 1;
    // Both functions list pairs a < b in the order of the coders given, as pairsOf does.
    if (unitizingPair?.a !== a.userId || unitizingPair.b !== b.userId || relationPair?.a !== a.userId || relationPair.b !== b.userId) {
      throw new Error(`pair order mismatch on passage ${passage.id}`);
    }
    pairs.push({ a: a.userId, b: b.userId, counts: [...spanCounts(a.spans, b.spans)], unitizing: unitizingPair.parts, relations: relationPair.parts });
  }
  return {
    passageId: passage.id,
    week: weekOf(Math.max(...sets.map((s) => s.submittedAt))),
    coders,
    categories: sets.map((s) => s.category),
    spanCount,
    spansByLabel: [...spansByLabel],
    unitizing: unitizing.all,
    relations: relations.all,
    matchedSpans: sharedOffsets(sets),
    pairs,
  };
}

export interface ReportMeta {
  scheme: ReportScheme;
  /** Span labels in the filter (all of the scheme's when none was chosen). */
  labels: string[];
  annotators: { id: string; username: string; displayName: string }[];
  progress: ProjectReport['progress'];
  resamples?: number;
  /** Another thread for half the resampling (the same report, sooner on two cores). */
  helper?: ResampleHelper;
}

export interface ReportInput extends ReportMeta {
  passages: LoadedPassage[];
}

/** The whole report in one thread: the map and the reduce halves in turn. */
export function buildReport(input: ReportInput): ProjectReport {
  return reduceReport(input.passages.map(passagePart), input);
}

/**
 * The project report from every passage's part (the "reduce" half): passage categories, spans and
 * relations, overall, per annotator pair, per annotator against the rest, per label and per week
 * (docs/agreement.md says how each is defined). Parts in any order give the same report: they are
 * put in passage id order first, so the bootstrap draws the same passages whatever the sharding.
 */
export function reduceReport(unsorted: PassagePart[], meta: ReportMeta): ProjectReport {
  const parts = [...unsorted].sort((a, b) => (a.passageId < b.passageId ? -1 : a.passageId > b.passageId ? 1 : 0));
  // One joint bootstrap of passages for every interval of the report (packages/agreement Resampler).
  const rs = new Resampler(parts.length, { resamples: meta.resamples ?? RESAMPLES, seed: SEED, ...(meta.helper ? { helper: meta.helper } : {}) });
  // Every coder of the parts has a row, named or not (a caller may pass only the names it knows).
  const named = new Set(meta.annotators.map((a) => a.id));
  const unnamed = [...new Set(parts.flatMap((p) => p.coders))].filter((id) => !named.has(id)).sort();
  const annotators = [...meta.annotators, ...unnamed.map((id) => ({ id, username: id, displayName: id }))];
  const annotatorIds = annotators.map((a) => a.id);
  const coderIndex = new Map(annotatorIds.map((id, i) => [id, i]));

  // Categories: alpha over every annotator (missing where they did not code the passage).
  const categoryMatrix: (string | null)[][] = annotatorIds.map(() => new Array<string | null>(parts.length).fill(null));
  const categorisedUnits: number[] = [];
  const categoryCounts: number[] = [];
  parts.forEach((part, unit) => {
    let given = 0;
    part.coders.forEach((coder, i) => {
      const category = part.categories[i] ?? null;
      if (category === null) return;
      given += 1;
      (categoryMatrix[coderIndex.get(coder) as number] as (string | null)[])[unit] = category;
    });
    if (given >= 2) {
      categorisedUnits.push(unit);
      categoryCounts.push(given);
    }
  });
  const categoryKeys = [...new Set([...meta.scheme.categories.map((c) => c.key), ...categoryMatrix.flat().filter((c): c is string => c !== null)])];
  const sameRaters = categoryCounts.length > 0 && categoryCounts.every((n) => n === categoryCounts[0]);
  const fleissRows = sameRaters
    ? categorisedUnits.map((unit) => {
        const given = (parts[unit] as PassagePart).categories.filter((c) => c !== null);
        return categoryKeys.map((key) => given.filter((c) => c === key).length);
      })
    : [];
  /** Both annotators' categories on the passages where both gave one, with the passage of each. */
  const categoryPairs = (a: string, b: string) => {
    const pairs: [string, string][] = [];
    const units: number[] = [];
    const ia = coderIndex.get(a) as number;
    const ib = coderIndex.get(b) as number;
    for (let unit = 0; unit < parts.length; unit += 1) {
      const ca = categoryMatrix[ia]?.[unit] ?? null;
      const cb = categoryMatrix[ib]?.[unit] ?? null;
      if (ca === null || cb === null) continue;
      pairs.push([ca, cb]);
      units.push(unit);
    }
    return { pairs, units };
  };

  const countsByLabel = new Map<string, SpanCounts>();
  interface PairData {
    counts: Map<string, SpanCounts>;
    units: number[];
    unitizing: UnitizingParts[];
    relations: RelationParts[];
  }
  const pairData = new Map<string, PairData>();
  const annotatorCounts = new Map<string, SpanCounts>();
  const annotatorPassages = new Map<string, number>();
  const spansByLabel = new Map<string, number>();
  let spanTotal = 0;
  let matchedSpans = 0;
  let relationItemCount = 0;
  const relationCoderCounts = new Set<number>();
  const weeks = new Map<string, { units: number[]; parts: UnitizingParts[]; counts: SpanCounts }>();

  parts.forEach((part, unit) => {
    spanTotal += part.spanCount;
    for (const [label, n] of part.spansByLabel) spansByLabel.set(label, (spansByLabel.get(label) ?? 0) + n);
    for (const coder of part.coders) annotatorPassages.set(coder, (annotatorPassages.get(coder) ?? 0) + 1);
    matchedSpans += part.matchedSpans;
    relationItemCount += part.relations.items;
    relationCoderCounts.add(part.coders.length);
    let bucket = weeks.get(part.week);
    if (!bucket) {
      bucket = { units: [], parts: [], counts: zeroCounts() };
      weeks.set(part.week, bucket);
    }
    bucket.units.push(unit);
    bucket.parts.push(part.unitizing);
    for (const { a, b, counts, unitizing, relations } of part.pairs) {
      const key = pairKey(a, b);
      let pair = pairData.get(key);
      if (!pair) {
        pair = { counts: new Map(), units: [], unitizing: [], relations: [] };
        pairData.set(key, pair);
      }
      pair.units.push(unit);
      pair.unitizing.push(unitizing);
      pair.relations.push(relations);
      for (const [label, c] of counts) {
        addTo(pair.counts, label, c);
        // Both directions, so the overall precision and recall do not depend on who is "first".
        addTo(countsByLabel, label, c);
        addTo(countsByLabel, label, c, true);
        addCounts(bucket.counts, c);
        addCounts(bucket.counts, c, true);
        // Against the rest: each annotator as candidate.
        addTo(annotatorCounts, b, c);
        addTo(annotatorCounts, a, c, true);
      }
    }
  });

  // Every statistic is registered first; the first get() below resamples them all at once.
  const categoryAlpha = rs.alpha(categoryMatrix, 'nominal');
  const twoAnnotators = annotatorIds.length === 2 ? categoryPairs(annotatorIds[0] as string, annotatorIds[1] as string) : null;
  const cohen = twoAnnotators ? rs.cohenKappa(twoAnnotators.pairs, { units: twoAnnotators.units }) : null;
  const fleiss = sameRaters ? rs.fleissKappa(fleissRows, { units: categorisedUnits }) : null;
  const unitizing = rs.pooledUnitizingAlpha(parts.map((p) => p.unitizing), { labels: meta.labels });
  const relationParts = parts.map((p) => p.relations);
  const relationAlpha = rs.pooledRelationAlpha(relationParts);
  // Fleiss' kappa needs the same number of raters on every item.
  const relationFleiss = relationCoderCounts.size === 1 ? rs.pooledRelationFleissKappa(relationParts) : null;
  const pairStats = [...pairData.entries()].map(([key, pair]) => {
    const [a, b] = key.split('|') as [string, string];
    const categories = categoryPairs(a, b);
    return {
      a,
      b,
      pair,
      category: rs.cohenKappa(categories.pairs, { units: categories.units }),
      unitizing: rs.pooledUnitizingAlpha(pair.unitizing, { labels: meta.labels, units: pair.units, perLabel: false }),
      relations: rs.pooledRelationAlpha(pair.relations, { units: pair.units }),
    };
  });
  const annotatorStats = annotatorIds.map((id) => {
    // This annotator against each other annotator of the same passage: one column per (passage, other).
    const mine: (string | null)[] = [];
    const theirs: (string | null)[] = [];
    const units: number[] = [];
    parts.forEach((part, unit) => {
      const own = part.coders.indexOf(id);
      if (own < 0) return;
      part.coders.forEach((_, other) => {
        if (other === own) return;
        mine.push(part.categories[own] ?? null);
        theirs.push(part.categories[other] ?? null);
        units.push(unit);
      });
    });
    return { id, category: rs.alpha([mine, theirs], 'nominal', { units }) };
  });

  const pairs: ReportPair[] = pairStats.map(({ a, b, pair, category, unitizing: pairUnitizing, relations }) => {
    const total = totalOf(pair.counts);
    const perLabel: ReportPair['perLabel'] = {};
    for (const label of meta.labels) {
      const counts = pair.counts.get(label) ?? zeroCounts();
      perLabel[label] = { exact: exactF1(counts).f1, overlap: overlapF1(counts).f1 };
    }
    return {
      a,
      b,
      passages: pair.units.length,
      category: toEstimate(category.get()),
      unitizing: toEstimate(pairUnitizing.get().overall),
      exact: f1Figures(exactF1(total)),
      overlap: f1Figures(overlapF1(total)),
      relations: toEstimate(relations.get()),
      perLabel,
    };
  });

  const perAnnotator = annotatorStats.map(({ id, category }) => {
    const counts = annotatorCounts.get(id) ?? zeroCounts();
    return {
      annotator: id,
      passages: annotatorPassages.get(id) ?? 0,
      category: toEstimate(category.get()),
      exact: f1Figures(exactF1(counts)),
      overlap: f1Figures(overlapF1(counts)),
    };
  });

  const total = totalOf(countsByLabel);
  const overTime = [...weeks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([week, bucket]) => ({
      week,
      passages: bucket.units.length,
      category: nullIfNaN(krippendorffAlpha(categoryMatrix.map((row) => bucket.units.map((u) => row[u] ?? null)), 'nominal')),
      unitizing: nullIfNaN(pooledUnitizingAlpha(bucket.parts, { labels: meta.labels, resamples: 0 }).overall.value),
      exactF1: exactF1(bucket.counts).f1,
    }));

  const labelName = new Map(meta.scheme.spanLabels.map((l) => [l.key, l]));
  const unitizingResult = unitizing.get();
  return {
    passages: parts.length,
    annotators,
    labels: meta.labels.map((key) => ({ key, name: labelName.get(key)?.name ?? key, color: labelName.get(key)?.color ?? '#888888' })),
    category: {
      items: categorisedUnits.length,
      alpha: toEstimate(categoryAlpha.get()),
      cohenKappa: cohen ? toEstimate(cohen.get()) : null,
      fleissKappa: fleiss ? toEstimate(fleiss.get()) : null,
    },
    spans: {
      count: spanTotal,
      unitizing: toEstimate(unitizingResult.overall),
      exact: f1Figures(exactF1(total)),
      overlap: f1Figures(overlapF1(total)),
      perLabel: meta.labels.map((label) => {
        const counts = countsByLabel.get(label) ?? zeroCounts();
        const alpha = unitizingResult.perLabel[label];
        return {
          label,
          name: labelName.get(label)?.name ?? label,
          spans: spansByLabel.get(label) ?? 0,
          unitizing: alpha ? toEstimate(alpha) : toEstimate({ value: Number.NaN, low: Number.NaN, high: Number.NaN, reason: 'nothing-to-compare' }),
          exact: f1Figures(exactF1(counts)),
          overlap: f1Figures(overlapF1(counts)),
        };
      }),
    },
    relations: {
      matchedSpans,
      items: relationItemCount,
      alpha: toEstimate(relationAlpha.get()),
      fleissKappa: relationFleiss ? toEstimate(relationFleiss.get()) : null,
    },
    pairs,
    perAnnotator,
    overTime,
    progress: meta.progress,
  };
}

/** One passage's figures for the disagreement queue and the comparison. */
export function passageFigures(passage: LoadedPassage): PassageDisagreement {
  const sets = passage.sets;
  let pairs = 0;
  let categoryDisagreements = 0;
  const spanTotal = zeroCounts();
  let relationMatches = 0;
  let relationCount = 0;
  const keys = sets.map((set) => new Set(relationKeys(set).values()));
  sets.forEach((a, i) => {
    sets.forEach((b, j) => {
      if (j <= i) return;
      pairs += 1;
      if (a.category !== b.category) categoryDisagreements += 1;
      for (const counts of spanCounts(a.spans, b.spans).values()) addCounts(spanTotal, counts);
      const ka = keys[i] as Set<string>;
      const kb = keys[j] as Set<string>;
      relationCount += ka.size + kb.size;
      for (const key of ka) if (kb.has(key)) relationMatches += 2;
    });
  });
  const categoryShare = pairs === 0 ? 0 : categoryDisagreements / pairs;
  const exact = exactF1(spanTotal).f1;
  const relationF1 = relationCount === 0 ? null : relationMatches / relationCount;
  const categories = new Map<string | null, number>();
  for (const set of sets) categories.set(set.category, (categories.get(set.category) ?? 0) + 1);
  const unitizing = pooledUnitizingAlpha([unitizingOf(passage, sets)], { resamples: 0 }).overall.value;
  return {
    disagreement: (categoryShare + (1 - (exact ?? 1)) + (1 - (relationF1 ?? 1))) / 3,
    categories: [...categories.entries()].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count),
    exactF1: exact,
    unitizing: nullIfNaN(unitizing),
    relationF1,
  };
}
