import { describe, expect, it } from 'vitest';
import type { DatasetDocument } from '../src/dataset/document.ts';
import { conllTokens, writeConll } from '../src/conll/write.ts';
import { TEXT, at, sampleDocument } from './semantic-fixtures.ts';

describe('conllTokens', () => {
  it('keeps words with their combining marks, splits punctuation and emoji, drops whitespace including CRLF and NBSP', () => {
    expect(conllTokens(TEXT).map((t) => t.text)).toEqual([
      'Значит', ',', 'второе', '.', 'Поэтому', '😀', 'cafe\u0301', 'хорош', '!', 'OK', '👩‍👩‍👧‍👦', '=', 'done', '.',
    ]);
    expect(conllTokens('a\u00a0b\tc').map((t) => t.text)).toEqual(['a', 'b', 'c']);
    for (const token of conllTokens(TEXT)) expect(TEXT.slice(token.start, token.end)).toBe(token.text);
  });
});

describe('writeConll', () => {
  it('writes comments, one token per line with its BIO tag, and an empty line after the document', () => {
    const { text, losses } = writeConll(sampleDocument(), 'ann1');
    expect(text).toBe(
      [
        '# id = ru-1',
        '# source = ann1',
        '# category = reasoning',
        'Значит\tO',
        ',\tO',
        'второе\tB-premise',
        '.\tO',
        'Поэтому\tO',
        '😀\tB-conclusion',
        'cafe\u0301\tI-conclusion',
        'хорош\tI-conclusion',
        '!\tO',
        'OK\tB-premise',
        '👩‍👩‍👧‍👦\tI-premise',
        '=\tO',
        'done\tO',
        '.\tO',
        '',
        '',
      ].join('\n'),
    );
    expect(losses).toEqual([
      { document: 'ru-1', source: 'ann1', item: 's1', reason: 'span notes are not carried by CoNLL' },
      { document: 'ru-1', source: 'ann1', item: 'r1', reason: 'relations are not carried by CoNLL (supports s1 -> s2)' },
      { document: 'ru-1', source: 'ann1', item: 'r2', reason: 'relations are not carried by CoNLL (undercuts s3 -> r1)' },
    ]);
  });

  it('lets the earliest, then longest span win an overlap and reports the others per span', () => {
    const text = 'Мы знаем, что это так.';
    const doc: DatasetDocument = {
      id: 'd',
      text,
      language: null,
      meta: null,
      annotations: [
        {
          source: 'a',
          category: null,
          spans: [
            { id: 'inner', label: 'premise', ...at('знаем', 0, text), note: null },
            { id: 'long', label: 'conclusion', ...at('знаем, что', 0, text), note: null },
            { id: 'late', label: 'premise', ...at('что это', 0, text), note: null },
            { id: 'after', label: 'premise', ...at('так', 0, text), note: null },
          ],
          relations: [],
        },
      ],
    };
    const { text: out, losses } = writeConll(doc, 'a');
    expect(out.split('\n').slice(2, -2)).toEqual(['Мы\tO', 'знаем\tB-conclusion', ',\tI-conclusion', 'что\tI-conclusion', 'это\tO', 'так\tB-premise', '.\tO']);
    expect(losses.map((l) => `${l.item}: ${l.reason}`)).toEqual([
      "inner: the span overlaps span 'long', which starts earlier or is longer: one tag per token",
      "late: the span overlaps span 'long', which starts earlier or is longer: one tag per token",
    ]);
  });

  it('widens spans that end inside a token, tags adjacent spans B, reports whitespace-only spans and labels with spaces', () => {
    const text = 'Поэтому вывод\r\nверен';
    const doc: DatasetDocument = {
      id: 'w',
      text,
      language: 'ru',
      meta: null,
      annotations: [
        {
          source: 'a',
          category: null,
          spans: [
            { id: 'part', label: 'Major claim', start: 2, end: 7, note: null },
            { id: 'next', label: 'Major claim', ...at('вывод', 0, text), note: null },
            { id: 'crlf', label: 'premise', ...at('\r\n', 0, text), note: null },
          ],
          relations: [],
        },
      ],
    };
    const { text: out, losses } = writeConll(doc, 'a');
    expect(out).toBe('# id = w\n# source = a\nПоэтому\tB-Major_claim\nвывод\tB-Major_claim\nверен\tO\n\n');
    expect(losses.map((l) => l.item)).toEqual(['part', 'part', 'next', 'crlf']);
    expect(losses[1]?.reason).toBe("the span starts inside the token 'Поэтому': it is tagged from the token's start");
    expect(losses[3]?.reason).toBe('the span covers only whitespace: no token to tag');
  });

  it('keeps comment lines on one line and refuses a source the document does not have', () => {
    const doc: DatasetDocument = { id: 'a\r\nb', text: 'x', language: 'not a tag!', meta: null, annotations: [{ source: 'gold', category: null, spans: [], relations: [] }] };
    expect(writeConll(doc, 'gold').text).toBe('# id = a b\n# source = gold\nx\tO\n\n');
    expect(() => writeConll(doc, 'ann9')).toThrow("document 'a\r\nb' has no annotation by 'ann9' (it has: gold)");
  });
});
