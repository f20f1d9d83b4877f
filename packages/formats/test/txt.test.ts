import { describe, expect, it } from 'vitest';
import { parse, utf8 } from './helpers.ts';

describe('txt passages', () => {
  it('splits on blank lines and keeps every character of a passage, CRLF included', async () => {
    const file =
      '\n' +
      '  Привет, мир! 😀\r\n' + // line 2: leading spaces and a CRLF inside the passage
      'second line e\u0301\u00a0NBSP  \r\n' + // line 3: NFD e + combining acute, NBSP, trailing spaces
      '\r\n' + // line 4: blank (CRLF)
      ' \t \n' + // line 5: blank (spaces and a tab)
      'Ёж\n' + // line 6
      'mixed\r\n' + // line 7
      'breaks\n' + // line 8
      '\n\n\n' + // lines 9-11
      '👩🏽‍🔬 last, no newline'; // line 12
    const result = await parse(file, 'txt');
    expect(result.errors).toEqual([]);
    expect(result.errorCount).toBe(0);
    expect(result.warnings).toEqual([]);
    expect(result.bomStripped).toBe(false);
    expect(result.bytes).toBe(utf8(file).length);
    expect(result.passages).toEqual([
      { line: 2, externalId: null, text: '  Привет, мир! 😀\r\nsecond line e\u0301\u00a0NBSP  ', meta: null },
      { line: 6, externalId: null, text: 'Ёж\nmixed\r\nbreaks', meta: null },
      { line: 12, externalId: null, text: '👩🏽‍🔬 last, no newline', meta: null },
    ]);
    // Byte-exact: the passage's UTF-8 is the same bytes as in the file.
    const first = result.passages[0]!;
    expect(utf8(first.text)).toEqual(utf8(file).subarray(1, 1 + utf8(first.text).length));
    expect(first.text.normalize('NFC')).not.toBe(first.text);
  });

  it('treats a file that ends in a newline and one that does not alike', async () => {
    const withNewline = await parse('a\nb\n', 'txt');
    const without = await parse('a\nb', 'txt');
    expect(withNewline.passages).toEqual([{ line: 1, externalId: null, text: 'a\nb', meta: null }]);
    expect(without.passages).toEqual(withNewline.passages);
  });

  it('keeps a CR that is not followed by LF as part of the text', async () => {
    const result = await parse('one\rtwo\n\nthree\r', 'txt');
    expect(result.passages.map((p) => p.text)).toEqual(['one\rtwo', 'three\r']);
  });

  it('treats lines of only NBSP or other Unicode spaces as text, and rejects such a passage', async () => {
    const result = await parse('real text\n\n\u00a0\u3000\n\nmore text\n', 'txt');
    expect(result.errors).toEqual([{ line: 3, message: 'the passage is empty or whitespace-only' }]);
    expect(result.errorCount).toBe(1);
    expect(result.passages.map((p) => p.line)).toEqual([1, 5]);
  });

  it('rejects a file with no passages', async () => {
    for (const file of ['', '\n', ' \n\t\r\n\n', '   ']) {
      const result = await parse(file, 'txt');
      expect(result.passages).toEqual([]);
      expect(result.errors).toEqual([{ line: 0, message: 'the file contains no passages' }]);
    }
  });

  it('keeps a U+FEFF that is not at byte 0 as text', async () => {
    const result = await parse('a\n\n\ufeffb', 'txt');
    expect(result.passages.map((p) => p.text)).toEqual(['a', '\ufeffb']);
    expect(result.bomStripped).toBe(false);
  });
});
