import type { Span } from '@warrant/domain';
import { describe, expect, it } from 'vitest';
import { SpanIndex } from './span-index.ts';

const span = (id: string, start: number, end: number): Span => ({ id, label: 'premise', start, end, note: null });

describe('SpanIndex', () => {
  it('answers overlap queries like a scan of every span, through adds and removes', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const spans = new Map<string, Span>();
    const index = new SpanIndex();
    for (let i = 0; i < 600; i += 1) {
      if (spans.size > 0 && random() < 0.3) {
        const victim = [...spans.values()][Math.floor(random() * spans.size)] as Span;
        spans.delete(victim.id);
        index.remove(victim);
      } else {
        const start = Math.floor(random() * 1000);
        const s = span(`s${i}`, start, start + 1 + Math.floor(random() * (random() < 0.1 ? 400 : 20)));
        spans.set(s.id, s);
        index.add(s);
      }
      const a = Math.floor(random() * 1000);
      const b = a + 1 + Math.floor(random() * 50);
      const expected = [...spans.values()].filter((s) => s.start < b && s.end > a).map((s) => s.id).sort();
      expect(index.overlapping(a, b).map((s) => s.id).sort()).toEqual(expected);
    }
    expect(index.size).toBe(spans.size);
  });

  it('walks spans in reading order for Tab and Shift+Tab, and ends at both ends (so focus can leave)', () => {
    const index = new SpanIndex([span('b', 10, 12), span('a', 0, 5), span('c', 20, 25)]);
    expect(index.next(0, null)?.id).toBe('a');
    expect(index.next(6, null)?.id).toBe('b');
    expect(index.next(0, 'c')).toBeUndefined();
    expect(index.previous(0, 'a')).toBeUndefined();
    expect(index.previous(15, null)?.id).toBe('b');
    expect(index.next(21, null)).toBeUndefined();
  });
});
