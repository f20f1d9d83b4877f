import { describe, expect, it } from 'vitest';
import { offsetFromDomPoint, selectionToRange, type DomNodeLike } from './dom-offsets.ts';
import { segmentText, type MarkedSpan } from './text-segments.ts';

interface FakeNode extends DomNodeLike {
  childNodes: FakeNode[];
  parentNode: FakeNode | null;
  data?: string;
}

function element(attrs: Record<string, string>, children: FakeNode[] = []): FakeNode {
  const node: FakeNode = { nodeType: 1, parentNode: null, childNodes: children, getAttribute: (name) => attrs[name] ?? null };
  for (const child of children) child.parentNode = node;
  return node;
}

function textNode(data: string): FakeNode {
  return { nodeType: 3, parentNode: null, childNodes: [], data };
}

/** The DOM a column renders: segments with a text node each, a tag before the text where spans start. */
function render(text: string, spans: MarkedSpan[]) {
  const { segments } = segmentText(text.length, spans);
  const elements = segments.map((segment) =>
    element({ 'data-s': String(segment.start), 'data-e': String(segment.end) }, [
      ...(segment.starts.length > 0 ? [element({ 'data-decor': '' }, [textNode('P')])] : []),
      textNode(text.slice(segment.start, segment.end)),
    ]),
  );
  const root = element({ 'data-length': String(text.length) }, elements);
  const textOf = (i: number) => {
    const segment = elements[i] as FakeNode;
    return segment.childNodes.find((child) => child.nodeType === 3) as FakeNode;
  };
  return { root, elements, textOf, segments };
}

const TEXT = 'Цены 😀 растут, 👨‍👩‍👧 значит — налоги.';
const span = (part: string, label = 'premise'): MarkedSpan => {
  const start = TEXT.indexOf(part);
  return { id: part, label, start, end: start + part.length, disputed: false, key: null };
};

describe('column segments', () => {
  it('cover the text exactly, cut where spans begin and end, overlapping spans in lanes', () => {
    const spans = [span('Цены 😀 растут'), span('растут, 👨‍👩‍👧 значит', 'inference')];
    const { segments, lanes } = segmentText(TEXT.length, spans);
    expect(segments.map((s) => TEXT.slice(s.start, s.end)).join('')).toBe(TEXT);
    expect(segments.map((s) => TEXT.slice(s.start, s.end))).toEqual(['Цены 😀 ', 'растут', ', 👨‍👩‍👧 значит', ' — налоги.']);
    expect(lanes).toBe(2);
    expect(segments[1]?.bands.map((b) => [b.span.id, b.lane])).toEqual([
      ['Цены 😀 растут', 0],
      ['растут, 👨‍👩‍👧 значит', 1],
    ]);
    expect(segments[1]?.starts.map((s) => s.id)).toEqual(['растут, 👨‍👩‍👧 значит']);
  });

  it('ignores spans outside the text and renders an empty text as nothing', () => {
    expect(segmentText(0, []).segments).toEqual([]);
    expect(segmentText(4, [{ id: 'x', label: 'p', start: 2, end: 9, disputed: false, key: null }]).segments).toHaveLength(1);
  });
});

describe('offsetFromDomPoint', () => {
  const spans = [span('растут'), span('налоги')];
  const { root, elements, textOf, segments } = render(TEXT, spans);

  it('maps a point in a text node to UTF-16 offsets, through Cyrillic, emoji and ZWJ sequences', () => {
    segments.forEach((segment, i) => {
      for (let k = 0; k <= segment.end - segment.start; k += 1) {
        expect(offsetFromDomPoint(root, textOf(i), k)).toBe(segment.start + k);
      }
    });
    const after = TEXT.indexOf('значит');
    const i = segments.findIndex((s) => s.start <= after && after < s.end);
    expect(TEXT.slice(offsetFromDomPoint(root, textOf(i), after - (segments[i]?.start ?? 0)) ?? -1)).toMatch(/^значит/);
  });

  it('counts a point in a label tag as the start of its segment', () => {
    const i = segments.findIndex((s) => s.starts.length > 0);
    const tag = elements[i]?.childNodes[0] as FakeNode;
    expect(offsetFromDomPoint(root, tag, 0)).toBe(segments[i]?.start);
    expect(offsetFromDomPoint(root, tag.childNodes[0] as FakeNode, 1)).toBe(segments[i]?.start);
  });

  it('reads element positions: before the text is the start, after it the end', () => {
    const i = segments.findIndex((s) => s.starts.length > 0);
    const segment = elements[i] as FakeNode;
    expect(offsetFromDomPoint(root, segment, 0)).toBe(segments[i]?.start);
    expect(offsetFromDomPoint(root, segment, 1)).toBe(segments[i]?.start);
    expect(offsetFromDomPoint(root, segment, 2)).toBe(segments[i]?.end);
    expect(offsetFromDomPoint(root, root, 0)).toBe(0);
    expect(offsetFromDomPoint(root, root, 2)).toBe(segments[2]?.start);
    expect(offsetFromDomPoint(root, root, elements.length)).toBe(TEXT.length);
  });

  it('gives null for points outside the column', () => {
    const other = render('другой текст', []);
    expect(offsetFromDomPoint(root, other.textOf(0), 3)).toBeNull();
    expect(offsetFromDomPoint(root, other.root, 0)).toBeNull();
  });
});

describe('selectionToRange', () => {
  it('orders the ends and trims white space', () => {
    const start = TEXT.indexOf('растут');
    expect(selectionToRange(TEXT, start + 6, start - 1)).toEqual({ start, end: start + 6 });
    expect(selectionToRange(TEXT, 4, 5)).toBeNull();
  });

  it('never cuts an emoji, a ZWJ family or a surrogate pair in half', () => {
    const emoji = TEXT.indexOf('😀');
    expect(selectionToRange(TEXT, emoji + 1, emoji + 2)).toEqual({ start: emoji, end: emoji + 2 });
    const family = TEXT.indexOf('👨‍👩‍👧');
    const range = selectionToRange(TEXT, family, family + 3);
    expect(range && TEXT.slice(range.start, range.end)).toBe('👨‍👩‍👧');
  });

  it('stays inside the text', () => {
    expect(selectionToRange(TEXT, -5, 4)).toEqual({ start: 0, end: 4 });
    expect(selectionToRange(TEXT, TEXT.length - 7, TEXT.length + 10)).toEqual({ start: TEXT.length - 7, end: TEXT.length });
  });
});
