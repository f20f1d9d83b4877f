import { describe, expect, it } from 'vitest';
import type { DatasetDocument } from '../src/dataset/document.ts';
import { csvCell, writeCsv } from '../src/csv/write.ts';
import { sampleDocument } from './semantic-fixtures.ts';

/** A minimal RFC 4180 reader for the test: records of fields, quotes undone. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
}

/** What a consumer does to undo the neutralisation: drop one leading `'`. */
const unneutralise = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);

describe('csvCell', () => {
  it('neutralises cells a spreadsheet would run, and only those', () => {
    expect(csvCell('=SUM(A1:A9)')).toBe("'=SUM(A1:A9)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell("'quoted")).toBe("''quoted");
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('Поэтому 😀')).toBe('Поэтому 😀');
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
  });
});

describe('writeCsv', () => {
  it('writes one row per span with code-point offsets, CRLF line ends, and reports relations', () => {
    const { text, losses } = writeCsv([sampleDocument()]);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = readCsv(text);
    expect(rows[0]).toEqual(['document', 'annotator', 'span', 'label', 'start', 'end', 'text', 'note', 'category']);
    expect(rows.slice(1)).toEqual([
      ['ru-1', 'ann1', 's1', 'premise', '8', '14', 'второе', 'нота 📝', 'reasoning'],
      ['ru-1', 'ann1', 's2', 'conclusion', '24', '37', '😀 cafe\u0301 хорош', '', 'reasoning'],
      ['ru-1', 'ann1', 's3', 'premise', '40', '50', 'OK 👩‍👩‍👧‍👦', '', 'reasoning'],
      ['ru-1', 'gold', 'g1', 'conclusion', '32', '42', 'хорош!\r\nOK', '', ''],
    ]);
    const codePoints = [...sampleDocument().text];
    for (const row of rows.slice(1)) expect(codePoints.slice(Number(row[4]), Number(row[5])).join('')).toBe(row[6]);
    expect(losses.map((l) => l.item)).toEqual(['r1', 'r2']);
    expect(writeCsv([sampleDocument()], 'gold')).toEqual({ text: `${text.split('\r\n')[0]}\r\n${text.split('\r\n').slice(-3).join('\r\n')}`, losses: [] });
  });

  it('neutralises hostile cells in every column, so that dropping one leading quote gives the data back', () => {
    const hostile = ['=1+1', '+SUM(1)', '-cmd|"/c calc"!A0', '@A1', '\t=tab', '\r\n=cr', "'already"];
    const text = hostile.join(' ');
    let at = 0;
    const doc: DatasetDocument = {
      id: '=id',
      text,
      language: null,
      meta: null,
      annotations: [
        {
          source: '@ann',
          category: '+cat',
          spans: hostile.map((h, i) => {
            const span = { id: `-s${i}`, label: '=label', start: at, end: at + h.length, note: h };
            at += h.length + 1;
            return span;
          }),
          relations: [],
        },
      ],
    };
    const rows = readCsv(writeCsv([doc]).text).slice(1);
    for (const row of rows) for (const cell of row.filter((c) => !/^\d+$/.test(c))) expect(cell.startsWith("'")).toBe(true);
    expect(rows.map((r) => unneutralise(r[6] as string))).toEqual(hostile);
    expect(rows.map((r) => unneutralise(r[7] as string))).toEqual(hostile);
    expect(rows[0]?.slice(0, 4)).toEqual(["'=id", "'@ann", "'-s0", "'=label"]);
  });

  it('reports the category of an annotation without spans', () => {
    const doc: DatasetDocument = { id: 'd', text: 'x', language: null, meta: null, annotations: [{ source: 'a', category: 'noise', spans: [], relations: [] }] };
    expect(writeCsv([doc])).toEqual({
      text: 'document,annotator,span,label,start,end,text,note,category\r\n',
      losses: [{ document: 'd', source: 'a', item: 'category', reason: "the annotation has no span, so its category 'noise' has no row" }],
    });
  });
});
