import { compareCategories } from './cohen.ts';
import { CoincidenceUnits, type Level } from './coincidence.ts';
import type { BootstrapOptions, Estimate, UndefinedReason } from './estimate.ts';
import { estimatePlan, type Plan, runAlone } from './plan.ts';
import { describe, requireArray } from './validate.ts';

export type { Level };
export type ReliabilityValue = number | string | null;

export type AlphaDetail = {
  alpha: number;
  /** Observed disagreement D_o. */
  observed: number;
  /** Expected disagreement D_e. */
  expected: number;
  /** Pairable values: values in units that at least two coders coded. */
  pairable: number;
  reason?: UndefinedReason;
};

const LEVELS: readonly Level[] = ['nominal', 'ordinal', 'interval', 'ratio'];

/**
 * Krippendorff's alpha from a reliability matrix: rows are coders, columns are units, null is a
 * missing value. Units with fewer than two values are not pairable and are ignored.
 */
export function krippendorffAlpha(matrix: ReliabilityValue[][], level: Level): number {
  return krippendorffAlphaDetail(matrix, level).alpha;
}

export function krippendorffAlphaDetail(matrix: ReliabilityValue[][], level: Level): AlphaDetail {
  const { units, coders } = reliabilityUnits(matrix, level, 'krippendorffAlpha');
  if (coders < 2) return { alpha: Number.NaN, observed: Number.NaN, expected: Number.NaN, pairable: 0, reason: 'too-few-coders' };
  const point = units.evaluate();
  const detail: AlphaDetail = { alpha: point.value, observed: point.observed, expected: point.expected, pairable: point.pairable };
  if (point.reason !== undefined) detail.reason = point.reason;
  return detail;
}

/**
 * Krippendorff's alpha with a bootstrap over units (columns). Each pairable unit's coincidences
 * are worked out once; a resample is then a weighted sum of them.
 */
export function alphaWithInterval(matrix: ReliabilityValue[][], level: Level, opts?: BootstrapOptions): Estimate {
  // Only pairable units are resampled: the others carry no pairs and would only thin the draws.
  return runAlone(alphaPlan(matrix, level, 'alphaWithInterval'), opts);
}

/** Alpha for the resampler: its items are the pairable columns; `source` says which column each is. */
export function alphaPlan(matrix: ReliabilityValue[][], level: Level, fn: string): Plan<Estimate> {
  const { units, coders, columns, source } = reliabilityUnits(matrix, level, fn);
  if (coders < 2) return estimatePlan({ value: Number.NaN, reason: 'too-few-coders' }, undefined, source, columns);
  return estimatePlan(units.evaluate(), units.linear(), source, columns);
}

/** Checks the matrix and turns each pairable column into its coincidences. */
function reliabilityUnits(
  matrix: ReliabilityValue[][],
  level: Level,
  fn: string,
): { units: CoincidenceUnits; coders: number; columns: number; source: Int32Array } {
  if (!LEVELS.includes(level)) throw new TypeError(`${fn}: level must be one of ${LEVELS.join(', ')}, got ${describe(level)}`);
  requireArray(matrix, `${fn}: matrix`);
  const coders = matrix.length;
  const columns = coders === 0 ? 0 : requireArray(matrix[0], `${fn}: matrix[0]`).length;
  matrix.forEach((row, i) => {
    requireArray(row, `${fn}: matrix[${i}]`);
    if (row.length !== columns) {
      throw new RangeError(`${fn}: matrix row ${i} has ${row.length} units; row 0 has ${columns} (rows are coders, columns units; use null for a missing value)`);
    }
    for (let j = 0; j < columns; j++) checkValue(row[j], level, fn, i, j);
  });

  // Pass 1: the pairable columns and their values, so value indices can follow the values' order.
  const pairable: number[] = [];
  const distinct = new Set<number | string>();
  for (let j = 0; j < columns; j++) {
    let present = 0;
    for (let i = 0; i < coders && present < 2; i++) if (matrix[i]![j] !== null) present++;
    if (present < 2) continue;
    pairable.push(j);
    for (let i = 0; i < coders; i++) {
      const v = matrix[i]![j]!;
      if (v !== null) distinct.add(v);
    }
  }
  const values = [...distinct].sort(compareCategories);
  const indexOf = new Map(values.map((v, i) => [v, i]));
  const positions = Float64Array.from(values, (v) => (typeof v === 'number' ? v : 0));
  const units = new CoincidenceUnits(level, positions);

  // Pass 2: per column, run-length counts of its sorted value indices.
  const ids = new Int32Array(coders);
  const counts = new Int32Array(coders);
  const idx = new Int32Array(coders);
  for (const j of pairable) {
    let present = 0;
    for (let i = 0; i < coders; i++) {
      const v = matrix[i]![j]!;
      if (v === null) continue;
      // Insertion sort: a column holds a handful of values.
      const id = indexOf.get(v)!;
      let at = present++;
      while (at > 0 && idx[at - 1]! > id) {
        idx[at] = idx[at - 1]!;
        at--;
      }
      idx[at] = id;
    }
    let runs = 0;
    for (let k = 0; k < present; k++) {
      if (runs > 0 && ids[runs - 1] === idx[k]) counts[runs - 1]! += 1;
      else {
        ids[runs] = idx[k]!;
        counts[runs] = 1;
        runs++;
      }
    }
    units.addRuns(ids, counts, runs, present - 1);
  }
  return { units, coders, columns, source: Int32Array.from(pairable) };
}

function checkValue(value: unknown, level: Level, fn: string, i: number, j: number): void {
  if (value === null) return;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && (level !== 'ratio' || value >= 0)) return;
    if (!Number.isFinite(value)) throw new TypeError(`${fn}: matrix[${i}][${j}] is ${value}; use null for a missing value`);
    throw new RangeError(`${fn}: matrix[${i}][${j}] is negative (${value}); ratio data must be >= 0`);
  }
  if (typeof value === 'string') {
    if (level !== 'nominal') throw new TypeError(`${fn}: matrix[${i}][${j}] is the string ${describe(value)}; ${level} data must be numbers`);
    return;
  }
  throw new TypeError(`${fn}: matrix[${i}][${j}] must be a number, a string or null, got ${describe(value)}`);
}
