import { buildReport, type LoadedPassage, type ProjectReport } from '@warrant/agreement';
import type { DatasetDocument } from '@warrant/formats';

/**
 * Every document with at least two annotation sources (gold left out: it is the adjudication, not
 * an annotator; and, as in the studio, only submitted annotations where the status is known:
 * drafts and skipped sets of an export are not compared) as the report's passages; the scheme is
 * what the data uses.
 */
export function agreementOf(documents: DatasetDocument[]): ProjectReport {
  const passages: LoadedPassage[] = [];
  const labels = new Set<string>();
  const categories = new Set<string>();
  const annotators = new Set<string>();
  for (const document of documents) {
    const sets = document.annotations
      .filter((annotation) => annotation.source !== 'gold' && (annotation.status === undefined || annotation.status === 'submitted'))
      .map((annotation) => {
        for (const span of annotation.spans) labels.add(span.label);
        if (annotation.category !== null) categories.add(annotation.category);
        return {
          userId: annotation.source,
          category: annotation.category,
          submittedAt: 0,
          spans: annotation.spans.map((s) => ({ id: s.id, label: s.label, start: s.start, end: s.end })),
          relations: annotation.relations.map((r) => ({ id: r.id, type: r.type, source: r.source, target: r.target })),
        };
      })
      .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    if (sets.length < 2) continue;
    for (const set of sets) annotators.add(set.userId);
    passages.push({ id: document.id, externalId: document.id, length: document.text.length, sets });
  }
  const labelList = [...labels].sort();
  return buildReport({
    passages,
    scheme: { spanLabels: labelList.map((key) => ({ key, name: key, color: '#888888' })), categories: [...categories].sort().map((key) => ({ key })) },
    labels: labelList,
    annotators: [...annotators].sort().map((id) => ({ id, username: id, displayName: id })),
    progress: [],
  });
}
