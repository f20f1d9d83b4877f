import { describe, expect, it } from 'vitest';
import {
  OffsetIndex,
  checkSpanOffsets,
  codePointToUtf16,
  isCodePointBoundary,
  utf16ToCodePoint,
  type OffsetProblemCode,
} from '../src/offsets.ts';
import { mulberry32 } from '../../../test-support/prng.ts';

/** UTF-16 offset of every code-point boundary, from the string iterator (the naive truth). */
function naiveBoundaries(text: string): number[] {
  const boundaries = [0];
  for (const codePoint of text) boundaries.push((boundaries.at(-1) as number) + codePoint.length);
  return boundaries;
}

const FAMILY = '👩\u200d👩\u200d👧\u200d👦';
const FLAG_UA = '🇺🇦';
const CYRILLIC = 'Поэтому мы должны';

const SAMPLES: { name: string; text: string; utf16: number; codePoints: number }[] = [
  { name: 'empty text', text: '', utf16: 0, codePoints: 0 },
  { name: 'Cyrillic', text: CYRILLIC, utf16: 17, codePoints: 17 },
  { name: 'combining mark (NFD)', text: 'cafe\u0301', utf16: 5, codePoints: 5 },
  { name: 'precomposed (NFC)', text: 'caf\u00e9', utf16: 4, codePoints: 4 },
  { name: 'CRLF', text: 'one\r\ntwo', utf16: 8, codePoints: 8 },
  { name: 'NBSP', text: '10\u00a0km', utf16: 5, codePoints: 5 },
  { name: 'ZWJ family emoji', text: FAMILY, utf16: 11, codePoints: 7 },
  { name: 'flag (regional indicators)', text: FLAG_UA, utf16: 4, codePoints: 2 },
  { name: 'mathematical double-struck X', text: 'let 𝕏 = 1', utf16: 10, codePoints: 9 },
  { name: 'emoji between letters', text: 'a😀b', utf16: 4, codePoints: 3 },
  { name: 'lone high surrogate', text: 'a\ud800b', utf16: 3, codePoints: 3 },
  { name: 'lone low surrogate', text: 'a\udc00b', utf16: 3, codePoints: 3 },
  { name: 'low before high (two lone surrogates)', text: '\udc00\ud800', utf16: 2, codePoints: 2 },
  { name: 'lone high before a pair', text: '\ud83d😀', utf16: 3, codePoints: 2 },
  {
    name: 'everything at once',
    text: `${CYRILLIC} 😀 cafe\u0301\r\n${FAMILY}\u00a0${FLAG_UA} 𝕏`,
    utf16: 47,
    codePoints: 39,
  },
];

describe('checkSpanOffsets', () => {
  const text = 'a😀b'; // units: a, high, low, b

  it('accepts valid spans, including the whole text', () => {
    expect(checkSpanOffsets(text, 0, 1)).toBeNull();
    expect(checkSpanOffsets(text, 1, 3)).toBeNull();
    expect(checkSpanOffsets(text, 0, 4)).toBeNull();
  });

  const rejections: [string, number, number, OffsetProblemCode, 'start' | 'end'][] = [
    ['negative start', -1, 2, 'negative', 'start'],
    ['negative end', 0, -1, 'negative', 'end'],
    ['end past the end', 0, 5, 'past_end', 'end'],
    ['start past the end', 5, 6, 'past_end', 'start'],
    ['fractional start', 1.5, 3, 'not_integer', 'start'],
    ['fractional end', 0, 1.5, 'not_integer', 'end'],
    ['NaN start', Number.NaN, 1, 'not_integer', 'start'],
    ['Infinity end', 0, Number.POSITIVE_INFINITY, 'not_integer', 'end'],
    ['unsafe integer end', 0, 2 ** 53, 'not_integer', 'end'],
    ['start == end', 1, 1, 'empty_or_reversed', 'end'],
    ['start > end', 3, 1, 'empty_or_reversed', 'end'],
    ['start inside a surrogate pair', 2, 4, 'inside_surrogate_pair', 'start'],
    ['end inside a surrogate pair', 0, 2, 'inside_surrogate_pair', 'end'],
  ];
  it.each(rejections)('rejects %s', (_name, start, end, code, field) => {
    expect(checkSpanOffsets(text, start, end)).toMatchObject({ code, field });
  });

  it('checks integer, negative, past end, order, surrogate pair in that order, start before end', () => {
    expect(checkSpanOffsets(text, -1, 1.5)?.code).toBe('not_integer');
    expect(checkSpanOffsets(text, 9, -1)?.code).toBe('negative');
    expect(checkSpanOffsets(text, 9, 2)?.code).toBe('past_end');
    expect(checkSpanOffsets(text, 2, 2)?.code).toBe('empty_or_reversed');
    expect(checkSpanOffsets(text, 2, 1)?.code).toBe('empty_or_reversed');
    expect(checkSpanOffsets(text, -1, -2)).toMatchObject({ code: 'negative', field: 'start' });
  });

  it('says the value and the text length in its message', () => {
    const hundred = 'x'.repeat(100);
    expect(checkSpanOffsets(hundred, 10, 120)?.message).toBe(
      'end 120 is past the end of the passage (length 100 UTF-16 code units)',
    );
    expect(checkSpanOffsets(hundred, 1.5, 3)?.message).toContain('start 1.5');
    expect(checkSpanOffsets(hundred, Number.NaN, 3)?.message).toContain('start NaN');
    expect(checkSpanOffsets(hundred, -4, 3)?.message).toContain('start -4');
    expect(checkSpanOffsets(text, 2, 4)?.message).toMatch(/start 2 .*surrogate pair.*length 4 UTF-16 code units/);
  });

  it('rejects every span of empty text', () => {
    expect(checkSpanOffsets('', 0, 0)?.code).toBe('empty_or_reversed');
    expect(checkSpanOffsets('', 0, 1)).toMatchObject({ code: 'past_end', field: 'end' });
  });

  it('allows spans that cut through grapheme clusters but not through surrogate pairs', () => {
    // Snapping to graphemes is the editor's job; storage only refuses what no encoding can represent.
    expect(checkSpanOffsets('cafe\u0301', 0, 4)).toBeNull(); // the "e" without its accent
    expect(checkSpanOffsets(FAMILY, 0, 3)).toBeNull(); // woman + ZWJ
    expect(checkSpanOffsets(FLAG_UA, 0, 2)).toBeNull(); // one regional indicator
    expect(checkSpanOffsets(FLAG_UA, 0, 3)?.code).toBe('inside_surrogate_pair');
  });

  it('treats lone surrogates as whole characters', () => {
    expect(checkSpanOffsets('a\ud800b', 1, 2)).toBeNull();
    expect(checkSpanOffsets('a\udc00b', 1, 2)).toBeNull();
    expect(checkSpanOffsets('\udc00\ud800', 1, 2)).toBeNull();
    expect(checkSpanOffsets('\ud83d😀', 1, 3)).toBeNull();
    expect(checkSpanOffsets('\ud83d😀', 0, 2)?.code).toBe('inside_surrogate_pair');
  });
});

describe('isCodePointBoundary', () => {
  it('is true at 0 and text.length, false between the halves of a pair', () => {
    expect([0, 1, 2, 3, 4].map((offset) => isCodePointBoundary('a😀b', offset))).toEqual([
      true,
      true,
      false,
      true,
      true,
    ]);
    expect(isCodePointBoundary('', 0)).toBe(true);
  });

  it('is false for offsets that are not in the text', () => {
    expect(isCodePointBoundary('abc', -1)).toBe(false);
    expect(isCodePointBoundary('abc', 4)).toBe(false);
    expect(isCodePointBoundary('abc', 0.5)).toBe(false);
    expect(isCodePointBoundary('abc', Number.NaN)).toBe(false);
  });

  it('matches the string iterator on every sample', () => {
    for (const { text } of SAMPLES) {
      const boundaries = new Set(naiveBoundaries(text));
      for (let offset = 0; offset <= text.length; offset += 1) {
        expect(isCodePointBoundary(text, offset), `${JSON.stringify(text)} @ ${offset}`).toBe(
          boundaries.has(offset),
        );
      }
    }
  });
});

describe.each(SAMPLES)('conversions: $name', ({ text, utf16, codePoints }) => {
  const boundaries = naiveBoundaries(text);
  const index = new OffsetIndex(text);

  it('measures the text in both units', () => {
    expect(text.length).toBe(utf16);
    expect(index.utf16Length).toBe(utf16);
    expect(index.codePointLength).toBe(codePoints);
    expect(boundaries.length - 1).toBe(codePoints);
    expect(index.text).toBe(text);
  });

  it('converts every boundary both ways, one-off and indexed', () => {
    boundaries.forEach((unitOffset, codePointOffset) => {
      expect(utf16ToCodePoint(text, unitOffset)).toBe(codePointOffset);
      expect(codePointToUtf16(text, codePointOffset)).toBe(unitOffset);
      expect(index.toCodePoint(unitOffset)).toBe(codePointOffset);
      expect(index.toUtf16(codePointOffset)).toBe(unitOffset);
    });
  });

  it('refuses offsets outside the text or inside a surrogate pair', () => {
    for (const bad of [-1, utf16 + 1, 0.5, Number.NaN]) {
      expect(() => utf16ToCodePoint(text, bad)).toThrow(RangeError);
      expect(() => index.toCodePoint(bad)).toThrow(RangeError);
    }
    for (const bad of [-1, codePoints + 1, 0.5, Number.NaN]) {
      expect(() => codePointToUtf16(text, bad)).toThrow(RangeError);
      expect(() => index.toUtf16(bad)).toThrow(RangeError);
    }
    for (let offset = 0; offset <= text.length; offset += 1) {
      if (boundaries.includes(offset)) continue;
      expect(() => utf16ToCodePoint(text, offset)).toThrow(/inside a surrogate pair/);
      expect(() => index.toCodePoint(offset)).toThrow(/inside a surrogate pair/);
    }
  });
});

describe('OffsetIndex.exportSpan', () => {
  it('mirrors Python: "a😀b" has len 3 and text[1:2] == "😀"', () => {
    const index = new OffsetIndex('a😀b');
    expect(index.codePointLength).toBe(3);
    expect(index.exportSpan(1, 3)).toEqual({ start: 1, end: 2, start_utf16: 1, end_utf16: 3, text: '😀' });
  });

  it('exports a Cyrillic word with equal offsets in both units', () => {
    const index = new OffsetIndex(`${CYRILLIC}.`);
    expect(index.exportSpan(8, 10)).toEqual({ start: 8, end: 10, start_utf16: 8, end_utf16: 10, text: 'мы' });
  });

  it('keeps NFD and NFC distinct and never normalises the span text', () => {
    const nfd = new OffsetIndex('cafe\u0301!').exportSpan(0, 5);
    const nfc = new OffsetIndex('caf\u00e9!').exportSpan(0, 4);
    expect(nfd).toEqual({ start: 0, end: 5, start_utf16: 0, end_utf16: 5, text: 'cafe\u0301' });
    expect(nfc).toEqual({ start: 0, end: 4, start_utf16: 0, end_utf16: 4, text: 'caf\u00e9' });
    expect(nfd.text).not.toBe(nfc.text);
    expect(nfd.text.normalize('NFC')).toBe(nfc.text);
  });

  it('keeps CRLF as two characters and NBSP as NBSP', () => {
    const index = new OffsetIndex('one\r\ntwo\u00a0three');
    expect(index.exportSpan(3, 5)).toEqual({ start: 3, end: 5, start_utf16: 3, end_utf16: 5, text: '\r\n' });
    expect(index.exportSpan(5, 9).text).toBe('two\u00a0');
  });

  it('counts a ZWJ family as 7 code points and a flag as 2', () => {
    const text = `x${FAMILY}y${FLAG_UA}z`;
    const index = new OffsetIndex(text);
    expect(index.exportSpan(1, 12)).toEqual({ start: 1, end: 8, start_utf16: 1, end_utf16: 12, text: FAMILY });
    expect(index.exportSpan(13, 17)).toEqual({ start: 9, end: 11, start_utf16: 13, end_utf16: 17, text: FLAG_UA });
    expect(index.exportSpan(17, 18)).toEqual({ start: 11, end: 12, start_utf16: 17, end_utf16: 18, text: 'z' });
  });

  it('exports a lone surrogate as one code point', () => {
    expect(new OffsetIndex('a\ud800b😀').exportSpan(1, 5)).toEqual({
      start: 1,
      end: 4,
      start_utf16: 1,
      end_utf16: 5,
      text: '\ud800b😀',
    });
  });

  it('throws a RangeError carrying the problem for an invalid span', () => {
    const index = new OffsetIndex('a😀b');
    const attempt = (start: number, end: number): unknown => {
      try {
        index.exportSpan(start, end);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const insidePair = attempt(2, 4);
    expect(insidePair).toBeInstanceOf(RangeError);
    expect((insidePair as RangeError).cause).toMatchObject({ code: 'inside_surrogate_pair', field: 'start' });
    expect((attempt(0, 9) as RangeError).message).toBe(
      'end 9 is past the end of the passage (length 4 UTF-16 code units)',
    );
    expect((attempt(1, 1) as RangeError).cause).toMatchObject({ code: 'empty_or_reversed' });
  });
});

describe('property: indexed conversion agrees with Array.from', () => {
  // Pieces chosen to collide: lone halves next to each other form pairs, marks stack, ZWJs join.
  const PIECES = [
    'a', 'Z', ' ', '.', 'П', 'ы', '\u0301', '\u0308', '\r\n', '\n', '\u00a0', '\u200d',
    '😀', '𝕏', '👩', '🏽', '🇺', '🇦', FAMILY, '\ud800', '\udc00', '\ud83d', '\ude00',
  ];

  function randomText(random: () => number, maxPieces: number): string {
    const count = Math.floor(random() * maxPieces);
    let text = '';
    for (let i = 0; i < count; i += 1) text += PIECES[Math.floor(random() * PIECES.length)] as string;
    return text;
  }

  it('exportSpan matches the naive code-point slice on many random spans', () => {
    const random = mulberry32(0x5eed);
    let checked = 0;
    for (let round = 0; round < 300; round += 1) {
      const text = randomText(random, 40);
      const codePoints = Array.from(text);
      const boundaries = naiveBoundaries(text);
      const index = new OffsetIndex(text);
      expect(index.codePointLength).toBe(codePoints.length);
      if (codePoints.length === 0) continue;
      for (let k = 0; k < 20; k += 1) {
        const a = Math.floor(random() * (codePoints.length + 1));
        const b = Math.floor(random() * (codePoints.length + 1));
        if (a === b) continue;
        const [start, end] = a < b ? [a, b] : [b, a];
        const span = index.exportSpan(boundaries[start] as number, boundaries[end] as number);
        expect(span.start).toBe(start);
        expect(span.end).toBe(end);
        expect(codePoints.slice(span.start, span.end).join('')).toBe(text.slice(span.start_utf16, span.end_utf16));
        expect(span.text).toBe(text.slice(span.start_utf16, span.end_utf16));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('accepts exactly the spans that start and end on code-point boundaries', () => {
    const random = mulberry32(42);
    for (let round = 0; round < 300; round += 1) {
      const text = randomText(random, 20);
      const boundaries = new Set(naiveBoundaries(text));
      const index = new OffsetIndex(text);
      for (let k = 0; k < 20; k += 1) {
        const start = Math.floor(random() * (text.length + 4)) - 2;
        const end = Math.floor(random() * (text.length + 4)) - 2;
        const valid = start < end && boundaries.has(start) && boundaries.has(end);
        expect(checkSpanOffsets(text, start, end) === null, `${JSON.stringify(text)} [${start}, ${end})`).toBe(valid);
        if (valid) expect(index.exportSpan(start, end).text).toBe(text.slice(start, end));
        else expect(() => index.exportSpan(start, end)).toThrow(RangeError);
      }
    }
  });

  it('one-off and indexed conversions agree at every offset', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 200; round += 1) {
      const text = randomText(random, 30);
      const index = new OffsetIndex(text);
      for (let offset = 0; offset <= text.length; offset += 1) {
        if (!isCodePointBoundary(text, offset)) continue;
        expect(index.toCodePoint(offset)).toBe(utf16ToCodePoint(text, offset));
      }
      for (let offset = 0; offset <= index.codePointLength; offset += 1) {
        expect(index.toUtf16(offset)).toBe(codePointToUtf16(text, offset));
      }
    }
  });

  it('exports 5,000 spans of a 200,000-unit passage exactly', () => {
    const random = mulberry32(2024);
    let text = '';
    while (text.length < 200_000) text += randomText(random, 50);
    const codePoints = Array.from(text);
    const boundaries = naiveBoundaries(text);
    const index = new OffsetIndex(text);
    expect(index.codePointLength).toBe(codePoints.length);
    for (let k = 0; k < 5_000; k += 1) {
      const start = Math.floor(random() * (codePoints.length - 1));
      const end = start + 1 + Math.floor(random() * Math.min(200, codePoints.length - start));
      const span = index.exportSpan(boundaries[start] as number, boundaries[end] as number);
      expect([span.start, span.end]).toEqual([start, end]);
      expect(span.text).toBe(codePoints.slice(start, end).join(''));
    }
  });
});
