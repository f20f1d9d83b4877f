import { describe, expect, it } from 'vitest';
import { relativeLuminance } from '../../../lib/text-color.ts';
import { BELOW_ZERO_COLOR, colorFor, inkFor, legendSteps } from './color-scale.ts';

describe('heatmap colour scale', () => {
  it('runs from paper at 0 to deep blue at 1, and to red at -1', () => {
    expect(colorFor(0)).toBe('#f3efe7');
    expect(colorFor(1)).toBe('#1d4469');
    expect(colorFor(-1)).toBe('#b5452f');
  });

  it('clamps values outside [-1, 1]', () => {
    expect(colorFor(1.7)).toBe(colorFor(1));
    expect(colorFor(-3)).toBe(colorFor(-1));
  });

  it('gets darker as agreement grows, so order reads without the legend', () => {
    const lightness = [0, 0.2, 0.4, 0.6, 0.8, 1].map((value) => relativeLuminance(colorFor(value)));
    for (let i = 1; i < lightness.length; i += 1) expect(lightness[i]).toBeLessThan(lightness[i - 1] as number);
  });

  it('never shows a negative value in a colour of the positive side', () => {
    const positive = new Set(Array.from({ length: 101 }, (_, i) => colorFor(i / 100)));
    expect(positive.has(colorFor(-0.2))).toBe(false);
    expect(positive.has(BELOW_ZERO_COLOR)).toBe(false);
  });

  it('labels cells in a readable ink', () => {
    expect(inkFor(0.1)).toBe('#000000');
    expect(inkFor(0.95)).toBe('#ffffff');
  });

  it('describes the legend in even steps from 0 to 1', () => {
    const steps = legendSteps(4);
    expect(steps.map((step) => [step.from, step.to])).toEqual([
      [0, 0.25],
      [0.25, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ]);
    expect(steps[0]?.color).toBe(colorFor(0.125));
  });
});
