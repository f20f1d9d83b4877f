/**
 * Which blocks to render for a scroll position, from their heights: measured once rendered,
 * estimated (from their length) before. Framework-free; O(log n) per query, and the prefix sums
 * are rebuilt lazily, once per batch of new measurements.
 */
export class BlockViewport {
  private readonly heights: Float64Array;
  private readonly measured: Uint8Array;
  private tops: Float64Array;
  private dirty = true;
  private measuredChars = 0;
  private measuredPixels = 0;

  constructor(
    private readonly lengths: readonly number[],
    private readonly lineHeight = 30,
    private readonly charsPerLine = 90,
  ) {
    this.heights = new Float64Array(lengths.length);
    this.measured = new Uint8Array(lengths.length);
    this.tops = new Float64Array(lengths.length + 1);
    for (let i = 0; i < lengths.length; i += 1) this.heights[i] = this.estimate(lengths[i] ?? 0);
  }

  get count(): number {
    return this.lengths.length;
  }

  /** Height of a block not yet rendered: its length at the pixels per character seen so far. */
  private estimate(length: number): number {
    const lines = Math.max(1, Math.ceil(length / this.charsPerLine));
    if (this.measuredChars < 2000) return lines * this.lineHeight;
    return Math.max(this.lineHeight, (length * this.measuredPixels) / this.measuredChars);
  }

  /** Records a rendered block's height; true when it changed what the page looks like. */
  setHeight(index: number, height: number): boolean {
    if (index < 0 || index >= this.heights.length || !(height > 0)) return false;
    if (!this.measured[index]) {
      this.measured[index] = 1;
      this.measuredChars += this.lengths[index] ?? 0;
      this.measuredPixels += height;
    }
    if (Math.abs((this.heights[index] ?? 0) - height) < 0.5) return false;
    this.heights[index] = height;
    this.dirty = true;
    return true;
  }

  private rebuild(): void {
    if (!this.dirty) return;
    let sum = 0;
    for (let i = 0; i < this.heights.length; i += 1) {
      this.tops[i] = sum;
      sum += this.heights[i] ?? 0;
    }
    this.tops[this.heights.length] = sum;
    this.dirty = false;
  }

  /** Top of block `index` (index = count gives the total height). */
  top(index: number): number {
    this.rebuild();
    return this.tops[Math.max(0, Math.min(index, this.heights.length))] ?? 0;
  }

  total(): number {
    return this.top(this.heights.length);
  }

  /** The block at a vertical position. */
  indexAt(y: number): number {
    this.rebuild();
    let lo = 0;
    let hi = this.heights.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.tops[mid] ?? 0) <= y) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }

  /** First and last block to render for a viewport [from, to) plus `overscan` pixels each side. */
  range(from: number, to: number, overscan: number): { first: number; last: number } {
    if (this.heights.length === 0) return { first: 0, last: -1 };
    return { first: this.indexAt(Math.max(0, from - overscan)), last: this.indexAt(to + overscan) };
  }
}
