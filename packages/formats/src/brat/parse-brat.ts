import { OffsetIndex } from '@warrant/domain';
import {
  FormatError,
  type DatasetDocument,
  type DatasetRelation,
  type DatasetSpan,
  type FormatLoss,
  type FormatProblem,
} from '../dataset/document.ts';
import { parseAnnLine, type AnnLine } from './ann-line.ts';
import { joinFragments, toTextField } from './text-field.ts';

export interface BratInput {
  /** The document's path or file name (`news/doc-1.ann`, `doc-1.txt` or `doc-1`): names the document and the problems. */
  file: string;
  /** The .txt, decoded, exactly as stored: brat counts offsets on it as it is (a CRLF is two code points). */
  txt: string;
  ann: string;
  /** The annotation source the annotations belong to; default `brat`. */
  source?: string;
}

export interface BratParseResult {
  document: DatasetDocument;
  losses: FormatLoss[];
}

/** `news/doc-1.ann` -> `doc-1`. */
export function bratDocumentId(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Problems are about the .ann lines, so they name the .ann file beside the given path. */
function annFileOf(file: string): string {
  const id = bratDocumentId(file);
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  return `${file.slice(0, file.length - name.length)}${id}.ann`;
}

type Defined = Exclude<AnnLine, { kind: 'equivalence' } | { kind: 'comment' }>;

const article = (kind: string): string => (/^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`);

const describeOffsets = (fragments: readonly (readonly [number, number])[]): string =>
  fragments.map(([start, end]) => `${start} ${end}`).join(';');

/**
 * Reads one brat document (.txt + .ann) into a DatasetDocument with one annotation set (`source`).
 * All-or-nothing: every malformed line, bad offset, text mismatch and dangling reference is
 * collected, then thrown as one FormatError; otherwise what the model cannot hold (events,
 * attributes, normalizations, equivalences, notes on anything but a span, discontinuous
 * fragments) is listed in `losses`, one per item. See the README's "brat standoff" section.
 */
export function parseBrat(input: BratInput): BratParseResult {
  const id = bratDocumentId(input.file);
  const annFile = annFileOf(input.file);
  const source = input.source ?? 'brat';
  const text = input.txt;
  const problems: FormatProblem[] = [];
  const losses: FormatLoss[] = [];
  const problem = (line: number, message: string): void => {
    problems.push({ file: annFile, line, message });
  };
  const loss = (item: string, reason: string): void => {
    losses.push({ document: id, source, item, reason });
  };

  const lines: AnnLine[] = [];
  input.ann.split('\n').forEach((physical, index) => {
    const raw = physical.endsWith('\r') ? physical.slice(0, -1) : physical;
    if (raw.trim() === '') return;
    const parsed = parseAnnLine(raw, index + 1);
    if (parsed.kind === 'problem') problem(parsed.line, parsed.message);
    else lines.push(parsed);
  });

  const byId = new Map<string, Defined>();
  for (const line of lines) {
    if (line.kind === 'equivalence' || line.kind === 'comment') continue;
    const earlier = byId.get(line.id);
    if (earlier) problem(line.line, `${line.id} is already defined on line ${earlier.line}`);
    else byId.set(line.id, line);
  }

  /** Checks that `ref` names an annotation of one of `kinds`; returns it, or null after a problem. */
  const resolve = (line: AnnLine & { id?: string }, what: string, ref: string, kinds: Defined['kind'][]) => {
    const target = byId.get(ref);
    const who = line.id ?? '*';
    if (!target) {
      problem(line.line, `${who}: ${what} ${ref} is not defined in this file`);
      return null;
    }
    if (!kinds.includes(target.kind)) {
      problem(line.line, `${who}: ${what} ${ref} is ${article(target.kind)} annotation; expected ${kinds.join(' or ')}`);
      return null;
    }
    return target;
  };

  const index = new OffsetIndex(text);
  const spans: DatasetSpan[] = [];
  const spanById = new Map<string, DatasetSpan>();
  for (const line of lines) {
    if (line.kind !== 'text-bound') continue;
    const outside = line.fragments.find(([, end]) => end > index.codePointLength);
    if (outside) {
      problem(
        line.line,
        `${line.id}: offsets ${outside[0]} ${outside[1]} are past the end of the text (${index.codePointLength} code points)`,
      );
      continue;
    }
    const utf16 = line.fragments.map(([start, end]) => [index.toUtf16(start), index.toUtf16(end)] as const);
    const atOffsets = joinFragments(text, utf16);
    if (toTextField(atOffsets) !== line.text) {
      problem(
        line.line,
        `${line.id}: the text ${JSON.stringify(line.text)} differs from the text at ${describeOffsets(line.fragments)}: ${JSON.stringify(atOffsets)}`,
      );
      continue;
    }
    const start = Math.min(...utf16.map(([from]) => from));
    const end = Math.max(...utf16.map(([, to]) => to));
    if (line.fragments.length > 1) {
      loss(
        line.id,
        `discontinuous span (${describeOffsets(line.fragments)}) imported as its covering extent ` +
          `${index.toCodePoint(start)} ${index.toCodePoint(end)}: the text between its fragments is now inside the span`,
      );
    }
    const span: DatasetSpan = { id: line.id, label: line.label, start, end, note: null };
    spans.push(span);
    spanById.set(span.id, span);
  }

  const relations: DatasetRelation[] = [];
  for (const line of lines) {
    switch (line.kind) {
      case 'relation': {
        const [from, to] = line.args;
        const source = resolve(line, from.role, from.ref, ['text-bound', 'event']);
        const target = resolve(line, to.role, to.ref, ['text-bound', 'event']);
        if (!source || !target) break;
        if (source.kind === 'event' || target.kind === 'event') {
          loss(line.id, `relation ${line.type} links an event (${from.role}:${from.ref} ${to.role}:${to.ref}); events are not imported`);
          break;
        }
        if (from.role !== 'Arg1' || to.role !== 'Arg2') {
          loss(line.id, `argument roles ${from.role}/${to.role} read as source/target; they are written back as Arg1/Arg2`);
        }
        relations.push({ id: line.id, type: line.type, source: from.ref, target: to.ref });
        break;
      }
      case 'event': {
        const trigger = resolve(line, 'trigger', line.trigger, ['text-bound']);
        const args = line.args.map((arg) => resolve(line, arg.role, arg.ref, ['text-bound', 'event']));
        if (!trigger || args.includes(null)) break;
        const described = line.args.map((arg) => `${arg.role}:${arg.ref}`).join(' ');
        loss(line.id, `event ${line.type} (trigger ${line.trigger}${described ? `, ${described}` : ''}) has no place in the model; its trigger ${line.trigger} is kept as a span`);
        break;
      }
      case 'attribute': {
        if (!resolve(line, 'target', line.target, ['text-bound', 'relation', 'event'])) break;
        const value = line.value === null ? '' : ` = ${line.value}`;
        loss(line.id, `attribute ${line.name}${value} on ${line.target} has no place in the model`);
        break;
      }
      case 'normalization': {
        if (!resolve(line, 'target', line.target, ['text-bound', 'relation', 'event'])) break;
        loss(line.id, `normalization ${line.type} of ${line.target} to ${line.reference} has no place in the model`);
        break;
      }
      case 'equivalence': {
        const members = line.members.map((member) => resolve(line, 'member', member, ['text-bound', 'event']));
        if (members.includes(null)) break;
        loss(`line ${line.line}`, `equivalence ${line.type} of ${line.members.join(' ')} has no place in the model`);
        break;
      }
      case 'note': {
        const target = byId.get(line.target);
        if (!target) {
          problem(line.line, `${line.id}: note target ${line.target} is not defined in this file`);
          break;
        }
        const span = spanById.get(line.target);
        if (line.type !== 'AnnotatorNotes' || !span) {
          loss(line.id, `${line.type} on ${line.target} (${article(target.kind)} annotation) has no place in the model: ${JSON.stringify(line.text)}`);
        } else if (span.note !== null) {
          loss(line.id, `a second note on ${line.target}; only the first is kept: ${JSON.stringify(line.text)}`);
        } else {
          span.note = line.text;
        }
        break;
      }
      case 'comment':
        loss(`line ${line.line}`, `comment line has no place in the model: ${JSON.stringify(line.text)}`);
        break;
      case 'text-bound':
        break;
    }
  }

  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new FormatError(problems);
  }

  return {
    document: {
      id,
      text,
      language: null,
      meta: null,
      annotations: [{ source, category: null, spans, relations }],
    },
    losses,
  };
}
