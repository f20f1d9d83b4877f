import { bootstrapMany, unitWeights } from './bootstrap.ts';
import { type BootstrapOptions, type Estimate, type UndefinedReason, undefinedEstimate } from './estimate.ts';
import { groupBy } from './grouped.ts';
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
  requireArray(parts, 'pooledUnitizingAlpha: parts');
  parts.forEach((part, i) => checkParts(part, `pooledUnitizingAlpha: parts[${i}]`));
  const seen = new Set(parts.flatMap((part) => Object.keys(part.perLabel)));
  const reported =
    opts.labels === undefined
      ? [...seen].sort()
      : [...new Set(requireArray(opts.labels, 'pooledUnitizingAlpha: labels').map((l, i) => requireString(l, `pooledUnitizingAlpha: labels[${i}]`)))];
  // Sums run in sorted label order whatever order the caller listed them in: one continuum then
  // gives exactly unitizingAlpha's figures.
  const labels = [...reported].sort();
  const labelIndex = new Map(labels.map((label, i) => [label, i]));

  const eligible = parts.filter((part) => part.coders >= 2);
  // Weights relative to the first continuum's length: for a single continuum they are exactly 1.
  const reference = eligible[0]?.length ?? 1;
  const entryPart: number[] = [];
  const entryLabel: number[] = [];
  const entryObserved: number[] = [];
  const entryExpected: number[] = [];
  eligible.forEach((part, p) => {
    const weight = part.length / reference;
    for (const [label, d] of Object.entries(part.perLabel)) {
      const index = labelIndex.get(label);
      if (index === undefined) continue;
      entryPart.push(p);
      entryLabel.push(index);
      entryObserved.push(weight * d.observed);
      entryExpected.push(weight * d.expected);
    }
  });
  const k = labels.length;
  const byLabel = groupBy(k, entryLabel, entryPart, entryObserved, entryExpected);
  const { start, unit, amount: partObserved, second: partExpected } = byLabel;
  const pooledLabels = new Set(entryLabel);

  const evaluate = (weights: Float64Array, out: Float64Array): void => {
    let totalObserved = 0;
    let totalExpected = 0;
    for (let l = 0; l < k; l++) {
      let observed = 0;
      let expected = 0;
      for (let e = start[l]!; e < start[l + 1]!; e++) {
        const w = weights[unit[e]!]!;
        observed += w * partObserved[e]!;
        expected += w * partExpected[e]!;
      }
      out[l] = alphaOf(observed, expected);
      totalObserved += observed;
      totalExpected += expected;
    }
    out[k] = alphaOf(totalObserved, totalExpected);
  };

  const point = new Float64Array(k + 1);
  evaluate(unitWeights(eligible.length), point);
  const reasons: (UndefinedReason | undefined)[] = labels.map((label, l) => {
    if (!Number.isNaN(point[l]!)) return undefined;
    if (pooledLabels.has(l)) return 'one-category';
    return parts.some((part) => part.coders < 2 && label in part.perLabel) ? 'too-few-coders' : 'nothing-to-compare';
  });
  let overallReason: UndefinedReason | undefined;
  if (Number.isNaN(point[k]!)) {
    if (eligible.length === 0) overallReason = parts.length === 0 ? 'nothing-to-compare' : 'too-few-coders';
    else overallReason = pooledLabels.size === 0 ? 'nothing-to-compare' : 'one-category';
  }
  reasons.push(overallReason);

  const anyDefined = reasons.some((reason) => reason === undefined);
  const intervals = anyDefined ? bootstrapMany(eligible.length, k + 1, evaluate, opts) : [];
  const estimateOf = (i: number): Estimate => {
    const reason = reasons[i];
    if (reason !== undefined) return undefinedEstimate(reason);
    return { value: point[i]!, low: intervals[i]!.low, high: intervals[i]!.high };
  };
  const perLabel: Record<string, Estimate> = {};
  for (const label of reported) perLabel[label] = estimateOf(labelIndex.get(label)!);
  return { overall: estimateOf(k), perLabel };
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
