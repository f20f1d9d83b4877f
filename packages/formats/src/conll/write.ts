import type { DatasetDocument, DatasetSpan, FormatLoss } from '../dataset/document.ts';

/**
 * CoNLL BIO for token classification (docs/semantic-dataset.md, "CoNLL BIO"). One block per
 * document: `# id = ...`, `# source = ...`, `# category = ...` comment lines, then one
 * `token<TAB>tag` line per token, then one empty line. A passage is one sequence: argument spans
 * cross sentence boundaries, so sentences are not split.
 */

export interface ConllToken {
  text: string;
  /** UTF-16 code units, half-open. */
  start: number;
  end: number;
}

export interface ConllOptions {
  /** Locale of the word segmenter; the document's language, else the root locale ('und'). */
  locale?: string;
}

export interface ConllResult {
  text: string;
  losses: FormatLoss[];
}

const WHITESPACE = /\s+/gu;

/** The root locale ('und') unless a valid one is given, so tokens never depend on the machine's locale. */
function segmenterFor(locale: string | undefined): Intl.Segmenter {
  try {
    return new Intl.Segmenter(locale ?? 'und', { granularity: 'word' });
  } catch {
    return new Intl.Segmenter('und', { granularity: 'word' });
  }
}

/**
 * Tokens of a text: the segments of `Intl.Segmenter` at word granularity (Unicode UAX #29 word
 * boundaries: a word with its combining marks, a number such as `3.5`, `don't`; each punctuation
 * mark and each emoji cluster on its own), without whitespace (JavaScript `\s`: spaces, NBSP, tabs,
 * CR, LF). A segment holding whitespace inside it is split there, so no token contains any.
 */
export function conllTokens(text: string, locale?: string): ConllToken[] {
  const tokens: ConllToken[] = [];
  const segmenter = segmenterFor(locale);
  for (const { segment, index } of segmenter.segment(text)) {
    let at = 0;
    for (const match of segment.matchAll(WHITESPACE)) {
      if (match.index > at) tokens.push({ text: segment.slice(at, match.index), start: index + at, end: index + match.index });
      at = match.index + match[0].length;
    }
    if (at < segment.length) tokens.push({ text: segment.slice(at), start: index + at, end: index + segment.length });
  }
  return tokens;
}

/** One line of a comment: line breaks and tabs would end it or break the columns. */
const oneLine = (value: string) => value.replace(/[\r\n\t]+/g, ' ');

/**
 * The annotation of `source` in `document` as CoNLL BIO.
 *
 * A token is tagged with a span when they share at least one code unit. Spans are taken in order
 * of start, then longest first, then id; a span whose tokens are already tagged by an earlier one is
 * left out whole (a loss naming the span that won), so every tagged run is exactly one span. Losses
 * are also reported for a span whose ends fall inside a token (it is widened to whole tokens), a
 * span covering only whitespace (no token), a note, every relation, and whitespace in a label
 * (replaced by `_`, which would otherwise break the columns).
 * Throws RangeError when the document has no annotation by `source`.
 */
export function writeConll(document: DatasetDocument, source: string, options: ConllOptions = {}): ConllResult {
  const annotation = document.annotations.find((a) => a.source === source);
  if (!annotation) {
    const known = document.annotations.map((a) => a.source).join(', ') || 'none';
    throw new RangeError(`document '${document.id}' has no annotation by '${source}' (it has: ${known})`);
  }
  const losses: FormatLoss[] = [];
  const lose = (item: string, reason: string) => losses.push({ document: document.id, source, item, reason });
  const tokens = conllTokens(document.text, options.locale ?? document.language ?? undefined);
  const tags: (string | null)[] = tokens.map(() => null);
  const owner: (DatasetSpan | null)[] = tokens.map(() => null);

  const ordered = [...annotation.spans].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const span of ordered) {
    // Tokens are sorted and disjoint: the first one ending after the span's start, up to the span's end.
    let first = 0;
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((tokens[mid] as ConllToken).end <= span.start) lo = mid + 1;
      else hi = mid;
    }
    first = lo;
    let last = first;
    while (last < tokens.length && (tokens[last] as ConllToken).start < span.end) last += 1;
    if (last === first) {
      lose(span.id, 'the span covers only whitespace: no token to tag');
      continue;
    }
    const taken = owner.slice(first, last).find((o) => o !== null);
    if (taken) {
      lose(span.id, `the span overlaps span '${taken.id}', which starts earlier or is longer: one tag per token`);
      continue;
    }
    const label = span.label.replace(/\s+/gu, '_');
    if (label !== span.label) lose(span.id, `whitespace in the label '${span.label}' is written as '_': '${label}'`);
    const firstToken = tokens[first] as ConllToken;
    const lastToken = tokens[last - 1] as ConllToken;
    if (firstToken.start < span.start) lose(span.id, `the span starts inside the token '${firstToken.text}': it is tagged from the token's start`);
    if (lastToken.end > span.end) lose(span.id, `the span ends inside the token '${lastToken.text}': it is tagged to the token's end`);
    for (let i = first; i < last; i += 1) {
      owner[i] = span;
      tags[i] = `${i === first ? 'B' : 'I'}-${label}`;
    }
    if (span.note !== null) lose(span.id, 'span notes are not carried by CoNLL');
  }
  for (const relation of annotation.relations) lose(relation.id, `relations are not carried by CoNLL (${relation.type} ${relation.source} -> ${relation.target})`);

  const lines = [`# id = ${oneLine(document.id)}`, `# source = ${oneLine(source)}`];
  if (annotation.category !== null) lines.push(`# category = ${oneLine(annotation.category)}`);
  tokens.forEach((token, i) => lines.push(`${token.text}\t${tags[i] ?? 'O'}`));
  return { text: `${lines.join('\n')}\n\n`, losses };
}
