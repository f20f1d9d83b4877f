import { describe, expect, it } from 'vitest';
import { spanF1, type Span } from '../src/index.ts';
import { SEEDS, seeded, spans } from './generators.ts';

const s = (start: number, end: number, label = 'premise'): Span => ({ start, end, label });

describe('spanF1', () => {
  it('exact: same start, end and label, matched one to one', () => {
    const reference = [s(0, 5), s(0, 5), s(10, 12), s(20, 25, 'conclusion')];
    const candidate = [s(0, 5), s(0, 5), s(0, 5), s(10, 13), s(20, 25)];
    // Two of the three (0,5) candidates find a partner; (20,25) has the wrong label.
    expect(spanF1(reference, candidate, 'exact')).toEqual({ precision: 2 / 5, recall: 2 / 4, f1: (2 * (2 / 5) * (2 / 4)) / (2 / 5 + 2 / 4) });
  });

  it('overlap: one shared character is enough, touching is not (half-open ranges)', () => {
    const reference = [s(0, 5), s(10, 20)];
    const candidate = [s(4, 6), s(5, 10), s(19, 30), s(0, 40, 'conclusion')];
    const result = spanF1(reference, candidate, 'overlap');
    // (4,6) meets (0,5); (5,10) touches both but shares nothing; (19,30) meets (10,20); wrong label.
    expect(result.precision).toBe(2 / 4);
    expect(result.recall).toBe(2 / 2);
  });

  it('overlap counts each side\'s spans: one long candidate can cover several references', () => {
    const result = spanF1([s(0, 2), s(3, 5), s(6, 8)], [s(0, 8)], 'overlap');
    expect(result).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(spanF1([s(0, 2), s(3, 5), s(6, 8)], [s(0, 8)], 'exact')).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it.each(SEEDS)('is symmetric: swapping sides swaps precision and recall and keeps F1 (seed %i)', (seed) => {
    const random = seeded(seed);
    const a = spans(random, random.int(12), ['premise', 'conclusion']);
    const b = spans(random, random.int(12), ['premise', 'conclusion']);
    for (const match of ['exact', 'overlap'] as const) {
      const forward = spanF1(a, b, match);
      const backward = spanF1(b, a, match);
      expect(backward.precision).toBe(forward.recall);
      expect(backward.recall).toBe(forward.precision);
      expect(backward.f1).toBe(forward.f1);
    }
  });

  it.each(SEEDS.slice(0, 10))('gives 1 against itself and does not depend on order (seed %i)', (seed) => {
    const random = seeded(seed);
    const a = spans(random, 1 + random.int(15), ['premise', 'conclusion']);
    for (const match of ['exact', 'overlap'] as const) {
      expect(spanF1(a, random.shuffle(a), match)).toEqual({ precision: 1, recall: 1, f1: 1 });
      const b = spans(random, 1 + random.int(15), ['premise', 'conclusion']);
      expect(spanF1(random.shuffle(a), random.shuffle(b), match)).toEqual(spanF1(a, b, match));
    }
  });

  it('is NaN only when neither side has a span; an empty side gives F1 0', () => {
    expect(spanF1([], [], 'exact')).toEqual({ precision: NaN, recall: NaN, f1: NaN });
    expect(spanF1([s(0, 1)], [], 'overlap')).toEqual({ precision: NaN, recall: 0, f1: 0 });
    expect(spanF1([], [s(0, 1)], 'exact')).toEqual({ precision: 0, recall: NaN, f1: 0 });
  });

  it('rejects empty or reversed spans and bad arguments, naming the span', () => {
    expect(() => spanF1([s(0, 1), s(3, 3)], [], 'exact')).toThrow(/reference\[1\]: end \(3\) must be greater than start \(3\)/);
    expect(() => spanF1([], [s(5, 2)], 'overlap')).toThrow(RangeError);
    expect(() => spanF1([], [{ start: 0, end: 1 } as Span], 'exact')).toThrow(/candidate\[0\].label must be a string/);
    expect(() => spanF1([], [], 'fuzzy' as 'exact')).toThrow(TypeError);
  });
});
