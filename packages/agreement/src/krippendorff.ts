import { unitWeights, withInterval } from './bootstrap.ts';
import { compareCategories } from './cohen.ts';
import { CoincidenceUnits, type Level } from './coincidence.ts';
import type { BootstrapOptions, Estimate, UndefinedReason } from './estimate.ts';
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
  const point = units.evaluate(unitWeights(units.unitCount));
  const detail: AlphaDetail = { alpha: point.value, observed: point.observed, expected: point.expected, pairable: point.pairable };
  if (point.reason !== undefined) detail.reason = point.reason;
  return detail;
}

/**
 * Krippendorff's alpha with a bootstrap over units (columns). Each pairable unit's coincidences
 * are worked out once; a resample is then a weighted sum of them.
 */
export function alphaWithInterval(matrix: ReliabilityValue[][], level: Level, opts?: BootstrapOptions): Estimate {
  const { units, coders } = reliabilityUnits(matrix, level, 'alphaWithInterval');
  if (coders < 2) return withInterval({ value: Number.NaN, reason: 'too-few-coders' }, 0, () => Number.NaN, opts);
  const point = units.evaluate(unitWeights(units.unitCount));
  // Only pairable units are resampled: the others carry no pairs and would only thin the draws.
  return withInterval(point, units.unitCount, (weights) => units.evaluate(weights).value, opts);
}

/** Checks the matrix and turns each pairable column into its coincidences. */
function reliabilityUnits(matrix: ReliabilityValue[][], level: Level, fn: string): { units: CoincidenceUnits; coders: number } {
  if (!LEVELS.includes(level)) throw new TypeError(`${fn}: level must be one of ${LEVELS.join(', ')}, got ${describe(level)}`);
  requireArray(matrix, `${fn}: matrix`);
  const coders = matrix.length;
  const columns = coders === 0 ? 0 : requireArray(matrix[0], `${fn}: matrix[0]`).length;
  matrix.forEach((row, i) => {
    requireArray(row, `${fn}: matrix[${i}]`);
    if (row.length !== columns) {
      throw new RangeError(`${fn}: matrix row ${i} has ${row.length} units; row 0 has ${columns} (rows are coders, columns units; use null for a missing value)`);
    }
    for (let j = 0; j < columns; j++) checkValue(row[j], level, `${fn}: matrix[${i}][${j}]`);
  });

  // Pass 1: the pairable columns and their values, so value indices can follow the values' order.
  const columnValues: (number | string)[][] = [];
  const distinct = new Set<number | string>();
  for (let j = 0; j < columns; j++) {
    const present: (number | string)[] = [];
    for (let i = 0; i < coders; i++) {
      const v = matrix[i]![j]!;
      if (v !== null) present.push(v);
    }
    if (present.length < 2) continue;
    columnValues.push(present);
    for (const v of present) distinct.add(v);
  }
  const values = [...distinct].sort(compareCategories);
  const indexOf = new Map(values.map((v, i) => [v, i]));
  const positions = Float64Array.from(values, (v) => (typeof v === 'number' ? v : 0));
  const units = new CoincidenceUnits(level, positions);

  // Pass 2: per column, run-length counts of its sorted value indices.
  for (const present of columnValues) {
    const idx = Int32Array.from(present, (v) => indexOf.get(v)!).sort();
    const ids: number[] = [];
    const counts: number[] = [];
    for (const v of idx) {
      if (ids.length > 0 && ids[ids.length - 1] === v) counts[counts.length - 1]! += 1;
      else {
        ids.push(v);
        counts.push(1);
      }
    }
    const cells: [number, number, number][] = [];
    for (let a = 0; a < ids.length; a++) {
      for (let b = a + 1; b < ids.length; b++) cells.push([ids[a]!, ids[b]!, counts[a]! * counts[b]!]);
    }
    units.addUnit(cells, idx.length - 1, ids.map((v, i): [number, number] => [v, counts[i]!]));
  }
  return { units, coders };
}

function checkValue(value: unknown, level: Level, where: string): void {
  if (value === null) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${where} is ${value}; use null for a missing value`);
    if (level === 'ratio' && value < 0) throw new RangeError(`${where} is negative (${value}); ratio data must be >= 0`);
    return;
  }
  if (typeof value === 'string') {
    if (level !== 'nominal') throw new TypeError(`${where} is the string ${describe(value)}; ${level} data must be numbers`);
    return;
  }
  throw new TypeError(`${where} must be a number, a string or null, got ${describe(value)}`);
}
