import type { BootstrapOptions } from './estimate.ts';
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

export function noInterval(): BootstrapInterval {
  return { low: Number.NaN, high: Number.NaN, resamples: 0 };
}

/**
 * The percentile interval of one statistic's resampled values (NaN ones left out; NaN when more
 * than half are NaN). Sorts `values` in place.
 */
export function intervalOf(values: Float64Array, confidence: number): BootstrapInterval {
  let defined = 0;
  for (const v of values) if (!Number.isNaN(v)) values[defined++] = v;
  const sorted = values.subarray(0, defined).sort();
  if (defined * 2 < values.length) return { low: Number.NaN, high: Number.NaN, resamples: defined };
  const tail = (1 - confidence) / 2;
  return { low: quantile(sorted, tail), high: quantile(sorted, 1 - tail), resamples: defined };
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7, R's default). */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

export type ResolvedOptions = { resamples: number; seed: number; confidence: number };

export function readOptions(opts: BootstrapOptions): ResolvedOptions {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`bootstrap: options must be an object, got ${describe(opts)}`);
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
