import type { BootstrapOptions, Estimate, PointValue } from './estimate.ts';
import { LinearBuilder, range } from './linear.ts';
import { estimatePlan, type Plan, runAlone } from './plan.ts';
import { describe, requireArray, requireFiniteNumber } from './validate.ts';

export type CohenDetail = {
  kappa: number;
  /** Observed agreement p_o: the share of items on the diagonal. */
  po: number;
  /** Expected agreement p_e from each coder's own marginals. */
  pe: number;
};

/** Cohen's kappa from a square table: rows are coder A's category, columns coder B's. */
export function cohenKappa(table: number[][]): number {
  return cohenKappaDetail(table).kappa;
}

export function cohenKappaDetail(table: number[][]): CohenDetail {
  const { cells, k } = readTable(table);
  const result = tableKappa(cells, k, 'cohen');
  return { kappa: result.value, po: result.po, pe: result.pe };
}

/** Scott's pi: like kappa, but chance agreement from the two coders' pooled marginals. */
export function scottPi(table: number[][]): number {
  const { cells, k } = readTable(table);
  return tableKappa(cells, k, 'scott').value;
}

/**
 * Cohen's kappa over items both coders coded, given as (A's category, B's category) pairs, with a
 * bootstrap over the items. The table is built over the union of both coders' categories.
 */
export function cohenKappaWithInterval(
  pairs: [a: string | number, b: string | number][],
  opts?: BootstrapOptions,
): Estimate {
  return runAlone(cohenPlan(pairs, 'cohenKappaWithInterval'), opts);
}

/** Cohen's kappa for the resampler: one item per pair, adding 1 to its cell of the table. */
export function cohenPlan(pairs: [a: string | number, b: string | number][], fn: string): Plan<Estimate> {
  requireArray(pairs, `${fn}: pairs`);
  const categories = new Map<string | number, number>();
  const codes: [string | number, string | number][] = [];
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`${fn}: pairs[${i}] must be a [a, b] pair, got ${describe(pair)}`);
    }
    const [a, b] = pair;
    checkCategory(a, `${fn}: pairs[${i}][0]`);
    checkCategory(b, `${fn}: pairs[${i}][1]`);
    codes.push([a, b]);
    if (!categories.has(a)) categories.set(a, 0);
    if (!categories.has(b)) categories.set(b, 0);
  });
  // Sorted categories: the same pairs in any order give the same table, to the last bit.
  const sorted = [...categories.keys()].sort(compareCategories);
  sorted.forEach((c, i) => categories.set(c, i));
  const k = sorted.length;
  const builder = new LinearBuilder();
  for (const [a, b] of codes) {
    builder.add(categories.get(a)! * k + categories.get(b)!, 1);
    builder.endItem();
  }
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  const linear = builder.build(k * k, 1, (cells, out) => {
    out[0] = tableKappa(cells, k, 'cohen', rows, cols).value;
  });
  const point = tableKappa(linear.sums(), k, 'cohen', rows, cols);
  return estimatePlan(point, linear, range(codes.length), codes.length);
}

type TableResult = PointValue & { po: number; pe: number };

function tableKappa(cells: Float64Array, k: number, chance: 'cohen' | 'scott', rows = new Float64Array(k), cols = new Float64Array(k)): TableResult {
  let total = 0;
  let diagonal = 0;
  rows.fill(0);
  cols.fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = cells[i * k + j]!;
      rows[i]! += c;
      cols[j]! += c;
      total += c;
      if (i === j) diagonal += c;
    }
  }
  if (total === 0) return { value: Number.NaN, reason: 'nothing-to-compare', po: Number.NaN, pe: Number.NaN };
  let pe = 0;
  for (let i = 0; i < k; i++) {
    if (chance === 'cohen') pe += (rows[i]! * cols[i]!) / (total * total);
    else pe += ((rows[i]! + cols[i]!) / (2 * total)) ** 2;
  }
  const po = diagonal / total;
  // p_e = 1 only when both coders used one and the same category: there is no chance to correct.
  if (pe >= 1) return { value: Number.NaN, reason: 'one-category', po, pe };
  return { value: (po - pe) / (1 - pe), po, pe };
}

function readTable(table: number[][]): { cells: Float64Array; k: number } {
  requireArray(table, 'contingency table');
  const k = table.length;
  const cells = new Float64Array(k * k);
  table.forEach((row, i) => {
    requireArray(row, `table[${i}]`);
    if (row.length !== k) {
      throw new RangeError(`contingency table must be square: row ${i} has ${row.length} cells, the table has ${k} rows`);
    }
    row.forEach((cell, j) => {
      const value = requireFiniteNumber(cell, `table[${i}][${j}]`);
      if (value < 0) throw new RangeError(`table[${i}][${j}] is negative (${value}); cells count items`);
      cells[i * k + j] = value;
    });
  });
  return { cells, k };
}

function checkCategory(value: unknown, where: string): void {
  if (typeof value === 'string') return;
  if (typeof value === 'number' && Number.isFinite(value)) return;
  throw new TypeError(`${where} must be a string or a finite number, got ${describe(value)}`);
}

/** Numbers before strings, each in their natural order; 1 and '1' stay different categories. */
export function compareCategories(a: string | number, b: string | number): number {
  if (typeof a !== typeof b) return typeof a === 'number' ? -1 : 1;
  if (typeof a === 'number') return a - (b as number);
  return a < b ? -1 : a > b ? 1 : 0;
}
