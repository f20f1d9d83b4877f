import { OffsetIndex, checkSpanOffsets } from '@warrant/domain';
import {
  FormatError,
  type DatasetAnnotation,
  type DatasetDocument,
  type DatasetRelation,
  type DatasetSpan,
  type FormatLoss,
  type FormatProblem,
} from '../dataset/document.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../passages/json-depth.ts';
import { textSha256 } from './sha256.ts';

/** The `format` values this reader knows (docs/semantic-dataset.md, "Versions"). */
export const SEMANTIC_JSONL_FORMATS = ['warrant-semantic/0.1', 'warrant-semantic/0.2'] as const;

export interface SemanticParseResult {
  documents: DatasetDocument[];
  /** What the dataset document cannot hold: skip reasons, gold provenance (docs/semantic-dataset.md). */
  losses: FormatLoss[];
}

const RECORD_FIELDS = [
  'format',
  'id',
  'text',
  'text_sha256',
  'language',
  'meta',
  'annotator',
  'status',
  'category',
  'skip_reason',
  'category_sources',
  'spans',
  'relations',
  'chains',
  'provenance',
];
const SPAN_FIELDS = ['id', 'label', 'start', 'end', 'start_utf16', 'end_utf16', 'text', 'note', 'sources', 'edited'];
const RELATION_FIELDS = ['id', 'type', 'source', 'target', 'sources', 'edited'];
const CHAIN_FIELDS = ['conclusion', 'depth', 'spans', 'relations'];
const ANNOTATOR_STATUSES = ['draft', 'submitted', 'skipped'];
const GOLD_STATUSES = ['in_progress', 'done'];
const SHA256 = /^[0-9a-f]{64}$/;
// With the u flag a surrogate pair is one code point, so this matches unpaired surrogates only.
const LONE_SURROGATE = /\p{Cs}/u;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A value in a message: JSON, cut short (a wrong-typed field may hold a whole document). */
const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 100)}… (${text.length} characters)` : text;
};
const TOO_DEEP = `the record nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`;

/** Key-order-insensitive equality of JSON values (meta objects of two records of one passage). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
}

/** The string ids of a list's items (a plain loop: it runs three times per record of a large import). */
function idsOf(items: unknown): Set<string> {
  const ids = new Set<string>();
  if (!Array.isArray(items)) return ids;
  for (const item of items as unknown[]) if (isObject(item) && typeof item.id === 'string') ids.add(item.id);
  return ids;
}

interface Pending {
  document: DatasetDocument;
  line: number;
  sources: Set<string>;
}

/** Checks one record; pushes its problems and returns the annotation, or null when anything is wrong. */
class RecordReader {
  readonly problems: FormatProblem[] = [];
  readonly losses: FormatLoss[] = [];

  constructor(
    private readonly file: string,
    private readonly line: number,
  ) {}

  problem(element: string | undefined, message: string): void {
    this.problems.push(element === undefined ? { file: this.file, line: this.line, message } : { file: this.file, line: this.line, element, message });
  }

  unknownFields(object: Json, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) this.problem(`${path}${key}`, `unknown field '${key}' (allowed: ${allowed.join(', ')})`);
    }
  }

  string(object: Json, key: string, path: string, opts: { required: boolean; nullable?: boolean; nonEmpty?: boolean }): string | null | undefined {
    const value = object[key];
    const where = `${path}${key}`;
    if (value === undefined) {
      if (opts.required) this.problem(where, `'${key}' is missing`);
      return undefined;
    }
    if (value === null && opts.nullable) return null;
    if (typeof value !== 'string') {
      this.problem(where, `'${key}' must be a string${opts.nullable ? ' or null' : ''}, not ${show(value)}`);
      return undefined;
    }
    if (opts.nonEmpty && value === '') {
      this.problem(where, `'${key}' must not be empty`);
      return undefined;
    }
    if (LONE_SURROGATE.test(value)) {
      this.problem(where, `'${key}' contains an unpaired surrogate, which is not text`);
      return undefined;
    }
    return value;
  }

  integer(object: Json, key: string, path: string): number | undefined {
    const value = object[key];
    if (value === undefined) {
      this.problem(`${path}${key}`, `'${key}' is missing`);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      this.problem(`${path}${key}`, `'${key}' must be a non-negative integer, not ${show(value)}`);
      return undefined;
    }
    return value;
  }

  strings(object: Json, key: string, path: string): string[] | undefined {
    const value = object[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      this.problem(`${path}${key}`, `'${key}' must be an array of strings, not ${show(value)}`);
      return undefined;
    }
    return value as string[];
  }

  /** gold-only `sources` / `edited` of a span or relation; returns true when they carry provenance. */
  itemProvenance(item: Json, path: string, gold: boolean): boolean {
    if (!gold) {
      for (const key of ['sources', 'edited']) if (key in item) this.problem(`${path}${key}`, `'${key}' belongs to gold records only`);
      return false;
    }
    const sources = this.strings(item, 'sources', path);
    const edited = item.edited;
    if (edited !== undefined && typeof edited !== 'boolean') this.problem(`${path}edited`, `'edited' must be true or false, not ${show(edited)}`);
    return (sources?.length ?? 0) > 0 || edited === true;
  }

  read(record: unknown, index: (text: string) => OffsetIndex): { head: Omit<DatasetDocument, 'annotations'>; annotation: DatasetAnnotation } | null {
    if (!isObject(record)) {
      this.problem(undefined, `a record must be a JSON object, not ${Array.isArray(record) ? 'an array' : show(record)}`);
      return null;
    }
    this.unknownFields(record, RECORD_FIELDS, '');
    const format = this.string(record, 'format', '', { required: true });
    if (typeof format === 'string' && !(SEMANTIC_JSONL_FORMATS as readonly string[]).includes(format)) {
      this.problem('format', `unknown format '${format}' (known: ${SEMANTIC_JSONL_FORMATS.join(', ')})`);
    }
    const id = this.string(record, 'id', '', { required: true, nonEmpty: true });
    const text = this.string(record, 'text', '', { required: true });
    const sha = this.string(record, 'text_sha256', '', { required: true });
    if (typeof sha === 'string' && !SHA256.test(sha)) this.problem('text_sha256', `'text_sha256' must be 64 lower-case hex digits, not ${show(sha)}`);
    else if (typeof sha === 'string' && typeof text === 'string' && textSha256(text) !== sha) {
      this.problem('text_sha256', `'text_sha256' does not match the text (its SHA-256 is ${textSha256(text)}): the offsets may refer to another text`);
    }
    const language = this.string(record, 'language', '', { required: false, nullable: true, nonEmpty: true });
    const meta = record.meta;
    if (meta !== undefined && meta !== null && !isObject(meta)) this.problem('meta', `'meta' must be an object or null, not ${show(meta)}`);
    const annotator = this.string(record, 'annotator', '', { required: true, nonEmpty: true });
    const gold = annotator === 'gold';
    const status = this.string(record, 'status', '', { required: false, nullable: true });
    const statuses = gold ? GOLD_STATUSES : ANNOTATOR_STATUSES;
    if (typeof status === 'string' && !statuses.includes(status)) {
      this.problem('status', `'status' of ${gold ? 'a gold' : 'an annotator'} record must be one of ${statuses.join(', ')} or null, not ${show(status)}`);
    }
    const category = this.string(record, 'category', '', { required: false, nullable: true, nonEmpty: true });
    const skipReason = gold ? undefined : this.string(record, 'skip_reason', '', { required: false, nullable: true });
    if (gold && 'skip_reason' in record) this.problem('skip_reason', "'skip_reason' belongs to annotator records only");
    const categorySources = gold ? this.strings(record, 'category_sources', '') : undefined;
    if (!gold && 'category_sources' in record) this.problem('category_sources', "'category_sources' belongs to gold records only");
    const provenance = record.provenance;
    if (provenance !== undefined && provenance !== null && !isObject(provenance)) {
      this.problem('provenance', `'provenance' must be an object or null, not ${show(provenance)}`);
    }

    const source = typeof annotator === 'string' ? annotator : undefined;
    const loss = (item: string, reason: string) => {
      if (typeof id === 'string') this.losses.push(source === undefined ? { document: id, item, reason } : { document: id, source, item, reason });
    };
    if (typeof skipReason === 'string') loss('skip_reason', 'the skip reason is not carried by the dataset document');
    if (categorySources && categorySources.length > 0) loss('category_sources', `the category's sources (${categorySources.join(', ')}) are not carried by the dataset document`);

    const spans = this.readSpans(record.spans, typeof text === 'string' ? index(text) : null, gold, loss);
    // Ids of every span that has one, valid or not, so one bad span is not also a dangling end of each relation.
    const spanIds = idsOf(record.spans);
    const relations = this.readRelations(record.relations, spanIds, gold, loss);
    this.readChains(record.chains, spanIds, idsOf(record.relations));

    if (this.problems.length > 0 || typeof id !== 'string' || typeof text !== 'string' || typeof annotator !== 'string' || !spans || !relations) {
      return null;
    }
    return {
      head: { id, text, language: language ?? null, meta: isObject(meta) ? meta : null },
      annotation: { source: annotator, category: category ?? null, spans, relations, ...(typeof status === 'string' ? { status } : {}) },
    };
  }

  readSpans(value: unknown, index: OffsetIndex | null, gold: boolean, loss: (item: string, reason: string) => void): DatasetSpan[] | null {
    if (!Array.isArray(value)) {
      this.problem('spans', value === undefined ? "'spans' is missing" : `'spans' must be an array, not ${show(value)}`);
      return null;
    }
    const spans: DatasetSpan[] = [];
    const seen = new Set<string>();
    let ok = true;
    value.forEach((item: unknown, i) => {
      const path = `spans[${i}].`;
      if (!isObject(item)) {
        this.problem(`spans[${i}]`, `a span must be an object, not ${show(item)}`);
        ok = false;
        return;
      }
      const before = this.problems.length;
      this.unknownFields(item, SPAN_FIELDS, path);
      const id = this.string(item, 'id', path, { required: true, nonEmpty: true });
      if (typeof id === 'string') {
        if (seen.has(id)) this.problem(`${path}id`, `span id '${id}' is used twice in this record`);
        seen.add(id);
      }
      const label = this.string(item, 'label', path, { required: true, nonEmpty: true });
      const start = this.integer(item, 'start', path);
      const end = this.integer(item, 'end', path);
      const startUtf16 = this.integer(item, 'start_utf16', path);
      const endUtf16 = this.integer(item, 'end_utf16', path);
      const text = this.string(item, 'text', path, { required: true });
      const note = this.string(item, 'note', path, { required: false, nullable: true });
      const hasProvenance = this.itemProvenance(item, path, gold);
      if (index && startUtf16 !== undefined && endUtf16 !== undefined) {
        const problem = checkSpanOffsets(index.text, startUtf16, endUtf16);
        if (problem) {
          this.problem(`${path}${problem.field}_utf16`, problem.message);
        } else {
          const cpStart = index.toCodePoint(startUtf16);
          const cpEnd = index.toCodePoint(endUtf16);
          if (start !== undefined && start !== cpStart) {
            this.problem(`${path}start`, `start ${start} (code points) does not match start_utf16 ${startUtf16}, which is code point ${cpStart}`);
          }
          if (end !== undefined && end !== cpEnd) {
            this.problem(`${path}end`, `end ${end} (code points) does not match end_utf16 ${endUtf16}, which is code point ${cpEnd}`);
          }
          const slice = index.text.slice(startUtf16, endUtf16);
          if (typeof text === 'string' && text !== slice) {
            this.problem(`${path}text`, `'text' ${show(text)} is not the text at [${startUtf16}, ${endUtf16}) UTF-16, which is ${show(slice)}`);
          }
        }
      }
      if (this.problems.length > before || typeof id !== 'string' || typeof label !== 'string' || startUtf16 === undefined || endUtf16 === undefined) {
        ok = false;
        return;
      }
      if (hasProvenance) loss(id, 'the gold provenance of the span (sources, edited) is not carried by the dataset document');
      spans.push({ id, label, start: startUtf16, end: endUtf16, note: note ?? null });
    });
    return ok ? spans : null;
  }

  readRelations(value: unknown, spanIds: Set<string>, gold: boolean, loss: (item: string, reason: string) => void): DatasetRelation[] | null {
    if (!Array.isArray(value)) {
      this.problem('relations', value === undefined ? "'relations' is missing" : `'relations' must be an array, not ${show(value)}`);
      return null;
    }
    const relationIds = idsOf(value);
    const relations: DatasetRelation[] = [];
    const seen = new Set<string>();
    let ok = true;
    value.forEach((item: unknown, i) => {
      const path = `relations[${i}].`;
      if (!isObject(item)) {
        this.problem(`relations[${i}]`, `a relation must be an object, not ${show(item)}`);
        ok = false;
        return;
      }
      const before = this.problems.length;
      this.unknownFields(item, RELATION_FIELDS, path);
      const id = this.string(item, 'id', path, { required: true, nonEmpty: true });
      if (typeof id === 'string') {
        if (seen.has(id)) this.problem(`${path}id`, `relation id '${id}' is used twice in this record`);
        else if (spanIds.has(id)) this.problem(`${path}id`, `relation id '${id}' is also a span id: a target would be ambiguous`);
        seen.add(id);
      }
      const type = this.string(item, 'type', path, { required: true, nonEmpty: true });
      const source = this.string(item, 'source', path, { required: true, nonEmpty: true });
      const target = this.string(item, 'target', path, { required: true, nonEmpty: true });
      if (typeof source === 'string' && !spanIds.has(source)) this.problem(`${path}source`, `source '${source}' is not a span of this record`);
      if (typeof target === 'string') {
        if (target === id) this.problem(`${path}target`, `relation '${target}' targets itself`);
        else if (!spanIds.has(target) && !relationIds.has(target)) this.problem(`${path}target`, `target '${target}' is neither a span nor a relation of this record`);
      }
      const hasProvenance = this.itemProvenance(item, path, gold);
      if (this.problems.length > before || typeof id !== 'string' || typeof type !== 'string' || typeof source !== 'string' || typeof target !== 'string') {
        ok = false;
        return;
      }
      if (hasProvenance) loss(id, 'the gold provenance of the relation (sources, edited) is not carried by the dataset document');
      relations.push({ id, type, source, target });
    });
    return ok ? relations : null;
  }

  /** Chains are derived data: checked for shape and references, then dropped (every export recomputes them). */
  readChains(value: unknown, spanIds: Set<string>, relationIds: Set<string>): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      this.problem('chains', `'chains' must be an array, not ${show(value)}`);
      return;
    }
    value.forEach((chain: unknown, i) => {
      const path = `chains[${i}].`;
      if (!isObject(chain)) {
        this.problem(`chains[${i}]`, `a chain must be an object, not ${show(chain)}`);
        return;
      }
      this.unknownFields(chain, CHAIN_FIELDS, path);
      const conclusion = this.string(chain, 'conclusion', path, { required: true });
      if (typeof conclusion === 'string' && !spanIds.has(conclusion)) this.problem(`${path}conclusion`, `conclusion '${conclusion}' is not a span of this record`);
      this.integer(chain, 'depth', path);
      for (const [key, ids, kind] of [
        ['spans', spanIds, 'span'],
        ['relations', relationIds, 'relation'],
      ] as const) {
        const list = chain[key] === undefined ? (this.problem(`${path}${key}`, `'${key}' is missing`), undefined) : this.strings(chain, key, path);
        for (const ref of list ?? []) if (!ids.has(ref)) this.problem(`${path}${key}`, `'${ref}' is not a ${kind} of this record`);
      }
    });
  }
}

/**
 * Reads semantic dataset JSONL (docs/semantic-dataset.md) into dataset documents: records are
 * grouped by `id` (documents in order of first appearance), one annotation per record, in file
 * order. Every record is checked (format version, text SHA-256, both kinds of offsets against the
 * text, ids and references); on any problem it throws one FormatError with all of them, each with
 * the line and the field (`element`, e.g. `spans[2].start`), and nothing is returned.
 */
export function parseSemanticJsonl(input: { file: string; text: string }): SemanticParseResult {
  const { file } = input;
  const text = input.text.startsWith('\uFEFF') ? input.text.slice(1) : input.text;
  const problems: FormatProblem[] = [];
  const losses: FormatLoss[] = [];
  const byId = new Map<string, Pending>();
  let lastIndex: OffsetIndex | null = null;
  // Records of one passage are usually adjacent: keep the last passage's index.
  const index = (t: string) => (lastIndex?.text === t ? lastIndex : (lastIndex = new OffsetIndex(t)));

  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (/^[ \t\r]*$/.test(raw)) return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({ file, line, message: `invalid JSON: ${(error as Error).message}` });
      return;
    }
    if (nestedDeeperThan(value)) {
      problems.push({ file, line, message: TOO_DEEP });
      return;
    }
    const reader = new RecordReader(file, line);
    const read = reader.read(value, index);
    problems.push(...reader.problems);
    if (!read) return;
    const pending = byId.get(read.head.id);
    if (!pending) {
      byId.set(read.head.id, { document: { ...read.head, annotations: [read.annotation] }, line, sources: new Set([read.annotation.source]) });
    } else {
      const first = pending.document;
      const where = `the record of '${first.id}' on line ${pending.line}`;
      if (first.text !== read.head.text) problems.push({ file, line, element: 'text', message: `'text' differs from ${where}` });
      if (first.language !== read.head.language) problems.push({ file, line, element: 'language', message: `'language' differs from ${where}` });
      if (!sameJson(first.meta, read.head.meta)) problems.push({ file, line, element: 'meta', message: `'meta' differs from ${where}` });
      if (pending.sources.has(read.annotation.source)) {
        problems.push({ file, line, element: 'annotator', message: `'${first.id}' already has a record by '${read.annotation.source}'` });
      }
      pending.sources.add(read.annotation.source);
      first.annotations.push(read.annotation);
    }
    losses.push(...reader.losses);
  });
  if (problems.length > 0) throw new FormatError(problems);
  return { documents: [...byId.values()].map((p) => p.document), losses };
}

const LF = 0x0a;

/**
 * The same reading as parseSemanticJsonl, one document at a time, for files too large to hold as
 * documents all at once (an import of 100,000 passages): lines are decoded and checked as they
 * come, and a passage's records must be adjacent (as Warrant writes them). Problems and losses
 * are pushed to the given arrays as they are found and reading goes on, so a caller can report
 * every problem; documents with a problem are not yielded. `onLine`, when given, is told each line
 * read (a long run of refused lines yields nothing, and a watcher can still see the reading go on).
 */
export function* streamSemanticJsonl(
  input: { file: string; bytes: Uint8Array },
  problems: FormatProblem[],
  losses: FormatLoss[],
  onLine?: (line: number) => void,
): Generator<DatasetDocument> {
  const { file, bytes } = input;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const seen = new Map<string, number>();
  let lastIndex: OffsetIndex | null = null;
  const index = (t: string) => (lastIndex?.text === t ? lastIndex : (lastIndex = new OffsetIndex(t)));
  let pending: (Pending & { failed: boolean }) | null = null;
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let line = 1; start < bytes.length; line += 1) {
    let end = bytes.indexOf(LF, start);
    if (end === -1) end = bytes.length;
    const lineStart = start;
    start = end + 1;
    onLine?.(line);
    let raw: string;
    try {
      raw = decoder.decode(bytes.subarray(lineStart, end));
    } catch {
      problems.push({ file, line, message: 'not valid UTF-8' });
      continue;
    }
    if (/^[ \t\r]*$/.test(raw)) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({ file, line, message: `invalid JSON: ${(error as Error).message}` });
      continue;
    }
    if (nestedDeeperThan(value)) {
      problems.push({ file, line, message: TOO_DEEP });
      continue;
    }
    const reader = new RecordReader(file, line);
    const read = reader.read(value, index);
    problems.push(...reader.problems);
    losses.push(...reader.losses);
    if (!read) {
      if (pending && value !== null && typeof value === 'object' && (value as { id?: unknown }).id === pending.document.id) pending.failed = true;
      continue;
    }
    if (pending && pending.document.id === read.head.id) {
      const first = pending.document;
      const where = `the record of '${first.id}' on line ${pending.line}`;
      const before = problems.length;
      if (first.text !== read.head.text) problems.push({ file, line, element: 'text', message: `'text' differs from ${where}` });
      if (first.language !== read.head.language) problems.push({ file, line, element: 'language', message: `'language' differs from ${where}` });
      if (!sameJson(first.meta, read.head.meta)) problems.push({ file, line, element: 'meta', message: `'meta' differs from ${where}` });
      if (pending.sources.has(read.annotation.source)) problems.push({ file, line, element: 'annotator', message: `'${first.id}' already has a record by '${read.annotation.source}'` });
      if (problems.length > before) pending.failed = true;
      pending.sources.add(read.annotation.source);
      first.annotations.push(read.annotation);
      continue;
    }
    if (pending && !pending.failed) yield pending.document;
    const earlier = seen.get(read.head.id);
    if (earlier !== undefined) {
      problems.push({ file, line, element: 'id', message: `'${read.head.id}' has records on line ${earlier} and here: a passage's records must be adjacent` });
    }
    seen.set(read.head.id, line);
    pending = { document: { ...read.head, annotations: [read.annotation] }, line, sources: new Set([read.annotation.source]), failed: earlier !== undefined };
  }
  if (pending && !pending.failed) yield pending.document;
}
