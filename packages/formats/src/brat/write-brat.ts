import { OffsetIndex, checkSpanOffsets } from '@warrant/domain';
import { FormatError, type DatasetDocument, type FormatLoss, type FormatProblem } from '../dataset/document.ts';
import { toBratType } from './brat-type.ts';
import { toTextField } from './text-field.ts';

export interface BratWriteResult {
  /** The document text, unchanged: brat offsets count it as it is. */
  txt: string;
  /** T lines, then R lines, then `#` AnnotatorNotes lines; LF line ends, a final LF; '' when empty. */
  ann: string;
  losses: FormatLoss[];
}

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * Writes the annotation set of one `source` of a document as brat standoff. Spans become T1..
 * in text order (start, then end, then their order in the set), with code-point offsets and the
 * span's text; relations between spans become R1.. in set order; span notes become `#`
 * AnnotatorNotes lines. What brat cannot carry is reported per item in `losses`: a relation
 * aimed at a relation (an undercut) is not written, the category, language and meta are not
 * written, a label or type with whitespace is written with `_`, a note's line breaks become
 * spaces. An inconsistent document (bad offsets, a relation from or to nothing) throws a
 * FormatError naming `<id>.ann` and the item; a source with no annotation set throws RangeError.
 */
export function writeBrat(document: DatasetDocument, source: string): BratWriteResult {
  const annotation = document.annotations.find((candidate) => candidate.source === source);
  if (!annotation) {
    const sources = document.annotations.map((candidate) => `'${candidate.source}'`).join(', ') || 'none';
    throw new RangeError(`document ${document.id} has no annotations from source '${source}' (sources: ${sources})`);
  }
  const file = `${document.id}.ann`;
  const text = document.text;
  const problems: FormatProblem[] = [];
  const losses: FormatLoss[] = [];
  const loss = (item: string, reason: string): void => {
    losses.push({ document: document.id, source, item, reason });
  };

  if (annotation.category !== null) {
    loss('category', `brat has no document-level annotation; category '${annotation.category}' is not written`);
  }
  if (document.language !== null) loss('language', `brat has no document language; '${document.language}' is not written`);
  if (document.meta !== null && Object.keys(document.meta).length > 0) {
    loss('meta', `brat has no document metadata; ${Object.keys(document.meta).join(', ')} not written`);
  }

  const spanIds = new Set<string>();
  for (const span of annotation.spans) {
    if (spanIds.has(span.id)) problems.push({ file, element: span.id, message: `span id ${span.id} is used twice` });
    spanIds.add(span.id);
    const offsets = checkSpanOffsets(text, span.start, span.end);
    if (offsets) problems.push({ file, element: span.id, message: offsets.message });
    if (span.label.trim() === '') problems.push({ file, element: span.id, message: 'the label is empty' });
  }
  const relationIds = new Set<string>();
  for (const relation of annotation.relations) {
    if (relationIds.has(relation.id) || spanIds.has(relation.id)) {
      problems.push({ file, element: relation.id, message: `id ${relation.id} is used twice` });
    }
    relationIds.add(relation.id);
    if (relation.type.trim() === '') problems.push({ file, element: relation.id, message: 'the relation type is empty' });
  }
  for (const relation of annotation.relations) {
    if (!spanIds.has(relation.source)) {
      problems.push({ file, element: relation.id, message: `source ${relation.source} is not a span of this annotation set` });
    }
    if (!spanIds.has(relation.target) && !relationIds.has(relation.target)) {
      problems.push({ file, element: relation.id, message: `target ${relation.target} is neither a span nor a relation of this annotation set` });
    }
  }
  if (problems.length > 0) throw new FormatError(problems);

  const index = new OffsetIndex(text);
  const ordered = annotation.spans
    .map((span, position) => ({ span, position }))
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.position - b.position);
  const bratIds = new Map<string, string>();
  const lines: string[] = [];
  const notes: string[] = [];
  ordered.forEach(({ span }, position) => {
    const bratId = `T${position + 1}`;
    bratIds.set(span.id, bratId);
    const label = toBratType(span.label);
    if (label !== span.label) loss(span.id, `label '${span.label}' written as '${label}': brat types cannot contain whitespace`);
    const exported = index.exportSpan(span.start, span.end);
    lines.push(`${bratId}\t${label} ${exported.start} ${exported.end}\t${toTextField(exported.text)}`);
    if (span.note !== null) {
      const note = span.note.replace(LINE_BREAK, ' ');
      if (note !== span.note) loss(span.id, `the note's line breaks are written as spaces: a .ann line cannot hold them`);
      notes.push(`#${notes.length + 1}\tAnnotatorNotes ${bratId}\t${note}`);
    }
  });

  let written = 0;
  for (const relation of annotation.relations) {
    const source = bratIds.get(relation.source);
    const target = bratIds.get(relation.target);
    if (source === undefined || target === undefined) {
      loss(
        relation.id,
        `${relation.type} relation from span ${relation.source} to relation ${relation.target} is not written: ` +
          'a brat relation links two text-bound annotations, never a relation',
      );
      continue;
    }
    const type = toBratType(relation.type);
    if (type !== relation.type) loss(relation.id, `type '${relation.type}' written as '${type}': brat types cannot contain whitespace`);
    written += 1;
    lines.push(`R${written}\t${type} Arg1:${source} Arg2:${target}\t`);
  }

  lines.push(...notes);
  return { txt: text, ann: lines.map((line) => `${line}\n`).join(''), losses };
}
