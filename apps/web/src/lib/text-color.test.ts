import { DEFAULT_SCHEME } from '@warrant/domain';
import { describe, expect, it } from 'vitest';
import { contrastRatio, relativeLuminance, textColorOn } from './text-color.ts';

describe('label chip text colour', () => {
  it('computes WCAG luminance and contrast', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 6);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 6);
    // The WCAG example: #777777 on white is 4.48:1.
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('puts white on dark colours and black on light ones', () => {
    expect(textColorOn('#000000')).toBe('#ffffff');
    expect(textColorOn('#ffffff')).toBe('#000000');
    expect(textColorOn('#ffff00')).toBe('#000000');
    expect(textColorOn('#1f1fb0')).toBe('#ffffff');
    expect(textColorOn('#FFEB3B')).toBe('#000000');
  });

  it('always reaches at least 4.5:1 for every default colour and a sweep of greys', () => {
    const colors = [
      ...DEFAULT_SCHEME.spanLabels.map((label) => label.color),
      ...Array.from({ length: 256 }, (_, i) => `#${i.toString(16).padStart(2, '0').repeat(3)}`),
    ];
    for (const color of colors) expect(contrastRatio(color, textColorOn(color)), color).toBeGreaterThanOrEqual(4.5);
  });
});
