import { describe, expect, it } from 'vitest';
import { pooledUnitizingAlpha, unitizingAlpha, unitizingPairParts, unitizingParts, type UnitizingInput, type UnitizingParts } from '../src/index.ts';
import { SEEDS, seeded, unitizingInput } from './generators.ts';

type Unit = { rater: number; category: string; offset: number; length: number };

/**
 * DKPro Agreement's KrippendorffAlphaUnitizingAgreement walked literally (segment by segment,
 * gaps in descending order with its early break), to check the closed form the package uses.
 */
function dkproWalk(input: UnitizingInput, category: string): { observed: number; expected: number } {
  const coders = input.coders!;
  const B = input.begin;
  const L = input.end - input.begin;
  const R = coders.length;
  const all: Unit[] = input.units
    .map((u) => ({ rater: coders.indexOf(u.coder), category: u.label, offset: u.start, length: u.end - u.start }))
    .sort((a, b) => a.offset - b.offset || a.length - b.length || a.rater - b.rater);
  const ofRater = (r: number): Unit[] => all.filter((u) => u.rater === r && u.category === category);
  const distance = (o1: number, l1: number, c1: boolean, o2: number, l2: number, c2: boolean): number => {
    const beginDiff = o1 - o2;
    const lengthDiff = l1 - l2;
    if (c1 && c2 && -l1 < beginDiff && beginDiff < l2) return beginDiff ** 2 + (beginDiff + lengthDiff) ** 2;
    if (c1 && !c2 && -lengthDiff >= beginDiff && beginDiff >= 0) return l1 * l1;
    if (!c1 && c2 && -lengthDiff <= beginDiff && beginDiff <= 0) return l2 * l2;
    return 0;
  };
  let observed = 0;
  for (let r1 = 0; r1 < R; r1++) {
    for (let r2 = r1 + 1; r2 < R; r2++) {
      const units1 = ofRater(r1);
      const units2 = ofRater(r2);
      let i1 = 0;
      let i2 = 0;
      let offset1 = B;
      let length1 = 0;
      let offset2 = B;
      let length2 = 0;
      let cat1 = false;
      let cat2 = false;
      let pos = B;
      while (pos < B + L && (i1 < units1.length || i2 < units2.length)) {
        if (pos === offset1 + length1) {
          const next = units1[i1];
          if (next !== undefined && pos === next.offset) {
            length1 = next.length;
            cat1 = true;
            i1++;
          } else {
            length1 = (next !== undefined ? next.offset : B + L) - pos;
            cat1 = false;
          }
          offset1 = pos;
        }
        if (pos === offset2 + length2) {
          const next = units2[i2];
          if (next !== undefined && pos === next.offset) {
            length2 = next.length;
            cat2 = true;
            i2++;
          } else {
            length2 = (next !== undefined ? next.offset : B + L) - pos;
            cat2 = false;
          }
          offset2 = pos;
        }
        observed += distance(offset1, length1, cat1, offset2, length2, cat2);
        pos = Math.min(offset1 + length1, offset2 + length2);
      }
    }
  }
  observed = (observed * 2) / (R * (R - 1) * L * L);

  const ofCategory = all.filter((u) => u.category === category);
  const gaps: number[] = [];
  for (let r = 0; r < R; r++) {
    const units = ofRater(r);
    let i = 0;
    let offset = B;
    let length = 0;
    let pos = B;
    while (pos < B + L) {
      if (pos === offset + length) {
        const next = units[i];
        if (next !== undefined && pos === next.offset) {
          length = next.length;
          i++;
        } else {
          length = (next !== undefined ? next.offset : B + L) - pos;
          gaps.push(length);
        }
        offset = pos;
      }
      pos = offset + length;
    }
  }
  gaps.sort((a, b) => b - a);
  let squared = 0;
  let result = 0;
  for (const u of ofCategory) squared += u.length * (u.length - 1);
  for (const u of ofCategory) {
    const l = u.length;
    let sum2 = 0;
    for (const gap of gaps) {
      if (gap >= l) sum2 += gap - l + 1;
      else break;
    }
    result += ((ofCategory.length - 1) * (2 * l ** 3 - 3 * l ** 2 + l)) / 3 + sum2 * l * l;
  }
  const expected = (result * (2 / L)) / (R * L * (R * L - 1) - squared);
  return { observed, expected };
}

const LABELS = ['premise', 'inference', 'conclusion'];

describe('unitizingAlpha', () => {
  it.each(SEEDS)('matches a literal walk through DKPro\'s algorithm (seed %i)', (seed) => {
    const random = seeded(seed);
    const coders = ['ann', 'bob', 'cid', 'dee'].slice(0, 2 + random.int(3));
    const input = unitizingInput(random, coders, LABELS, 40 + random.int(200), random.int(50));
    const parts = unitizingParts(input);
    for (const [label, figures] of Object.entries(parts.perLabel)) {
      const walked = dkproWalk(input, label);
      expect(figures.observed).toBeCloseTo(walked.observed, 12);
      expect(figures.expected).toBeCloseTo(walked.expected, 12);
    }
  });

  it('reports D_o, D_e and alpha per label and the overall ratio of their means', () => {
    const result = unitizingAlpha(unitizingInput(seeded(4), ['a', 'b', 'c'], LABELS));
    const labels = Object.keys(result.perLabel);
    expect(labels).toEqual([...LABELS].sort());
    let observed = 0;
    let expected = 0;
    for (const figures of Object.values(result.perLabel)) {
      expect(figures.alpha).toBeCloseTo(1 - figures.observed / figures.expected, 14);
      observed += figures.observed / labels.length;
      expected += figures.expected / labels.length;
    }
    expect(result.overall).toBeCloseTo(1 - observed / expected, 14);
  });

  it('gives exactly 1 when every coder marks the same units', () => {
    const random = seeded(8);
    for (let trial = 0; trial < 10; trial++) {
      const one = unitizingInput(random, ['a'], LABELS);
      const units = ['a', 'b', 'c'].flatMap((coder) => one.units.map((u) => ({ ...u, coder })));
      const result = unitizingAlpha({ ...one, units, coders: ['a', 'b', 'c'] });
      expect(result.overall).toBe(1);
      for (const figures of Object.values(result.perLabel)) {
        expect(figures.observed).toBe(0);
        expect(figures.alpha).toBe(1);
      }
    }
  });

  it.each(SEEDS.slice(0, 10))('is symmetric under renaming and reordering coders, and under reordering units (seed %i)', (seed) => {
    const random = seeded(seed);
    const input = unitizingInput(random, ['a', 'b', 'c'], LABELS);
    const names: Record<string, string> = { a: 'zed', b: 'amy', c: 'kim' };
    const renamed: UnitizingInput = {
      ...input,
      units: random.shuffle(input.units.map((u) => ({ ...u, coder: names[u.coder]! }))),
      coders: random.shuffle(['zed', 'amy', 'kim']),
    };
    expect(unitizingAlpha(renamed)).toEqual(unitizingAlpha(input));
  });

  it('does not depend on where the continuum starts', () => {
    const input = unitizingInput(seeded(12), ['a', 'b'], LABELS);
    const shifted: UnitizingInput = {
      begin: input.begin + 1000,
      end: input.end + 1000,
      units: input.units.map((u) => ({ ...u, start: u.start + 1000, end: u.end + 1000 })),
      coders: input.coders!,
    };
    expect(unitizingAlpha(shifted)).toEqual(unitizingAlpha(input));
  });

  it('counts a coder who marked nothing when `coders` names them', () => {
    const units = [
      { coder: 'a', label: 'x', start: 10, end: 20 },
      { coder: 'b', label: 'x', start: 10, end: 20 },
    ];
    expect(unitizingAlpha({ begin: 0, end: 100, units }).overall).toBe(1);
    const withSilent = unitizingAlpha({ begin: 0, end: 100, units, coders: ['a', 'b', 'c'] });
    expect(withSilent.overall).toBeLessThan(1);
    expect(withSilent.perLabel.x!.observed).toBeGreaterThan(0);
  });

  it('only these units disagree: a unit the other coder left in a gap costs its squared length', () => {
    // a: [10, 20); b: nothing. D_o = 2 * 10^2 / (2 * 1 * 100^2).
    const parts = unitizingParts({ begin: 0, end: 100, units: [{ coder: 'a', label: 'x', start: 10, end: 20 }], coders: ['a', 'b'] });
    expect(parts.perLabel.x!.observed).toBe(0.01);
    expect(parts).toMatchObject({ length: 100, coders: 2 });
  });

  describe('undefined values are NaN', () => {
    it('fewer than two coders', () => {
      const result = unitizingAlpha({ begin: 0, end: 10, units: [{ coder: 'a', label: 'x', start: 1, end: 3 }] });
      expect(result.overall).toBeNaN();
      expect(result.perLabel.x!.alpha).toBeNaN();
      expect(result.perLabel.x!.observed).toBeNaN();
    });

    it('no units at all', () => {
      expect(unitizingAlpha({ begin: 0, end: 10, units: [], coders: ['a', 'b'] })).toEqual({ overall: NaN, perLabel: {} });
    });

    it('no expected disagreement: one-character units filling the continuum', () => {
      const units = ['a', 'b'].flatMap((coder) => [0, 1].map((start) => ({ coder, label: 'x', start, end: start + 1 })));
      const result = unitizingAlpha({ begin: 0, end: 2, units });
      expect(result.perLabel.x!.expected).toBe(0);
      expect(result.perLabel.x!.alpha).toBeNaN();
      expect(result.overall).toBeNaN();
    });
  });

  describe('bad input', () => {
    const unit = (start: number, end: number, coder = 'a', label = 'x') => ({ coder, label, start, end });
    it('a unit that ends at or before its start', () => {
      expect(() => unitizingAlpha({ begin: 0, end: 10, units: [unit(1, 2), unit(5, 5)] })).toThrow(/units\[1\]: end \(5\) must be greater than start \(5\)/);
      expect(() => unitizingAlpha({ begin: 0, end: 10, units: [unit(6, 5)] })).toThrow(RangeError);
    });

    it('a unit outside the continuum', () => {
      expect(() => unitizingAlpha({ begin: 5, end: 10, units: [unit(4, 6)] })).toThrow(/units\[0\]: \[4, 6\) lies outside the continuum \[5, 10\)/);
      expect(() => unitizingAlpha({ begin: 0, end: 10, units: [unit(8, 11)] })).toThrow(RangeError);
    });

    it('overlapping units of one coder and label', () => {
      expect(() => unitizingAlpha({ begin: 0, end: 10, units: [unit(1, 5), unit(6, 8, 'b'), unit(4, 6)] })).toThrow(
        /units\[0\] and units\[2\] overlap: coder "a" marked \[1, 5\) and \[4, 6\) as "x"/,
      );
      // Same coder, different labels, may overlap; so may different coders.
      expect(() => unitizingAlpha({ begin: 0, end: 10, units: [unit(1, 5), unit(4, 6, 'a', 'y'), unit(4, 6, 'b')] })).not.toThrow();
    });

    it('an empty or reversed continuum, fractional offsets', () => {
      expect(() => unitizingAlpha({ begin: 3, end: 3, units: [] })).toThrow(/end \(3\) must be greater than its begin \(3\)/);
      expect(() => unitizingAlpha({ begin: 0, end: 10, units: [unit(1.5, 3)] })).toThrow(/units\[0\].start must be an integer/);
    });

    it('a coder missing from `coders`, or named twice', () => {
      expect(() => unitizingAlpha({ begin: 0, end: 10, units: [unit(1, 2, 'z')], coders: ['a', 'b'] })).toThrow(/units\[0\]: coder "z" is not in coders/);
      expect(() => unitizingAlpha({ begin: 0, end: 10, units: [], coders: ['a', 'a'] })).toThrow(/coders\[1\] repeats/);
    });
  });
});

describe('pooledUnitizingAlpha', () => {
  it.each(SEEDS.slice(0, 10))('of one continuum equals unitizingAlpha exactly (seed %i)', (seed) => {
    const random = seeded(seed);
    const input = unitizingInput(random, ['a', 'b', 'c'].slice(0, 2 + random.int(2)), LABELS, 30 + random.int(300), random.int(40));
    const direct = unitizingAlpha(input);
    const pooled = pooledUnitizingAlpha([unitizingParts(input)], { resamples: 20 });
    expect(pooled.overall.value).toBe(direct.overall);
    for (const [label, figures] of Object.entries(direct.perLabel)) expect(pooled.perLabel[label]!.value).toBe(figures.alpha);
  });

  it('weights each continuum by its length, a label missing from one counting as D_o = D_e = 0', () => {
    const random = seeded(21);
    const inputs = [unitizingInput(random, ['a', 'b'], ['x', 'y'], 100), unitizingInput(random, ['c', 'd', 'e'], ['x'], 300)];
    const parts = inputs.map(unitizingParts);
    const pool = (label: string, key: 'observed' | 'expected'): number =>
      parts.reduce((sum, p) => sum + p.length * (p.perLabel[label]?.[key] ?? 0), 0) / (100 + 300);
    const pooled = pooledUnitizingAlpha(parts, { resamples: 100 });
    expect(pooled.perLabel.x!.value).toBeCloseTo(1 - pool('x', 'observed') / pool('x', 'expected'), 12);
    expect(pooled.perLabel.y!.value).toBeCloseTo(1 - pool('y', 'observed') / pool('y', 'expected'), 12);
    const meanObserved = (pool('x', 'observed') + pool('y', 'observed')) / 2;
    const meanExpected = (pool('x', 'expected') + pool('y', 'expected')) / 2;
    expect(pooled.overall.value).toBeCloseTo(1 - meanObserved / meanExpected, 12);
  });

  it('does not depend on the order of the continua', () => {
    const random = seeded(22);
    const parts = Array.from({ length: 12 }, () => unitizingParts(unitizingInput(random, ['a', 'b', 'c'], LABELS, 50 + random.int(100))));
    const forward = pooledUnitizingAlpha(parts, { resamples: 50 });
    const backward = pooledUnitizingAlpha([...parts].reverse(), { resamples: 50 });
    expect(backward.overall.value).toBeCloseTo(forward.overall.value, 12);
    for (const label of LABELS) expect(backward.perLabel[label]!.value).toBeCloseTo(forward.perLabel[label]!.value, 12);
  });

  it('gives intervals that contain the estimate, reproducibly', () => {
    const random = seeded(23);
    const parts = Array.from({ length: 40 }, () => unitizingParts(unitizingInput(random, ['a', 'b', 'c'], LABELS, 80)));
    const result = pooledUnitizingAlpha(parts, { resamples: 300, seed: 9 });
    for (const estimate of [result.overall, ...Object.values(result.perLabel)]) {
      expect(estimate.reason).toBeUndefined();
      expect(estimate.low).toBeLessThanOrEqual(estimate.value);
      expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
      expect(estimate.high).toBeGreaterThan(estimate.low);
    }
    expect(pooledUnitizingAlpha(parts, { resamples: 300, seed: 9 })).toEqual(result);
  });

  it('reports the labels asked for, in that order, and pools only those into overall', () => {
    const random = seeded(24);
    const parts = [unitizingParts(unitizingInput(random, ['a', 'b'], ['x', 'y'], 100))];
    const result = pooledUnitizingAlpha(parts, { labels: ['y', 'z'], resamples: 20 });
    expect(Object.keys(result.perLabel)).toEqual(['y', 'z']);
    expect(result.perLabel.z).toEqual({ value: NaN, low: NaN, high: NaN, reason: 'nothing-to-compare' });
    expect(result.overall.value).toBe(result.perLabel.y!.value);
  });

  it('leaves out continua with fewer than two coders, and says so when that is all there is', () => {
    const single: UnitizingParts = unitizingParts({ begin: 0, end: 10, units: [{ coder: 'a', label: 'x', start: 1, end: 4 }] });
    expect(pooledUnitizingAlpha([single]).overall).toEqual({ value: NaN, low: NaN, high: NaN, reason: 'too-few-coders' });
    expect(pooledUnitizingAlpha([single]).perLabel.x!.reason).toBe('too-few-coders');
    const pair = unitizingParts(unitizingInput(seeded(25), ['a', 'b'], ['x'], 60));
    expect(pooledUnitizingAlpha([single, pair], { resamples: 20 }).overall.value).toBe(pooledUnitizingAlpha([pair], { resamples: 20 }).overall.value);
  });

  it('nothing to compare', () => {
    expect(pooledUnitizingAlpha([]).overall.reason).toBe('nothing-to-compare');
    const empty = unitizingParts({ begin: 0, end: 10, units: [], coders: ['a', 'b'] });
    expect(pooledUnitizingAlpha([empty]).overall.reason).toBe('nothing-to-compare');
  });

  it('rejects parts that did not come from unitizingParts', () => {
    expect(() => pooledUnitizingAlpha([{ length: 0, coders: 2, perLabel: {} }])).toThrow(/parts\[0\].length must be a positive number/);
    expect(() => pooledUnitizingAlpha([{ length: 5, coders: 2, perLabel: { x: { observed: NaN, expected: 1 } } }])).toThrow(/perLabel\["x"\].observed/);
  });
});

describe('unitizingPairParts', () => {
  const pairInput = (input: UnitizingInput, a: string, b: string): UnitizingInput => ({
    begin: input.begin,
    end: input.end,
    units: input.units.filter((u) => u.coder === a || u.coder === b),
    coders: [a, b],
  });

  it.each(SEEDS)('gives unitizingParts of all coders and of each pair, to the last bit (seed %i)', (seed) => {
    const random = seeded(seed);
    const coders = random.shuffle(['ann', 'bob', 'cid', 'dee', 'eve']).slice(0, 1 + random.int(5));
    const input = unitizingInput(random, coders, LABELS, 30 + random.int(400), random.int(50));
    const { all, pairs } = unitizingPairParts(input);
    expect(all).toEqual(unitizingParts(input));
    const expected = coders.flatMap((a, i) => coders.slice(i + 1).map((b) => ({ a, b, parts: unitizingParts(pairInput(input, a, b)) })));
    expect(pairs).toEqual(expected);
    // toEqual treats NaN as NaN but reads -0 as 0; Object.is on every figure is the bit-for-bit check.
    pairs.forEach((pair, p) => {
      for (const [label, figures] of Object.entries(expected[p]!.parts.perLabel)) {
        expect(Object.is(pair.parts.perLabel[label]!.observed, figures.observed)).toBe(true);
        expect(Object.is(pair.parts.perLabel[label]!.expected, figures.expected)).toBe(true);
      }
    });
  });

  it('orders pairs by the sorted coder names when `coders` is not given, and leaves out labels a pair did not use', () => {
    const units = [
      { coder: 'zed', label: 'x', start: 0, end: 5 },
      { coder: 'amy', label: 'x', start: 1, end: 5 },
      { coder: 'kim', label: 'y', start: 2, end: 9 },
    ];
    const input = { begin: 0, end: 20, units };
    const { all, pairs } = unitizingPairParts(input);
    expect(all).toEqual(unitizingParts(input));
    expect(pairs.map((p) => [p.a, p.b])).toEqual([
      ['amy', 'kim'],
      ['amy', 'zed'],
      ['kim', 'zed'],
    ]);
    expect(Object.keys(pairs[1]!.parts.perLabel)).toEqual(['x']);
    for (const pair of pairs) expect(pair.parts).toEqual(unitizingParts(pairInput(input, pair.a, pair.b)));
  });

  it('has no pairs with fewer than two coders, and checks its input as unitizingParts does', () => {
    expect(unitizingPairParts({ begin: 0, end: 10, units: [{ coder: 'a', label: 'x', start: 1, end: 3 }] }).pairs).toEqual([]);
    expect(() => unitizingPairParts({ begin: 0, end: 10, units: [{ coder: 'a', label: 'x', start: 5, end: 5 }] })).toThrow(/units\[0\]: end \(5\) must be greater than start \(5\)/);
  });

  it('keeps its figures when one call follows another of a different size (scratch space is reused)', () => {
    const random = seeded(31);
    const big = unitizingInput(random, ['a', 'b', 'c', 'd'], LABELS, 5000);
    const small = unitizingInput(random, ['a', 'b'], LABELS, 60);
    const first = unitizingParts(small);
    unitizingPairParts(big);
    expect(unitizingParts(small)).toEqual(first);
  });
});
