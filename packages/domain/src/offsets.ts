/**
 * The offset contract (docs/offsets.md). Spans are stored and edited as half-open
 * [start, end) ranges of UTF-16 code units, which is what the browser and Node count.
 * Exports also carry Unicode code-point offsets, which is what Python counts, so that
 * `text[start:end]` in Python is the span.
 *
 * A surrogate pair (an astral character such as 😀 or 𝕏) is two UTF-16 units and one code
 * point; an offset between its halves is rejected everywhere. A lone surrogate (a high
 * surrogate not followed by a low one, or a low surrogate not preceded by a high one) counts
 * as one unit and one code point, as `Array.from`, the string iterator and Python's `str` all
 * count it. Valid UTF-8 never decodes to a lone surrogate, so stored passages do not hold
 * them; JS strings can, and this module must not crash or miscount on them.
 */

export type OffsetProblemCode =
  | 'not_integer'
  | 'negative'
  | 'past_end'
  | 'empty_or_reversed'
  | 'inside_surrogate_pair';

export interface OffsetProblem {
  code: OffsetProblemCode;
  field: 'start' | 'end';
  /** Human readable; names the value and the passage length in UTF-16 code units. */
  message: string;
}

export interface ExportedOffsets {
  /** Code-point offsets: Python's `text[start:end]` is the span. */
  start: number;
  end: number;
  /** UTF-16 offsets: JavaScript's `text.slice(start_utf16, end_utf16)` is the span. */
  start_utf16: number;
  end_utf16: number;
  text: string;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** True when a high surrogate sits at `offset - 1` and a low one at `offset`. */
function splitsSurrogatePair(text: string, offset: number): boolean {
  return (
    offset > 0 &&
    offset < text.length &&
    isHighSurrogate(text.charCodeAt(offset - 1)) &&
    isLowSurrogate(text.charCodeAt(offset))
  );
}

/** JSON.stringify would print NaN as null and drop undefined; callers may pass anything from a request. */
function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

function units(length: number): string {
  return `(length ${length} UTF-16 code units)`;
}

/**
 * Null when [start, end) is a valid, non-empty span of `text` in UTF-16 code units.
 * Checks run in this order, each on start before end: integer, negative, past end,
 * start >= end, inside a surrogate pair. The first failure is returned.
 */
export function checkSpanOffsets(text: string, start: number, end: number): OffsetProblem | null {
  const length = text.length;
  const fields = [
    ['start', start],
    ['end', end],
  ] as const;

  for (const [field, value] of fields) {
    if (!Number.isSafeInteger(value)) {
      return { code: 'not_integer', field, message: `${field} ${describe(value)} is not an integer ${units(length)}` };
    }
  }
  for (const [field, value] of fields) {
    if (value < 0) {
      return { code: 'negative', field, message: `${field} ${value} is negative ${units(length)}` };
    }
  }
  for (const [field, value] of fields) {
    if (value > length) {
      return {
        code: 'past_end',
        field,
        message: `${field} ${value} is past the end of the passage ${units(length)}`,
      };
    }
  }
  if (start >= end) {
    return {
      code: 'empty_or_reversed',
      field: 'end',
      message: `end ${end} must be greater than start ${start}: a span is half-open and not empty ${units(length)}`,
    };
  }
  for (const [field, value] of fields) {
    if (splitsSurrogatePair(text, value)) {
      return {
        code: 'inside_surrogate_pair',
        field,
        message: `${field} ${value} falls between the two halves of a surrogate pair ${units(length)}`,
      };
    }
  }
  return null;
}

/**
 * True when `offset` (UTF-16) does not split a surrogate pair; 0 and text.length are boundaries.
 * False for offsets that are not integers or lie outside [0, text.length].
 */
export function isCodePointBoundary(text: string, offset: number): boolean {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > text.length) return false;
  return !splitsSurrogatePair(text, offset);
}

function assertUtf16Offset(text: string, offset: number): void {
  if (!Number.isSafeInteger(offset)) {
    throw new RangeError(`UTF-16 offset ${describe(offset)} is not an integer ${units(text.length)}`);
  }
  if (offset < 0 || offset > text.length) {
    throw new RangeError(`UTF-16 offset ${offset} is outside the passage ${units(text.length)}`);
  }
  if (splitsSurrogatePair(text, offset)) {
    throw new RangeError(`UTF-16 offset ${offset} falls inside a surrogate pair ${units(text.length)}`);
  }
}

function codePointRangeError(text: string, offset: number, codePointLength: number): RangeError {
  if (!Number.isSafeInteger(offset)) {
    return new RangeError(`code-point offset ${describe(offset)} is not an integer ${units(text.length)}`);
  }
  const lengths = `${codePointLength} code points, ${text.length} UTF-16 code units`;
  return new RangeError(`code-point offset ${offset} is outside the passage (length ${lengths})`);
}

function isCodePointOffsetInRange(offset: number, codePointLength: number): boolean {
  return Number.isSafeInteger(offset) && offset >= 0 && offset <= codePointLength;
}

/** Width in UTF-16 units of the code point starting at `i`: 2 for a surrogate pair, else 1. */
function widthAt(text: string, i: number): 1 | 2 {
  return isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
}

/** Code-point offset of a UTF-16 offset. O(n) in the offset; use OffsetIndex for many conversions. */
export function utf16ToCodePoint(text: string, utf16Offset: number): number {
  assertUtf16Offset(text, utf16Offset);
  let codePoints = 0;
  for (let i = 0; i < utf16Offset; i += widthAt(text, i)) codePoints += 1;
  return codePoints;
}

/** UTF-16 offset of a code-point offset. O(n) in the offset; use OffsetIndex for many conversions. */
export function codePointToUtf16(text: string, codePointOffset: number): number {
  let i = 0;
  let codePoints = 0;
  if (Number.isSafeInteger(codePointOffset) && codePointOffset >= 0) {
    for (; codePoints < codePointOffset && i < text.length; codePoints += 1) i += widthAt(text, i);
    if (codePoints === codePointOffset) return i;
  }
  throw codePointRangeError(text, codePointOffset, utf16ToCodePoint(text, text.length));
}

/**
 * Converts offsets of one passage in both directions after an O(n) scan.
 *
 * It keeps only the UTF-16 positions of the astral characters (surrogate pairs), sorted, in an
 * Int32Array, and binary-searches them: O(log k) per conversion, k = number of astral characters.
 * A per-unit prefix table (Uint32Array of n) would give O(1) but costs 4 bytes per code unit
 * (800 KB for a 200,000-unit passage) even when, as in most argument corpora, k is 0 or a few
 * dozen; the sparse table costs 4k bytes, and with k = 0 conversion is the identity.
 * JS strings are shorter than 2^31 units, so Int32 positions cannot overflow.
 */
export class OffsetIndex {
  readonly text: string;
  readonly utf16Length: number;
  readonly codePointLength: number;
  /** UTF-16 position of the high surrogate of each surrogate pair, ascending. */
  readonly #astral: Int32Array;

  constructor(text: string) {
    this.text = text;
    this.utf16Length = text.length;
    const positions: number[] = [];
    for (let i = 0; i < text.length; i += 1) {
      if (widthAt(text, i) === 2) {
        positions.push(i);
        i += 1;
      }
    }
    this.#astral = Int32Array.from(positions);
    this.codePointLength = text.length - positions.length;
  }

  /** Code-point offset of a UTF-16 offset; RangeError when out of range or inside a surrogate pair. */
  toCodePoint(utf16Offset: number): number {
    assertUtf16Offset(this.text, utf16Offset);
    // Every pair that starts before a boundary offset also ends at or before it: one unit too many each.
    const astral = this.#astral;
    let lo = 0;
    let hi = astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((astral[mid] as number) < utf16Offset) lo = mid + 1;
      else hi = mid;
    }
    return utf16Offset - lo;
  }

  /** UTF-16 offset of a code-point offset; RangeError when out of range. */
  toUtf16(codePointOffset: number): number {
    if (!isCodePointOffsetInRange(codePointOffset, this.codePointLength)) {
      throw codePointRangeError(this.text, codePointOffset, this.codePointLength);
    }
    // Pair k starts at code point astral[k] - k, which strictly increases with k.
    const astral = this.#astral;
    let lo = 0;
    let hi = astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((astral[mid] as number) - mid < codePointOffset) lo = mid + 1;
      else hi = mid;
    }
    return codePointOffset + lo;
  }

  /** start/end in code points, start_utf16/end_utf16 as given, text = the substring; RangeError on an invalid span. */
  exportSpan(startUtf16: number, endUtf16: number): ExportedOffsets {
    const problem = checkSpanOffsets(this.text, startUtf16, endUtf16);
    if (problem) throw new RangeError(problem.message, { cause: problem });
    return {
      start: this.toCodePoint(startUtf16),
      end: this.toCodePoint(endUtf16),
      start_utf16: startUtf16,
      end_utf16: endUtf16,
      text: this.text.slice(startUtf16, endUtf16),
    };
  }
}
