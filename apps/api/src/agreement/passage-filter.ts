import type { LoadedPassage } from '@warrant/agreement';

/** A report filter as plain data (it crosses to the helper thread): which sets and spans count. */
export interface PassageFilter {
  /** Annotators to keep; null for all. */
  only: string[] | null;
  /** Submission times to keep (milliseconds, inclusive). */
  from: number;
  to: number;
  /** Span labels to keep; null for all. */
  labels: string[] | null;
}

/**
 * The filter as a function of a passage: the passage reduced to the filter's sets and spans, or
 * undefined when fewer than two sets are left.
 */
export function passageSelector(filter: PassageFilter): (passage: LoadedPassage) => LoadedPassage | undefined {
  const only = filter.only === null ? null : new Set(filter.only);
  const labels = filter.labels === null ? null : new Set(filter.labels);
  return (passage) => {
    const sets = passage.sets.filter((set) => (only === null || only.has(set.userId)) && set.submittedAt >= filter.from && set.submittedAt <= filter.to);
    if (sets.length < 2) return undefined;
    return { ...passage, sets: labels === null ? sets : sets.map((set) => ({ ...set, spans: set.spans.filter((span) => labels.has(span.label)) })) };
  };
}
