/**
 * mulberry32: 32 bits of state, fast, and good enough to draw bootstrap resamples. Seeded so that
 * an interval shown in the studio can be recomputed to the last digit.
 */
export class Mulberry32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /**
   * The generator as it is after `draws` draws from `seed`: each draw only adds a constant to
   * the state, so a helper thread can start at any resample without drawing the ones before.
   */
  static after(seed: number, draws: number): Mulberry32 {
    if (!Number.isSafeInteger(draws) || draws < 0) throw new RangeError(`Mulberry32.after: draws must be a whole number >= 0, got ${draws}`);
    const random = new Mulberry32(seed);
    // draws * step mod 2^32 needs only draws mod 2^32, which ToInt32 (`| 0`) keeps exactly.
    random.state = (random.state + Math.imul(0x6d2b79f5, draws | 0)) | 0;
    return random;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * Draws weights.length indices with replacement and counts them into `weights`, which it
   * zeroes first. The generator is written out here rather than calling next(): this loop is most
   * of a bootstrap's time, and the inlined form runs about three times faster.
   */
  countDraws(weights: Float64Array): void {
    this.state = countDraws(weights, this.state);
  }
}

/**
 * countDraws' loop, apart from the object: optimized in the middle of its first long loop, a
 * method would meet `this.state = ...` after it with no type feedback yet and be deoptimized, and
 * V8 kept reusing that code, so every resample paid the deoptimization again.
 */
function countDraws(weights: Float64Array, state: number): number {
  const n = weights.length;
  weights.fill(0);
  let a = state;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    weights[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)]! += 1;
  }
  return a;
}
