import type { BootstrapOptions, Estimate, PointValue } from './estimate.ts';
import { type Linear, LinearBuilder, range } from './linear.ts';
import { estimatePlan, type Plan, runAlone } from './plan.ts';
import { requireArray, requireCount } from './validate.ts';

export type FleissResult = {
  kappa: number;
  /** Fleiss' kappa of each category against all others (kappa_j); NaN when nobody or everybody chose it. */
  perCategory: number[];
  /** Mean observed agreement P-bar. */
  pBar: number;
  /** Expected agreement P_e = sum of squared category shares. */
  pE: number;
};

/**
 * Fleiss' kappa from a subjects x categories table of how many raters chose each category. Every
 * subject must have the same number of raters (a RangeError names the first row that differs).
 */
export function fleissKappa(counts: number[][]): FleissResult {
  const table = readCounts(counts, 'fleissKappa');
  const result = table.units.evaluate();
  return { kappa: result.value, perCategory: perCategoryKappa(counts, table), pBar: result.pBar, pE: result.pE };
}

/** Fleiss' kappa with a bootstrap over subjects (rows). */
export function fleissKappaWithInterval(counts: number[][], opts?: BootstrapOptions): Estimate {
  return runAlone(fleissPlan(counts, 'fleissKappaWithInterval'), opts);
}

/** Fleiss' kappa for the resampler: one item per subject (row). */
export function fleissPlan(counts: number[][], fn: string): Plan<Estimate> {
  const table = readCounts(counts, fn);
  return estimatePlan(table.units.evaluate(), table.units.linear(), range(table.rows), table.rows);
}

type FleissPoint = PointValue & { pBar: number; pE: number };

/**
 * Fleiss' kappa as sums over units, so a resample is a weighted sum. A unit is a subject, or a
 * whole passage of relation items: `agree` counts ordered pairs of raters who agree (an integer,
 * so the sums are exact), `pairs` all ordered pairs of raters, `values` all judgements.
 */
export class FleissUnits {
  // Features: 0 agree, 1 pairs, 2 values, then the categories' totals.
  private readonly entries = new LinearBuilder();
  private form: Linear | undefined;

  constructor(
    readonly categoryCount: number,
    private readonly raters: number,
  ) {}

  get unitCount(): number {
    return this.entries.items;
  }

  add(agree: number, pairs: number, values: number, totals: Iterable<[category: number, count: number]>): void {
    if (this.form !== undefined) throw new Error('FleissUnits: no units can be added once evaluated');
    this.entries.add(0, agree);
    this.entries.add(1, pairs);
    this.entries.add(2, values);
    for (const [category, count] of totals) this.entries.add(3 + category, count);
    this.entries.endItem();
  }

  /** add() with the totals in arrays: the first `count` categories and counts. */
  addArrays(agree: number, pairs: number, values: number, count: number, categories: Int32Array, counts: Float64Array): void {
    if (this.form !== undefined) throw new Error('FleissUnits: no units can be added once evaluated');
    this.entries.add(0, agree);
    this.entries.add(1, pairs);
    this.entries.add(2, values);
    for (let c = 0; c < count; c++) this.entries.add(3 + categories[c]!, counts[c]!);
    this.entries.endItem();
  }

  /** The units as a linear statistic with one output, kappa. */
  linear(): Linear {
    this.form ??= this.entries.build(3 + this.categoryCount, 1, (sums, out) => {
      out[0] = this.fromSums(sums).value;
    });
    return this.form;
  }

  /** Kappa with each unit weighted (all 1 without weights). */
  evaluate(weights?: Float64Array): FleissPoint {
    return this.fromSums(this.linear().sums(weights));
  }

  private fromSums(sums: Float64Array): FleissPoint {
    if (this.raters < 2) return { value: Number.NaN, reason: 'too-few-coders', pBar: Number.NaN, pE: Number.NaN };
    const agreeing = sums[0]!;
    const paired = sums[1]!;
    const judged = sums[2]!;
    if (paired === 0) return { value: Number.NaN, reason: 'nothing-to-compare', pBar: Number.NaN, pE: Number.NaN };
    const pBar = agreeing / paired;
    let pE = 0;
    for (let j = 0; j < this.categoryCount; j++) pE += (sums[3 + j]! / judged) ** 2;
    if (pE >= 1) return { value: Number.NaN, reason: 'one-category', pBar, pE };
    return { value: (pBar - pE) / (1 - pE), pBar, pE };
  }
}

type CountTable = { units: FleissUnits; rows: number; raters: number; categories: number };

function readCounts(counts: number[][], fn: string): CountTable {
  requireArray(counts, `${fn}: counts`);
  const first = counts[0];
  const k = first === undefined ? 0 : requireArray(first, `${fn}: counts[0]`).length;
  let raters = -1;
  const rows: number[][] = [];
  counts.forEach((row, i) => {
    requireArray(row, `${fn}: counts[${i}]`);
    if (row.length !== k) {
      throw new RangeError(`${fn}: counts row ${i} has ${row.length} categories; row 0 has ${k}`);
    }
    let sum = 0;
    row.forEach((cell, j) => {
      sum += requireCount(cell, `${fn}: counts[${i}][${j}]`);
    });
    if (raters === -1) raters = sum;
    else if (sum !== raters) {
      throw new RangeError(
        `${fn}: counts row ${i} has ${sum} raters; row 0 has ${raters}. Fleiss' kappa needs the same number of raters for every subject`,
      );
    }
    rows.push(row);
  });
  const n = Math.max(raters, 0);
  const units = new FleissUnits(k, counts.length === 0 ? 2 : n);
  for (const row of rows) {
    let agree = 0;
    for (const c of row) agree += c * (c - 1);
    units.add(agree, n * (n - 1), n, row.map((c, j): [number, number] => [j, c]));
  }
  return { units, rows: rows.length, raters: n, categories: k };
}

function perCategoryKappa(counts: number[][], table: CountTable): number[] {
  const { raters: n, rows, categories } = table;
  const result: number[] = [];
  for (let j = 0; j < categories; j++) {
    let chosen = 0;
    let disagree = 0;
    for (const row of counts) {
      const c = row[j]!;
      chosen += c;
      disagree += c * (n - c);
    }
    const p = chosen / (rows * n);
    const chance = rows * n * (n - 1) * p * (1 - p);
    result.push(n < 2 || !(chance > 0) ? Number.NaN : 1 - disagree / chance);
  }
  return result;
}
