import type { UndefinedReason } from '../estimate.ts';
import { krippendorffAlpha } from '../krippendorff.ts';
import { runAlone } from '../plan.ts';
import { pooledUnitizingAlpha, pooledUnitizingColumnsPlan, unitizingColumns, type UnitizingColumns } from '../pooled-unitizing.ts';
import {
  NO_RELATION,
  relationAlphaCellsPlan,
  relationFleissCellsPlan,
  relationPairCellsOf,
  relationPairParts,
  type RelationCells,
  type RelationParts,
} from '../relations.ts';
import type { ResampleHelper } from '../resample-sums.ts';
import { Resampler } from '../resampler.ts';
import { unitizingPairColumnsOf, unitizingPairParts, unitizingParts, type UnitizingParts } from '../unitizing.ts';
import { pairSpanCountsInto, readPassage, sharedComponents } from './passage-arrays.ts';
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

/** Adds one pair-and-label's span counts at `at` (see PassagePart.counts). */
function addInto(into: Float64Array, at: number, reference: number, candidate: number, exact: number, referenceOverlapped: number, candidateOverlapped: number): void {
  into[at]! += reference;
  into[at + 1]! += candidate;
  into[at + 2]! += exact;
  into[at + 3]! += referenceOverlapped;
  into[at + 4]! += candidateOverlapped;
}

/**
 * What the report needs of one passage, computed from its sets alone (the "map" half of a report:
 * it runs in each shard's worker, on that shard's passages). Plain data, so it crosses threads:
 * the measures are numbers in a few typed arrays, by label and group index, rather than objects
 * per label and pair (a report holds tens of thousands of parts; their objects were most of its
 * garbage and of the time spent registering statistics).
 *
 * Groups: 0 is all the passage's annotators, 1 + p is pair p (pairs a < b in set order).
 */
export interface PassagePart {
  passageId: string;
  /** Monday (UTC) of the week the passage's last set was submitted. */
  week: string;
  /** The annotators of the passage's sets, in set (user id) order, and their categories. */
  coders: string[];
  categories: (string | null)[];
  spanCount: number;
  /** Offsets every annotator marked: relation agreement's components. */
  matchedSpans: number;
  /** Continuum length of the unitizing parts. */
  length: number;
  /** The span labels of the passage's sets, sorted; `spans`, `unitizing` and `counts` are by index into these. */
  labels: string[];
  /** Spans per label. */
  spans: Int32Array;
  /**
   * Unitizing parts (UnitizingParts.perLabel) per group g and label l: D_o at (g * labels + l) * 2,
   * D_e after it; -1 for a label the group's part does not list.
   */
  unitizing: Float64Array;
  /** Relation labels: none, then the passage's relation types; `relations` is by index into these. */
  types: string[];
  /** Per group, at g * (1 + types * types): its relation items, then its pairs table (RelationParts.pairs, zeros left out there). */
  relations: Float64Array;
  /** Per pair p and label l at (p * labels + l) * 5: reference, candidate, exact, referenceOverlapped, candidateOverlapped. */
  counts: Int32Array;
}

const COUNTS = 5;

export function passagePart(passage: LoadedPassage): PassagePart {
  const read = readPassage(passage);
  if (read === undefined) return checkedPassagePart(passage);
  const sets = passage.sets;
  const m = sets.length;
  const pairCount = (m * (m - 1)) / 2;
  const labelCount = read.sortedLabels.length;
  const unitizing = new Float64Array((1 + pairCount) * labelCount * 2).fill(-1);
  unitizingPairColumnsOf(read.units, read.length, read.coders, read.labels, unitizing);
  const t = read.types.length + 1;
  const relations = new Float64Array((1 + pairCount) * (1 + t * t));
  relationPairCellsOf(read.relations, read.coders, read.marked, read.components, read.types, relations);
  const counts = new Int32Array(pairCount * labelCount * COUNTS);
  let index = 0;
  for (let a = 0; a < m; a += 1) {
    for (let b = a + 1; b < m; b += 1) {
      pairSpanCountsInto(read, a, b, counts, index * labelCount * COUNTS);
      index += 1;
    }
  }
  const spans = new Int32Array(labelCount);
  for (let l = 0; l < read.labels.length; l += 1) spans[read.labelRank[l] as number] = read.labelSpans[l] as number;
  let spanCount = 0;
  for (const set of sets) spanCount += set.spans.length;
  return {
    passageId: passage.id,
    week: weekOf(Math.max(...sets.map((s) => s.submittedAt))),
    coders: read.coders,
    categories: sets.map((s) => s.category),
    spanCount,
    matchedSpans: sharedComponents(read),
    length: read.length,
    labels: read.sortedLabels,
    spans,
    unitizing,
    types: [NO_RELATION, ...read.types],
    relations,
    counts,
  };
}

/** passagePart on input readPassage turned down: each measure checks it and says what is wrong. */
function checkedPassagePart(passage: LoadedPassage): PassagePart {
  const sets = passage.sets;
  const coders = sets.map((s) => s.userId);
  // All annotators and every pair of them, each from one pass (packages/agreement).
  const unitizingParts = unitizingPairParts({ begin: 0, end: Math.max(passage.length, 1), units: unitsForUnitizing(sets), coders });
  const relationParts = relationPairParts(relationInput(sets));
  const byLabel = new Map<string, number>();
  let spanCount = 0;
  for (const set of sets) {
    spanCount += set.spans.length;
    for (const span of set.spans) byLabel.set(span.label, (byLabel.get(span.label) ?? 0) + 1);
  }
  const labels = [...byLabel.keys()].sort();
  const labelIndex = new Map(labels.map((label, l) => [label, l]));
  const L = labels.length;
  const spans = Int32Array.from(labels, (label) => byLabel.get(label) ?? 0);
  const groups: { unitizing: UnitizingParts; relations: RelationParts }[] = [{ unitizing: unitizingParts.all, relations: relationParts.all }];
  const counts: Map<string, SpanCounts>[] = [];
  let index = 0;
  for (const [a, b] of pairsOf(sets)) {
    const unitizingPair = unitizingParts.pairs[index];
    const relationPair = relationParts.pairs[index];
    index += 1;
    // Both functions list pairs a < b in the order of the coders given, as pairsOf does.
    if (unitizingPair?.a !== a.userId || unitizingPair.b !== b.userId || relationPair?.a !== a.userId || relationPair.b !== b.userId) {
      throw new Error(`pair order mismatch on passage ${passage.id}`);
    }
    groups.push({ unitizing: unitizingPair.parts, relations: relationPair.parts });
    counts.push(spanCounts(a.spans, b.spans));
  }
  const types = [NO_RELATION];
  for (const { relations } of groups) {
    for (const [x, row] of Object.entries(relations.pairs)) {
      for (const y of [x, ...Object.keys(row)]) if (!types.includes(y)) types.push(y);
    }
  }
  const t = types.length;
  const unitizing = new Float64Array(groups.length * L * 2).fill(-1);
  const relations = new Float64Array(groups.length * (1 + t * t));
  groups.forEach((group, g) => {
    for (const [label, d] of Object.entries(group.unitizing.perLabel)) {
      const l = labelIndex.get(label) as number;
      unitizing[(g * L + l) * 2] = d.observed;
      unitizing[(g * L + l) * 2 + 1] = d.expected;
    }
    relations[g * (1 + t * t)] = group.relations.items;
    for (const [x, row] of Object.entries(group.relations.pairs)) {
      for (const [y, amount] of Object.entries(row)) relations[g * (1 + t * t) + 1 + types.indexOf(x) * t + types.indexOf(y)] = amount;
    }
  });
  const countArray = new Int32Array(counts.length * L * COUNTS);
  counts.forEach((byPairLabel, p) => {
    for (const [label, c] of byPairLabel) {
      const at = (p * L + (labelIndex.get(label) as number)) * COUNTS;
      countArray[at] = c.reference;
      countArray[at + 1] = c.candidate;
      countArray[at + 2] = c.exact;
      countArray[at + 3] = c.referenceOverlapped;
      countArray[at + 4] = c.candidateOverlapped;
    }
  });
  return {
    passageId: passage.id,
    week: weekOf(Math.max(...sets.map((s) => s.submittedAt))),
    coders,
    categories: sets.map((s) => s.category),
    spanCount,
    matchedSpans: sharedOffsets(sets),
    length: unitizingParts.all.length,
    labels,
    spans,
    unitizing,
    types,
    relations,
    counts: countArray,
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
  // The categories as numbers in their sorted order: the measures order categories the same way
  // (numbers ascending, strings in code-unit order), so every table and coincidence matrix comes
  // out the same, and numbers are cheaper to look up than strings.
  const codeOf = new Map<string, number>(
    [...new Set(categoryMatrix.flat().filter((c): c is string => c !== null))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((c, i) => [c, i]),
  );
  const codeMatrix: (number | null)[][] = categoryMatrix.map((row) => row.map((c) => (c === null ? null : (codeOf.get(c) as number))));
  /** Both annotators' categories (as codes) on the passages where both gave one, with the passage of each. */
  const categoryPairs = (a: string, b: string) => {
    const pairs: [number, number][] = [];
    const units: number[] = [];
    const ia = coderIndex.get(a) as number;
    const ib = coderIndex.get(b) as number;
    for (let unit = 0; unit < parts.length; unit += 1) {
      const ca = codeMatrix[ia]?.[unit] ?? null;
      const cb = codeMatrix[ib]?.[unit] ?? null;
      if (ca === null || cb === null) continue;
      pairs.push([ca, cb]);
      units.push(unit);
    }
    return { pairs, units };
  };

  // Span labels of the whole report (the filter's first) and relation labels, each with an id;
  // per part, the ids of its own labels and types.
  const labelIds = new Map<string, number>();
  const idOf = (names: Map<string, number>, name: string): number => {
    let id = names.get(name);
    if (id === undefined) {
      id = names.size;
      names.set(name, id);
    }
    return id;
  };
  for (const label of meta.labels) idOf(labelIds, label);
  const typeIds = new Map<string, number>();
  const partLabels = new Int32Array(parts.length + 1);
  const partTypes = new Int32Array(parts.length + 1);
  const labelIdsOf: number[] = [];
  const typeIdsOf: number[] = [];
  parts.forEach((part, p) => {
    for (const label of part.labels) labelIdsOf.push(idOf(labelIds, label));
    for (const type of part.types) typeIdsOf.push(idOf(typeIds, type));
    partLabels[p + 1] = labelIdsOf.length;
    partTypes[p + 1] = typeIdsOf.length;
  });
  const labelCount = labelIds.size;
  const typeNames = [...typeIds.keys()];
  const coderCount = annotatorIds.length;

  // Span counts per label (both directions, so the overall precision and recall do not depend on
  // who is "first"), per pair and label, and per annotator as candidate against the rest, COUNTS numbers each.
  const countsByLabel = new Float64Array(labelCount * COUNTS);
  const annotatorCounts = new Float64Array(coderCount * COUNTS);
  const annotatorPassages = new Int32Array(coderCount);
  const spansByLabel = new Float64Array(labelCount);
  interface PairData {
    a: string;
    b: string;
    units: number[];
    /** The pair's group in each of its passages' parts. */
    groups: number[];
    counts: Float64Array;
  }
  const pairData: PairData[] = [];
  const pairOf = new Int32Array(coderCount * coderCount).fill(-1);
  let spanTotal = 0;
  let matchedSpans = 0;
  let relationItemCount = 0;
  const relationCoderCounts = new Set<number>();
  const weeks = new Map<string, { units: number[]; counts: SpanCounts }>();
  let coderAt = new Int32Array(32);

  parts.forEach((part, unit) => {
    const L = part.labels.length;
    const labelBase = partLabels[unit] as number;
    spanTotal += part.spanCount;
    for (let l = 0; l < L; l += 1) spansByLabel[labelIdsOf[labelBase + l] as number]! += part.spans[l] as number;
    const m = part.coders.length;
    if (coderAt.length < m) coderAt = new Int32Array(2 * m);
    for (let i = 0; i < m; i += 1) {
      const c = coderIndex.get(part.coders[i] as string) as number;
      coderAt[i] = c;
      annotatorPassages[c]! += 1;
    }
    matchedSpans += part.matchedSpans;
    relationItemCount += part.relations[0] as number;
    relationCoderCounts.add(m);
    let bucket = weeks.get(part.week);
    if (!bucket) {
      bucket = { units: [], counts: zeroCounts() };
      weeks.set(part.week, bucket);
    }
    bucket.units.push(unit);
    const week = bucket.counts;
    let p = 0;
    for (let i = 0; i < m; i += 1) {
      for (let j = i + 1; j < m; j += 1, p += 1) {
        const ia = coderAt[i] as number;
        const ib = coderAt[j] as number;
        let k = pairOf[ia * coderCount + ib] as number;
        if (k === -1) {
          k = pairOf[ia * coderCount + ib] = pairData.length;
          pairData.push({ a: part.coders[i] as string, b: part.coders[j] as string, units: [], groups: [], counts: new Float64Array(labelCount * COUNTS) });
        }
        const pair = pairData[k] as PairData;
        pair.units.push(unit);
        pair.groups.push(1 + p);
        for (let l = 0; l < L; l += 1) {
          const at = (p * L + l) * COUNTS;
          const reference = part.counts[at] as number;
          const candidate = part.counts[at + 1] as number;
          const exact = part.counts[at + 2] as number;
          const referenceOverlapped = part.counts[at + 3] as number;
          const candidateOverlapped = part.counts[at + 4] as number;
          const id = labelIdsOf[labelBase + l] as number;
          addInto(pair.counts, id * COUNTS, reference, candidate, exact, referenceOverlapped, candidateOverlapped);
          addInto(countsByLabel, id * COUNTS, reference, candidate, exact, referenceOverlapped, candidateOverlapped);
          addInto(countsByLabel, id * COUNTS, candidate, reference, exact, candidateOverlapped, referenceOverlapped);
          week.reference += reference + candidate;
          week.candidate += candidate + reference;
          week.exact += 2 * exact;
          week.referenceOverlapped += referenceOverlapped + candidateOverlapped;
          week.candidateOverlapped += candidateOverlapped + referenceOverlapped;
          // Against the rest: each annotator as candidate.
          addInto(annotatorCounts, ib * COUNTS, reference, candidate, exact, referenceOverlapped, candidateOverlapped);
          addInto(annotatorCounts, ia * COUNTS, candidate, reference, exact, candidateOverlapped, referenceOverlapped);
        }
      }
    }
  });

  // Unitizing parts as columns over the filter's labels (pooledUnitizingColumnsPlan).
  const reported = [...new Set(meta.labels)];
  const columnLabels = [...reported].sort();
  const columnOf = new Int32Array(labelCount).fill(-1);
  columnLabels.forEach((label, c) => (columnOf[labelIds.get(label) as number] = c));
  const unitizingOf = (units: number[], groups: number[] | undefined): UnitizingColumns => {
    const columns = unitizingColumns(units.length, columnLabels);
    const k = columnLabels.length;
    units.forEach((unit, item) => {
      const part = parts[unit] as PassagePart;
      const g = groups === undefined ? 0 : (groups[item] as number);
      const L = part.labels.length;
      const labelBase = partLabels[unit] as number;
      columns.length[item] = part.length;
      columns.coders[item] = g === 0 ? part.coders.length : 2;
      for (let l = 0; l < L; l += 1) {
        const c = columnOf[labelIdsOf[labelBase + l] as number] as number;
        if (c === -1) continue;
        const at = (g * L + l) * 2;
        const observed = part.unitizing[at] as number;
        if (observed === -1) continue;
        columns.present[item * k + c] = 1;
        columns.observed[item * k + c] = observed;
        columns.expected[item * k + c] = part.unitizing[at + 1] as number;
      }
    });
    return columns;
  };
  /** The relation parts of the given groups read into cells (relationAlphaCellsPlan), labels in sorted order. */
  const relationsOf = (units: number[], groups: number[] | undefined): RelationCells => {
    const present = new Uint8Array(typeNames.length);
    const each = (visit: (item: number, part: PassagePart, g: number, stride: number, base: number) => void): void => {
      units.forEach((unit, item) => {
        const part = parts[unit] as PassagePart;
        const t = part.types.length;
        visit(item, part, groups === undefined ? 0 : (groups[item] as number), 1 + t * t, partTypes[unit] as number);
      });
    };
    each((_, part, g, stride, base) => {
      const t = part.types.length;
      for (let x = 0; x < t * t; x += 1) {
        if (part.relations[g * stride + 1 + x] === 0) continue;
        present[typeIdsOf[base + Math.floor(x / t)] as number] = 1;
        present[typeIdsOf[base + (x % t)] as number] = 1;
      }
    });
    const sorted: number[] = [];
    present.forEach((is, id) => {
      if (is === 1) sorted.push(id);
    });
    sorted.sort((x, y) => ((typeNames[x] as string) < (typeNames[y] as string) ? -1 : (typeNames[x] as string) > (typeNames[y] as string) ? 1 : 0));
    const rank = new Int32Array(typeNames.length);
    sorted.forEach((id, r) => (rank[id] = r));
    let items = false;
    let paired = false;
    const contributing: number[] = [];
    const annotators: number[] = [];
    const itemCounts: number[] = [];
    const cellStart: number[] = [0];
    const cellA: number[] = [];
    const cellB: number[] = [];
    const cellAmount: number[] = [];
    each((item, part, g, stride, base) => {
      const t = part.types.length;
      const m = g === 0 ? part.coders.length : 2;
      const count = part.relations[g * stride] as number;
      if (count > 0) items = true;
      if (!(count > 0 && m >= 2)) return;
      paired = true;
      contributing.push(item);
      annotators.push(m);
      itemCounts.push(count);
      for (let x = 0; x < t * t; x += 1) {
        const amount = part.relations[g * stride + 1 + x] as number;
        if (amount === 0) continue;
        cellA.push(rank[typeIdsOf[base + Math.floor(x / t)] as number] as number);
        cellB.push(rank[typeIdsOf[base + (x % t)] as number] as number);
        cellAmount.push(amount);
      }
      cellStart.push(cellA.length);
    });
    return {
      labels: sorted.length,
      items,
      paired,
      contributing: Int32Array.from(contributing),
      annotators: Int32Array.from(annotators),
      itemCounts: Float64Array.from(itemCounts),
      cellStart: Int32Array.from(cellStart),
      cellA: Int32Array.from(cellA),
      cellB: Int32Array.from(cellB),
      cellAmount: Float64Array.from(cellAmount),
    };
  };

  // Every statistic is registered first; the first get() below resamples them all at once.
  const allUnits = Array.from({ length: parts.length }, (_, unit) => unit);
  const categoryAlpha = rs.alpha(codeMatrix, 'nominal');
  const twoAnnotators = annotatorIds.length === 2 ? categoryPairs(annotatorIds[0] as string, annotatorIds[1] as string) : null;
  const cohen = twoAnnotators ? rs.cohenKappa(twoAnnotators.pairs, { units: twoAnnotators.units }) : null;
  const fleiss = sameRaters ? rs.fleissKappa(fleissRows, { units: categorisedUnits }) : null;
  const unitizing = rs.plan(pooledUnitizingColumnsPlan(unitizingOf(allUnits, undefined), reported, true));
  const relationCells = relationsOf(allUnits, undefined);
  const relationAlpha = rs.plan(relationAlphaCellsPlan(relationCells, parts.length));
  // Fleiss' kappa needs the same number of raters on every item.
  const relationFleiss = relationCoderCounts.size === 1 ? rs.plan(relationFleissCellsPlan(relationCells, parts.length)) : null;
  const pairStats = pairData.map((pair) => {
    const categories = categoryPairs(pair.a, pair.b);
    return {
      pair,
      category: rs.cohenKappa(categories.pairs, { units: categories.units }),
      unitizing: rs.plan(pooledUnitizingColumnsPlan(unitizingOf(pair.units, pair.groups), reported, false), { units: pair.units }),
      relations: rs.plan(relationAlphaCellsPlan(relationsOf(pair.units, pair.groups), pair.units.length), { units: pair.units }),
    };
  });
  const annotatorStats = annotatorIds.map((id) => {
    // This annotator against each other annotator of the same passage: one column per (passage, other).
    const mine: (number | null)[] = [];
    const theirs: (number | null)[] = [];
    const units: number[] = [];
    parts.forEach((part, unit) => {
      const own = part.coders.indexOf(id);
      if (own < 0) return;
      part.coders.forEach((_, other) => {
        if (other === own) return;
        const a = part.categories[own] ?? null;
        const b = part.categories[other] ?? null;
        mine.push(a === null ? null : (codeOf.get(a) as number));
        theirs.push(b === null ? null : (codeOf.get(b) as number));
        units.push(unit);
      });
    });
    return { id, category: rs.alpha([mine, theirs], 'nominal', { units }) };
  });

  const countsAt = (array: Float64Array, at: number): SpanCounts => ({
    reference: array[at] as number,
    candidate: array[at + 1] as number,
    exact: array[at + 2] as number,
    referenceOverlapped: array[at + 3] as number,
    candidateOverlapped: array[at + 4] as number,
  });
  /** The counts of every label of the report added up (from `at`, labelCount labels). */
  const totalAt = (array: Float64Array, at: number): SpanCounts => {
    const total = zeroCounts();
    for (let id = 0; id < labelCount; id += 1) addCounts(total, countsAt(array, at + id * COUNTS));
    return total;
  };

  const pairs: ReportPair[] = pairStats.map(({ pair, category, unitizing: pairUnitizing, relations }) => {
    const total = totalAt(pair.counts, 0);
    const perLabel: ReportPair['perLabel'] = {};
    for (const label of meta.labels) {
      const counts = countsAt(pair.counts, (labelIds.get(label) as number) * COUNTS);
      perLabel[label] = { exact: exactF1(counts).f1, overlap: overlapF1(counts).f1 };
    }
    return {
      a: pair.a,
      b: pair.b,
      passages: pair.units.length,
      category: toEstimate(category.get()),
      unitizing: toEstimate(pairUnitizing.get().overall),
      exact: f1Figures(exactF1(total)),
      overlap: f1Figures(overlapF1(total)),
      relations: toEstimate(relations.get()),
      perLabel,
    };
  });

  const perAnnotator = annotatorStats.map(({ id, category }, c) => {
    const counts = countsAt(annotatorCounts, c * COUNTS);
    return {
      annotator: id,
      passages: annotatorPassages[c] as number,
      category: toEstimate(category.get()),
      exact: f1Figures(exactF1(counts)),
      overlap: f1Figures(overlapF1(counts)),
    };
  });

  const total = totalAt(countsByLabel, 0);
  const overTime = [...weeks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([week, bucket]) => ({
      week,
      passages: bucket.units.length,
      category: nullIfNaN(krippendorffAlpha(codeMatrix.map((row) => bucket.units.map((u) => row[u] ?? null)), 'nominal')),
      unitizing: nullIfNaN(runAlone(pooledUnitizingColumnsPlan(unitizingOf(bucket.units, undefined), reported, true), { resamples: 0 }).overall.value),
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
        const counts = countsAt(countsByLabel, (labelIds.get(label) as number) * COUNTS);
        const alpha = unitizingResult.perLabel[label];
        return {
          label,
          name: labelName.get(label)?.name ?? label,
          spans: spansByLabel[labelIds.get(label) as number] as number,
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
