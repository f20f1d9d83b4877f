import { describe, expect, it } from 'vitest';
import {
  alphaWithInterval,
  cohenKappa,
  cohenKappaWithInterval,
  fleissKappaWithInterval,
  pooledRelationAlpha,
  pooledRelationFleissKappa,
  pooledUnitizingAlpha,
  relationAgreementParts,
  Resampler,
  unitizingParts,
  type RelationInput,
  type RelationParts,
  type UnitizingParts,
} from '../src/index.ts';
import { reliabilityMatrix, SEEDS, seeded, unitizingInput, type Random } from './generators.ts';

const LABELS = ['x', 'y', 'z'];
const CATEGORIES = ['a', 'b', 'c'];

/** A small project: per passage three annotators' categories, spans and relations. */
function project(random: Random, passages: number) {
  const categories: (string | null)[][] = [[], [], []];
  const unitizing: UnitizingParts[] = [];
  const relations: RelationParts[] = [];
  for (let p = 0; p < passages; p++) {
    const truth = random.pick(CATEGORIES);
    for (const row of categories) row.push(random.next() < 0.1 ? null : random.next() < 0.75 ? truth : random.pick(CATEGORIES));
    unitizing.push(unitizingParts(unitizingInput(random, ['a', 'b', 'c'], LABELS, 60 + random.int(60))));
    relations.push(relationAgreementParts(relationInput(random, ['a', 'b', 'c'])));
  }
  return { categories, unitizing, relations };
}

function relationInput(random: Random, annotators: string[]): RelationInput {
  const components = Array.from({ length: 2 + random.int(4) }, (_, i) => `c${i}`);
  const truth: [string, string, string][] = [];
  for (let k = 0; k < components.length - 1; k++) truth.push([components[k]!, components[k + 1]!, random.pick(['supports', 'attacks'])]);
  return {
    components,
    annotators: annotators.map((id) => ({ id, relations: truth.filter(() => random.next() < 0.8).map(([s, t, type]): [string, string, string] => [s, t, random.next() < 0.85 ? type : 'supports']) })),
  };
}

const full = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('Resampler', () => {
  it.each(SEEDS.slice(0, 5))('gives each statistic the point value of its *WithInterval function (seed %i)', (seed) => {
    const random = seeded(seed);
    const { categories, unitizing, relations } = project(random, 60);
    const resampler = new Resampler(60, { resamples: 200 });
    const alpha = resampler.alpha(categories, 'nominal');
    const pairs = full(60).filter((p) => categories[0]![p] !== null && categories[1]![p] !== null);
    const cohen = resampler.cohenKappa(pairs.map((p) => [categories[0]![p]!, categories[1]![p]!]), { units: pairs });
    const fleissRows = pairs.filter((p) => categories[2]![p] !== null);
    const counts = fleissRows.map((p) => CATEGORIES.map((c) => categories.filter((row) => row[p] === c).length));
    const fleiss = resampler.fleissKappa(counts, { units: fleissRows });
    const pooled = resampler.pooledUnitizingAlpha(unitizing, { labels: LABELS });
    const overall = resampler.pooledUnitizingAlpha(unitizing, { labels: LABELS, perLabel: false });
    const relAlpha = resampler.pooledRelationAlpha(relations);
    const relFleiss = resampler.pooledRelationFleissKappa(relations);

    expect(alpha.get().value).toBe(alphaWithInterval(categories, 'nominal').value);
    expect(cohen.get().value).toBe(cohenKappaWithInterval(pairs.map((p) => [categories[0]![p]!, categories[1]![p]!])).value);
    expect(fleiss.get().value).toBe(fleissKappaWithInterval(counts).value);
    const plain = pooledUnitizingAlpha(unitizing, { labels: LABELS });
    expect(pooled.get().overall.value).toBe(plain.overall.value);
    for (const label of LABELS) expect(pooled.get().perLabel[label]!.value).toBe(plain.perLabel[label]!.value);
    expect(overall.get().overall.value).toBe(plain.overall.value);
    expect(overall.get().perLabel).toEqual({});
    expect(relAlpha.get().value).toBe(pooledRelationAlpha(relations).value);
    expect(relFleiss.get().value).toBe(pooledRelationFleissKappa(relations).value);

    // Typical data: every interval contains its value.
    for (const estimate of [alpha, cohen, fleiss, relAlpha, relFleiss].map((p) => p.get()).concat(pooled.get().overall, overall.get().overall)) {
      expect(estimate.low).toBeLessThanOrEqual(estimate.value);
      expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
      expect(estimate.high).toBeGreaterThan(estimate.low);
    }
  });

  it('over the full index set, gives exactly what the *WithInterval functions give', () => {
    const random = seeded(31);
    const opts = { resamples: 300, seed: 4 };
    const matrix = reliabilityMatrix(random, 3, 80, [1, 2, 3, 4], 0); // every column pairable
    const pairs = Array.from({ length: 70 }, (): [string, string] => [random.pick(CATEGORIES), random.pick(CATEGORIES)]);
    const counts = Array.from({ length: 50 }, () => {
      const row = [0, 0, 0];
      for (let r = 0; r < 4; r++) row[random.int(3)]! += 1;
      return row;
    });
    const { unitizing, relations } = project(random, 40);
    const each = <T>(n: number, add: (r: Resampler, units: number[]) => { get(): T }): T => add(new Resampler(n, opts), full(n)).get();

    for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      expect(each(80, (r, units) => r.alpha(matrix, level, { units }))).toEqual(alphaWithInterval(matrix, level, opts));
    }
    expect(each(70, (r, units) => r.cohenKappa(pairs, { units }))).toEqual(cohenKappaWithInterval(pairs, opts));
    expect(each(50, (r, units) => r.fleissKappa(counts, { units }))).toEqual(fleissKappaWithInterval(counts, opts));
    expect(each(40, (r, units) => r.pooledUnitizingAlpha(unitizing, { units }))).toEqual(pooledUnitizingAlpha(unitizing, opts));
    expect(each(40, (r, units) => r.pooledRelationAlpha(relations, { units }))).toEqual(pooledRelationAlpha(relations, opts));
    expect(each(40, (r, units) => r.pooledRelationFleissKappa(relations, { units }))).toEqual(pooledRelationFleissKappa(relations, opts));
  });

  it('is reproducible for a seed, changes with it, and a statistic does not depend on what else shares the draws', () => {
    const { categories, unitizing, relations } = project(seeded(32), 50);
    const run = (seed: number, all: boolean) => {
      const resampler = new Resampler(50, { resamples: 200, seed });
      const alpha = resampler.alpha(categories, 'nominal');
      const pooled = all ? resampler.pooledUnitizingAlpha(unitizing) : undefined;
      const relations_ = all ? resampler.pooledRelationAlpha(relations) : undefined;
      return { alpha: alpha.get(), pooled: pooled?.get(), relations: relations_?.get() };
    };
    expect(run(7, true)).toEqual(run(7, true));
    expect(run(8, true).alpha.low).not.toBe(run(7, true).alpha.low);
    expect(run(7, false).alpha).toEqual(run(7, true).alpha);
  });

  it('restricts a statistic to its units: the same draws, weighted by unit (several items per unit too)', () => {
    const random = seeded(33);
    const n = 40;
    // Items on a subset of the units, some units with two or three items.
    const units: number[] = [];
    const pairs: [string, string][] = [];
    for (let p = 0; p < n; p += 1 + random.int(2)) {
      for (let k = 0; k <= random.int(3); k++) {
        units.push(p);
        const a = random.pick(CATEGORIES);
        pairs.push([a, random.next() < 0.7 ? a : random.pick(CATEGORIES)]);
      }
    }
    const opts = { resamples: 300, seed: 12 };
    const resampler = new Resampler(n, opts);
    const kappa = resampler.cohenKappa(pairs, { units });
    const sorted = [...CATEGORIES].sort();
    const byHand = resampler.custom((weights) => {
      const table = sorted.map(() => sorted.map(() => 0));
      pairs.forEach(([a, b], i) => (table[sorted.indexOf(a)]![sorted.indexOf(b)]! += weights[units[i]!]!));
      return cohenKappa(table);
    });
    expect(kappa.get().low).toBe(byHand.get().low);
    expect(kappa.get().high).toBe(byHand.get().high);

    // alpha_U over a subset: the pooled D_o and D_e weighted by how often each passage was drawn.
    const parts = Array.from({ length: 15 }, () => unitizingParts(unitizingInput(random, ['a', 'b'], ['x', 'y'], 50 + random.int(50))));
    const at = parts.map((_, i) => 2 * i + 5);
    const second = new Resampler(n, opts);
    const pooled = second.pooledUnitizingAlpha(parts, { units: at });
    const ratio = second.custom((weights) => {
      let observed = 0;
      let expected = 0;
      parts.forEach((part, i) => {
        for (const d of Object.values(part.perLabel)) {
          observed += weights[at[i]!]! * part.length * d.observed;
          expected += weights[at[i]!]! * part.length * d.expected;
        }
      });
      return expected > 0 ? 1 - observed / expected : Number.NaN;
    });
    expect(pooled.get().overall.low).toBeCloseTo(ratio.get().low, 12);
    expect(pooled.get().overall.high).toBeCloseTo(ratio.get().high, 12);
  });

  it('keeps integer sums exact when it packs several into one float64 (large counts, many patterns)', () => {
    const random = seeded(34);
    const n = 3000;
    // Fleiss rows with many raters: nearly every row distinct, so the counts go to the dense matrix.
    const raters = 500;
    const counts = Array.from({ length: n }, () => {
      const row = [0, 0, 0, 0];
      for (let r = 0; r < raters; r++) row[random.next() < 0.7 ? 0 : random.int(4)]! += 1;
      return row;
    });
    const resampler = new Resampler(n, { resamples: 100 });
    const kappa = resampler.fleissKappa(counts);
    const byHand = resampler.custom((weights) => {
      let agree = 0;
      let pairs = 0;
      let values = 0;
      const totals = [0, 0, 0, 0];
      counts.forEach((row, i) => {
        const w = weights[i]!;
        let a = 0;
        for (const c of row) a += c * (c - 1);
        agree += w * a;
        pairs += w * raters * (raters - 1);
        values += w * raters;
        row.forEach((c, j) => (totals[j]! += w * c));
      });
      const pBar = agree / pairs;
      let pE = 0;
      for (const t of totals) pE += (t / values) ** 2;
      return (pBar - pE) / (1 - pE);
    });
    expect(kappa.get().low).toBe(byHand.get().low);
    expect(kappa.get().high).toBe(byHand.get().high);
  });

  it('gives point values alone with resamples 0, and the reasons of undefined values', () => {
    const resampler = new Resampler(3, { resamples: 0 });
    const alpha = resampler.alpha([['a', 'b', 'a'], ['a', 'b', 'b']], 'nominal');
    const one = resampler.alpha([['a', 'a', 'a'], ['a', 'a', 'a']], 'nominal');
    const few = resampler.alpha([['a', 'b', 'a']], 'nominal');
    expect(alpha.get()).toEqual({ value: alphaWithInterval([['a', 'b', 'a'], ['a', 'b', 'b']], 'nominal').value, low: NaN, high: NaN });
    expect(one.get()).toEqual({ value: NaN, low: NaN, high: NaN, reason: 'one-category' });
    expect(few.get()).toEqual({ value: NaN, low: NaN, high: NaN, reason: 'too-few-coders' });
    const empty = new Resampler(0).pooledUnitizingAlpha([]);
    expect(empty.get().overall.reason).toBe('nothing-to-compare');
  });

  it('runs once, on the first get() or run(), and refuses statistics after that', () => {
    const resampler = new Resampler(2, { resamples: 10 });
    const first = resampler.cohenKappa([['a', 'a'], ['b', 'a']]);
    expect(first.get()).toBe(first.get());
    resampler.run();
    expect(() => resampler.cohenKappa([['a', 'a'], ['b', 'b']])).toThrow(/already run/);
  });

  it('checks units and options', () => {
    const resampler = new Resampler(3);
    expect(() => resampler.cohenKappa([['a', 'a'], ['b', 'b']])).toThrow(/2 items for 3 units; pass units/);
    expect(() => resampler.cohenKappa([['a', 'a'], ['b', 'b']], { units: [0] })).toThrow(/units has 1 entries for 2 items/);
    expect(() => resampler.cohenKappa([['a', 'a'], ['b', 'b']], { units: [0, 3] })).toThrow(/units\[1\] must be a whole number from 0 to 2, got 3/);
    expect(() => resampler.cohenKappa([['a', 'a'], ['b', 'b']], { units: [0, 1.5] })).toThrow(/units\[1\]/);
    expect(() => resampler.alpha([['a']], 'nominal', { units: [0] })).not.toThrow();
    expect(() => new Resampler(-1)).toThrow(/unitCount must be a whole number/);
    expect(() => new Resampler(3, { resamples: -1 })).toThrow(/resamples must be a whole number/);
    expect(() => new Resampler(3, { confidence: 2 })).toThrow(/confidence/);
    expect(() => resampler.custom(5 as unknown as () => number)).toThrow(TypeError);
  });
});
