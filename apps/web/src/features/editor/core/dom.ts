/**
 * From DOM positions to passage offsets. Every rendered segment carries `data-s` (its first
 * offset) and `data-e`; every block `data-block-start` and `data-block-end`. Label tags and the
 * caret are marked `data-decor`: positions inside them count as the start of their segment.
 * Nothing here is stored: ranges are derived from offsets, never kept.
 */

function segmentOf(node: Node | null): HTMLElement | null {
  let current: Node | null = node;
  while (current && current.nodeType !== Node.ELEMENT_NODE) current = current.parentNode;
  const element = current as HTMLElement | null;
  return element?.closest<HTMLElement>('[data-s]') ?? null;
}

function numberAttr(element: Element, name: string): number | null {
  const value = element.getAttribute(name);
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The passage offset of a DOM point (a selection end, a caret from a click), or null outside the text. */
export function offsetFromDomPoint(node: Node, offset: number): number | null {
  const segment = segmentOf(node);
  if (segment) {
    const start = numberAttr(segment, 'data-s');
    const end = numberAttr(segment, 'data-e');
    if (start === null || end === null) return null;
    if (node.nodeType === Node.TEXT_NODE && !node.parentElement?.closest('[data-decor]')) {
      return Math.min(end, start + offset);
    }
    const textIndex = [...segment.childNodes].findIndex((child) => child.nodeType === Node.TEXT_NODE);
    if (node === segment) {
      // An element position: before the text node means the start, after it the end.
      return textIndex >= 0 && offset > textIndex ? end : start;
    }
    // Inside a decoration (label tag, caret, drag handle): its side of the text decides.
    let child: Node | null = node;
    while (child && child.parentNode !== segment) child = child.parentNode;
    const childIndex = child ? [...segment.childNodes].indexOf(child as ChildNode) : -1;
    return textIndex >= 0 && childIndex > textIndex ? end : start;
  }
  let current: Node | null = node;
  while (current && current.nodeType !== Node.ELEMENT_NODE) current = current.parentNode;
  const block = (current as HTMLElement | null)?.closest<HTMLElement>('[data-block-start]');
  if (!block) return null;
  const blockStart = numberAttr(block, 'data-block-start');
  const blockEnd = numberAttr(block, 'data-block-end');
  if (blockStart === null || blockEnd === null) return null;
  if (node === block) {
    const child = block.childNodes[offset];
    const childSegment = child instanceof HTMLElement ? child.closest('[data-s]') : null;
    if (childSegment) return numberAttr(childSegment, 'data-s');
    return offset === 0 ? blockStart : blockEnd;
  }
  return blockStart;
}

/** The offset under a viewport point (clicks, and moving the caret a line up or down). */
export function offsetAtPoint(x: number, y: number): number | null {
  const doc = document as Document & {
    caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null;
  };
  if (typeof doc.caretPositionFromPoint === 'function') {
    const position = doc.caretPositionFromPoint(x, y);
    return position ? offsetFromDomPoint(position.offsetNode, position.offset) : null;
  }
  const range = document.caretRangeFromPoint?.(x, y);
  return range ? offsetFromDomPoint(range.startContainer, range.startOffset) : null;
}

/** The current DOM selection as passage offsets, ordered, or null when it is outside the text. */
export function selectionOffsets(selection: Selection | null): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const a = offsetFromDomPoint(range.startContainer, range.startOffset);
  const b = offsetFromDomPoint(range.endContainer, range.endOffset);
  if (a === null || b === null) return null;
  return { start: Math.min(a, b), end: Math.max(a, b) };
}
