import { type BootstrapInterval, intervalOf, noInterval, readOptions, type ResolvedOptions } from './bootstrap.ts';
import { resampleValues } from './engine.ts';
import { type BootstrapOptions, type Estimate, type PointValue, undefinedEstimate } from './estimate.ts';
import { type Linear, range } from './linear.ts';
import type { ResampleHelper } from './resample-sums.ts';

/**
 * What a measure hands the resampler: the statistic to resample (undefined when no output is
 * defined, so there is nothing to resample), where each of its items came from, and how to turn
 * the intervals of its outputs into the measure's result.
 */
export type Plan<T> = {
  linear: Linear | undefined;
  /** For each item of `linear`, the caller's index it came from: a column, pair, row or part. */
  source: Int32Array;
  /** How many columns (pairs, rows, parts) the caller gave: the length `units` must have. */
  sources: number;
  /** One interval per output of `linear` (NaN ones when no bootstrap ran). */
  result: (intervals: BootstrapInterval[]) => T;
};

/** A one-output statistic: the point value, and the interval unless the value is undefined. */
export function estimatePlan(point: PointValue, linear: Linear | undefined, source: Int32Array, sources: number): Plan<Estimate> {
  const defined = !Number.isNaN(point.value);
  return {
    linear: defined ? linear : undefined,
    source,
    sources,
    result: (intervals) => {
      if (!defined) return undefinedEstimate(point.reason ?? 'nothing-to-compare');
      return { value: point.value, low: intervals[0]!.low, high: intervals[0]!.high };
    },
  };
}

export type Scheduled = { plan: Plan<unknown>; units: Int32Array };

/** Resamples every plan (and custom statistic) over the same draws; results in their order. */
export function runPlans(
  unitCount: number,
  scheduled: Scheduled[],
  customs: ((weights: Float64Array) => number)[],
  options: ResolvedOptions,
  helper?: ResampleHelper,
): { results: unknown[]; customs: BootstrapInterval[] } {
  const { resamples, seed, confidence } = options;
  const active = scheduled.filter((s) => s.plan.linear !== undefined);
  const skip = unitCount === 0 || resamples === 0;
  const values = skip
    ? undefined
    : resampleValues(
        unitCount,
        active.map((s) => ({ linear: s.plan.linear!, units: s.units })),
        customs,
        resamples,
        seed,
        helper,
      );
  const results = scheduled.map((s) => {
    const outputs = s.plan.linear?.outputs ?? 0;
    const index = active.indexOf(s);
    const intervals = Array.from({ length: outputs }, (_, o) => (values === undefined || index === -1 ? noInterval() : intervalOf(values.jobs[index]![o]!, confidence)));
    return s.plan.result(intervals);
  });
  return {
    results,
    customs: customs.map((_, c) => (values === undefined ? noInterval() : intervalOf(values.customs[c]!, confidence))),
  };
}

/**
 * The *WithInterval functions: the plan on its own, resampling exactly the items of its
 * statistic (e.g. only the pairable columns), as these functions always have.
 */
export function runAlone<T>(plan: Plan<T>, opts: BootstrapOptions | undefined): T {
  const options = readOptions(opts ?? {});
  const items = plan.linear?.items ?? 0;
  return runPlans(items, [{ plan: plan as Plan<unknown>, units: range(items) }], [], options).results[0] as T;
}
