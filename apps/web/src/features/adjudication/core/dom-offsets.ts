import { snapToGraphemes } from '@warrant/domain';

/**
 * From DOM positions to passage offsets (UTF-16 code units, as DOM offsets and JavaScript count).
 * A column renders its text as segments, each an element with `data-s` (its first offset) and
 * `data-e` holding exactly `text.slice(s, e)` as one text node; label tags inside a segment are
 * marked `data-decor` and count as the segment's start. The column root has `data-length`.
 * Only the few DOM members used here are required, so this runs (and is tested) without a browser.
 */
export interface DomNodeLike {
  nodeType: number;
  parentNode: DomNodeLike | null;
  childNodes: ArrayLike<DomNodeLike>;
  getAttribute?: (name: string) => string | null;
}

const ELEMENT = 1;
const TEXT = 3;

function attr(node: DomNodeLike, name: string): number | null {
  if (node.nodeType !== ELEMENT || !node.getAttribute) return null;
  const value = node.getAttribute(name);
  if (value === null || value === '') return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

function isDecor(node: DomNodeLike): boolean {
  return node.nodeType === ELEMENT && node.getAttribute?.('data-decor') !== null && node.getAttribute?.('data-decor') !== undefined;
}

function indexOf(parent: DomNodeLike, child: DomNodeLike): number {
  for (let i = 0; i < parent.childNodes.length; i += 1) if (parent.childNodes[i] === child) return i;
  return -1;
}

/** The offset of a DOM point inside `root`, or null when the point is outside it. */
export function offsetFromDomPoint(root: DomNodeLike, node: DomNodeLike, offset: number): number | null {
  // Climb to the segment (or the root), noting whether the point is inside a decoration.
  let segment: DomNodeLike | null = null;
  let inDecor = false;
  let current: DomNodeLike | null = node;
  while (current && current !== root) {
    if (isDecor(current)) inDecor = true;
    if (attr(current, 'data-s') !== null && attr(current, 'data-e') !== null) {
      segment = current;
      break;
    }
    current = current.parentNode;
  }
  if (!current) return null;
  if (segment) {
    // A segment of another column is not ours.
    let up: DomNodeLike | null = segment;
    while (up && up !== root) up = up.parentNode;
    if (!up) return null;
  }

  if (segment) {
    const start = attr(segment, 'data-s') as number;
    const end = attr(segment, 'data-e') as number;
    if (node.nodeType === TEXT && !inDecor) return Math.min(end, start + offset);
    const children = Array.from(segment.childNodes);
    const textIndex = children.findIndex((child) => child.nodeType === TEXT);
    if (node === segment) return textIndex >= 0 && offset > textIndex ? end : start;
    // Inside a decoration: which side of the text it is on decides.
    let child: DomNodeLike | null = node;
    while (child && child.parentNode !== segment) child = child.parentNode;
    const childIndex = child ? indexOf(segment, child) : -1;
    return textIndex >= 0 && childIndex > textIndex ? end : start;
  }

  // The root itself: the point is between its segments.
  if (node !== root) return null;
  const length = attr(root, 'data-length') ?? 0;
  for (let i = offset; i < root.childNodes.length; i += 1) {
    const start = attr(root.childNodes[i] as DomNodeLike, 'data-s');
    if (start !== null) return start;
  }
  return length;
}

/**
 * A selection's ends as a span: ordered, without white space at either end, widened to whole
 * grapheme clusters (so an emoji or a letter with its accent is never cut); null when empty.
 */
export function selectionToRange(text: string, a: number, b: number): { start: number; end: number } | null {
  let start = Math.max(0, Math.min(a, b));
  let end = Math.min(text.length, Math.max(a, b));
  while (start < end && /\s/.test(text[start] ?? '')) start += 1;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end -= 1;
  if (end <= start) return null;
  return snapToGraphemes(text, start, end);
}
