import { describe, expect, it } from 'vitest';
import { BlockViewport } from './viewport.ts';

describe('BlockViewport', () => {
  it('estimates unrendered blocks from their length and finds blocks by position', () => {
    const viewport = new BlockViewport([10, 200, 0, 90], 30, 90);
    expect([0, 1, 2, 3, 4].map((i) => viewport.top(i))).toEqual([0, 30, 120, 150, 180]);
    expect(viewport.indexAt(0)).toBe(0);
    expect(viewport.indexAt(119)).toBe(1);
    expect(viewport.indexAt(125)).toBe(2);
    expect(viewport.indexAt(10_000)).toBe(3);
  });

  it('uses measured heights once rendered, and reports only real changes', () => {
    const viewport = new BlockViewport([10, 10, 10], 30, 90);
    expect(viewport.setHeight(1, 55)).toBe(true);
    expect(viewport.setHeight(1, 55.2)).toBe(false);
    expect(viewport.top(2)).toBe(85);
    expect(viewport.total()).toBe(115);
  });

  it('renders only the blocks around the viewport, on 16,000 short lines', () => {
    const viewport = new BlockViewport(Array.from({ length: 16_000 }, () => 12), 30, 90);
    const { first, last } = viewport.range(300_000, 300_900, 600);
    expect(first).toBe(Math.floor((300_000 - 600) / 30));
    expect(last).toBe(Math.floor((300_900 + 600) / 30));
    expect(last - first).toBeLessThan(100);
  });
});
