import type { BootstrapInterval } from './bootstrap.ts';
import { type BootstrapOptions, type Estimate, type UndefinedReason, undefinedEstimate } from './estimate.ts';
import { LinearBuilder } from './linear.ts';
import { type Plan, runAlone } from './plan.ts';
import { alphaOf, type UnitizingParts } from './unitizing.ts';
import { describe, requireArray, requireString } from './validate.ts';

export type PooledUnitizingOptions = BootstrapOptions & {
  /** Labels to report (and to pool into `overall`); default: every label of every continuum. */
  labels?: string[];
};

export type PooledUnitizingResult = { overall: Estimate; perLabel: Record<string, Estimate> };

/**
 * alpha_U pooled over several continua (passages), each judged among its own coders:
 * D_o(label) = sum_p L_p D_o,p / sum_p L_p, likewise D_e; alpha = 1 - D_o / D_e; overall =
 * 1 - mean over labels of D_o / mean of D_e. A label absent from a passage counts there with
 * D_o = D_e = 0. Continua with fewer than two coders are left out. Bootstrap over continua.
 */
export function pooledUnitizingAlpha(parts: UnitizingParts[], opts: PooledUnitizingOptions = {}): PooledUnitizingResult {
  return runAlone(pooledUnitizingPlan(parts, opts, 'pooledUnitizingAlpha'), opts);
}

/**
 * Pooled alpha_U for the resampler: one item per continuum with at least two coders. Features:
 * each label's weighted D_o and D_e, labels in sorted order. With `perLabel: false` only the
 * overall figure is resampled, from each continuum's D_o and D_e summed over the labels (a third
 * of the work for three labels); its point value is the same either way.
 */
export function pooledUnitizingPlan(parts: UnitizingParts[], opts: PooledUnitizingOptions & { perLabel?: boolean }, fn: string): Plan<PooledUnitizingResult> {
  requireArray(parts, `${fn}: parts`);
  for (let i = 0; i < parts.length; i++) if (!validParts(parts[i])) checkParts(parts[i]!, `${fn}: parts[${i}]`);
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${fn}: options must be an object, got ${describe(opts)}`);
  const reported =
    opts.labels === undefined
      ? [...new Set(parts.flatMap((part) => Object.keys(part.perLabel)))].sort()
      : [...new Set(requireArray(opts.labels, `${fn}: labels`).map((l, i) => requireString(l, `${fn}: labels[${i}]`)))];
  const labels = [...reported].sort();
  const k = labels.length;
  const columns = unitizingColumns(parts.length, labels);
  // Each label's index by a scan from the last one found: a part lists a handful of labels, in
  // the same order part after part.
  let last = 0;
  const indexOf = (label: string): number => {
    for (let j = 0; j < k; j++) {
      const at = last + j < k ? last + j : last + j - k;
      if (labels[at] === label) return (last = at);
    }
    return -1;
  };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    columns.length[i] = part.length;
    columns.coders[i] = part.coders;
    const perLabel = part.perLabel;
    for (const label of Object.keys(perLabel)) {
      const index = indexOf(label);
      if (index === -1) continue;
      const d = perLabel[label]!;
      columns.present[i * k + index] = 1;
      columns.observed[i * k + index] = d.observed;
      columns.expected[i * k + index] = d.expected;
    }
  }
  return pooledUnitizingColumnsPlan(columns, reported, opts.perLabel ?? true);
}

/**
 * Continua read into numbers (the report stores its passages' parts this way): continuum i has
 * length `length[i]` and `coders[i]` coders; for each of the `labels` (sorted) l, `present[i * k + l]`
 * is 1 when the continuum lists the label (unitizingParts' perLabel has it), with its D_o and D_e.
 */
export type UnitizingColumns = {
  count: number;
  labels: string[];
  length: Float64Array;
  coders: Int32Array;
  present: Uint8Array;
  observed: Float64Array;
  expected: Float64Array;
};

/** Empty columns for `count` continua over `labels` (sorted). */
export function unitizingColumns(count: number, labels: string[]): UnitizingColumns {
  const cells = count * labels.length;
  return {
    count,
    labels,
    length: new Float64Array(count),
    coders: new Int32Array(count),
    present: new Uint8Array(cells),
    observed: new Float64Array(cells),
    expected: new Float64Array(cells),
  };
}

/**
 * pooledUnitizingPlan over continua already read into columns (checked: lengths > 0, D_o and D_e
 * finite and >= 0 where present and coders >= 2). `reported`: the labels to report, in the
 * result's order, distinct; `columns.labels` must be the same labels sorted.
 */
export function pooledUnitizingColumnsPlan(columns: UnitizingColumns, reported: string[], perLabelWanted: boolean): Plan<PooledUnitizingResult> {
  const { count, labels, length, coders, present, observed: observedOf, expected: expectedOf } = columns;
  const k = labels.length;
  const labelIndex = new Map(labels.map((label, i) => [label, i]));

  const eligible: number[] = [];
  for (let i = 0; i < count; i++) if (coders[i]! >= 2) eligible.push(i);
  // Weights relative to the first continuum's length: for a single continuum they are exactly 1.
  const reference = eligible.length > 0 ? length[eligible[0]!]! : 1;
  const byLabel = new LinearBuilder();
  const summed = new LinearBuilder();
  const pooled = new Uint8Array(k);
  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  for (const p of eligible) {
    const weight = length[p]! / reference;
    observed.fill(0);
    expected.fill(0);
    for (let index = 0; index < k; index++) {
      if (present[p * k + index] === 0) continue;
      pooled[index] = 1;
      observed[index] = weight * observedOf[p * k + index]!;
      expected[index] = weight * expectedOf[p * k + index]!;
      byLabel.add(2 * index, observed[index]!);
      byLabel.add(2 * index + 1, expected[index]!);
    }
    byLabel.endItem();
    let totalObserved = 0;
    let totalExpected = 0;
    for (let l = 0; l < k; l++) {
      totalObserved += observed[l]!;
      totalExpected += expected[l]!;
    }
    summed.add(0, totalObserved);
    summed.add(1, totalExpected);
    summed.endItem();
  }

  const full = byLabel.build(2 * k, k + 1, (sums, out) => {
    let totalObserved = 0;
    let totalExpected = 0;
    for (let l = 0; l < k; l++) {
      out[l] = alphaOf(sums[2 * l]!, sums[2 * l + 1]!);
      totalObserved += sums[2 * l]!;
      totalExpected += sums[2 * l + 1]!;
    }
    out[k] = alphaOf(totalObserved, totalExpected);
  });
  const point = full.evaluate();
  let anyPooled = false;
  for (let l = 0; l < k; l++) if (pooled[l] === 1) anyPooled = true;
  const reasons: (UndefinedReason | undefined)[] = labels.map((_, l) => {
    if (!Number.isNaN(point[l]!)) return undefined;
    if (pooled[l] === 1) return 'one-category';
    for (let i = 0; i < count; i++) if (coders[i]! < 2 && present[i * k + l] === 1) return 'too-few-coders';
    return 'nothing-to-compare';
  });
  let overallReason: UndefinedReason | undefined;
  if (Number.isNaN(point[k]!)) {
    if (eligible.length === 0) overallReason = count === 0 ? 'nothing-to-compare' : 'too-few-coders';
    else overallReason = anyPooled ? 'one-category' : 'nothing-to-compare';
  }
  reasons.push(overallReason);

  const estimateOf = (i: number, interval: BootstrapInterval | undefined): Estimate => {
    const reason = reasons[i];
    if (reason !== undefined) return undefinedEstimate(reason);
    return { value: point[i]!, low: interval?.low ?? Number.NaN, high: interval?.high ?? Number.NaN };
  };
  const source = Int32Array.from(eligible);
  if (!perLabelWanted) {
    const overall = summed.build(2, 1, (sums, out) => {
      out[0] = alphaOf(sums[0]!, sums[1]!);
    });
    return {
      linear: overallReason === undefined ? overall : undefined,
      source,
      sources: count,
      result: (intervals) => ({ overall: estimateOf(k, intervals[0]), perLabel: {} }),
    };
  }
  return {
    linear: reasons.some((reason) => reason === undefined) ? full : undefined,
    source,
    sources: count,
    result: (intervals) => {
      const perLabel: Record<string, Estimate> = {};
      for (const label of reported) {
        const l = labelIndex.get(label)!;
        perLabel[label] = estimateOf(l, intervals[l]);
      }
      return { overall: estimateOf(k, intervals[k]), perLabel };
    },
  };
}

/** checkParts without the messages: true when the part passes every check. */
function validParts(part: UnitizingParts | undefined): boolean {
  if (part === null || typeof part !== 'object') return false;
  const { length, coders, perLabel } = part;
  if (typeof length !== 'number' || !(length > 0) || !Number.isFinite(length)) return false;
  if (!Number.isInteger(coders) || coders < 0) return false;
  if (perLabel === null || typeof perLabel !== 'object') return false;
  if (coders < 2) return true;
  for (const label of Object.keys(perLabel)) {
    const d = perLabel[label];
    if (d === null || typeof d !== 'object') return false;
    const { observed, expected } = d;
    if (typeof observed !== 'number' || !Number.isFinite(observed) || observed < 0) return false;
    if (typeof expected !== 'number' || !Number.isFinite(expected) || expected < 0) return false;
  }
  return true;
}

function checkParts(part: UnitizingParts, where: string): void {
  if (part === null || typeof part !== 'object') throw new TypeError(`${where} must be unitizingParts output, got ${describe(part)}`);
  if (typeof part.length !== 'number' || !(part.length > 0) || !Number.isFinite(part.length)) {
    throw new RangeError(`${where}.length must be a positive number, got ${describe(part.length)}`);
  }
  if (!Number.isInteger(part.coders) || part.coders < 0) throw new RangeError(`${where}.coders must be a whole number, got ${describe(part.coders)}`);
  if (part.perLabel === null || typeof part.perLabel !== 'object') throw new TypeError(`${where}.perLabel must be an object`);
  if (part.coders < 2) return;
  for (const [label, d] of Object.entries(part.perLabel)) {
    for (const key of ['observed', 'expected'] as const) {
      const value = d?.[key];
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new RangeError(`${where}.perLabel[${JSON.stringify(label)}].${key} must be a finite number >= 0, got ${describe(value)}`);
      }
    }
  }
}
