import { type BootstrapInterval, readOptions, type ResolvedOptions } from './bootstrap.ts';
import { cohenPlan } from './cohen.ts';
import type { BootstrapOptions, Estimate } from './estimate.ts';
import { fleissPlan } from './fleiss.ts';
import { alphaPlan, type Level, type ReliabilityValue } from './krippendorff.ts';
import { range } from './linear.ts';
import { type Plan, runPlans, type Scheduled } from './plan.ts';
import { type PooledUnitizingOptions, type PooledUnitizingResult, pooledUnitizingPlan } from './pooled-unitizing.ts';
import { type RelationParts, relationAlphaPlan, relationFleissPlan } from './relations.ts';
import type { ResampleHelper } from './resample-sums.ts';
import type { UnitizingParts } from './unitizing.ts';
import { describe } from './validate.ts';

/**
 * Which resampled unit each of a statistic's items belongs to: `units[i]` is the index (below the
 * resampler's unitCount) of the unit of column, pair, row or part i. Several items may share a
 * unit (an annotator's comparisons with each other annotator of one passage), and units may have
 * no items (passages a pair did not both annotate). Without it, item i is unit i, and there must
 * be exactly unitCount items.
 */
export type UnitsOption = { units?: ArrayLike<number> };

/**
 * Another thread to form some of the resamples' sums in (resample-sums.ts): the results are the
 * same to the bit with or without one; a large bootstrap just takes less time on two cores.
 */
export type ResamplerOptions = BootstrapOptions & { helper?: ResampleHelper };

/** A result that is ready once the resampler has run; get() runs it if it has not yet. */
export type Pending<T> = { get(): T };

/**
 * One bootstrap for many statistics over the same units (a report's passages): every resample
 * draws the units once, with replacement, and every statistic is evaluated on that draw, so the
 * intervals of one report come from the same resamples (a joint bootstrap of passages).
 * Statistics over a subset of the units, or with several items per unit, say which unit each
 * item belongs to (`units`); a unit drawn twice counts all its items twice, and a unit outside a
 * statistic's subset is simply not part of it in any resample.
 *
 * Add the statistics, then read them: the first get() (or run()) resamples all of them; none can
 * be added after that. Each method takes the same arguments as its *WithInterval counterpart and
 * gives the same point value; the interval differs only because the draws are of the units.
 */
export class Resampler {
  readonly unitCount: number;
  private readonly options: ResolvedOptions;
  private readonly helper: ResampleHelper | undefined;
  private readonly scheduled: Scheduled[] = [];
  private readonly customs: ((weights: Float64Array) => number)[] = [];
  private results: unknown[] | undefined;
  private customResults: BootstrapInterval[] | undefined;

  constructor(unitCount: number, opts: ResamplerOptions = {}) {
    if (!Number.isInteger(unitCount) || unitCount < 0) {
      throw new RangeError(`Resampler: unitCount must be a whole number >= 0, got ${describe(unitCount)}`);
    }
    this.unitCount = unitCount;
    this.options = readOptions(opts);
    const helper = opts.helper;
    if (helper !== undefined && (helper === null || typeof helper.start !== 'function')) {
      throw new TypeError(`Resampler: helper must have a start(task) method, got ${describe(helper)}`);
    }
    this.helper = helper;
  }

  /** Krippendorff's alpha (alphaWithInterval); the items are the matrix's columns. */
  alpha(matrix: ReliabilityValue[][], level: Level, opts?: UnitsOption): Pending<Estimate> {
    return this.add(alphaPlan(matrix, level, 'Resampler.alpha'), opts, 'Resampler.alpha');
  }

  /** Cohen's kappa (cohenKappaWithInterval); the items are the pairs. */
  cohenKappa(pairs: [a: string | number, b: string | number][], opts?: UnitsOption): Pending<Estimate> {
    return this.add(cohenPlan(pairs, 'Resampler.cohenKappa'), opts, 'Resampler.cohenKappa');
  }

  /** Fleiss' kappa (fleissKappaWithInterval); the items are the rows (subjects). */
  fleissKappa(counts: number[][], opts?: UnitsOption): Pending<Estimate> {
    return this.add(fleissPlan(counts, 'Resampler.fleissKappa'), opts, 'Resampler.fleissKappa');
  }

  /**
   * Pooled alpha_U (pooledUnitizingAlpha); the items are the parts. `perLabel: false` resamples
   * only `overall` (perLabel is then {}), about a third of the work with three labels.
   */
  pooledUnitizingAlpha(
    parts: UnitizingParts[],
    opts: UnitsOption & Omit<PooledUnitizingOptions, keyof BootstrapOptions> & { perLabel?: boolean } = {},
  ): Pending<PooledUnitizingResult> {
    return this.add(pooledUnitizingPlan(parts, opts, 'Resampler.pooledUnitizingAlpha'), opts, 'Resampler.pooledUnitizingAlpha');
  }

  /** Pooled relation alpha (pooledRelationAlpha); the items are the parts. */
  pooledRelationAlpha(parts: RelationParts[], opts?: UnitsOption): Pending<Estimate> {
    return this.add(relationAlphaPlan(parts), opts, 'Resampler.pooledRelationAlpha');
  }

  /** Pooled relation Fleiss' kappa (pooledRelationFleissKappa); the items are the parts. */
  pooledRelationFleissKappa(parts: RelationParts[], opts?: UnitsOption): Pending<Estimate> {
    return this.add(relationFleissPlan(parts), opts, 'Resampler.pooledRelationFleissKappa');
  }

  /**
   * A statistic of your own: called once per resample with how often each unit was drawn (the
   * array is reused; read it, do not keep it). Slower than the built-in ones, which never look at
   * the units one by one when they can avoid it.
   */
  custom(statistic: (weights: Float64Array) => number): Pending<BootstrapInterval> {
    this.open('Resampler.custom');
    if (typeof statistic !== 'function') throw new TypeError(`Resampler.custom: statistic must be a function, got ${describe(statistic)}`);
    const index = this.customs.push(statistic) - 1;
    return {
      get: () => {
        this.run();
        return this.customResults![index]!;
      },
    };
  }

  /**
   * A statistic from a plan built elsewhere in the package (the report builds its plans from its
   * parts' arrays rather than from the objects the methods above take). Not for callers outside it.
   * @internal
   */
  plan<T>(plan: Plan<T>, opts?: UnitsOption): Pending<T> {
    return this.add(plan, opts, 'Resampler.plan');
  }

  /** Resamples every statistic added so far (once; later calls do nothing). */
  run(): void {
    if (this.results !== undefined) return;
    const { results, customs } = runPlans(this.unitCount, this.scheduled, this.customs, this.options, this.helper);
    this.results = results;
    this.customResults = customs;
  }

  private open(fn: string): void {
    if (this.results !== undefined) throw new Error(`${fn}: this resampler has already run; add every statistic before reading any`);
  }

  private add<T>(plan: Plan<T>, opts: UnitsOption | undefined, fn: string): Pending<T> {
    this.open(fn);
    const unitOf = this.unitsOf(plan.sources, opts?.units, fn);
    const units = new Int32Array(plan.source.length);
    for (let i = 0; i < units.length; i++) units[i] = unitOf[plan.source[i]!]!;
    const index = this.scheduled.push({ plan: plan as Plan<unknown>, units }) - 1;
    return {
      get: () => {
        this.run();
        return this.results![index] as T;
      },
    };
  }

  private unitsOf(sources: number, units: ArrayLike<number> | undefined, fn: string): Int32Array {
    if (units === undefined) {
      if (sources !== this.unitCount) {
        throw new RangeError(`${fn}: ${sources} items for ${this.unitCount} units; pass units to say which unit each item belongs to`);
      }
      return range(sources);
    }
    if (units === null || typeof units !== 'object' || typeof units.length !== 'number') {
      throw new TypeError(`${fn}: units must be an array of unit indices, got ${describe(units)}`);
    }
    if (units.length !== sources) throw new RangeError(`${fn}: units has ${units.length} entries for ${sources} items`);
    const result = new Int32Array(sources);
    for (let i = 0; i < sources; i++) {
      const u = units[i];
      if (typeof u !== 'number' || !Number.isInteger(u) || u < 0 || u >= this.unitCount) {
        throw new RangeError(`${fn}: units[${i}] must be a whole number from 0 to ${this.unitCount - 1}, got ${describe(u)}`);
      }
      result[i] = u;
    }
    return result;
  }
}

/**
 * Nonparametric bootstrap over units (passages, items, subjects). Each resample draws `unitCount`
 * units with replacement and hands `statistic` how often each was drawn; `statistic` should read
 * the weights and not keep them, because the same array is refilled for the next resample.
 * Percentile interval; resamples with a NaN statistic are left out, and when more than half are
 * NaN the interval is NaN. (A Resampler with one custom statistic.)
 */
export function bootstrap(unitCount: number, statistic: (weights: Float64Array) => number, opts: BootstrapOptions = {}): BootstrapInterval {
  if (!Number.isInteger(unitCount) || unitCount < 0) {
    throw new RangeError(`bootstrap: unitCount must be a whole number >= 0, got ${describe(unitCount)}`);
  }
  return new Resampler(unitCount, opts).custom(statistic).get();
}
