import type { PointValue } from './estimate.ts';
import { type Linear, LinearBuilder } from './linear.ts';

export type Level = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export type AlphaPoint = PointValue & {
  /** Observed disagreement D_o. */
  observed: number;
  /** Expected disagreement D_e. */
  expected: number;
  /** Pairable values n (the coincidence matrix's total). */
  pairable: number;
};

/** Above this many distinct values, interval and ordinal D_e use the (stable) variance form. */
const PAIRWISE_LIMIT = 256;

/**
 * Krippendorff's coincidences kept per unit, so that a bootstrap resample is a weighted sum of them.
 *
 * Only the off-diagonal cells are stored (the diagonal adds no disagreement) plus each unit's
 * marginals. A unit adds `amount / divisor` to its cells, where the amount is an integer count of
 * ordered value pairs and the divisor is m_u - 1. Amounts are summed per (cell, divisor) slot
 * before dividing, so the sums are exact and the result does not depend on the order of units.
 * As a linear statistic (linear.ts) the features are the slots, in (a, b, divisor) order, then
 * the values' marginals.
 */
export class CoincidenceUnits {
  private readonly slotKeys = new Map<number | string, number>();
  private readonly slotA: number[] = [];
  private readonly slotB: number[] = [];
  private readonly slotDivisor: number[] = [];
  // Cell entries carry their slot (in order of first use), margin entries -1 - value.
  private readonly entries = new LinearBuilder();
  private sealed: Sealed | undefined;
  private readonly margins: Float64Array;
  private readonly midranks: Float64Array;

  /** `positions`: the numeric value of each value index (sorted ascending; ignored when nominal). */
  constructor(
    private readonly level: Level,
    private readonly positions: Float64Array,
  ) {
    this.margins = new Float64Array(positions.length);
    this.midranks = new Float64Array(positions.length);
  }

  get unitCount(): number {
    return this.entries.items;
  }

  /**
   * One unit: its ordered-pair counts between distinct values (a < b; the b-a cell is implied),
   * the divisor they share, and how many pairable values of each value it has.
   */
  addUnit(cells: Iterable<[a: number, b: number, amount: number]>, divisor: number, margins: Iterable<[value: number, amount: number]>): void {
    if (this.sealed !== undefined) throw new Error('CoincidenceUnits: no units can be added once evaluated');
    for (const [a, b, amount] of cells) {
      if (amount === 0) continue;
      this.entries.add(this.slot(a, b, divisor), amount);
    }
    for (const [value, amount] of margins) this.entries.add(-1 - value, amount);
    this.entries.endItem();
  }

  /** addUnit with the cells and margins in arrays: the first `cellCount` and `marginCount` entries. */
  addArrays(
    cellCount: number,
    cellA: Int32Array,
    cellB: Int32Array,
    cellAmount: Float64Array,
    divisor: number,
    marginCount: number,
    marginValue: Int32Array,
    marginAmount: Float64Array,
  ): void {
    if (this.sealed !== undefined) throw new Error('CoincidenceUnits: no units can be added once evaluated');
    for (let c = 0; c < cellCount; c++) {
      const amount = cellAmount[c]!;
      if (amount === 0) continue;
      this.entries.add(this.slot(cellA[c]!, cellB[c]!, divisor), amount);
    }
    for (let c = 0; c < marginCount; c++) this.entries.add(-1 - marginValue[c]!, marginAmount[c]!);
    this.entries.endItem();
  }

  /**
   * One unit given as its distinct value indices, ascending, and how often each occurs (the
   * first `runs` entries): the cells are the products of the counts of each pair of values.
   */
  addRuns(ids: Int32Array, counts: Int32Array, runs: number, divisor: number): void {
    if (this.sealed !== undefined) throw new Error('CoincidenceUnits: no units can be added once evaluated');
    for (let a = 0; a < runs; a++) {
      for (let b = a + 1; b < runs; b++) this.entries.add(this.slot(ids[a]!, ids[b]!, divisor), counts[a]! * counts[b]!);
    }
    for (let a = 0; a < runs; a++) this.entries.add(-1 - ids[a]!, counts[a]!);
    this.entries.endItem();
  }

  private slot(a: number, b: number, divisor: number): number {
    const values = this.positions.length;
    const number = (divisor * values + a) * values + b;
    const key = Number.isSafeInteger(number) ? number : `${a},${b},${divisor}`;
    let slot = this.slotKeys.get(key);
    if (slot === undefined) {
      slot = this.slotA.length;
      this.slotKeys.set(key, slot);
      this.slotA.push(a);
      this.slotB.push(b);
      this.slotDivisor.push(divisor);
    }
    return slot;
  }

  /**
   * Puts the slots in (a, b, divisor) order, so the final sums always run in the same order
   * whatever order the units came in, and fixes the linear form.
   */
  private seal(): Sealed {
    if (this.sealed !== undefined) return this.sealed;
    const slots = this.slotA.length;
    const order = Array.from({ length: slots }, (_, i) => i);
    order.sort((x, y) => this.slotA[x]! - this.slotA[y]! || this.slotB[x]! - this.slotB[y]! || this.slotDivisor[x]! - this.slotDivisor[y]!);
    const rank = new Int32Array(slots);
    order.forEach((old, i) => (rank[old] = i));
    let slotA = Int32Array.from(order, (i) => this.slotA[i]!);
    let slotB = Int32Array.from(order, (i) => this.slotB[i]!);
    let slotDivisor = Float64Array.from(order, (i) => this.slotDivisor[i]!);
    // Nominal, with divisors that are powers of two (m_u of 2, 3 or 5 coders): every amount /
    // divisor is exact, so the slots of one divisor can be one sum (fewer sums per resample) and
    // D_o still comes out to the last bit as slot by slot.
    const powerOfTwo = (d: number): boolean => Number.isInteger(d) && d >= 1 && d <= 2 ** 30 && (d & (d - 1)) === 0;
    if (this.level === 'nominal' && this.slotDivisor.every(powerOfTwo)) {
      const divisors = [...new Set(this.slotDivisor)].sort((x, y) => x - y);
      for (let old = 0; old < slots; old++) rank[old] = divisors.indexOf(this.slotDivisor[old]!);
      slotA = new Int32Array(divisors.length);
      slotB = new Int32Array(divisors.length);
      slotDivisor = Float64Array.from(divisors);
    }
    const features = slotDivisor.length;
    const linear = this.entries.build(
      features + this.positions.length,
      1,
      (sums, out) => {
        out[0] = this.fromSums(sums).value;
      },
      (f) => (f >= 0 ? rank[f]! : features - 1 - f),
    );
    this.sealed = { slotA, slotB, slotDivisor, linear };
    return this.sealed;
  }

  /** The units as a linear statistic with one output, alpha. */
  linear(): Linear {
    return this.seal().linear;
  }

  /** Alpha and its parts with each unit weighted (all 1 without weights). */
  evaluate(weights?: Float64Array): AlphaPoint {
    return this.fromSums(this.seal().linear.sums(weights));
  }

  /** Alpha from the sums: the slots' amounts, then the values' marginals. */
  private fromSums(sums: Float64Array): AlphaPoint {
    const { slotA, slotB, slotDivisor } = this.seal();
    const slots = slotA.length;
    const margins = this.margins;
    let n = 0;
    for (let c = 0; c < margins.length; c++) {
      const total = sums[slots + c]!;
      margins[c] = total;
      n += total;
    }
    if (n === 0) return { value: Number.NaN, reason: 'nothing-to-compare', observed: Number.NaN, expected: Number.NaN, pairable: 0 };
    if (this.level === 'ordinal') this.computeMidranks();

    let observed = 0;
    for (let s = 0; s < slots; s++) {
      const amount = sums[s]!;
      if (amount !== 0) observed += (amount / slotDivisor[s]!) * this.distance(slotA[s]!, slotB[s]!);
    }
    // o_ab and o_ba: each stored cell stands for two.
    observed = (2 * observed) / n;
    const expected = this.expectedSum(n) / (n * (n - 1));
    if (!(expected > 0)) return { value: Number.NaN, reason: 'one-category', observed, expected, pairable: n };
    return { value: 1 - observed / expected, observed, expected, pairable: n };
  }

  /** Sum over ordered pairs of distinct values of n_a n_b delta^2(a, b). */
  private expectedSum(n: number): number {
    const margins = this.margins;
    const k = margins.length;
    if (this.level === 'nominal') {
      let squares = 0;
      for (let c = 0; c < k; c++) squares += margins[c]! * margins[c]!;
      return n * n - squares;
    }
    if (k > PAIRWISE_LIMIT && this.level !== 'ratio') {
      // sum_ab n_a n_b (x_a - x_b)^2 = 2 n sum_a n_a (x_a - mean)^2, centred to avoid cancellation.
      const x = this.level === 'ordinal' ? this.midranks : this.positions;
      let mean = 0;
      for (let c = 0; c < k; c++) mean += margins[c]! * x[c]!;
      mean /= n;
      let spread = 0;
      for (let c = 0; c < k; c++) spread += margins[c]! * (x[c]! - mean) ** 2;
      return 2 * n * spread;
    }
    let sum = 0;
    for (let a = 0; a < k; a++) {
      const na = margins[a]!;
      if (na === 0) continue;
      let row = 0;
      for (let b = a + 1; b < k; b++) {
        const nb = margins[b]!;
        if (nb !== 0) row += nb * this.distance(a, b);
      }
      sum += na * row;
    }
    return 2 * sum;
  }

  /**
   * Krippendorff (2011) ordinal metric: (sum of n_g for g from a to b, minus (n_a + n_b) / 2)^2,
   * which is the squared difference of the two values' midranks among all pairable values.
   */
  private computeMidranks(): void {
    let below = 0;
    for (let c = 0; c < this.margins.length; c++) {
      const nc = this.margins[c]!;
      this.midranks[c] = below + nc / 2;
      below += nc;
    }
  }

  private distance(a: number, b: number): number {
    switch (this.level) {
      case 'nominal':
        return 1;
      case 'ordinal':
        return (this.midranks[b]! - this.midranks[a]!) ** 2;
      case 'interval':
        return (this.positions[b]! - this.positions[a]!) ** 2;
      case 'ratio': {
        const sum = this.positions[a]! + this.positions[b]!;
        return sum === 0 ? 0 : ((this.positions[b]! - this.positions[a]!) / sum) ** 2;
      }
    }
  }
}

type Sealed = { slotA: Int32Array; slotB: Int32Array; slotDivisor: Float64Array; linear: Linear };
