/**
 * Why a coefficient has no value. `one-category`: the expected disagreement is zero (everything
 * observed falls in one category, so chance cannot be corrected for); `too-few-coders`: fewer than
 * two coders; `nothing-to-compare`: no item was coded twice.
 */
export type UndefinedReason = 'one-category' | 'too-few-coders' | 'nothing-to-compare';

/** A coefficient with its bootstrap percentile interval. Undefined: all three NaN and a `reason`. */
export type Estimate = { value: number; low: number; high: number; reason?: UndefinedReason };

export type BootstrapOptions = {
  /** Default 1000. 0 skips the bootstrap: the value alone, with NaN low and high. */
  resamples?: number;
  /** Default 1: the same data and options always give the same interval. */
  seed?: number;
  /** Default 0.95, i.e. the 2.5th and 97.5th percentiles. */
  confidence?: number;
};

/** A value with its reason when undefined, before the bootstrap runs. */
export type PointValue = { value: number; reason?: UndefinedReason };

export function undefinedEstimate(reason: UndefinedReason): Estimate {
  return { value: Number.NaN, low: Number.NaN, high: Number.NaN, reason };
}
