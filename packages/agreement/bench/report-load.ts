// A project report's bootstraps, as apps/api's report computes them, on 10,000 passages x 3
// annotators: passage categories (alpha, Fleiss, Cohen per pair, alpha per annotator against the
// others), alpha_U pooled over passages (overall and per label, and per pair), relation alpha and
// Fleiss pooled over passages (and alpha per pair). 17 intervals, 1000 resamples each.
import { mulberry32 } from '../../../test-support/prng.ts';
import {
  relationAgreementParts,
  Resampler,
  unitizingParts,
  type BootstrapOptions,
  type Estimate,
  type PooledUnitizingResult,
  type RelationInput,
  type RelationParts,
  type UnitizingInput,
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

export type ReportLoad = {
  passages: number;
  /** Rows annotators, columns passages; 3% missing. */
  categories: (string | null)[][];
  fleissRows: number[][];
  fleissPassages: number[];
  pairCategories: { pairs: [string, string][]; passages: number[] }[];
  /** Per annotator: [mine, theirs], one column per (passage, other annotator). */
  annotatorMatrices: { matrix: (string | null)[][]; passages: number[] }[];
  unitizing: UnitizingParts[];
  pairUnitizing: UnitizingParts[][];
  relations: RelationParts[];
  pairRelations: RelationParts[][];
};

export function reportLoad(passages = 10_000, seed = 7): ReportLoad {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const load: ReportLoad = {
    passages,
    categories: CODERS.map(() => []),
    fleissRows: [],
    fleissPassages: [],
    pairCategories: PAIRS.map(() => ({ pairs: [], passages: [] })),
    annotatorMatrices: CODERS.map(() => ({ matrix: [[], []], passages: [] })),
    unitizing: [],
    pairUnitizing: PAIRS.map(() => []),
    relations: [],
    pairRelations: PAIRS.map(() => []),
  };
  for (let p = 0; p < passages; p++) {
    const truth = pick(CATEGORIES);
    const chosen = CODERS.map(() => (random() < 0.03 ? null : random() < 0.85 ? truth : pick(CATEGORIES)));
    chosen.forEach((c, i) => load.categories[i]!.push(c));
    if (chosen.every((c) => c !== null)) {
      load.fleissRows.push(CATEGORIES.map((k) => chosen.filter((c) => c === k).length));
      load.fleissPassages.push(p);
    }
    PAIRS.forEach(([a, b], i) => {
      const ca = chosen[a];
      const cb = chosen[b];
      if (ca == null || cb == null) return;
      load.pairCategories[i]!.pairs.push([ca, cb]);
      load.pairCategories[i]!.passages.push(p);
    });
    CODERS.forEach((_, a) => {
      for (let o = 0; o < CODERS.length; o++) {
        if (o === a) continue;
        const { matrix, passages: columns } = load.annotatorMatrices[a]!;
        matrix[0]!.push(chosen[a]!);
        matrix[1]!.push(chosen[o]!);
        columns.push(p);
      }
    });

    // 20 spans per annotator on a 600-character passage, mostly agreeing; 10 relations.
    const spanTruth = Array.from({ length: 20 }, () => pick(LABELS));
    const units: UnitizingInput['units'] = [];
    const relations: RelationInput['annotators'] = [];
    CODERS.forEach((coder) => {
      const own: [string, string, string][] = [];
      for (let s = 0; s < 20; s++) {
        const shift = random() < 0.8 ? 0 : Math.floor(random() * 4);
        const stretch = random() < 0.8 ? 0 : Math.floor(random() * 6);
        units.push({ coder, label: random() < 0.8 ? spanTruth[s]! : pick(LABELS), start: s * 30 + shift, end: s * 30 + 20 + shift + stretch });
      }
      for (let k = 0; k < 10; k++) {
        if (random() < 0.15) continue;
        own.push([`s${2 * k}`, `s${random() < 0.85 ? 2 * k + 1 : (2 * k + 3) % 20}`, random() < 0.85 ? 'supports' : 'attacks']);
      }
      relations.push({ id: coder, relations: own });
    });
    const components = Array.from({ length: 20 }, (_, s) => `s${s}`);
    load.unitizing.push(unitizingParts({ begin: 0, end: 600, units, coders: CODERS }));
    load.relations.push(relationAgreementParts({ components, annotators: relations }));
    PAIRS.forEach(([a, b], i) => {
      const pair = [CODERS[a]!, CODERS[b]!];
      load.pairUnitizing[i]!.push(unitizingParts({ begin: 0, end: 600, units: units.filter((u) => pair.includes(u.coder)), coders: pair }));
      load.pairRelations[i]!.push(relationAgreementParts({ components, annotators: relations.filter((r) => pair.includes(r.id)) }));
    });
  }
  return load;
}

/** The *WithInterval functions a report calls, one bootstrap each. */
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
    api.fleissKappaWithInterval(load.fleissRows, opts),
    ...load.pairCategories.map((pair) => api.cohenKappaWithInterval(pair.pairs, opts)),
    ...load.annotatorMatrices.map((a) => api.alphaWithInterval(a.matrix, 'nominal', opts)),
    api.pooledUnitizingAlpha(load.unitizing, { ...opts, labels: LABELS }),
    ...load.pairUnitizing.map((parts) => api.pooledUnitizingAlpha(parts, { ...opts, labels: LABELS }).overall),
    api.pooledRelationAlpha(load.relations, opts),
    api.pooledRelationFleissKappa(load.relations, opts),
    ...load.pairRelations.map((parts) => api.pooledRelationAlpha(parts, opts)),
  ];
}

/** The same 17 intervals from one Resampler: one set of draws of the passages for all of them. */
export function jointly(load: ReportLoad, opts: BootstrapOptions): unknown[] {
  const resampler = new Resampler(load.passages, opts);
  const pending = [
    resampler.alpha(load.categories, 'nominal'),
    resampler.fleissKappa(load.fleissRows, { units: load.fleissPassages }),
    ...load.pairCategories.map((pair) => resampler.cohenKappa(pair.pairs, { units: pair.passages })),
    ...load.annotatorMatrices.map((a) => resampler.alpha(a.matrix, 'nominal', { units: a.passages })),
    resampler.pooledUnitizingAlpha(load.unitizing, { labels: LABELS }),
    ...load.pairUnitizing.map((parts) => resampler.pooledUnitizingAlpha(parts, { labels: LABELS, perLabel: false })),
    resampler.pooledRelationAlpha(load.relations),
    resampler.pooledRelationFleissKappa(load.relations),
    ...load.pairRelations.map((parts) => resampler.pooledRelationAlpha(parts)),
  ];
  return pending.map((p) => p.get());
}
