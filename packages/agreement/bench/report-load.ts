// A project report's bootstraps, registered exactly as apps/api/src/agreement/report.ts registers
// them on one Resampler, on 10,000 passages x 3 annotators: passage categories (alpha over all
// annotators, Fleiss, Cohen per pair, alpha per annotator against the others with one column per
// (passage, other annotator)), alpha_U pooled over passages from unitizingPairParts (overall with 3
// labels, and per pair with perLabel: false), relation alpha and Fleiss pooled over passages from
// relationPairParts (and alpha per pair). 17 intervals, 1000 resamples each.
// Timed by hand (register, then the first get): `node --import tsx bench/report-load.ts` from apps/api's
// node_modules, or `pnpm exec tsx packages/agreement/bench/report-load.ts`.
import { mulberry32 } from '../../../test-support/prng.ts';
import { relationInput, unitsForUnitizing, type LoadedRelation, type LoadedSet, type LoadedSpan } from '../src/report/passage-data.ts';
import {
  relationPairParts,
  Resampler,
  unitizingPairParts,
  type BootstrapOptions,
  type Estimate,
  type Pending,
  type PooledUnitizingResult,
  type RelationParts,
  type UnitizingParts,
} from '../src/index.ts';

export const LABELS = ['premise', 'inference', 'conclusion'];
const CATEGORIES = ['reasoning', 'knowledge', 'noise'];
const CODERS = ['u0', 'u1', 'u2'];
export const PAIRS: [number, number][] = [
  [0, 1],
  [0, 2],
  [1, 2],
];

type Set = LoadedSet;

export type ReportLoad = {
  passages: number;
  /** Rows annotators, columns passages. */
  categories: (string | null)[][];
  /** Undefined when the categorised passages have different numbers of raters (report.ts then skips Fleiss). */
  fleiss: { rows: number[][]; units: number[] } | undefined;
  /** Per pair (PAIRS order): both categories where both gave one, and the passage of each. */
  pairCategories: { pairs: [string, string][]; units: number[] }[];
  /** Per annotator: [mine, theirs], one column per (passage, other annotator). */
  annotatorMatrices: { matrix: (string | null)[][]; units: number[] }[];
  unitizing: UnitizingParts[];
  pairUnitizing: { parts: UnitizingParts[]; units: number[] }[];
  relations: RelationParts[];
  relationFleiss: boolean;
  pairRelations: { parts: RelationParts[]; units: number[] }[];
};

/**
 * 10,000 passages of 600 characters; each annotator 20 spans over 3 labels, mostly agreeing, and
 * about 9 relations between them; `missing` of the categories left out (report.ts registers Fleiss
 * only when every categorised passage has the same number of raters, so 0 keeps all 17).
 */
export function reportLoad(passages = 10_000, seed = 7, missing = 0): ReportLoad {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const sets: Set[][] = [];
  for (let p = 0; p < passages; p++) {
    const truth = pick(CATEGORIES);
    const spanTruth = Array.from({ length: 20 }, () => pick(LABELS));
    sets.push(
      CODERS.map((userId) => {
        const spans: LoadedSpan[] = [];
        for (let s = 0; s < 20; s++) {
          const shift = random() < 0.8 ? 0 : Math.floor(random() * 4);
          const stretch = random() < 0.8 ? 0 : Math.floor(random() * 6);
          spans.push({ id: `${userId}-${s}`, label: random() < 0.8 ? spanTruth[s]! : pick(LABELS), start: s * 30 + shift, end: s * 30 + 20 + shift + stretch });
        }
        const relations: LoadedRelation[] = [];
        for (let k = 0; k < 10; k++) {
          if (random() < 0.15) continue;
          const target = random() < 0.85 ? 2 * k + 1 : (2 * k + 3) % 20;
          relations.push({ id: `${userId}-r${k}`, type: random() < 0.85 ? 'supports' : 'attacks', source: `${userId}-${2 * k}`, target: `${userId}-${target}` });
        }
        const category = random() < missing ? null : random() < 0.85 ? truth : pick(CATEGORIES);
        return { userId, category, submittedAt: 0, spans, relations };
      }),
    );
  }

  // As report.ts builds them.
  const coderIndex = new Map(CODERS.map((id, i) => [id, i]));
  const categories = CODERS.map(() => new Array<string | null>(passages).fill(null));
  const categorisedUnits: number[] = [];
  const categoryCounts: number[] = [];
  sets.forEach((passage, unit) => {
    let given = 0;
    for (const set of passage) {
      if (set.category === null) continue;
      given++;
      categories[coderIndex.get(set.userId)!]![unit] = set.category;
    }
    if (given >= 2) {
      categorisedUnits.push(unit);
      categoryCounts.push(given);
    }
  });
  const categoryKeys = [...new Set([...CATEGORIES, ...categories.flat().filter((c): c is string => c !== null)])];
  const sameRaters = categoryCounts.length > 0 && categoryCounts.every((n) => n === categoryCounts[0]);
  const fleiss = sameRaters
    ? {
        rows: categorisedUnits.map((unit) => {
          const given = sets[unit]!.filter((s) => s.category !== null);
          return categoryKeys.map((key) => given.filter((s) => s.category === key).length);
        }),
        units: categorisedUnits,
      }
    : undefined;
  const pairCategories = PAIRS.map(([a, b]) => {
    const pairs: [string, string][] = [];
    const units: number[] = [];
    sets.forEach((passage, unit) => {
      const ca = passage[a]!.category;
      const cb = passage[b]!.category;
      if (ca == null || cb == null) return;
      pairs.push([ca, cb]);
      units.push(unit);
    });
    return { pairs, units };
  });
  const annotatorMatrices = CODERS.map((_, a) => {
    const mine: (string | null)[] = [];
    const theirs: (string | null)[] = [];
    const units: number[] = [];
    sets.forEach((passage, unit) => {
      const own = passage[a]!;
      for (const other of passage) {
        if (other === own) continue;
        mine.push(own.category);
        theirs.push(other.category);
        units.push(unit);
      }
    });
    return { matrix: [mine, theirs], units };
  });

  const unitizing: UnitizingParts[] = [];
  const relations: RelationParts[] = [];
  const pairUnitizing = PAIRS.map(() => ({ parts: [] as UnitizingParts[], units: [] as number[] }));
  const pairRelations = PAIRS.map(() => ({ parts: [] as RelationParts[], units: [] as number[] }));
  sets.forEach((passage, unit) => {
    // The report's own preparation of each set (merged units, offset components, relation tuples).
    const unitizingAll = unitizingPairParts({ begin: 0, end: 600, units: unitsForUnitizing(passage), coders: CODERS });
    const relationAll = relationPairParts(relationInput(passage));
    unitizing.push(unitizingAll.all);
    relations.push(relationAll.all);
    PAIRS.forEach((_, i) => {
      pairUnitizing[i]!.parts.push(unitizingAll.pairs[i]!.parts);
      pairUnitizing[i]!.units.push(unit);
      pairRelations[i]!.parts.push(relationAll.pairs[i]!.parts);
      pairRelations[i]!.units.push(unit);
    });
  });
  return { passages, categories, fleiss, pairCategories, annotatorMatrices, unitizing, pairUnitizing, relations, relationFleiss: true, pairRelations };
}

/** report.ts's registrations, in its order. */
export function register(rs: Resampler, load: ReportLoad): Pending<unknown>[] {
  const pending: Pending<unknown>[] = [];
  pending.push(rs.alpha(load.categories, 'nominal'));
  if (load.fleiss) pending.push(rs.fleissKappa(load.fleiss.rows, { units: load.fleiss.units }));
  pending.push(rs.pooledUnitizingAlpha(load.unitizing, { labels: LABELS }));
  pending.push(rs.pooledRelationAlpha(load.relations));
  if (load.relationFleiss) pending.push(rs.pooledRelationFleissKappa(load.relations));
  PAIRS.forEach((_, i) => {
    const categories = load.pairCategories[i]!;
    pending.push(rs.cohenKappa(categories.pairs, { units: categories.units }));
    const unitizing = load.pairUnitizing[i]!;
    pending.push(rs.pooledUnitizingAlpha(unitizing.parts, { labels: LABELS, units: unitizing.units, perLabel: false }));
    const relations = load.pairRelations[i]!;
    pending.push(rs.pooledRelationAlpha(relations.parts, { units: relations.units }));
  });
  for (const a of load.annotatorMatrices) pending.push(rs.alpha(a.matrix, 'nominal', { units: a.units }));
  return pending;
}

/** The same 17 intervals from one Resampler: one set of draws of the passages for all of them. */
export function jointly(load: ReportLoad, opts: BootstrapOptions): unknown[] {
  const rs = new Resampler(load.passages, opts);
  return register(rs, load).map((p) => p.get());
}

/** The *WithInterval functions a report would call, one bootstrap each. */
export type SeparateApi = {
  alphaWithInterval: (matrix: (string | null)[][], level: 'nominal', opts: BootstrapOptions) => Estimate;
  fleissKappaWithInterval: (counts: number[][], opts: BootstrapOptions) => Estimate;
  cohenKappaWithInterval: (pairs: [string, string][], opts: BootstrapOptions) => Estimate;
  pooledUnitizingAlpha: (parts: UnitizingParts[], opts: BootstrapOptions & { labels?: string[] }) => PooledUnitizingResult;
  pooledRelationAlpha: (parts: RelationParts[], opts: BootstrapOptions) => Estimate;
  pooledRelationFleissKappa: (parts: RelationParts[], opts: BootstrapOptions) => Estimate;
};

export function separately(api: SeparateApi, load: ReportLoad, opts: BootstrapOptions): unknown[] {
  return [
    api.alphaWithInterval(load.categories, 'nominal', opts),
    ...(load.fleiss ? [api.fleissKappaWithInterval(load.fleiss.rows, opts)] : []),
    ...load.pairCategories.map((pair) => api.cohenKappaWithInterval(pair.pairs, opts)),
    ...load.annotatorMatrices.map((a) => api.alphaWithInterval(a.matrix, 'nominal', opts)),
    api.pooledUnitizingAlpha(load.unitizing, { ...opts, labels: LABELS }),
    ...load.pairUnitizing.map((pair) => api.pooledUnitizingAlpha(pair.parts, { ...opts, labels: LABELS }).overall),
    api.pooledRelationAlpha(load.relations, opts),
    api.pooledRelationFleissKappa(load.relations, opts),
    ...load.pairRelations.map((pair) => api.pooledRelationAlpha(pair.parts, opts)),
  ];
}

/** Register and first-get times (ms): the first run (cold, as a report's first request) and the best of `runs` after it. */
export function timeReport(
  load: ReportLoad,
  opts: BootstrapOptions,
  runs = 7,
  make: (n: number, o: BootstrapOptions) => Resampler = (n, o) => new Resampler(n, o),
): { cold: { register: number; resample: number }; warm: { register: number; resample: number } } {
  let best = { register: Infinity, resample: Infinity };
  let cold = best;
  for (let k = 0; k <= runs; k++) {
    const rs = make(load.passages, opts);
    const start = performance.now();
    const pending = register(rs, load);
    const registered = performance.now();
    pending[0]!.get();
    const done = performance.now();
    if (k === 0) cold = { register: Math.round(registered - start), resample: Math.round(done - registered) };
    else best = { register: Math.min(best.register, registered - start), resample: Math.min(best.resample, done - registered) };
  }
  return { cold, warm: { register: Math.round(best.register), resample: Math.round(best.resample) } };
}

if (process.argv[1]?.endsWith('report-load.ts')) {
  const load = reportLoad();
  console.log(timeReport(load, { resamples: 1000, seed: 20041 }));
}
