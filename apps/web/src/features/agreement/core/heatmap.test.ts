import type { Estimate, PairFigures } from '@warrant/contracts';
import { describe, expect, it } from 'vitest';
import { heatmapCells, pairEstimate, uniquePairs } from './heatmap.ts';

const est = (value: number | null, low: number | null = null, high: number | null = null): Estimate => ({
  value,
  low,
  high,
  reason: value === null ? 'one-category' : null,
});

function pair(a: string, b: string, overrides: Partial<PairFigures> = {}): PairFigures {
  return {
    a,
    b,
    passages: 4,
    category: est(0.5, 0.2, 0.8),
    unitizing: est(0.6, 0.4, 0.7),
    exact: { precision: 0.5, recall: 0.5, f1: 0.5 },
    overlap: { precision: 1, recall: 1, f1: 1 },
    relations: est(null),
    perLabel: {},
    ...overrides,
  };
}

const annotators = ['u1', 'u2', 'u3'].map((id) => ({ id, username: id, displayName: id }));

describe('pairEstimate', () => {
  it('picks the measure; F1 has a value and no interval, a missing F1 is "nothing to compare"', () => {
    const p = pair('u1', 'u2', { exact: { precision: null, recall: null, f1: null } });
    expect(pairEstimate(p, 'category')).toEqual(est(0.5, 0.2, 0.8));
    expect(pairEstimate(p, 'overlap')).toEqual({ value: 1, low: null, high: null, reason: null });
    expect(pairEstimate(p, 'exact')).toEqual({ value: null, low: null, high: null, reason: 'nothing-to-compare' });
    expect(pairEstimate(p, 'relations').reason).toBe('one-category');
  });
});

describe('heatmapCells', () => {
  it('fills both cells of a pair, leaves the diagonal empty and pairs without passages undefined', () => {
    const cells = heatmapCells({ annotators, pairs: [pair('u2', 'u1', { passages: 3 })] }, 'unitizing');
    expect(cells).toHaveLength(3);
    expect(cells[0]?.[0]?.self).toBe(true);
    expect(cells[0]?.[1]).toMatchObject({ row: 'u1', column: 'u2', passages: 3, estimate: { value: 0.6 } });
    expect(cells[1]?.[0]).toMatchObject({ row: 'u2', column: 'u1', passages: 3, estimate: { value: 0.6 } });
    expect(cells[0]?.[2]).toMatchObject({ self: false, passages: 0, estimate: { value: null, reason: 'nothing-to-compare' } });
  });

  it('lists each pair once for the table', () => {
    const cells = heatmapCells({ annotators, pairs: [pair('u1', 'u2'), pair('u1', 'u3'), pair('u2', 'u3')] }, 'exact');
    expect(uniquePairs(cells).map((cell) => `${cell.row}-${cell.column}`)).toEqual(['u1-u2', 'u1-u3', 'u2-u3']);
  });
});
