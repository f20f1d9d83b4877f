import { OffsetIndex } from '@warrant/domain';
import type { DatasetDocument, FormatLoss } from '../dataset/document.ts';

/**
 * Spans as CSV for spreadsheets (docs/semantic-dataset.md, "CSV"): one row per span, RFC 4180,
 * CRLF line ends, with cells that a spreadsheet would run as a formula neutralised.
 */

export const CSV_COLUMNS = ['document', 'annotator', 'span', 'label', 'start', 'end', 'text', 'note', 'category'] as const;

export interface CsvResult {
  text: string;
  losses: FormatLoss[];
}

// `'` itself is included so that the rule can be undone: drop one leading `'` from any cell that has one.
const FORMULA_START = /^[=+\-@\t\r']/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell: a leading `'` when it begins with `=`, `+`, `-`, `@`, tab, CR (which Excel, LibreOffice
 * and Google Sheets may run as a formula: CSV injection) or `'`; then quoted, with `"` doubled, when
 * it holds a comma, a quote, CR or LF.
 */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * Rows for every span of every annotation (or only those by `source`), documents and annotations in
 * order, spans by offsets. `start`/`end` are code points (Python's `text[start:end]`); null note and
 * category are empty cells. Relations cannot be carried: one loss per relation; so is the category of
 * an annotation without spans (it has no row). Throws RangeError on a span invalid for its text.
 */
export function writeCsv(documents: Iterable<DatasetDocument>, source?: string): CsvResult {
  const rows: string[] = [CSV_COLUMNS.map(csvCell).join(',')];
  const losses: FormatLoss[] = [];
  for (const document of documents) {
    const annotations = document.annotations.filter((a) => source === undefined || a.source === source);
    if (annotations.length === 0) continue;
    const index = new OffsetIndex(document.text);
    for (const annotation of annotations) {
      const lose = (item: string, reason: string) => losses.push({ document: document.id, source: annotation.source, item, reason });
      const spans = [...annotation.spans].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
      for (const span of spans) {
        const offsets = index.exportSpan(span.start, span.end);
        const cells = [document.id, annotation.source, span.id, span.label, String(offsets.start), String(offsets.end), offsets.text, span.note ?? '', annotation.category ?? ''];
        rows.push(cells.map(csvCell).join(','));
      }
      if (spans.length === 0 && annotation.category !== null) lose('category', `the annotation has no span, so its category '${annotation.category}' has no row`);
      for (const relation of annotation.relations) lose(relation.id, `relations are not carried by CSV (${relation.type} ${relation.source} -> ${relation.target})`);
    }
  }
  return { text: `${rows.join('\r\n')}\r\n`, losses };
}
