import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  nextGraphemeBoundary,
  nextWordBoundary,
  previousGraphemeBoundary,
  previousWordBoundary,
  snapToGraphemes,
  snapToWords,
} from '../src/segmentation.ts';
import { mulberry32 } from '../../../test-support/prng.ts';

const FAMILY = '👩\u200d👩\u200d👧\u200d👦'; // 11 UTF-16 units
const FLAG_UA = '🇺🇦'; // 4 UTF-16 units
const CYRILLIC = 'Поэтому мы должны';

/** All boundaries of the whole text, the naive way: the truth the windowed functions must match. */
function graphemeBoundaries(text: string): number[] {
  const result = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.index);
  result.push(text.length);
  return result;
}

function wordSegments(text: string): { start: number; end: number; wordLike: boolean }[] {
  return [...new Intl.Segmenter(undefined, { granularity: 'word' }).segment(text)].map((s) => ({
    start: s.index,
    end: s.index + s.segment.length,
    wordLike: s.isWordLike === true,
  }));
}

describe('grapheme boundaries', () => {
  it('steps over a combining mark (NFD) as one character', () => {
    const text = 'cafe\u0301 ok';
    expect(nextGraphemeBoundary(text, 3)).toBe(5);
    expect(nextGraphemeBoundary(text, 4)).toBe(5);
    expect(previousGraphemeBoundary(text, 5)).toBe(3);
    expect(previousGraphemeBoundary(text, 4)).toBe(3);
    expect(nextGraphemeBoundary(text, 2)).toBe(3);
  });

  it('steps over a ZWJ family emoji as one character', () => {
    const text = `a${FAMILY}b`;
    expect(FAMILY).toHaveLength(11);
    expect(nextGraphemeBoundary(text, 1)).toBe(12);
    expect(nextGraphemeBoundary(text, 5)).toBe(12);
    expect(previousGraphemeBoundary(text, 12)).toBe(1);
    expect(previousGraphemeBoundary(text, 5)).toBe(1);
    expect(nextGraphemeBoundary(text, 12)).toBe(13);
  });

  it('pairs regional indicators into flags, counting from the start of the run', () => {
    const text = FLAG_UA.repeat(2);
    expect(nextGraphemeBoundary(text, 0)).toBe(4);
    expect(nextGraphemeBoundary(text, 2)).toBe(4);
    expect(nextGraphemeBoundary(text, 4)).toBe(8);
    expect(previousGraphemeBoundary(text, 6)).toBe(4);
    expect(previousGraphemeBoundary(text, 8)).toBe(4);
    // An odd indicator at the end stands alone.
    expect(graphemeBoundaries('🇺🇦🇺')).toEqual([0, 4, 6]);
    expect(nextGraphemeBoundary('🇺🇦🇺', 4)).toBe(6);
  });

  it('never stops between CR and LF', () => {
    const text = 'one\r\ntwo';
    expect(nextGraphemeBoundary(text, 3)).toBe(5);
    expect(nextGraphemeBoundary(text, 4)).toBe(5);
    expect(previousGraphemeBoundary(text, 5)).toBe(3);
    expect(previousGraphemeBoundary(text, 4)).toBe(3);
  });

  it('steps through Cyrillic one letter at a time', () => {
    expect(nextGraphemeBoundary(CYRILLIC, 0)).toBe(1);
    expect(previousGraphemeBoundary(CYRILLIC, 7)).toBe(6);
  });

  it('stops at 0 and text.length, and clamps offsets outside the text', () => {
    const text = 'ab';
    expect(previousGraphemeBoundary(text, 0)).toBe(0);
    expect(nextGraphemeBoundary(text, 2)).toBe(2);
    expect(nextGraphemeBoundary(text, 99)).toBe(2);
    expect(previousGraphemeBoundary(text, -5)).toBe(0);
    expect(nextGraphemeBoundary('', 0)).toBe(0);
    expect(previousGraphemeBoundary('', 0)).toBe(0);
  });

  it('widens its window over hundreds of combining marks and long runs of flags', () => {
    const marks = `e${'\u0301'.repeat(500)} x`;
    expect(nextGraphemeBoundary(marks, 0)).toBe(501);
    expect(nextGraphemeBoundary(marks, 250)).toBe(501);
    expect(previousGraphemeBoundary(marks, 250)).toBe(0);
    expect(previousGraphemeBoundary(marks, 501)).toBe(0);
    const flags = `x${FLAG_UA.repeat(200)}x`;
    expect(previousGraphemeBoundary(flags, 1 + 400 + 2)).toBe(401);
    expect(nextGraphemeBoundary(flags, 1 + 400 + 2)).toBe(405);
    // Shifted by one indicator, every pair would be wrong from here on.
    expect(nextGraphemeBoundary(`${'\u{1F1FA}'}${FLAG_UA.repeat(200)}`, 2 + 400)).toBe(2 + 400 + 2);
  });
});

describe('snapToGraphemes', () => {
  it('expands both ends outwards to whole clusters', () => {
    expect(snapToGraphemes('cafe\u0301', 1, 4)).toEqual({ start: 1, end: 5 });
    expect(snapToGraphemes(`a${FAMILY}b`, 3, 4)).toEqual({ start: 1, end: 12 });
    expect(snapToGraphemes(`x${FLAG_UA}`, 2, 5)).toEqual({ start: 1, end: 5 });
    expect(snapToGraphemes('one\r\ntwo', 4, 6)).toEqual({ start: 3, end: 6 });
  });

  it('keeps boundaries where they are, including an empty range on one', () => {
    expect(snapToGraphemes('hello', 1, 3)).toEqual({ start: 1, end: 3 });
    expect(snapToGraphemes('hello', 2, 2)).toEqual({ start: 2, end: 2 });
    expect(snapToGraphemes('one\r\ntwo', 4, 4)).toEqual({ start: 3, end: 5 });
    expect(snapToGraphemes('hello', 0, 5)).toEqual({ start: 0, end: 5 });
    expect(snapToGraphemes('', 0, 0)).toEqual({ start: 0, end: 0 });
  });
});

describe('word boundaries (Ctrl+arrows)', () => {
  it('moves to the end of the current word, or of the next one from a word end (Cyrillic)', () => {
    expect(nextWordBoundary(CYRILLIC, 0)).toBe(7);
    expect(nextWordBoundary(CYRILLIC, 3)).toBe(7);
    expect(nextWordBoundary(CYRILLIC, 7)).toBe(10);
    expect(nextWordBoundary(CYRILLIC, 8)).toBe(10);
    expect(nextWordBoundary(CYRILLIC, 11)).toBe(17);
    expect(nextWordBoundary(CYRILLIC, 17)).toBe(17);
  });

  it('moves to the start of the current word, or of the previous one from a word start', () => {
    expect(previousWordBoundary(CYRILLIC, 17)).toBe(11);
    expect(previousWordBoundary(CYRILLIC, 10)).toBe(8);
    expect(previousWordBoundary(CYRILLIC, 9)).toBe(8);
    expect(previousWordBoundary(CYRILLIC, 8)).toBe(0);
    expect(previousWordBoundary(CYRILLIC, 3)).toBe(0);
    expect(previousWordBoundary(CYRILLIC, 0)).toBe(0);
  });

  it('skips punctuation, emoji and line breaks, never stopping inside CRLF', () => {
    const text = `Yes, ${FAMILY} no!\r\nOK`;
    // Yes(0-3) ,(3) space(4) family(5-16) space(16) no(17-19) !(19) CRLF(20-22) OK(22-24)
    expect(nextWordBoundary(text, 3)).toBe(19);
    expect(nextWordBoundary(text, 19)).toBe(24);
    expect(previousWordBoundary(text, 22)).toBe(17);
    expect(previousWordBoundary(text, 21)).toBe(17);
    expect(previousWordBoundary(text, 17)).toBe(0);
    expect(nextWordBoundary(text, 21)).toBe(24);
  });

  it('keeps a word with its combining marks (NFD) and abbreviations like e.g. whole', () => {
    const text = 'cafe\u0301 e.g. ok';
    expect(nextWordBoundary(text, 0)).toBe(5);
    expect(nextWordBoundary(text, 5)).toBe(9);
    expect(previousWordBoundary(text, 9)).toBe(6);
  });

  it('finds dictionary words in CJK text without spaces', () => {
    const text = '我们今天去北京。然后回家';
    expect(nextWordBoundary(text, 0)).toBe(2);
    expect(nextWordBoundary(text, 2)).toBe(4);
    expect(nextWordBoundary(text, 7)).toBe(10);
    expect(previousWordBoundary(text, 8)).toBe(5);
    expect(previousWordBoundary(text, 4)).toBe(2);
  });

  it('goes to the ends of the text when no word is left', () => {
    expect(nextWordBoundary('word  ...', 4)).toBe(9);
    expect(previousWordBoundary('...  word', 5)).toBe(0);
    expect(nextWordBoundary('', 0)).toBe(0);
    expect(previousWordBoundary('', 0)).toBe(0);
  });

  it('crosses long stretches without words', () => {
    const text = `a${' '.repeat(3000)}b${'.'.repeat(3000)}c`;
    expect(nextWordBoundary(text, 1)).toBe(3002);
    expect(previousWordBoundary(text, text.length - 1)).toBe(3001);
  });
});

describe('snapToWords', () => {
  it('grows a partly covered word to the whole word and trims whitespace', () => {
    const text = '  hello world  ';
    expect(snapToWords(text, 0, 4)).toEqual({ start: 2, end: 7 });
    expect(snapToWords(text, 1, 9)).toEqual({ start: 2, end: 13 });
    expect(snapToWords(text, 9, 1)).toEqual({ start: 2, end: 13 });
    expect(snapToWords(text, 2, 7)).toEqual({ start: 2, end: 7 });
    expect(snapToWords(text, 7, 15)).toEqual({ start: 8, end: 13 });
  });

  it('keeps punctuation and trims only whitespace', () => {
    const text = 'Yes, no. ';
    expect(snapToWords(text, 2, 5)).toEqual({ start: 0, end: 4 });
    expect(snapToWords(text, 3, 9)).toEqual({ start: 3, end: 8 });
    expect(snapToWords('10\u00a0km', 1, 3)).toEqual({ start: 0, end: 2 });
  });

  it('is null when nothing but whitespace is selected, or nothing at all', () => {
    expect(snapToWords('  hello  ', 0, 2)).toBeNull();
    expect(snapToWords('a\u00a0\r\nb', 1, 4)).toBeNull();
    expect(snapToWords('hello', 2, 2)).toBeNull();
    expect(snapToWords('', 0, 0)).toBeNull();
  });

  it('works on Cyrillic, NFD, emoji, flags and CJK', () => {
    expect(snapToWords(CYRILLIC, 2, 9)).toEqual({ start: 0, end: 10 });
    expect(snapToWords('le cafe\u0301 noir', 4, 6)).toEqual({ start: 3, end: 8 });
    expect(snapToWords(`ok ${FAMILY} ok`, 5, 6)).toEqual({ start: 3, end: 14 });
    expect(snapToWords(`${FLAG_UA} Україна`, 1, 6)).toEqual({ start: 0, end: 12 });
    expect(snapToWords('我们今天去北京。', 6, 7)).toEqual({ start: 5, end: 7 });
  });

  it('never cuts CRLF or a space carrying a combining mark', () => {
    expect(snapToWords('one\r\ntwo', 2, 4)).toEqual({ start: 0, end: 3 });
    expect(snapToWords('a \u0301b', 0, 4)).toEqual({ start: 0, end: 4 });
  });
});

describe('windowed segmentation matches segmenting the whole text', () => {
  const PIECES = [
    'a', 'word', ' ', '  ', '\t', '\r\n', '\n', '\r', 'Поэтому', 'e\u0301', '\u0301', '\u0301\u0301\u0301',
    FAMILY, FLAG_UA, '\u{1F1FA}', '\u{1F1E6}', '😀', '\u200d', '👍🏽', '1\ufe0f\u20e3', '©\ufe0f',
    'क्ष', '\u094d', '\u0600', '\u{110BD}', 'ا', '\u064b', 'ก\u0e33', '한국어', '\u1100\u1161\u11a8', '\u1100',
    '我们今天', '。', '，', 'e.g.', "don't", '3.14', '\u00a0', '\u3000', '.', ',', '\ud83d', '\ude00', 'x\u200dy',
  ];

  it('for every offset of random strings built from tricky pieces', () => {
    const random = mulberry32(20240611);
    const mismatches: unknown[] = [];
    for (let round = 0; round < 120; round += 1) {
      const count = 1 + Math.floor(random() * 40);
      let text = '';
      for (let i = 0; i < count; i += 1) text += PIECES[Math.floor(random() * PIECES.length)] as string;
      const boundaries = graphemeBoundaries(text);
      const words = wordSegments(text).filter((s) => s.wordLike);
      for (let offset = 0; offset <= text.length; offset += 1) {
        const got = [
          previousGraphemeBoundary(text, offset),
          nextGraphemeBoundary(text, offset),
          previousWordBoundary(text, offset),
          nextWordBoundary(text, offset),
        ];
        const want = [
          boundaries.filter((b) => b < offset).at(-1) ?? 0,
          boundaries.find((b) => b > offset) ?? text.length,
          words.filter((w) => w.start < offset).at(-1)?.start ?? 0,
          words.find((w) => w.end > offset)?.end ?? text.length,
        ];
        if (got.some((value, i) => value !== want[i])) mismatches.push({ text, offset, got, want });
      }
    }
    // [previous grapheme, next grapheme, previous word, next word]
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('for random selections snapped to graphemes', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 200; round += 1) {
      let text = '';
      for (let i = 0; i < 20; i += 1) text += PIECES[Math.floor(random() * PIECES.length)] as string;
      const boundaries = graphemeBoundaries(text);
      const start = Math.floor(random() * (text.length + 1));
      const end = start + Math.floor(random() * (text.length + 1 - start));
      expect({ text, start, end, snapped: snapToGraphemes(text, start, end) }).toEqual({
        text,
        start,
        end,
        snapped: {
          start: boundaries.filter((b) => b <= start).at(-1),
          end: boundaries.find((b) => b >= end),
        },
      });
    }
  });
});

describe('windows stay local on a 200,000-unit passage', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('segments only a few dozen units around the offset', () => {
    const sentence = `Поэтому 😀 café, e.g. ${FAMILY} ${FLAG_UA} 我们今天去北京。\r\nOK. `;
    const text = sentence.repeat(Math.ceil(200_000 / sentence.length));
    const spy = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    const random = mulberry32(3);
    for (let i = 0; i < 1000; i += 1) {
      const offset = Math.floor(random() * text.length);
      previousGraphemeBoundary(text, offset);
      nextGraphemeBoundary(text, offset);
      previousWordBoundary(text, offset);
      nextWordBoundary(text, offset);
      snapToWords(text, offset, offset + 30);
    }
    const longest = Math.max(...spy.mock.calls.map(([input]) => String(input).length));
    expect(longest).toBeLessThan(200);
  });
});
