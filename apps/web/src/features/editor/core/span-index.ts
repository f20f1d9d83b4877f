import type { Span } from '@warrant/domain';

/**
 * Spans sorted by start, for "which spans overlap [a, b)" in O(log n + k): a span overlapping
 * the range starts before b and after a - (longest span length). Updates are O(n) array
 * splices, which for thousands of spans cost microseconds.
 */
export class SpanIndex {
  private sorted: Span[] = [];
  private maxLength = 0;

  constructor(spans: Iterable<Span> = []) {
    this.sorted = [...spans].sort(compare);
    for (const span of this.sorted) this.maxLength = Math.max(this.maxLength, span.end - span.start);
  }

  get size(): number {
    return this.sorted.length;
  }

  add(span: Span): void {
    this.sorted.splice(this.lowerBound(span), 0, span);
    this.maxLength = Math.max(this.maxLength, span.end - span.start);
  }

  remove(span: Span): void {
    let i = this.lowerBound(span);
    while (i < this.sorted.length && this.sorted[i]?.id !== span.id) i += 1;
    if (i < this.sorted.length) this.sorted.splice(i, 1);
  }

  /** Spans with start < end and end > start, in start order. */
  overlapping(start: number, end: number): Span[] {
    const out: Span[] = [];
    let i = this.firstStartAtLeast(start - this.maxLength);
    for (; i < this.sorted.length; i += 1) {
      const span = this.sorted[i] as Span;
      if (span.start >= end) break;
      if (span.end > start) out.push(span);
    }
    return out;
  }

  /** All spans in start order. */
  all(): readonly Span[] {
    return this.sorted;
  }

  /**
   * The span after/before `offset` (or the current span) in reading order, for Tab / Shift+Tab;
   * undefined past the last or before the first, so Tab can then leave the text.
   */
  next(offset: number, currentId: string | null): Span | undefined {
    const i = currentId ? this.sorted.findIndex((s) => s.id === currentId) : -1;
    if (i >= 0) return this.sorted[i + 1];
    return this.sorted[this.firstStartAtLeast(offset)];
  }

  previous(offset: number, currentId: string | null): Span | undefined {
    const i = currentId ? this.sorted.findIndex((s) => s.id === currentId) : -1;
    if (i >= 0) return this.sorted[i - 1];
    return this.sorted[this.firstStartAtLeast(offset) - 1];
  }

  private firstStartAtLeast(offset: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.sorted[mid] as Span).start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private lowerBound(span: Span): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(this.sorted[mid] as Span, span) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function compare(a: Span, b: Span): number {
  return a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
