// Every coefficient of this package is a function of a few sums over its units (coincidences,
// table cells, D_o and D_e): sums[f] = sum over items of weight(item) * amount(item, f). A
// statistic in that form is what the resampler evaluates; it never looks at the items themselves.

/**
 * Sparse per-item amounts and the function that turns their sums into the statistic's outputs.
 * Item i's entries are entryStart[i] to entryStart[i + 1].
 */
export class Linear {
  constructor(
    readonly features: number,
    readonly outputs: number,
    readonly entryStart: Int32Array,
    readonly feature: Int32Array,
    readonly amount: Float64Array,
    /** Writes the outputs (NaN when undefined) from the sums. Must not keep either array. */
    readonly finish: (sums: Float64Array, out: Float64Array) => void,
  ) {}

  get items(): number {
    return this.entryStart.length - 1;
  }

  /**
   * The sums with each item weighted (all 1 without weights), added up item by item in item
   * order, so each feature's sum runs over the items in the order they were added.
   */
  sums(weights?: Float64Array): Float64Array {
    const sums = new Float64Array(this.features);
    const { entryStart, feature, amount } = this;
    for (let i = 0; i < entryStart.length - 1; i++) {
      const w = weights === undefined ? 1 : weights[i]!;
      for (let e = entryStart[i]!; e < entryStart[i + 1]!; e++) sums[feature[e]!]! += w * amount[e]!;
    }
    return sums;
  }

  /** The outputs at the given weights (all 1: the point values). */
  evaluate(weights?: Float64Array): Float64Array {
    const out = new Float64Array(this.outputs).fill(Number.NaN);
    this.finish(this.sums(weights), out);
    return out;
  }
}

/** Collects the entries item by item: add() to the current item, endItem() to close it. */
export class LinearBuilder {
  private starts = new Int32Array(64);
  private featureOf = new Int32Array(256);
  private amountOf = new Float64Array(256);
  private count = 0;
  private itemCount = 0;

  get items(): number {
    return this.itemCount;
  }

  add(feature: number, amount: number): void {
    if (amount === 0) return;
    if (this.count === this.featureOf.length) {
      const featureOf = new Int32Array(this.count * 2);
      featureOf.set(this.featureOf);
      this.featureOf = featureOf;
      const amountOf = new Float64Array(this.count * 2);
      amountOf.set(this.amountOf);
      this.amountOf = amountOf;
    }
    this.featureOf[this.count] = feature;
    this.amountOf[this.count] = amount;
    this.count++;
  }

  endItem(): void {
    this.itemCount++;
    if (this.itemCount === this.starts.length) {
      const starts = new Int32Array(this.itemCount * 2);
      starts.set(this.starts);
      this.starts = starts;
    }
    this.starts[this.itemCount] = this.count;
  }

  /** `remap` renumbers the features (e.g. once their final order is known). */
  build(features: number, outputs: number, finish: Linear['finish'], remap?: (feature: number) => number): Linear {
    const feature = this.featureOf.slice(0, this.count);
    if (remap !== undefined) for (let e = 0; e < feature.length; e++) feature[e] = remap(feature[e]!);
    return new Linear(features, outputs, this.starts.slice(0, this.itemCount + 1), feature, this.amountOf.slice(0, this.count), finish);
  }
}

/** 0, 1, ..., n - 1. */
export function range(n: number): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  return indices;
}
