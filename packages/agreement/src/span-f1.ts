import { requireArray, requireInteger, requireString } from './validate.ts';

/** A labelled half-open character range [start, end). */
export type Span = { start: number; end: number; label: string };

export type F1 = { precision: number; recall: number; f1: number };

/**
 * Precision and recall of `candidate` against `reference`.
 *
 * `exact`: a span matches one with the same start, end and label, one to one (two identical
 * candidate spans match two identical reference spans, not one).
 * `overlap`: a span counts as matched when it shares at least one character with a span of the
 * same label on the other side; precision over the candidate's spans, recall over the reference's.
 *
 * Precision is NaN when the candidate has no span, recall when the reference has none. F1 is NaN
 * only when neither side has a span; when just one side is empty it is 0 (nothing was matched).
 */
export function spanF1(reference: Span[], candidate: Span[], match: 'exact' | 'overlap'): F1 {
  checkSpans(reference, 'reference');
  checkSpans(candidate, 'candidate');
  if (match !== 'exact' && match !== 'overlap') throw new TypeError(`spanF1: match must be 'exact' or 'overlap', got ${String(match)}`);
  let matchedCandidates: number;
  let matchedReferences: number;
  if (match === 'exact') {
    matchedCandidates = matchedReferences = exactMatches(reference, candidate);
  } else {
    matchedCandidates = overlapping(candidate, reference);
    matchedReferences = overlapping(reference, candidate);
  }
  const precision = candidate.length === 0 ? Number.NaN : matchedCandidates / candidate.length;
  const recall = reference.length === 0 ? Number.NaN : matchedReferences / reference.length;
  let f1: number;
  if (reference.length === 0 && candidate.length === 0) f1 = Number.NaN;
  else if (reference.length === 0 || candidate.length === 0 || precision + recall === 0) f1 = 0;
  else f1 = (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

function exactMatches(reference: Span[], candidate: Span[]): number {
  const available = new Map<string, number>();
  for (const s of reference) {
    // Offsets are integers, so the first two colons always delimit them whatever the label holds.
    const key = `${s.start}:${s.end}:${s.label}`;
    available.set(key, (available.get(key) ?? 0) + 1);
  }
  let matched = 0;
  for (const s of candidate) {
    const key = `${s.start}:${s.end}:${s.label}`;
    const left = available.get(key) ?? 0;
    if (left > 0) {
      available.set(key, left - 1);
      matched++;
    }
  }
  return matched;
}

/** How many of `spans` share a character with a same-label span of `others`. */
function overlapping(spans: Span[], others: Span[]): number {
  const byLabel = new Map<string, { starts: number[]; maxEnd: number[] }>();
  const grouped = new Map<string, Span[]>();
  for (const s of others) {
    const list = grouped.get(s.label);
    if (list === undefined) grouped.set(s.label, [s]);
    else list.push(s);
  }
  for (const [label, list] of grouped) {
    list.sort((a, b) => a.start - b.start);
    const starts = list.map((s) => s.start);
    const maxEnd: number[] = [];
    let max = Number.NEGATIVE_INFINITY;
    for (const s of list) maxEnd.push((max = Math.max(max, s.end)));
    byLabel.set(label, { starts, maxEnd });
  }
  let count = 0;
  for (const s of spans) {
    const index = byLabel.get(s.label);
    if (index === undefined) continue;
    // Others starting before s ends; one of them overlaps iff the furthest end passes s.start.
    const before = upperBound(index.starts, s.end - 1);
    if (before > 0 && index.maxEnd[before - 1]! > s.start) count++;
  }
  return count;
}

/** Number of entries <= value. */
function upperBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkSpans(spans: Span[], side: string): void {
  requireArray(spans, `spanF1: ${side}`);
  spans.forEach((span, i) => {
    const where = `spanF1: ${side}[${i}]`;
    if (span === null || typeof span !== 'object') throw new TypeError(`${where} must be a span object`);
    const start = requireInteger(span.start, `${where}.start`);
    const end = requireInteger(span.end, `${where}.end`);
    requireString(span.label, `${where}.label`);
    if (end <= start) throw new RangeError(`${where}: end (${end}) must be greater than start (${start})`);
  });
}
