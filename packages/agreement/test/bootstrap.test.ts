import { describe, expect, it } from 'vitest';
import { bootstrap } from '../src/index.ts';
import { seeded } from './generators.ts';

describe('bootstrap', () => {
  it('draws unitCount units with replacement: the weights are multiplicities summing to unitCount', () => {
    const seen: number[][] = [];
    bootstrap(
      7,
      (weights) => {
        seen.push([...weights]);
        return 0;
      },
      { resamples: 50 },
    );
    expect(seen).toHaveLength(50);
    for (const weights of seen) {
      expect(weights.reduce((a, b) => a + b, 0)).toBe(7);
      for (const w of weights) expect(Number.isInteger(w) && w >= 0).toBe(true);
    }
    expect(new Set(seen.map((w) => w.join())).size).toBeGreaterThan(40);
  });

  it('is reproducible for a seed, and the default seed is fixed', () => {
    const data = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 10);
    const mean = (weights: Float64Array): number => weights.reduce((sum, w, i) => sum + w * data[i]!, 0) / data.length;
    expect(bootstrap(200, mean, { seed: 5 })).toEqual(bootstrap(200, mean, { seed: 5 }));
    expect(bootstrap(200, mean)).toEqual(bootstrap(200, mean, { seed: 1 }));
    expect(bootstrap(200, mean, { seed: 6 })).not.toEqual(bootstrap(200, mean, { seed: 5 }));
  });

  it('gives a percentile interval around the mean of a sample that covers it', () => {
    const random = seeded(1);
    const data = Array.from({ length: 400 }, () => random.next());
    const sampleMean = data.reduce((a, b) => a + b, 0) / data.length;
    const mean = (weights: Float64Array): number => weights.reduce((sum, w, i) => sum + w * data[i]!, 0) / data.length;
    const { low, high, resamples } = bootstrap(400, mean, { resamples: 2000 });
    expect(resamples).toBe(2000);
    expect(low).toBeLessThan(sampleMean);
    expect(high).toBeGreaterThan(sampleMean);
    // Standard error of the mean of U(0,1) with n = 400: 0.2887 / 20; the 95% interval is about +-1.96 se.
    expect(high - low).toBeGreaterThan(2 * 1.96 * (0.2887 / 20) * 0.85);
    expect(high - low).toBeLessThan(2 * 1.96 * (0.2887 / 20) * 1.15);
  });

  it('leaves NaN resamples out, and gives NaN when more than half are NaN', () => {
    let call = 0;
    const someNaN = bootstrap(10, () => (call++ % 4 === 0 ? Number.NaN : call), { resamples: 100 });
    expect(someNaN.resamples).toBe(75);
    expect(someNaN.low).not.toBeNaN();
    call = 0;
    const mostlyNaN = bootstrap(10, () => (call++ % 4 === 0 ? call : Number.NaN), { resamples: 100 });
    expect(mostlyNaN).toEqual({ low: NaN, high: NaN, resamples: 25 });
  });

  it('has nothing to resample from no units', () => {
    expect(bootstrap(0, () => 1)).toEqual({ low: NaN, high: NaN, resamples: 0 });
  });

  it('gives the point value alone with resamples 0', () => {
    expect(bootstrap(5, () => 1, { resamples: 0 })).toEqual({ low: NaN, high: NaN, resamples: 0 });
  });

  it('rejects bad options', () => {
    expect(() => bootstrap(5, () => 1, { resamples: -1 })).toThrow(/resamples must be a whole number >= 0/);
    expect(() => bootstrap(5, () => 1, { resamples: 1.5 })).toThrow(/resamples must be a whole number >= 0/);
    expect(() => bootstrap(5, () => 1, { confidence: 1 })).toThrow(/confidence must be between 0 and 1/);
    expect(() => bootstrap(5, () => 1, { seed: NaN })).toThrow(TypeError);
    expect(() => bootstrap(-1, () => 1)).toThrow(RangeError);
  });
});
