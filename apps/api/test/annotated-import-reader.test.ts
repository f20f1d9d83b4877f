import { writeSemanticJsonl, type DatasetDocument, type DatasetRelation, type DatasetSpan } from '@warrant/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../test-support/prng.ts';
import { AppError } from '../src/lib/errors.ts';
import { unusablePasswordHash, type AnnotatedFilesInput, type ImportOptions } from '../src/plugins/app/annotated-imports.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { createProjectWithTeam, type ProjectFixture } from './helpers/project.ts';

/**
 * Issue 5, the import figure: a large semantic JSONL file is read and checked on a reader thread
 * while the import's thread writes. Whichever thread reads, the answer must be the same: the same
 * rows, byte for byte, the same problems, the same errors, and nothing left behind on failure.
 * Each case runs both ways (`readerThread: 'always'` and `'never'`) and compares.
 */

let t: TestApp;
let f: ProjectFixture;
let hash: string;

// Words with what breaks offsets: Cyrillic, combining marks (e + U+0301), emoji (a surrogate
// pair, a ZWJ family), CRLF line ends, a tab.
const WORDS = ['Налоги', 'финансируют', 'дороги', 'cafe\u0301', 'naïve', '😀', '👩‍👩‍👧‍👦', 'roads', 'help', 'trade', 'so', 'Straße', 'ÆØÅ', '\r\n', '\t', 'ёлка'];
const NOTES = [null, 'plain', 'with "quotes" and a \\ backslash', 'a\r\nCRLF, a tab\tand U+2028\u2028', 'nul \u0000 inside', 'emoji 😀 and e\u0301', 'Заметка: кириллица'];
const LABELS = ['premise', 'inference', 'conclusion'];

/** Passages of whole words with spans on word boundaries, relations between them, an undercut. */
function documents(count: number, seed: number, source = 'annotator-a'): DatasetDocument[] {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, (_, d) => {
    const words = Array.from({ length: 8 + Math.floor(random() * 12) }, () => pick(WORDS));
    let text = '';
    const spans: DatasetSpan[] = [];
    words.forEach((word, w) => {
      if (w > 0) text += ' ';
      const start = text.length;
      text += word;
      if (w % 2 === 0 && word.trim() !== '') spans.push({ id: `T${spans.length + 1}`, label: LABELS[spans.length % 3]!, start, end: text.length, note: pick(NOTES) });
    });
    const relations: DatasetRelation[] = [];
    for (let s = 0; s + 1 < spans.length; s += 3) {
      // premise -> inference (supports), as the default scheme wants them.
      relations.push({ id: `R${relations.length + 1}`, type: random() < 0.8 ? 'supports' : 'attacks', source: spans[s]!.id, target: spans[s + 1]!.id });
    }
    if (relations.length > 0 && spans.length > 3) relations.push({ id: `R${relations.length + 1}`, type: 'undercuts', source: spans[3]!.id, target: relations[0]!.id });
    return {
      id: `doc-${d}`,
      text,
      language: d % 2 ? 'ru' : null,
      meta: d % 3 ? null : { batch: d, 'ключ': 'значение' },
      annotations: [{ source, category: pick(['reasoning', 'knowledge', null]), spans, relations, status: 'submitted' }],
    };
  });
}

const jsonl = (docs: DatasetDocument[]) => new TextEncoder().encode(writeSemanticJsonl(docs).text);

function input(name: string, bytes: Uint8Array, annotator: string, rest: Partial<AnnotatedFilesInput> = {}): AnnotatedFilesInput {
  return { filename: name, format: 'semantic-jsonl', bytes: bytes.byteLength, files: [{ name, bytes }], mode: 'annotator', annotator, ...rest };
}

function run(projectId: string, data: AnnotatedFilesInput, readerThread: ImportOptions['readerThread']) {
  return t.app.annotatedImports.importFiles(projectId, data, f.lead.user.id, hash, { readerThread });
}

/** What an import throws, as plain data (so two can be compared). */
function thrown(action: () => unknown): { statusCode: number; code: string; message: string; details: unknown } {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    return { statusCode: e.statusCode, code: e.code, message: e.message, details: e.details };
  }
  throw new Error('the import did not fail');
}

const rows = (sql: string, ...params: unknown[]) => t.app.sqlite.prepare(sql).all(...params);
const counts = () =>
  rows(
    `SELECT (SELECT count(*) FROM passages) AS passages, (SELECT count(*) FROM annotation_sets) AS sets, (SELECT count(*) FROM spans) AS spans,
            (SELECT count(*) FROM relations) AS relations, (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM imports) AS imports, (SELECT count(*) FROM pre_annotations) AS pre`,
  )[0];

/** A project's imported content in a comparable form: ids it made itself left out, types kept. */
function stored(projectId: string) {
  return {
    passages: rows(
      `SELECT external_id, ordinal, text, text_sha256, length, meta FROM passages WHERE project_id = ? ORDER BY ordinal`,
      projectId,
    ),
    sets: rows(
      `SELECT p.external_id, s.status, s.category, s.version, s.submitted_at IS NOT NULL AS submitted FROM annotation_sets s JOIN passages p ON p.id = s.passage_id WHERE s.project_id = ? ORDER BY p.ordinal`,
      projectId,
    ),
    spans: rows(
      `SELECT p.external_id, x.id, x.label, x.start, x."end", x.note, typeof(x.start) AS ts, typeof(x."end") AS te, typeof(x.note) AS tn, hex(x.note) AS hn
         FROM spans x JOIN annotation_sets s ON s.id = x.set_id JOIN passages p ON p.id = s.passage_id WHERE s.project_id = ? ORDER BY p.ordinal, x.id`,
      projectId,
    ),
    relations: rows(
      `SELECT p.external_id, r.id, r.type, r.source_id, r.target_id, typeof(r.target_id) AS tt
         FROM relations r JOIN annotation_sets s ON s.id = r.set_id JOIN passages p ON p.id = s.passage_id WHERE s.project_id = ? ORDER BY p.ordinal, r.id`,
      projectId,
    ),
  };
}

let projects = 0;
async function newProject(): Promise<string> {
  projects += 1;
  const res = await f.lead.post('/api/projects', { name: `reader ${projects}`, annotatorsPerPassage: 1 });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'rt', 1);
  hash = await unusablePasswordHash();
});
afterAll(async () => t.close());

describe('the reader thread gives the answer the inline reading gives', () => {
  it('stores the same passages, sets, spans and relations, byte for byte (1,200 passages, several batches)', async () => {
    const docs = documents(1200, 7);
    const bytes = jsonl(docs);
    const [threaded, inline] = [await newProject(), await newProject()];
    const a = run(threaded, input('big.jsonl', bytes, 'reader-a'), 'always');
    const b = run(inline, input('big.jsonl', bytes, 'reader-b'), 'never');
    const strip = (s: typeof a.summary) => ({ ...s, id: '', createdAt: '', source: '' });
    expect(strip(a.summary)).toEqual(strip(b.summary));
    expect(a.summary).toMatchObject({ passages: 1200, annotations: 1200, lossCount: 0 });
    const x = stored(threaded);
    expect(x).toEqual(stored(inline));
    // And what was stored is what the documents said (offsets in UTF-16 code units, inside Warrant).
    expect(x.passages.map((p) => (p as { text: string }).text)).toEqual(docs.map((d) => d.text));
    const spans = docs.flatMap((d) => d.annotations[0]!.spans.map((s) => ({ doc: d.id, id: s.id, label: s.label, start: s.start, end: s.end, note: s.note })));
    const got = x.spans as { external_id: string; id: string; label: string; start: number; end: number; note: string | null; ts: string; tn: string }[];
    const key = (s: { doc: string; id: string }) => `${s.doc}/${s.id}`;
    expect(got.map((s) => ({ doc: s.external_id, id: s.id, label: s.label, start: s.start, end: s.end, note: s.note })).sort((p, q) => key(p).localeCompare(key(q)))).toEqual(
      spans.sort((p, q) => key(p).localeCompare(key(q))),
    );
    expect(new Set(got.map((s) => s.ts))).toEqual(new Set(['integer']));
    expect(got.some((s) => s.note === null && s.tn === 'null')).toBe(true);
    expect(got.some((s) => s.note?.includes('\u0000'))).toBe(true);
  });

  it('refuses a file with problems with the same problems, in the same order, and writes nothing', async () => {
    const docs = documents(900, 11);
    // A label the scheme does not have (the scheme's check), and a relation from a conclusion
    // undercutting nothing (the domain's rules), far apart so they land in different batches.
    docs[3]!.annotations[0]!.spans[0]!.label = 'claim';
    docs[700]!.annotations[0]!.relations.push({ id: 'Rx', type: 'undercuts', source: 'T1', target: 'T2' });
    const lines = writeSemanticJsonl(docs).text.split('\n');
    // A span whose text is not the text at its offsets (the format's check).
    const record = JSON.parse(lines[40]!) as { spans: { text: string }[] };
    record.spans[0]!.text = 'not this';
    lines[40] = JSON.stringify(record);
    lines.splice(500, 0, '{"format": "warrant-semantic/0.2", "id": broken');
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const project = await newProject();
    const before = counts();
    const a = thrown(() => run(project, input('bad.jsonl', bytes, 'reader-c'), 'always'));
    const b = thrown(() => run(project, input('bad.jsonl', bytes, 'reader-c'), 'never'));
    expect(a).toEqual(b);
    expect(a.code).toBe('IMPORT_REJECTED');
    const problems = (a.details as { errors: { line?: number; path: string; message: string }[] }).errors;
    expect(problems.find((p) => p.line === 501)?.message).toMatch(/invalid JSON/);
    expect(problems.some((p) => p.path === 'doc-3: span T1' && /unknown span label 'claim'/.test(p.message))).toBe(true);
    expect(problems.some((p) => p.line === 41)).toBe(true);
    expect(problems.some((p) => p.path === 'doc-700: relation Rx')).toBe(true);
    expect(counts()).toEqual(before);
  });

  it('carries an error raised on the reader thread (several sources, none chosen) across as the same error', async () => {
    const docs = documents(600, 13);
    docs[550]!.annotations.push({ ...docs[550]!.annotations[0]!, source: 'annotator-b' });
    const bytes = jsonl(docs);
    const project = await newProject();
    const before = counts();
    const a = thrown(() => run(project, input('two.jsonl', bytes, 'reader-d', { annotator: undefined }), 'always'));
    const b = thrown(() => run(project, input('two.jsonl', bytes, 'reader-d', { annotator: undefined }), 'never'));
    expect(a).toEqual(b);
    expect(a.message).toMatch(/holds annotations from 'annotator-a', 'annotator-b': choose one source/);
    expect(counts()).toEqual(before);
    // Choosing a source imports it, on either thread.
    const chosen = run(project, input('two.jsonl', bytes, 'reader-d', { source: 'annotator-b' }), 'always');
    expect(chosen.summary).toMatchObject({ passages: 600, annotations: 1, source: 'reader-d' });
  });

  it('stops the reader when the import ends early, and the next import works', async () => {
    // Far more batches than the reader may post ahead: it is waiting when the import gives up.
    const bytes = jsonl(documents(6000, 17));
    const project = await newProject();
    const before = counts();
    // A person's account named as the imported annotator: refused at the first batch.
    const a = thrown(() => run(project, input('many.jsonl', bytes, f.annotators[0]!.user.username), 'always'));
    expect(a).toMatchObject({ statusCode: 409, code: 'USERNAME_TAKEN' });
    expect(counts()).toEqual(before);
    const ok = run(project, input('many.jsonl', bytes, 'reader-e'), 'always');
    expect(ok.summary).toMatchObject({ passages: 6000, annotations: 6000 });
    // Again onto the same passages as the same annotator: every passage refused, as inline.
    const again = thrown(() => run(project, input('many.jsonl', bytes, 'reader-e'), 'always'));
    const inline = thrown(() => run(project, input('many.jsonl', bytes, 'reader-e'), 'never'));
    expect(again).toEqual(inline);
    expect((again.details as { errorCount: number }).errorCount).toBe(6000);
  });

  it('refuses a file of 40,000 records that are not records (200,000 problems) with a 400, not a crash', async () => {
    const bytes = new TextEncoder().encode('{}\n'.repeat(40_000));
    const project = await newProject();
    const before = counts();
    const a = thrown(() => run(project, input('empty-records.jsonl', bytes, 'reader-f'), 'always'));
    const b = thrown(() => run(project, input('empty-records.jsonl', bytes, 'reader-f'), 'never'));
    expect(a).toEqual(b);
    expect(a).toMatchObject({ statusCode: 400, code: 'IMPORT_REJECTED' });
    const details = a.details as { errors: unknown[]; errorCount: number };
    expect(details.errorCount).toBeGreaterThan(130_000);
    expect(details.errors).toHaveLength(100);
    expect(counts()).toEqual(before);
  });

  it('asks nothing of the imported annotator before a document passes the checks of id and text', async () => {
    const project = await newProject();
    const before = counts();
    for (const thread of ['always', 'never'] as const) {
      // No document at all: the missing source is the answer, not the name given for it.
      expect(thrown(() => run(project, input('empty.jsonl', new Uint8Array(0), 'Not A Name!', { source: 'src-a' }), thread))).toMatchObject({
        statusCode: 400,
        message: "no annotations from 'src-a' in empty.jsonl: it holds none",
      });
      // Only a broken line: its problem, not the person's account named as the annotator.
      const broken = thrown(() => run(project, input('broken.jsonl', new TextEncoder().encode('{"id": \n'), f.annotators[0]!.user.username, { source: 'src-a' }), thread));
      expect(broken).toMatchObject({ statusCode: 400, code: 'IMPORT_REJECTED' });
    }
    expect(counts()).toEqual(before);
  });

  it('imports pre-annotations the same way on either thread', async () => {
    const bytes = jsonl(documents(700, 19));
    const [threaded, inline] = [await newProject(), await newProject()];
    run(threaded, input('pre.jsonl', bytes, '', { mode: 'pre-annotations', annotator: undefined }), 'always');
    run(inline, input('pre.jsonl', bytes, '', { mode: 'pre-annotations', annotator: undefined }), 'never');
    const pre = (projectId: string) =>
      rows(`SELECT p.external_id, x.source, x.category, x.content FROM pre_annotations x JOIN passages p ON p.id = x.passage_id WHERE x.project_id = ? ORDER BY p.ordinal`, projectId);
    expect(pre(threaded)).toHaveLength(700);
    expect(pre(threaded)).toEqual(pre(inline));
    expect(stored(threaded).passages).toEqual(stored(inline).passages);
  });
});
