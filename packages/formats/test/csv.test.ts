import { describe, expect, it } from 'vitest';
import { parse, randomSizes } from './helpers.ts';

describe('csv passages', () => {
  it('reads quoted commas, quotes and line breaks exactly, and puts other columns in meta', async () => {
    const file =
      ' id , text ,lang,note\r\n' + // line 1: header names are trimmed
      'p1,"Привет, мир! 😀",ru,\r\n' + // line 2
      'p2,"a ""quoted"" word, a CRLF\r\nand an LF\nand a lone CR\r end",en,"x"\r\n' + // lines 3-4-5
      'p3,  e\u0301 NFD\u00a0NBSP  ,de,n\r\n' + // line 6: unquoted spaces are content
      '\r\n' + // line 7: blank, skipped
      '\n' + // line 8: blank
      'p4,👩🏽‍🔬,,""'; // line 9: no final newline
    const result = await parse(file, 'csv');
    expect(result.errors).toEqual([]);
    expect(result.passages).toEqual([
      { line: 2, externalId: 'p1', text: 'Привет, мир! 😀', meta: { lang: 'ru', note: '' } },
      {
        line: 3,
        externalId: 'p2',
        text: 'a "quoted" word, a CRLF\r\nand an LF\nand a lone CR\r end',
        meta: { lang: 'en', note: 'x' },
      },
      { line: 6, externalId: 'p3', text: '  e\u0301 NFD\u00a0NBSP  ', meta: { lang: 'de', note: 'n' } },
      { line: 9, externalId: 'p4', text: '👩🏽‍🔬', meta: { lang: '', note: '' } },
    ]);
  });

  it('gives null ids and null meta when the header is only "text"', async () => {
    const result = await parse('text\nfirst\n"second,\nline"\n', 'csv');
    expect(result.passages).toEqual([
      { line: 2, externalId: null, text: 'first', meta: null },
      { line: 3, externalId: null, text: 'second,\nline', meta: null },
    ]);
  });

  it('skips blank lines before the header and reports the header line', async () => {
    const result = await parse('\n\nid,text\n1,a\n', 'csv');
    expect(result.passages).toEqual([{ line: 4, externalId: '1', text: 'a', meta: null }]);
    const missing = await parse('\nid,body\n1,a\n', 'csv');
    expect(missing.errors).toEqual([{ line: 2, field: 'text', message: "the header has no 'text' column (found: 'id', 'body')" }]);
  });

  it('keeps a column named like an Object.prototype property as a plain meta key', async () => {
    const result = await parse('text,__proto__,constructor\na,b,c\n', 'csv');
    const meta = result.passages[0]!.meta!;
    expect(Object.keys(meta)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(meta['constructor']).toBe('c');
  });

  it('reports a missing text column on the header line', async () => {
    const result = await parse('id,Text\n1,a\n2,b,c\n', 'csv');
    expect(result.errors).toEqual([
      { line: 1, field: 'text', message: "the header has no 'text' column (found: 'id', 'Text')" },
      // Records are still checked for their shape.
      { line: 3, message: 'expected 2 fields (as many as the header), got 3' },
    ]);
    expect(result.passages).toEqual([]);
  });

  it('reports duplicate and unnamed header columns', async () => {
    const result = await parse('text,lang, lang,\na,b,c,d\n', 'csv');
    expect(result.errors).toEqual([
      { line: 1, field: 'lang', message: "duplicate column name 'lang' (columns 2 and 3)" },
      { line: 1, message: 'header column 4 has no name' },
    ]);
  });

  it('reports every record problem with the line where it is', async () => {
    const file = [
      /* 1 */ 'id,text,source',
      /* 2 */ 'a,fine,s',
      /* 3 */ 'b,too few',
      /* 4 */ 'c,too,many,fields',
      /* 5 */ 'd,say "hi",s',
      /* 6 */ 'e,"closed" then more,s',
      /* 7 */ 'f,  ,s',
      /* 8 */ ',no id,s',
      /* 9 */ 'a,dup,s',
      /* 10 */ 'g,"multi',
      /* 11 */ 'line",s',
      /* 12 */ 'h,"",s',
      /* 13 */ 'i,"x" ,s',
      /* 14 */ 'j,bare\rcr,s',
      /* 15 */ 'k,fine again,s',
      /* 16 */ 'g,"dup of a multi-line record",s',
      /* 17 */ 'l,"never closed, s',
      /* 18 */ 'm,swallowed,s',
    ].join('\n') + '\n';
    const result = await parse(file, 'csv');
    expect(result.errors).toEqual([
      { line: 3, message: 'expected 3 fields (as many as the header), got 2' },
      { line: 4, message: 'expected 3 fields (as many as the header), got 4' },
      { line: 5, message: 'stray quote in unquoted field 2; quote the whole field and double the quotes inside it' },
      {
        line: 6,
        message: 'unexpected " " after the closing quote of field 2; a quote inside a quoted field must be doubled ("")',
      },
      { line: 7, field: 'text', message: "'text' is empty or whitespace-only" },
      { line: 8, field: 'id', message: "'id' is empty or whitespace-only" },
      { line: 9, field: 'id', message: "id 'a' already used on line 2" },
      { line: 12, field: 'text', message: "'text' is empty or whitespace-only" },
      {
        line: 13,
        message: 'unexpected " " after the closing quote of field 2; a quote inside a quoted field must be doubled ("")',
      },
      { line: 14, message: 'carriage return (CR) outside quotes in field 2; records must end with LF or CRLF' },
      { line: 16, field: 'id', message: "id 'g' already used on line 10" },
      { line: 17, message: 'unterminated quoted field: the quote opened on line 17 is never closed' },
    ]);
    expect(result.passages.map((p) => [p.line, p.externalId, p.text])).toEqual([
      [2, 'a', 'fine'],
      [10, 'g', 'multi\nline'],
      [15, 'k', 'fine again'],
    ]);
  });

  it('reports an unterminated quote at end of file on the line where the field started', async () => {
    const result = await parse('text,note\n"ok",a\nb,"open\nstill open\r\nand no end', 'csv');
    expect(result.errors).toEqual([
      { line: 3, message: 'unterminated quoted field: the quote opened on line 3 is never closed' },
    ]);
  });

  it('reports a file that uses old Mac CR line endings', async () => {
    const result = await parse('id,text\r1,a\r2,b\r', 'csv');
    expect(result.errors).toEqual([
      { line: 1, message: 'carriage return (CR) outside quotes in field 2; records must end with LF or CRLF' },
    ]);
  });

  it('takes a broken first record as the header, and checks later records for syntax only', async () => {
    const result = await parse('id,"te"xt\n1,a\n2,b"\n', 'csv');
    expect(result.errors).toEqual([
      {
        line: 1,
        message: 'unexpected "x" after the closing quote of field 2; a quote inside a quoted field must be doubled ("")',
      },
      { line: 3, message: 'stray quote in unquoted field 2; quote the whole field and double the quotes inside it' },
    ]);
  });

  it('rejects an empty file and a file with only a header', async () => {
    expect((await parse('', 'csv')).errors).toEqual([
      { line: 0, message: "the file is empty: expected a header row with a 'text' column" },
    ]);
    expect((await parse('\r\n\n', 'csv')).errors).toEqual([
      { line: 0, message: "the file is empty: expected a header row with a 'text' column" },
    ]);
    expect((await parse('id,text\r\n', 'csv')).errors).toEqual([{ line: 0, message: 'the file contains no passages' }]);
  });

  it('reads back exactly what an RFC 4180 writer wrote, for 300 random records', async () => {
    const alphabet = ['a', 'Я', ' ', ',', '"', '\r\n', '\n', '\r', '😀', 'e\u0301', '\u00a0', '\t', 'x'];
    const picks = randomSizes(7, 20_000, alphabet.length);
    let at = 0;
    const randomText = (length: number): string =>
      Array.from({ length }, () => alphabet[picks[at++ % picks.length]! - 1]!).join('');
    const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;
    const records = Array.from({ length: 300 }, (_, i) => ({
      id: `r${i}`,
      text: `t${randomText(i % 13)}`,
      note: randomText(i % 7),
    }));
    const file =
      'id,text,note\r\n' +
      records.map((r) => [r.id, quote(r.text), r.note === '' ? '' : quote(r.note)].join(',')).join('\r\n');
    const result = await parse(file, 'csv');
    expect(result.errors).toEqual([]);
    expect(result.passages.map((p) => ({ id: p.externalId, text: p.text, note: p.meta?.['note'] }))).toEqual(records);
  });
});
