import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FormatError, type DatasetDocument, type FormatProblem } from '../src/dataset/document.ts';
import { parseSemanticJsonl } from '../src/semantic-jsonl/parse.ts';
import { toGoldRecord, toSemanticRecord } from '../src/semantic-jsonl/record.ts';
import { writeSemanticJsonl } from '../src/semantic-jsonl/write.ts';
import { TEXT, at, sampleDocument } from './semantic-fixtures.ts';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const file = 'data.jsonl';

function problemsOf(text: string): FormatProblem[] {
  try {
    parseSemanticJsonl({ file, text });
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return (error as FormatError).problems;
  }
  throw new Error('expected a FormatError');
}

/** A valid written record of the sample document, as an object to break. */
function record(): Record<string, unknown> & { spans: Record<string, unknown>[]; relations: Record<string, unknown>[] } {
  return JSON.parse(writeSemanticJsonl([sampleDocument()]).text.split('\n')[0] as string) as never;
}
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

describe('writeSemanticJsonl → parseSemanticJsonl', () => {
  it('round-trips documents exactly, with no losses', () => {
    const documents: DatasetDocument[] = [
      sampleDocument(),
      { id: 'en-2', text: 'A, so B.\r\n', language: null, meta: null, annotations: [{ source: 'x', category: null, spans: [], relations: [] }] },
    ];
    const written = writeSemanticJsonl(documents, { provenance: { converted_by: 'warrant convert', source_format: 'brat' } });
    expect(written.losses).toEqual([]);
    expect(written.text.split('\n')).toHaveLength(4);
    const parsed = parseSemanticJsonl({ file, text: written.text });
    expect(parsed).toEqual({ documents, losses: [] });
    // And once more: the second write is byte for byte the first.
    expect(writeSemanticJsonl(parsed.documents, { provenance: { converted_by: 'warrant convert', source_format: 'brat' } }).text).toBe(written.text);
  });

  it('writes spans in offset order, code points beside UTF-16, and chains', () => {
    const doc = sampleDocument();
    doc.annotations[0]?.spans.reverse();
    const first = JSON.parse(writeSemanticJsonl([doc]).text.split('\n')[0] as string) as { spans: { id: string; start: number; end_utf16: number; text: string }[]; chains: unknown; status: unknown; skip_reason: unknown };
    expect(first.spans.map((s) => s.id)).toEqual(['s1', 's2', 's3']);
    // One astral 😀 before it: code points are one less than UTF-16 units; the family emoji is 7 code points, 11 units.
    expect(first.spans[2]).toMatchObject({ start: 40, end_utf16: 55, text: 'OK 👩‍👩‍👧‍👦' });
    expect([...TEXT].slice(40, 50).join('')).toBe('OK 👩‍👩‍👧‍👦');
    expect(first.chains).toEqual([{ conclusion: 's2', depth: 2, spans: ['s1', 's3'], relations: ['r1', 'r2'] }]);
    expect(first).toMatchObject({ status: null, skip_reason: null });
  });

  it('writes gold items with empty sources and edited false (unknown), and reports documents without annotations', () => {
    const result = writeSemanticJsonl([sampleDocument(), { id: 'bare', text: 'x', language: null, meta: null, annotations: [] }]);
    const gold = JSON.parse(result.text.split('\n')[1] as string) as Record<string, unknown>;
    expect(gold).toMatchObject({ annotator: 'gold', status: null, category_sources: [], spans: [{ id: 'g1', sources: [], edited: false, text: 'хорош!\r\nOK' }] });
    expect(gold).not.toHaveProperty('skip_reason');
    expect(result.losses).toEqual([{ document: 'bare', item: 'bare', reason: expect.stringContaining('no annotation') }]);
  });
});

describe('parseSemanticJsonl reads studio exports', () => {
  const passage = { externalId: 'ru-1', id: 'p', text: TEXT, textSha256: sha(TEXT), meta: { language: 'ru' } };
  const project = { id: 'pr', name: 'P', schemeVersion: 1 };
  const set = { id: 'set', status: 'skipped' as const, category: null, skipReason: 'noise', version: 1, updatedAt: 't', submittedAt: null };
  const annotator = toSemanticRecord({ passage, source: { kind: 'annotator', username: 'ann1' }, set, spans: [{ id: 's1', label: 'premise', ...at('😀'), note: null }], relations: [], project });
  const gold = toGoldRecord({
    passage,
    project,
    gold: { status: 'done', version: 1, category: 'reasoning', categorySources: ['ann1'], note: null, adjudicator: 'lead', updatedAt: 't' },
    spans: [{ id: 'g1', label: 'conclusion', ...at('😀'), note: null, sources: ['ann1'], edited: false }],
    relations: [],
  });

  it('groups records by id, one annotation per record, and reports what a dataset document cannot hold', () => {
    const result = parseSemanticJsonl({ file, text: `\uFEFF${line(annotator)}\r\n${line(gold).replace('\n', '\r\n')}` });
    expect(result.documents).toEqual([
      {
        id: 'ru-1',
        text: TEXT,
        language: 'ru',
        meta: { language: 'ru' },
        annotations: [
          { source: 'ann1', category: null, spans: [{ id: 's1', label: 'premise', start: 24, end: 26, note: null }], relations: [], status: 'skipped' },
          { source: 'gold', category: 'reasoning', spans: [{ id: 'g1', label: 'conclusion', start: 24, end: 26, note: null }], relations: [], status: 'done' },
        ],
      },
    ]);
    // The status is carried (agreement counts submitted annotations only); these are not.
    expect(result.losses.map((l) => `${l.source}/${l.item}`)).toEqual(['ann1/skip_reason', 'gold/category_sources', 'gold/g1']);
  });

  it('reads 0.1 records (no chains)', () => {
    const old = { ...annotator, format: 'warrant-semantic/0.1', chains: undefined };
    expect(parseSemanticJsonl({ file, text: line(old) }).documents).toHaveLength(1);
  });

  it('reads an empty file as no documents', () => {
    expect(parseSemanticJsonl({ file, text: '\n  \n' })).toEqual({ documents: [], losses: [] });
  });
});

describe('parseSemanticJsonl refuses, with file, line and field', () => {
  it('invalid JSON and non-objects', () => {
    expect(problemsOf(`${line(record())}{"id":\n[1]\n`)).toEqual([
      { file, line: 2, message: expect.stringMatching(/^invalid JSON: /) },
      { file, line: 3, message: 'a record must be a JSON object, not an array' },
    ]);
  });

  it('an unknown format version, a wrong SHA-256, unknown and missing fields', () => {
    const r = record();
    expect(problemsOf(line({ ...r, format: 'warrant-semantic/9' }))).toEqual([
      { file, line: 1, element: 'format', message: "unknown format 'warrant-semantic/9' (known: warrant-semantic/0.1, warrant-semantic/0.2)" },
    ]);
    expect(problemsOf(line({ ...r, text: `${TEXT} ` }))).toEqual([
      { file, line: 1, element: 'text_sha256', message: expect.stringContaining('does not match the text') },
    ]);
    expect(problemsOf(line({ ...r, txet: 'a', annotator: undefined })).map((p) => p.element)).toEqual(['txet', 'annotator']);
  });

  it('code points that disagree with UTF-16, text that is not the slice, offsets inside a surrogate pair', () => {
    const r = record();
    const s2 = r.spans[1] as Record<string, unknown>;
    const spans = (patch: Record<string, unknown>) => ({ ...r, spans: [r.spans[0], { ...s2, ...patch }, r.spans[2]] });
    // The UTF-16 start read as a code point: the emoji bug (Label Studio #1347).
    expect(problemsOf(line(spans({ end: s2.end_utf16 })))).toEqual([
      { file, line: 1, element: 'spans[1].end', message: 'end 38 (code points) does not match end_utf16 38, which is code point 37' },
    ]);
    expect(problemsOf(line(spans({ text: '😀 café хорош' })))[0]).toMatchObject({ element: 'spans[1].text' });
    expect(problemsOf(line(spans({ start_utf16: 25 })))[0]).toMatchObject({ element: 'spans[1].start_utf16', message: expect.stringContaining('surrogate pair') });
    expect(problemsOf(line(spans({ end_utf16: 999 })))[0]).toMatchObject({ element: 'spans[1].end_utf16', message: expect.stringContaining('past the end') });
    expect(problemsOf(line(spans({ start: -1, label: '' }))).map((p) => p.element)).toEqual(['spans[1].label', 'spans[1].start']);
  });

  it('dangling relation ends, duplicate and ambiguous ids, gold fields on annotator records, bad chains', () => {
    const r = record();
    const problems = problemsOf(
      line({
        ...r,
        spans: [...r.spans, { ...r.spans[0], sources: ['x'] }],
        chains: [],
        relations: [
          { id: 'r1', type: 'supports', source: 'nope', target: 's2' },
          { id: 'r1', type: 'supports', source: 's1', target: 'gone' },
          { id: 's3', type: 'supports', source: 's1', target: 's2' },
        ],
      }),
    );
    expect(problems.map((p) => `${p.element}: ${p.message}`)).toEqual([
      "spans[3].id: span id 's1' is used twice in this record",
      "spans[3].sources: 'sources' belongs to gold records only",
      "relations[0].source: source 'nope' is not a span of this record",
      "relations[1].id: relation id 'r1' is used twice in this record",
      "relations[1].target: target 'gone' is neither a span nor a relation of this record",
      "relations[2].id: relation id 's3' is also a span id: a target would be ambiguous",
    ]);
    const chains = problemsOf(line({ ...r, chains: [{ conclusion: 'zz', depth: 1.5, spans: ['s1'], relations: ['r9'] }] }));
    expect(chains.map((p) => p.element)).toEqual(['chains[0].conclusion', 'chains[0].depth', 'chains[0].relations']);
  });

  it('records of one id that disagree, and a second record by the same source; nothing is returned', () => {
    const r = record();
    const other = { ...r, text: 'other', text_sha256: sha('other'), spans: [], relations: [], chains: [] };
    const problems = problemsOf(`${line(r)}\n${line({ ...other, annotator: 'ann2', meta: { language: 'ru', source: 'test', nested: { a: [2, 1] } } })}${line(r)}`);
    expect(problems).toEqual([
      { file, line: 3, element: 'text', message: "'text' differs from the record of 'ru-1' on line 1" },
      { file, line: 3, element: 'meta', message: "'meta' differs from the record of 'ru-1' on line 1" },
      { file, line: 4, element: 'annotator', message: "'ru-1' already has a record by 'ann1'" },
    ]);
  });

  it('unpaired surrogates, which are not text', () => {
    const r = record();
    expect(problemsOf(`${JSON.stringify({ ...r, spans: [], relations: [], chains: [] }).replace('"ann1"', '"ann\\ud800"')}\n`)).toEqual([
      { file, line: 1, element: 'annotator', message: "'annotator' contains an unpaired surrogate, which is not text" },
    ]);
  });

  it('FormatError names the first problem with file and line', () => {
    expect(() => parseSemanticJsonl({ file, text: '{}\n' })).toThrow(/^7 problems, the first at data\.jsonl:1 \(format\): 'format' is missing$/);
  });
});
