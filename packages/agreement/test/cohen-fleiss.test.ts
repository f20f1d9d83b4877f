import { describe, expect, it } from 'vitest';
import { cohenKappa, cohenKappaDetail, cohenKappaWithInterval, fleissKappa, fleissKappaWithInterval, scottPi } from '../src/index.ts';
import { SEEDS, seeded, type Random } from './generators.ts';

function randomTable(random: Random, k: number): number[][] {
  return Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => random.int(i === j ? 30 : 8)));
}

function randomCounts(random: Random, subjects: number, categories: number, raters: number): number[][] {
  return Array.from({ length: subjects }, () => {
    const row = new Array<number>(categories).fill(0);
    const favourite = random.int(categories);
    for (let r = 0; r < raters; r++) row[random.next() < 0.6 ? favourite : random.int(categories)]! += 1;
    return row;
  });
}

const transpose = (table: number[][]): number[][] => table[0]!.map((_, j) => table.map((row) => row[j]!));

describe('cohenKappa and scottPi', () => {
  it.each(SEEDS)('are symmetric under transposing the table (seed %i)', (seed) => {
    const table = randomTable(seeded(seed), 2 + (seed % 4));
    expect(cohenKappa(transpose(table))).toBe(cohenKappa(table));
    expect(scottPi(transpose(table))).toBe(scottPi(table));
  });

  it.each(SEEDS.slice(0, 10))('do not depend on the order of categories (seed %i)', (seed) => {
    const random = seeded(seed);
    const table = randomTable(random, 4);
    const order = random.shuffle([0, 1, 2, 3]);
    const permuted = order.map((i) => order.map((j) => table[i]![j]!));
    expect(cohenKappa(permuted)).toBeCloseTo(cohenKappa(table), 14);
    expect(scottPi(permuted)).toBeCloseTo(scottPi(table), 14);
  });

  it('give exactly 1 for perfect agreement', () => {
    expect(cohenKappa([[3, 0, 0], [0, 5, 0], [0, 0, 0]])).toBe(1);
    expect(scottPi([[3, 0], [0, 5]])).toBe(1);
  });

  it('give the textbook figures on a small table', () => {
    // p_o = 0.6; rows 5/5, columns 7/3: p_e(Cohen) = 0.5*0.7 + 0.5*0.3 = 0.5; pooled shares 0.6 / 0.4
    const table = [
      [4, 1],
      [3, 2],
    ];
    expect(cohenKappaDetail(table)).toEqual({ kappa: expect.closeTo(0.2, 14), po: 0.6, pe: expect.closeTo(0.5, 14) });
    expect(scottPi(table)).toBeCloseTo((0.6 - 0.52) / (1 - 0.52), 14);
  });

  it('are NaN, not 1, when both coders used a single category, and NaN for an empty table', () => {
    expect(cohenKappa([[7, 0], [0, 0]])).toBeNaN();
    expect(scottPi([[7]])).toBeNaN();
    expect(cohenKappa([[0, 0], [0, 0]])).toBeNaN();
    expect(cohenKappa([])).toBeNaN();
  });

  it('reject a non-square table, negative or non-numeric cells, naming the place', () => {
    expect(() => cohenKappa([[1, 2], [3]])).toThrow(RangeError);
    expect(() => cohenKappa([[1, 2], [3]])).toThrow(/row 1 has 1 cells, the table has 2 rows/);
    expect(() => cohenKappa([[1, 2, 3], [4, 5, 6]])).toThrow(/must be square/);
    expect(() => scottPi([[1, -2], [3, 4]])).toThrow(/table\[0\]\[1\] is negative/);
    expect(() => cohenKappa([[1, NaN], [3, 4]])).toThrow(TypeError);
    expect(() => cohenKappa('x' as unknown as number[][])).toThrow(TypeError);
  });
});

describe('cohenKappaWithInterval', () => {
  it.each(SEEDS.slice(0, 8))('has the value of cohenKappa over the same items, inside its interval (seed %i)', (seed) => {
    const random = seeded(seed);
    const labels = ['yes', 'no', 'maybe'];
    const pairs = Array.from({ length: 120 }, (): [string, string] => {
      const a = random.pick(labels);
      return [a, random.next() < 0.7 ? a : random.pick(labels)];
    });
    const table = [...labels].sort().map((a) => [...labels].sort().map((b) => pairs.filter(([x, y]) => x === a && y === b).length));
    const estimate = cohenKappaWithInterval(pairs, { resamples: 300 });
    expect(estimate.value).toBe(cohenKappa(table));
    expect(estimate.low).toBeLessThanOrEqual(estimate.value);
    expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
    expect(cohenKappaWithInterval(pairs, { resamples: 300 })).toEqual(estimate);
  });

  it('builds the table over the union of both coders\' categories', () => {
    // A never says "c" and B never says "a": still a 3x3 table.
    const pairs: [string, string][] = [['a', 'b'], ['b', 'b'], ['b', 'c'], ['a', 'b']];
    expect(cohenKappaWithInterval(pairs, { resamples: 10 }).value).toBe(cohenKappa([[0, 2, 0], [0, 1, 1], [0, 0, 0]]));
  });

  it('says why it is undefined', () => {
    expect(cohenKappaWithInterval([])).toEqual({ value: NaN, low: NaN, high: NaN, reason: 'nothing-to-compare' });
    expect(cohenKappaWithInterval([[1, 1], [1, 1]]).reason).toBe('one-category');
  });

  it('rejects malformed pairs', () => {
    expect(() => cohenKappaWithInterval([['a', 'b'], ['a'] as unknown as [string, string]])).toThrow(/pairs\[1\] must be a \[a, b\] pair/);
    expect(() => cohenKappaWithInterval([['a', null as unknown as string]])).toThrow(/pairs\[0\]\[1\]/);
  });
});

describe('fleissKappa', () => {
  it.each(SEEDS.slice(0, 10))('does not depend on the order of subjects or categories (seed %i)', (seed) => {
    const random = seeded(seed);
    const counts = randomCounts(random, 30, 4, 5);
    const reference = fleissKappa(counts);
    expect(fleissKappa(random.shuffle(counts)).kappa).toBeCloseTo(reference.kappa, 14);
    const order = random.shuffle([0, 1, 2, 3]);
    const permuted = fleissKappa(counts.map((row) => order.map((j) => row[j]!)));
    expect(permuted.kappa).toBeCloseTo(reference.kappa, 14);
    order.forEach((j, i) => expect(permuted.perCategory[i]).toBeCloseTo(reference.perCategory[j]!, 14));
  });

  it.each(SEEDS.slice(0, 10))('equals Scott\'s pi for two raters (seed %i)', (seed) => {
    const random = seeded(seed);
    const counts = randomCounts(random, 40, 3, 2);
    const table = [0, 1, 2].map(() => [0, 0, 0]);
    // Any assignment of the two raters to A and B gives the same pi: it pools the marginals.
    for (const row of counts) {
      const chosen = row.flatMap((c, j) => new Array<number>(c).fill(j));
      table[chosen[0]!]![chosen[1]!]! += 1;
    }
    expect(fleissKappa(counts).kappa).toBeCloseTo(scottPi(table), 12);
  });

  it('gives exactly 1 for perfect agreement, per category too', () => {
    const result = fleissKappa([
      [4, 0, 0],
      [0, 4, 0],
      [4, 0, 0],
    ]);
    expect(result.kappa).toBe(1);
    expect(result.perCategory).toEqual([1, 1, NaN]);
  });

  it('is NaN with the reason when undefined', () => {
    expect(fleissKappa([[3, 0], [3, 0]]).kappa).toBeNaN();
    expect(fleissKappaWithInterval([[3, 0], [3, 0]]).reason).toBe('one-category');
    expect(fleissKappaWithInterval([[1, 0], [0, 1]]).reason).toBe('too-few-coders');
    expect(fleissKappaWithInterval([]).reason).toBe('nothing-to-compare');
  });

  it('rejects subjects with different numbers of raters, naming the row', () => {
    expect(() => fleissKappa([[1, 2], [2, 1], [3, 1]])).toThrow(RangeError);
    expect(() => fleissKappa([[1, 2], [2, 1], [3, 1]])).toThrow(/counts row 2 has 4 raters; row 0 has 3/);
  });

  it('rejects ragged rows, negative and fractional counts', () => {
    expect(() => fleissKappa([[1, 2], [3]])).toThrow(/counts row 1 has 1 categories; row 0 has 2/);
    expect(() => fleissKappa([[1, 2], [4, -1]])).toThrow(/counts\[1\]\[1\] is negative/);
    expect(() => fleissKappa([[1.5, 1.5]])).toThrow(/whole numbers/);
  });
});

describe('fleissKappaWithInterval', () => {
  it.each(SEEDS.slice(0, 8))('has exactly fleissKappa as its value, inside its interval (seed %i)', (seed) => {
    const counts = randomCounts(seeded(seed), 60, 4, 6);
    const estimate = fleissKappaWithInterval(counts, { resamples: 300 });
    expect(estimate.value).toBe(fleissKappa(counts).kappa);
    expect(estimate.low).toBeLessThanOrEqual(estimate.value);
    expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
  });
});
