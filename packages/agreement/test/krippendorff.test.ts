import { describe, expect, it } from 'vitest';
import { alphaWithInterval, krippendorffAlpha, krippendorffAlphaDetail, scottPi, type Level, type ReliabilityValue } from '../src/index.ts';
import { reliabilityMatrix, SEEDS, seeded } from './generators.ts';

const LEVELS: Level[] = ['nominal', 'ordinal', 'interval', 'ratio'];

/** Krippendorff (2011) written out the textbook way: a dense coincidence matrix, then the metric. */
function textbookAlpha(matrix: ReliabilityValue[][], level: Level): number {
  const columns = matrix[0]?.length ?? 0;
  const pairable: (number | string)[][] = [];
  for (let j = 0; j < columns; j++) {
    const values = matrix.map((row) => row[j]).filter((v): v is number | string => v !== null && v !== undefined);
    if (values.length >= 2) pairable.push(values);
  }
  const values = [...new Set(pairable.flat())].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1));
  const index = new Map(values.map((v, i) => [v, i]));
  const k = values.length;
  const o = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const unit of pairable) {
    for (let i = 0; i < unit.length; i++) {
      for (let j = 0; j < unit.length; j++) {
        if (i !== j) o[index.get(unit[i]!)!]![index.get(unit[j]!)!]! += 1 / (unit.length - 1);
      }
    }
  }
  const nc = o.map((row) => row.reduce((a, b) => a + b, 0));
  const n = nc.reduce((a, b) => a + b, 0);
  const delta = (c: number, d: number): number => {
    if (c === d) return 0;
    const x = values[c] as number;
    const y = values[d] as number;
    switch (level) {
      case 'nominal':
        return 1;
      case 'interval':
        return (x - y) ** 2;
      case 'ratio':
        return ((x - y) / (x + y)) ** 2;
      case 'ordinal': {
        let sum = 0;
        for (let g = Math.min(c, d); g <= Math.max(c, d); g++) sum += nc[g]!;
        return (sum - (nc[c]! + nc[d]!) / 2) ** 2;
      }
    }
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      observed += o[c]![d]! * delta(c, d);
      expected += nc[c]! * nc[d]! * delta(c, d);
    }
  }
  return 1 - ((n - 1) * observed) / expected;
}

describe('krippendorffAlpha', () => {
  it.each(SEEDS)('matches the textbook computation on random data with missing values (seed %i)', (seed) => {
    const random = seeded(seed);
    const matrix = reliabilityMatrix(random, 2 + random.int(4), 5 + random.int(40), [1, 2, 3, 4, 5, 7, 10]);
    for (const level of LEVELS) expect(krippendorffAlpha(matrix, level)).toBeCloseTo(textbookAlpha(matrix, level), 10);
  });

  it('matches the textbook computation with hundreds of distinct values (the variance form of D_e)', () => {
    const random = seeded(99);
    const values = Array.from({ length: 400 }, (_, i) => 1000 + i * 0.5);
    const matrix = reliabilityMatrix(random, 3, 600, values, 0.1);
    for (const level of LEVELS) expect(krippendorffAlpha(matrix, level)).toBeCloseTo(textbookAlpha(matrix, level), 9);
  });

  it('treats 1 and "1" as different nominal values', () => {
    expect(krippendorffAlpha([[1, 1, 'a', 'b'], ['1', 1, 'a', 'b']], 'nominal')).toBeLessThan(1);
    expect(krippendorffAlpha([[1, 2, 'a', 'b'], [1, 2, 'a', 'b']], 'nominal')).toBe(1);
  });

  it.each(LEVELS)('gives exactly 1 for perfect agreement (%s)', (level) => {
    const random = seeded(3);
    for (let trial = 0; trial < 20; trial++) {
      const truth = Array.from({ length: 30 }, () => 1 + random.int(6));
      const matrix = Array.from({ length: 4 }, () => truth.map((v) => (random.next() < 0.2 ? null : v)));
      const defined = krippendorffAlpha(matrix, level);
      if (!Number.isNaN(defined)) expect(defined).toBe(1);
    }
  });

  it.each(SEEDS.slice(0, 10))('does not depend on the order of coders or units (seed %i)', (seed) => {
    const random = seeded(seed);
    const matrix = reliabilityMatrix(random, 4, 40, ['a', 'b', 'c', 3, 4]);
    const numeric = reliabilityMatrix(random, 4, 40, [0, 1, 2, 5, 9]);
    const columns = random.shuffle(Array.from({ length: 40 }, (_, j) => j));
    const permute = (m: ReliabilityValue[][]): ReliabilityValue[][] => random.shuffle(m).map((row) => columns.map((j) => row[j]!));
    expect(krippendorffAlpha(permute(matrix), 'nominal')).toBe(krippendorffAlpha(matrix, 'nominal'));
    for (const level of LEVELS) expect(krippendorffAlpha(permute(numeric), level)).toBe(krippendorffAlpha(numeric, level));
  });

  it('for two coders and no missing values differs from Scott\'s pi only by the small-sample correction', () => {
    const random = seeded(11);
    const matrix = reliabilityMatrix(random, 2, 50, [0, 1, 2], 0);
    const table = [0, 1, 2].map((a) => [0, 1, 2].map((b) => matrix[0]!.filter((v, j) => v === a && matrix[1]![j] === b).length));
    const pi = scottPi(table);
    const n = 2 * 50;
    // alpha = 1 - (n - 1)/n (1 - pi) (Krippendorff 2004, 11.3)
    expect(krippendorffAlpha(matrix, 'nominal')).toBeCloseTo(1 - ((n - 1) / n) * (1 - pi), 12);
  });

  it('ignores units with fewer than two values', () => {
    const base = [
      [1, 2, 3, 3],
      [1, 2, 3, 1],
    ];
    const extra = [
      [1, 2, 3, 3, 5, null],
      [1, 2, 3, 1, null, null],
    ];
    expect(krippendorffAlpha(extra, 'interval')).toBe(krippendorffAlpha(base, 'interval'));
    expect(krippendorffAlphaDetail(extra, 'nominal').pairable).toBe(8);
  });

  describe('undefined values are NaN with a reason, never 0 or 1', () => {
    it('one category observed', () => {
      const matrix = [
        [2, 2, null],
        [2, 2, 2],
      ];
      expect(krippendorffAlpha(matrix, 'nominal')).toBeNaN();
      expect(krippendorffAlphaDetail(matrix, 'interval').reason).toBe('one-category');
      expect(alphaWithInterval(matrix, 'ordinal')).toEqual({ value: NaN, low: NaN, high: NaN, reason: 'one-category' });
    });

    it('fewer than two coders', () => {
      expect(krippendorffAlpha([[1, 2, 3]], 'nominal')).toBeNaN();
      expect(alphaWithInterval([[1, 2, 3]], 'nominal').reason).toBe('too-few-coders');
      expect(alphaWithInterval([], 'nominal').reason).toBe('too-few-coders');
    });

    it('no unit coded twice', () => {
      const matrix = [
        [1, null, null],
        [null, 2, null],
      ];
      expect(krippendorffAlpha(matrix, 'nominal')).toBeNaN();
      expect(alphaWithInterval(matrix, 'nominal').reason).toBe('nothing-to-compare');
      expect(alphaWithInterval([[], []], 'nominal').reason).toBe('nothing-to-compare');
    });

    it('ratio: all values zero', () => {
      expect(krippendorffAlphaDetail([[0, 0], [0, 0]], 'ratio').reason).toBe('one-category');
    });
  });

  describe('bad input', () => {
    it('a ragged matrix names the row', () => {
      expect(() => krippendorffAlpha([[1, 2, 3], [1, 2]], 'nominal')).toThrow(RangeError);
      expect(() => krippendorffAlpha([[1, 2, 3], [1, 2]], 'nominal')).toThrow(/row 1 has 2 units; row 0 has 3/);
    });

    it('a string in numeric data names the cell', () => {
      expect(() => krippendorffAlpha([[1, 2], [1, 'x']], 'interval')).toThrow(TypeError);
      expect(() => krippendorffAlpha([[1, 2], [1, 'x']], 'interval')).toThrow(/matrix\[1\]\[1\]/);
    });

    it('NaN, undefined and objects are not values', () => {
      expect(() => krippendorffAlpha([[1, NaN], [1, 2]], 'nominal')).toThrow(/matrix\[0\]\[1\] is NaN; use null/);
      expect(() => krippendorffAlpha([[1, undefined as unknown as null], [1, 2]], 'nominal')).toThrow(TypeError);
      expect(() => krippendorffAlpha([[1, {} as unknown as null], [1, 2]], 'nominal')).toThrow(TypeError);
    });

    it('negative ratio data', () => {
      expect(() => krippendorffAlpha([[1, -2], [1, 2]], 'ratio')).toThrow(RangeError);
    });

    it('an unknown level', () => {
      expect(() => krippendorffAlpha([[1], [1]], 'cardinal' as Level)).toThrow(/level must be one of/);
    });
  });
});

describe('alphaWithInterval', () => {
  it.each(SEEDS.slice(0, 8))('has exactly krippendorffAlpha as its value, inside its interval (seed %i)', (seed) => {
    const random = seeded(seed);
    const matrix = reliabilityMatrix(random, 3, 200, [1, 2, 3, 4, 5]);
    for (const level of LEVELS) {
      const estimate = alphaWithInterval(matrix, level, { resamples: 300 });
      expect(estimate.value).toBe(krippendorffAlpha(matrix, level));
      expect(estimate.reason).toBeUndefined();
      expect(estimate.low).toBeLessThanOrEqual(estimate.value);
      expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
      expect(estimate.high - estimate.low).toBeGreaterThan(0);
    }
  });

  it('is reproducible for a seed and changes with it', () => {
    const matrix = reliabilityMatrix(seeded(5), 3, 100, ['a', 'b', 'c']);
    const first = alphaWithInterval(matrix, 'nominal', { seed: 42, resamples: 200 });
    expect(alphaWithInterval(matrix, 'nominal', { seed: 42, resamples: 200 })).toEqual(first);
    expect(alphaWithInterval(matrix, 'nominal', { resamples: 200 })).toEqual(alphaWithInterval(matrix, 'nominal', { seed: 1, resamples: 200 }));
    expect(alphaWithInterval(matrix, 'nominal', { seed: 43, resamples: 200 }).low).not.toBe(first.low);
  });

  it('narrows with a lower confidence', () => {
    const matrix = reliabilityMatrix(seeded(6), 3, 150, [1, 2, 3]);
    const wide = alphaWithInterval(matrix, 'interval', { confidence: 0.99 });
    const narrow = alphaWithInterval(matrix, 'interval', { confidence: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
  });
});
