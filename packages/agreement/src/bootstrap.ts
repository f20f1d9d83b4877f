import type { BootstrapOptions, Estimate, PointValue } from './estimate.ts';
import { Mulberry32 } from './random.ts';
import { describe } from './validate.ts';

export type BootstrapInterval = {
  low: number;
  high: number;
  /** Resamples whose statistic was defined, i.e. those the percentiles were taken over. */
  resamples: number;
};

const DEFAULT_RESAMPLES = 1000;
const DEFAULT_SEED = 1;
const DEFAULT_CONFIDENCE = 0.95;

/**
 * Nonparametric bootstrap over units (passages, items, subjects). Each resample draws `unitCount`
 * units with replacement and hands `statistic` how often each was drawn; `statistic` should read
 * the weights and not keep them, because the same array is refilled for the next resample.
 * Percentile interval; resamples with a NaN statistic are left out, and when more than half are
 * NaN the interval is NaN.
 */
export function bootstrap(
  unitCount: number,
  statistic: (weights: Float64Array) => number,
  opts: BootstrapOptions = {},
): BootstrapInterval {
  const [interval] = bootstrapMany(unitCount, 1, (weights, out) => {
    out[0] = statistic(weights);
  }, opts);
  return interval ?? { low: Number.NaN, high: Number.NaN, resamples: 0 };
}

/**
 * Several statistics over the same resamples, so that the per-label and overall intervals of one
 * report come from the same draws and the weights are drawn once.
 */
export function bootstrapMany(
  unitCount: number,
  outputs: number,
  statistics: (weights: Float64Array, out: Float64Array) => void,
  opts: BootstrapOptions = {},
): BootstrapInterval[] {
  if (!Number.isInteger(unitCount) || unitCount < 0) {
    throw new RangeError(`bootstrap: unitCount must be a whole number >= 0, got ${describe(unitCount)}`);
  }
  const { resamples, seed, confidence } = readOptions(opts);
  // resamples 0 asks for the point value alone (e.g. many small groups where an interval is not shown).
  if (unitCount === 0 || resamples === 0) {
    return Array.from({ length: outputs }, () => ({ low: Number.NaN, high: Number.NaN, resamples: 0 }));
  }
  const random = new Mulberry32(seed);
  const weights = new Float64Array(unitCount);
  const out = new Float64Array(outputs);
  // Column-major per statistic, so each one's values are contiguous for sorting.
  const values = new Float64Array(resamples * outputs);
  for (let r = 0; r < resamples; r++) {
    random.countDraws(weights);
    out.fill(Number.NaN);
    statistics(weights, out);
    for (let s = 0; s < outputs; s++) values[s * resamples + r] = out[s]!;
  }
  const tail = (1 - confidence) / 2;
  const intervals: BootstrapInterval[] = [];
  for (let s = 0; s < outputs; s++) {
    const defined = values.subarray(s * resamples, (s + 1) * resamples).filter((v) => !Number.isNaN(v)).sort();
    if (defined.length * 2 < resamples) {
      intervals.push({ low: Number.NaN, high: Number.NaN, resamples: defined.length });
    } else {
      intervals.push({ low: quantile(defined, tail), high: quantile(defined, 1 - tail), resamples: defined.length });
    }
  }
  return intervals;
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

function readOptions(opts: BootstrapOptions): { resamples: number; seed: number; confidence: number } {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 0) {
    throw new RangeError(`bootstrap: resamples must be a whole number >= 0 (0: no interval), got ${describe(resamples)}`);
  }
  const seed = opts.seed ?? DEFAULT_SEED;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new TypeError(`bootstrap: seed must be a finite number, got ${describe(seed)}`);
  }
  const confidence = opts.confidence ?? DEFAULT_CONFIDENCE;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new RangeError(`bootstrap: confidence must be between 0 and 1 (exclusive), got ${describe(confidence)}`);
  }
  return { resamples, seed, confidence };
}

/** The point value, and its interval unless the value itself is undefined. */
export function withInterval(
  point: PointValue,
  unitCount: number,
  statistic: (weights: Float64Array) => number,
  opts: BootstrapOptions | undefined,
): Estimate {
  readOptions(opts ?? {});
  if (Number.isNaN(point.value)) {
    return { value: Number.NaN, low: Number.NaN, high: Number.NaN, reason: point.reason ?? 'nothing-to-compare' };
  }
  const { low, high } = bootstrap(unitCount, statistic, opts);
  return { value: point.value, low, high };
}

/** Weights of 1 for every unit: the point estimate runs through the resampling code. */
export function unitWeights(unitCount: number): Float64Array {
  return new Float64Array(unitCount).fill(1);
}
