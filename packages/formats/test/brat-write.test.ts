import { describe, expect, it } from 'vitest';
import { FormatError, type DatasetDocument } from '../src/dataset/document.ts';
import { annotationConf } from '../src/brat/annotation-conf.ts';
import { parseBrat } from '../src/brat/parse-brat.ts';
import { writeBrat } from '../src/brat/write-brat.ts';

const lines = (...rows: string[]): string => rows.map((row) => `${row}\n`).join('');

/** Python's text[start:end]: code points, never UTF-16 units. */
const codePointSlice = (text: string, start: number, end: number): string => [...text].slice(start, end).join('');

function expectTextFieldsAreCodePointSlices(txt: string, ann: string): void {
  for (const line of ann.split('\n').filter((l) => l.startsWith('T'))) {
    const [, body = '', field] = line.split('\t');
    const [, start, end] = body.split(' ');
    expect(field, line).toBe(codePointSlice(txt, Number(start), Number(end)).replace(/[\r\n]/g, ' '));
  }
}

function document(annotation: Partial<DatasetDocument['annotations'][number]>, text: string): DatasetDocument {
  return {
    id: 'p1',
    text,
    language: null,
    meta: null,
    annotations: [{ source: 'alice', category: null, spans: [], relations: [], ...annotation }],
  };
}

describe('writeBrat', () => {
  // 19 code points, 20 UTF-16 units (docs/offsets.md), then a family emoji and Cyrillic.
  const text = 'Поэтому 😀 cafe\u0301\r\nOK 👩‍👩‍👧‍👦 да';
  const doc = document(
    {
      spans: [
        { id: 'claim', label: 'Claim', start: 0, end: 7, note: null },
        { id: 'ok', label: 'Claim', start: 18, end: 20, note: null },
        { id: 'emoji', label: 'Premise', start: 8, end: 10, note: null },
        { id: 'cafe', label: 'Premise', start: 11, end: 16, note: 'NFD é' },
        { id: 'across', label: 'Premise', start: 14, end: 20, note: null },
        { id: 'family', label: 'Premise', start: 21, end: 32, note: null },
        { id: 'da', label: 'Claim', start: 33, end: 35, note: null },
      ],
      relations: [
        { id: 'r1', type: 'support', source: 'emoji', target: 'claim' },
        { id: 'r2', type: 'support', source: 'family', target: 'ok' },
      ],
    },
    text,
  );

  it('writes T lines in text order with code-point offsets and the span text, then R and # lines', () => {
    const out = writeBrat(doc, 'alice');
    expect(out.losses).toEqual([]);
    expect(out.txt).toBe(text);
    expect(out.ann).toBe(
      lines(
        'T1\tClaim 0 7\tПоэтому',
        'T2\tPremise 8 9\t😀',
        'T3\tPremise 10 15\tcafe\u0301',
        'T4\tPremise 13 19\te\u0301  OK', // crosses the CRLF: one space per CR and LF
        'T5\tClaim 17 19\tOK',
        'T6\tPremise 20 27\t👩‍👩‍👧‍👦',
        'T7\tClaim 28 30\tда',
        'R1\tsupport Arg1:T2 Arg2:T1\t',
        'R2\tsupport Arg1:T6 Arg2:T5\t',
        '#1\tAnnotatorNotes T3\tNFD é',
      ),
    );
    expectTextFieldsAreCodePointSlices(out.txt, out.ann);
  });

  it('re-imports to the same spans, notes and relations', () => {
    const out = writeBrat(doc, 'alice');
    const again = parseBrat({ file: 'p1.ann', txt: out.txt, ann: out.ann, source: 'alice' });
    expect(again.losses).toEqual([]);
    const spans = (d: DatasetDocument) => {
      const set = d.annotations[0];
      const key = new Map(set?.spans.map((s) => [s.id, `${s.start}-${s.end} ${s.label} ${s.note ?? ''}`]));
      return {
        spans: [...key.values()].sort(),
        relations: set?.relations.map((r) => `${key.get(r.source)} ${r.type} ${key.get(r.target)}`).sort(),
      };
    };
    expect(spans(again.document)).toEqual(spans(doc));
  });

  it('drops a relation aimed at a relation (an undercut), reporting it, and numbers the rest without a gap', () => {
    const undercut = document(
      {
        category: 'taxes',
        spans: [
          { id: 's1', label: 'Premise', start: 0, end: 5, note: null },
          { id: 's2', label: 'Claim', start: 6, end: 11, note: null },
          { id: 's3', label: 'Premise', start: 12, end: 17, note: null },
        ],
        relations: [
          { id: 'r1', type: 'support', source: 's1', target: 's2' },
          { id: 'u1', type: 'undercut', source: 's3', target: 'r1' },
          { id: 'r2', type: 'attack', source: 's3', target: 's2' },
        ],
      },
      'aaaaa bbbbb ccccc',
    );
    const out = writeBrat({ ...undercut, language: 'en', meta: { topic: 't1' } }, 'alice');
    expect(out.ann).toBe(
      lines(
        'T1\tPremise 0 5\taaaaa',
        'T2\tClaim 6 11\tbbbbb',
        'T3\tPremise 12 17\tccccc',
        'R1\tsupport Arg1:T1 Arg2:T2\t',
        'R2\tattack Arg1:T3 Arg2:T2\t',
      ),
    );
    expect(out.losses).toEqual([
      { document: 'p1', source: 'alice', item: 'category', reason: "brat has no document-level annotation; category 'taxes' is not written" },
      { document: 'p1', source: 'alice', item: 'language', reason: "brat has no document language; 'en' is not written" },
      { document: 'p1', source: 'alice', item: 'meta', reason: 'brat has no document metadata; topic not written' },
      {
        document: 'p1',
        source: 'alice',
        item: 'u1',
        reason:
          'undercut relation from span s3 to relation r1 is not written: a brat relation links two text-bound annotations, never a relation',
      },
    ]);
  });

  it('writes labels and types with whitespace as _ and notes with line breaks as one line, reporting each', () => {
    const out = writeBrat(
      document(
        {
          spans: [
            { id: 'a', label: 'major claim', start: 0, end: 1, note: 'line one\r\nline two' },
            { id: 'b', label: 'premise', start: 2, end: 3, note: '' },
          ],
          relations: [{ id: 'r', type: 'strong support', source: 'b', target: 'a' }],
        },
        'x y',
      ),
      'alice',
    );
    expect(out.ann).toBe(
      lines(
        'T1\tmajor_claim 0 1\tx',
        'T2\tpremise 2 3\ty',
        'R1\tstrong_support Arg1:T2 Arg2:T1\t',
        '#1\tAnnotatorNotes T1\tline one line two',
        '#2\tAnnotatorNotes T2\t',
      ),
    );
    expect(out.losses.map((loss) => [loss.item, loss.reason])).toEqual([
      ['a', "label 'major claim' written as 'major_claim': brat types cannot contain whitespace"],
      ['a', "the note's line breaks are written as spaces: a .ann line cannot hold them"],
      ['r', "type 'strong support' written as 'strong_support': brat types cannot contain whitespace"],
    ]);
    expect(parseBrat({ file: 'p1', ...out }).document.annotations[0]?.spans.map((s) => s.note)).toEqual(['line one line two', '']);
  });

  it('writes an empty .ann for an empty annotation set and refuses an unknown source', () => {
    expect(writeBrat(document({}, 'text'), 'alice')).toEqual({ txt: 'text', ann: '', losses: [] });
    expect(() => writeBrat(document({}, 'text'), 'bob')).toThrow(
      new RangeError("document p1 has no annotations from source 'bob' (sources: 'alice')"),
    );
  });

  it('refuses an inconsistent document with every problem, naming the file and item', () => {
    const bad = document(
      {
        spans: [
          { id: 's1', label: 'Claim', start: 1, end: 3, note: null }, // splits the emoji
          { id: 's2', label: ' ', start: 0, end: 9, note: null },
        ],
        relations: [{ id: 'r1', type: 'support', source: 'nope', target: 'gone' }],
      },
      '😀 abc',
    );
    let thrown: unknown;
    try {
      writeBrat(bad, 'alice');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FormatError);
    expect((thrown as FormatError).problems).toEqual([
      { file: 'p1.ann', element: 's1', message: 'start 1 falls between the two halves of a surrogate pair (length 6 UTF-16 code units)' },
      { file: 'p1.ann', element: 's2', message: 'end 9 is past the end of the passage (length 6 UTF-16 code units)' },
      { file: 'p1.ann', element: 's2', message: 'the label is empty' },
      { file: 'p1.ann', element: 'r1', message: 'source nope is not a span of this annotation set' },
      { file: 'p1.ann', element: 'r1', message: 'target gone is neither a span nor a relation of this annotation set' },
    ]);
  });
});

describe('annotationConf', () => {
  it('declares labels as entities and relation types with their argument labels', () => {
    expect(
      annotationConf(
        ['major claim', 'claim', 'premise', 'claim'],
        [
          { key: 'support', sources: ['premise', 'claim'], targets: ['claim', 'major claim'] },
          { key: 'attack' },
        ],
      ),
    ).toBe(
      [
        '[entities]',
        'major_claim',
        'claim',
        'premise',
        '',
        '[relations]',
        'support Arg1:premise|claim, Arg2:claim|major_claim',
        'attack Arg1:<ENTITY>, Arg2:<ENTITY>',
        '',
        '[events]',
        '',
        '[attributes]',
        '',
      ].join('\n'),
    );
  });

  it('refuses names the conf syntax cannot hold', () => {
    expect(() => annotationConf(['pro|con'], [])).toThrow(RangeError);
    expect(() => annotationConf(['!hidden'], [])).toThrow(RangeError);
    expect(() => annotationConf(['claim'], [{ key: 'a:b' }])).toThrow("relation type 'a:b' cannot be written");
    expect(() => annotationConf(['claim'], [{ key: 'support' }, { key: 'support' }])).toThrow(
      "relation type 'support' is declared twice",
    );
  });
});
