/**
 * Grapheme and word boundaries for the editor's caret and selections (docs/editor.md), so a
 * selection never cuts an emoji, a flag or a letter from its combining marks, and snaps to words.
 *
 * Offsets are UTF-16 code units, as everywhere in the editor. Out-of-range offsets are clamped to
 * [0, text.length].
 *
 * Intl.Segmenter only segments a whole string, and a passage can be 200,000 units long, so each
 * call segments a local window of the text instead. A window is only trustworthy when its edges are
 * boundaries whatever surrounds them: Unicode's rules look behind arbitrarily far in places
 * (regional indicators pair up from the start of their run, an emoji ZWJ sequence spans any number
 * of extending marks, a dictionary segments a whole run of CJK), so an edge picked at a fixed
 * distance could split a flag pair or a word. Each window therefore widens, by a scan over code
 * units that is far cheaper than segmenting, until both edges sit at a "safe" position: one where
 * the rules always break and nothing before it can change what comes after (see isGraphemeSafe and
 * isWordSafe). In ordinary prose a safe position is a few units away; a cluster of hundreds of
 * combining marks simply widens the window past it. A stretch of more than SCAN_LIMIT units with no
 * safe position at all (which no natural text has) is cut at that distance.
 */

// Created on first use: importing @warrant/domain must not fail where Intl.Segmenter is missing.
let graphemeSegmenterInstance: Intl.Segmenter | undefined;
let wordSegmenterInstance: Intl.Segmenter | undefined;

function graphemeSegmenter(): Intl.Segmenter {
  graphemeSegmenterInstance ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemeSegmenterInstance;
}

function wordSegmenter(): Intl.Segmenter {
  wordSegmenterInstance ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  return wordSegmenterInstance;
}

/** How far (in code units) a window edge may move to find a safe position. */
const SCAN_LIMIT = 4096;

const CR = 0x0d;
const LF = 0x0a;
const ZWJ = 0x200d;

/**
 * Grapheme_Cluster_Break=Prepend in the BMP (Unicode 17; they glue onto the character after them).
 * Astral ones all lie in U+11000..U+11FFF, which isPrependBefore treats as a whole.
 */
const BMP_PREPEND = new Set([0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06dd, 0x070f, 0x0890, 0x0891, 0x08e2, 0x0d4e]);

/**
 * BMP characters that never join the character before them in a grapheme cluster and never
 * continue a sequence begun before them: not Extend, ZWJ, SpacingMark, Regional_Indicator,
 * Hangul, Extended_Pictographic, an Indic conjunct consonant, CR or LF. Letters and punctuation of
 * the scripts Warrant's corpora use, so a safe position is always near.
 */
const SAFE_BMP_RANGES: readonly (readonly [number, number])[] = [
  [0x0020, 0x007e], // ASCII printable
  [0x00c0, 0x024f], // Latin-1 letters, Latin Extended-A/B
  [0x0370, 0x03ff], // Greek
  [0x0400, 0x0482], // Cyrillic (U+0483..U+0489 are combining)
  [0x048a, 0x052f],
  [0x05d0, 0x05ea], // Hebrew letters
  [0x0621, 0x064a], // Arabic letters
  [0x2010, 0x2027], // dashes, quotes, bullet, ellipsis
  [0x2030, 0x203b], // per mille .. reference mark (U+203C is an emoji)
  [0x3000, 0x3029], // ideographic space and CJK punctuation (U+302A.. are combining)
  [0x3041, 0x3096], // Hiragana
  [0x30a1, 0x30fa], // Katakana
  [0x3400, 0x4dbf], // CJK ideographs
  [0x4e00, 0x9fff],
  [0xff01, 0xff5e], // fullwidth ASCII
];

function isSafeBmp(unit: number): boolean {
  for (const [low, high] of SAFE_BMP_RANGES) {
    if (unit < low) return false;
    if (unit <= high) return true;
  }
  return false;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

const EXTENDED_PICTOGRAPHIC = /^\p{Extended_Pictographic}$/u;

/** Whether the code point ending just before `p` may be Prepend (and so glue onto text[p]). */
function isPrependBefore(text: string, p: number): boolean {
  const unit = text.charCodeAt(p - 1);
  if (isLowSurrogate(unit) && p >= 2) {
    const high = text.charCodeAt(p - 2);
    // U+11000..U+11FFF have high surrogates U+D804..U+D807.
    return high >= 0xd804 && high <= 0xd807;
  }
  return BMP_PREPEND.has(unit);
}

/**
 * True when there is a grapheme boundary at `p` whatever precedes it, and segmenting from `p`
 * gives the same boundaries after it as segmenting the whole text.
 */
function isGraphemeSafe(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return true;
  if (isPrependBefore(text, p)) return false;
  const unit = text.charCodeAt(p);
  if (isHighSurrogate(unit)) {
    // An emoji starts a cluster unless a ZWJ joins it to the one before (GB11).
    return (
      isLowSurrogate(text.charCodeAt(p + 1)) &&
      text.charCodeAt(p - 1) !== ZWJ &&
      EXTENDED_PICTOGRAPHIC.test(text.slice(p, p + 2))
    );
  }
  return isSafeBmp(unit);
}

/** Characters after which a word always ends, and which end a dictionary run (CJK, Thai). */
const WORD_ENDERS = new Set([
  0x0009, // tab
  0x0020, // space
  0x3000, // ideographic space
  0x3001, // 、
  0x3002, // 。
  0xff01, // ！
  0xff0c, // ，
  0xff1a, // ：
  0xff1b, // ；
  0xff1f, // ？
]);

/** True when there is a word boundary at `p` whatever surrounds it (same sense as isGraphemeSafe). */
function isWordSafe(text: string, p: number): boolean {
  if (p <= 0 || p >= text.length) return true;
  const previous = text.charCodeAt(p - 1);
  const unit = text.charCodeAt(p);
  if (previous === LF) return true; // WB3a: always a break after a line feed
  if (unit === CR || (unit === LF && previous !== CR)) return true; // WB3b
  // A space before a space would join it (WB3d); an extending mark would join the space (WB4).
  return WORD_ENDERS.has(previous) && !WORD_ENDERS.has(unit) && isSafeBmp(unit);
}

type SafePredicate = (text: string, p: number) => boolean;

/** The nearest safe position at or before `p` (at most SCAN_LIMIT units back). */
function safeAtOrBefore(text: string, p: number, isSafe: SafePredicate): number {
  const stop = Math.max(0, p - SCAN_LIMIT);
  for (let i = p; i > stop; i -= 1) if (isSafe(text, i)) return i;
  // Never start a window between the halves of a surrogate pair.
  return stop > 0 && isLowSurrogate(text.charCodeAt(stop)) && isHighSurrogate(text.charCodeAt(stop - 1)) ? stop - 1 : stop;
}

/** The nearest safe position at or after `p` (at most SCAN_LIMIT units on). */
function safeAtOrAfter(text: string, p: number, isSafe: SafePredicate): number {
  const stop = Math.min(text.length, p + SCAN_LIMIT);
  for (let i = p; i < stop; i += 1) if (isSafe(text, i)) return i;
  return stop < text.length && isLowSurrogate(text.charCodeAt(stop)) && isHighSurrogate(text.charCodeAt(stop - 1)) ? stop + 1 : stop;
}

function clamp(text: string, offset: number): number {
  return Math.min(Math.max(offset, 0), text.length);
}

interface Segment {
  start: number;
  end: number;
  wordLike: boolean;
}

/** Segments of text[from, to), with offsets in the whole text. */
function segmentsBetween(segmenter: Intl.Segmenter, text: string, from: number, to: number): Segment[] {
  const result: Segment[] = [];
  for (const s of segmenter.segment(text.slice(from, to))) {
    const start = from + s.index;
    result.push({ start, end: start + s.segment.length, wordLike: s.isWordLike === true });
  }
  return result;
}

/** The grapheme cluster containing the code unit at `index` (0 <= index < text.length). */
function graphemeAt(text: string, index: number): { start: number; end: number } {
  const from = safeAtOrBefore(text, index, isGraphemeSafe);
  const to = safeAtOrAfter(text, index + 1, isGraphemeSafe);
  for (const s of graphemeSegmenter().segment(text.slice(from, to))) {
    const start = from + s.index;
    const end = start + s.segment.length;
    if (index < end) return { start, end };
  }
  return { start: index, end: index + 1 }; // unreachable: the window covers index
}

/** The last grapheme boundary before `offset`, or 0 (Left arrow). */
export function previousGraphemeBoundary(text: string, offset: number): number {
  const at = clamp(text, offset);
  return at === 0 ? 0 : graphemeAt(text, at - 1).start;
}

/** The first grapheme boundary after `offset`, or text.length (Right arrow). */
export function nextGraphemeBoundary(text: string, offset: number): number {
  const at = clamp(text, offset);
  return at >= text.length ? text.length : graphemeAt(text, at).end;
}

/**
 * The smallest range of whole grapheme clusters covering [start, end): each end moves outwards to
 * the nearest boundary (a boundary stays put, so an empty range on a boundary stays empty).
 */
export function snapToGraphemes(text: string, start: number, end: number): { start: number; end: number } {
  const from = clamp(text, Math.min(start, end));
  const to = clamp(text, Math.max(start, end));
  return {
    start: from >= text.length ? text.length : graphemeAt(text, from).start,
    end: to === 0 ? 0 : graphemeAt(text, to - 1).end,
  };
}

/** The word segment (word-like or not) containing the code unit at `index`. */
function wordSegmentAt(text: string, index: number): Segment {
  const from = safeAtOrBefore(text, index, isWordSafe);
  const to = safeAtOrAfter(text, index + 1, isWordSafe);
  for (const segment of segmentsBetween(wordSegmenter(), text, from, to)) {
    if (index < segment.end) return segment;
  }
  return { start: index, end: index + 1, wordLike: false }; // unreachable: the window covers index
}

/** Initial reach of a word search; it grows fourfold while no word is found. */
const WORD_REACH = 64;

/**
 * Ctrl+Right: the end of the word the caret is in or at the start of; from a word's end, or from
 * spaces and punctuation, the end of the next word; text.length when no word follows.
 */
export function nextWordBoundary(text: string, offset: number): number {
  const at = clamp(text, offset);
  const from = safeAtOrBefore(text, at, isWordSafe);
  for (let reach = WORD_REACH; ; reach *= 4) {
    const to = safeAtOrAfter(text, Math.min(text.length, at + reach), isWordSafe);
    for (const segment of segmentsBetween(wordSegmenter(), text, from, to)) {
      if (segment.wordLike && segment.end > at) return segment.end;
    }
    if (to >= text.length) return text.length;
  }
}

/**
 * Ctrl+Left: the start of the word the caret is in or at the end of; from a word's start, or from
 * spaces and punctuation, the start of the previous word; 0 when no word precedes.
 */
export function previousWordBoundary(text: string, offset: number): number {
  const at = clamp(text, offset);
  const to = safeAtOrAfter(text, at, isWordSafe);
  for (let reach = WORD_REACH; ; reach *= 4) {
    const from = safeAtOrBefore(text, Math.max(0, at - reach), isWordSafe);
    let found = -1;
    for (const segment of segmentsBetween(wordSegmenter(), text, from, to)) {
      if (segment.start >= at) break;
      if (segment.wordLike) found = segment.start;
    }
    if (found >= 0) return found;
    if (from === 0) return 0;
  }
}

const WHITESPACE = /\s/;

function isWhitespaceUnit(text: string, index: number): boolean {
  return WHITESPACE.test(text.charAt(index));
}

/**
 * A mouse selection snapped to words: whole grapheme clusters, a word-like segment (letters,
 * digits, ideographs) partly covered at either end grows to the whole word, then whitespace (and
 * only whitespace: punctuation stays) is trimmed from both ends. Null when the selection is empty
 * or nothing but whitespace remains. Reversed ranges are accepted.
 */
export function snapToWords(text: string, start: number, end: number): { start: number; end: number } | null {
  let { start: from, end: to } = snapToGraphemes(text, start, end);
  if (from >= to) return null;
  const first = wordSegmentAt(text, from);
  if (first.wordLike && first.start < from) from = first.start;
  const last = wordSegmentAt(text, to - 1);
  if (last.wordLike && last.end > to) to = last.end;

  let head = from;
  while (head < to && isWhitespaceUnit(text, head)) head += 1;
  if (head === to) return null;
  let tail = to;
  while (isWhitespaceUnit(text, tail - 1)) tail -= 1;
  // A space carrying a combining mark is not whitespace alone: keep its whole cluster.
  if (head > from) head = graphemeAt(text, head).start;
  if (tail < to) tail = graphemeAt(text, tail - 1).end;
  return { start: head, end: tail };
}
