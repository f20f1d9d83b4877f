import { describe, expect, it } from 'vitest';
import { estimateText, figureText, formatCoefficient, formatEstimate, formatInterval, reasonText } from './coefficients.ts';
import { translator } from './i18n/translate.ts';

describe('coefficient formatting', () => {
  it('shows two decimals the way the locale writes them', () => {
    expect(formatCoefficient(0.7249, 'en')).toBe('0.72');
    expect(formatCoefficient(0.725, 'en')).toBe('0.73');
    expect(formatCoefficient(1, 'en')).toBe('1.00');
    expect(formatCoefficient(0.72, 'ru')).toBe('0,72');
    expect(formatCoefficient(-0.3, 'en')).toBe('\u22120.30');
    expect(formatInterval(-0.8, -0.2, 'en')).toBe('\u22120.80–\u22120.20');
  });

  it('does not show a sign on a value that rounds to zero', () => {
    expect(formatCoefficient(-0.001, 'en')).toBe('0.00');
    expect(formatCoefficient(-0.001, 'ru')).toBe('0,00');
  });

  it('writes an estimate as "value (low–high)"', () => {
    expect(formatEstimate({ value: 0.72, low: 0.65, high: 0.79, reason: null }, 'en')).toBe('0.72 (0.65–0.79)');
    expect(formatEstimate({ value: 0.72, low: 0.65, high: 0.79, reason: null }, 'ru')).toBe('0,72 (0,65–0,79)');
    expect(formatEstimate({ value: 0.5, low: null, high: null, reason: null }, 'en')).toBe('0.50');
    expect(formatInterval(null, 0.3, 'en')).toBeNull();
  });

  it('never turns an undefined estimate into a number', () => {
    const t = translator('en');
    expect(formatEstimate({ value: null, low: null, high: null, reason: 'one-category' }, 'en')).toBeNull();
    expect(estimateText({ value: null, low: null, high: null, reason: 'one-category' }, 'en', t)).toBe(
      'undefined: only one category was used',
    );
    expect(estimateText({ value: null, low: null, high: null, reason: 'too-few-coders' }, 'en', t)).toBe(
      'undefined: fewer than two annotators',
    );
    expect(figureText(null, 'en', t)).toBe('undefined: nothing to compare');
    expect(figureText(0, 'en', t)).toBe('0.00');
  });

  it('reads a missing reason as "nothing to compare"', () => {
    const t = translator('ru');
    expect(reasonText(null, t)).toBe(reasonText('nothing-to-compare', t));
  });
});
