import { describe, expect, it } from 'vitest';
import { excerpt, quoted } from './describe.ts';

describe('excerpt', () => {
  it('keeps short text whole, with its spaces folded', () => {
    expect(excerpt('цены\n  растут')).toBe('цены растут');
  });

  it('shortens long text in the middle without splitting an emoji', () => {
    const text = `${'а'.repeat(20)}👨‍👩‍👧${'б'.repeat(30)}`;
    const short = excerpt(text, 24);
    expect(Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(short))).toHaveLength(24);
    expect(short).toContain('…');
    expect(short.startsWith('а'.repeat(14))).toBe(true);
    expect(excerpt(`${'x'.repeat(13)}👨‍👩‍👧${'y'.repeat(30)}`, 24)).toContain('👨‍👩‍👧…');
  });

  it('quotes', () => {
    expect(quoted('налоги')).toBe('“налоги”');
    expect(quoted('налоги', 10, 'ru')).toBe('«налоги»');
  });
});
