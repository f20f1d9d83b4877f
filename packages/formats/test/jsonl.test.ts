import { describe, expect, it } from 'vitest';
import { parse } from './helpers.ts';

const ALLOWED = '(allowed fields: text, id, meta)';

describe('jsonl passages', () => {
  it('reads text, id and meta exactly as JSON decodes them', async () => {
    const texts = [
      'Привет, мир! 😀',
      'CRLF\r\ninside, e\u0301 (NFD), NBSP\u00a0here, trailing space ',
      '  leading spaces',
      '👩🏽‍🔬',
    ];
    const file = [
      JSON.stringify({ text: texts[0], id: 'ru-1', meta: { lang: 'ru', score: 3, tags: ['a'] } }),
      '',
      JSON.stringify({ id: 42, text: texts[1] }),
      '   \t',
      JSON.stringify({ text: texts[2], meta: {} }),
      '{"text":"\\ud83d\\udc69\\ud83c\\udffd\\u200d\\ud83d\\udd2c","id":"escaped"}',
    ].join('\r\n');
    const result = await parse(file, 'jsonl');
    expect(result.errors).toEqual([]);
    expect(result.passages).toEqual([
      { line: 1, externalId: 'ru-1', text: texts[0], meta: { lang: 'ru', score: 3, tags: ['a'] } },
      { line: 3, externalId: '42', text: texts[1], meta: null },
      { line: 5, externalId: null, text: texts[2], meta: {} },
      { line: 6, externalId: 'escaped', text: texts[3], meta: null },
    ]);
  });

  it('parses a last line with no trailing newline, and reports it when truncated', async () => {
    expect((await parse('{"text":"a"}\n{"text":"b"}', 'jsonl')).passages.map((p) => p.text)).toEqual(['a', 'b']);
    const truncated = await parse('{"text":"a"}\n{"text":"b', 'jsonl');
    expect(truncated.errors).toEqual([{ line: 2, message: expect.stringMatching(/^invalid JSON: .*Unterminated string/) }]);
  });

  it('reports every problem of every line, with its line number', async () => {
    const lines = [
      /* 1 */ '{"text": "ok", "id": "a"}',
      /* 2 */ '{"text": "missing brace"',
      /* 3 */ '["text"]',
      /* 4 */ '"just a string"',
      /* 5 */ 'null',
      /* 6 */ '{"id": "b"}',
      /* 7 */ '{"text": 5}',
      /* 8 */ '{"text": " \\t\\n\\u00a0"}',
      /* 9 */ '{"text": ""}',
      /* 10 */ '{"text": "x", "id": ""}',
      /* 11 */ '{"text": "x", "id": true}',
      /* 12 */ '{"text": "x", "id": 1.5}',
      /* 13 */ '{"text": "x", "id": 12345678901234567890}',
      /* 14 */ '{"text": "x", "meta": [1]}',
      /* 15 */ '{"text": "x", "meta": "m"}',
      /* 16 */ '{"Text": "x", "lang": "en"}',
      /* 17 */ '{"text": "x", "id": "a"}',
      /* 18 */ '{"text": "x", "id": "  "}',
      /* 19 */ '{"text": "x", "__proto__": {}}',
      /* 20 */ '{"text": "lone \\ud800 surrogate"}',
      /* 21 */ '{"text": "x", "id": null, "meta": null}',
      /* 22 */ '{"text": "fine", "id": 7}',
      /* 23 */ '{"text": "x", "id": "7"}',
      /* 24 */ '\u00a0',
    ];
    const result = await parse(lines.join('\n') + '\n', 'jsonl');
    expect(result.errors).toEqual([
      { line: 2, message: expect.stringMatching(/^invalid JSON: ./) },
      { line: 3, message: 'expected a JSON object with a "text" field, got an array' },
      { line: 4, message: 'expected a JSON object with a "text" field, got a string' },
      { line: 5, message: 'expected a JSON object with a "text" field, got null' },
      { line: 6, field: 'text', message: "missing required field 'text'" },
      { line: 7, field: 'text', message: "'text' must be a string, got a number" },
      { line: 8, field: 'text', message: "'text' is empty or whitespace-only" },
      { line: 9, field: 'text', message: "'text' is empty or whitespace-only" },
      { line: 10, field: 'id', message: "'id' is empty or whitespace-only" },
      { line: 11, field: 'id', message: "'id' must be a string or a number, got a boolean" },
      { line: 12, field: 'id', message: "a numeric 'id' must be an integer up to 2^53 - 1, got 1.5; write other ids as strings" },
      { line: 13, field: 'id', message: expect.stringMatching(/^a numeric 'id' must be an integer up to 2\^53 - 1, got 1234567890123456\d+; write/) },
      { line: 14, field: 'meta', message: "'meta' must be a JSON object, got an array" },
      { line: 15, field: 'meta', message: "'meta' must be a JSON object, got a string" },
      { line: 16, field: 'Text', message: `unknown field 'Text' ${ALLOWED}` },
      { line: 16, field: 'lang', message: `unknown field 'lang' ${ALLOWED}` },
      { line: 16, field: 'text', message: "missing required field 'text'" },
      { line: 17, field: 'id', message: "id 'a' already used on line 1" },
      { line: 18, field: 'id', message: "'id' is empty or whitespace-only" },
      { line: 19, field: '__proto__', message: `unknown field '__proto__' ${ALLOWED}` },
      { line: 20, field: 'text', message: "'text' contains an unpaired surrogate escape (\\ud800-\\udfff)" },
      { line: 21, field: 'id', message: "'id' must be a string or a number, got null" },
      { line: 21, field: 'meta', message: "'meta' must be a JSON object, got null" },
      { line: 23, field: 'id', message: "id '7' already used on line 22" },
      { line: 24, message: expect.stringMatching(/^invalid JSON: /) },
    ]);
    expect(result.errorCount).toBe(25);
    expect(result.passages.map((p) => [p.line, p.externalId])).toEqual([
      [1, 'a'],
      [22, '7'],
    ]);
  });

  it('reports a duplicate id even when the first record has other problems', async () => {
    const result = await parse('{"id": "x", "text": ""}\n{"id": "x", "text": "ok"}\n', 'jsonl');
    expect(result.errors).toEqual([
      { line: 1, field: 'text', message: "'text' is empty or whitespace-only" },
      { line: 2, field: 'id', message: "id 'x' already used on line 1" },
    ]);
  });

  it('shortens a long duplicate id in the message without splitting an emoji', async () => {
    const id = `${'x'.repeat(79)}😀${'y'.repeat(100)}`;
    const line = JSON.stringify({ id, text: 't' });
    const result = await parse(`${line}\n${line}\n`, 'jsonl');
    expect(result.errors).toEqual([{ line: 2, field: 'id', message: `id '${'x'.repeat(79)}…' already used on line 1` }]);
  });

  it('rejects a file of only blank lines', async () => {
    const result = await parse('\n  \r\n\t\n', 'jsonl');
    expect(result.errors).toEqual([{ line: 0, message: 'the file contains no passages' }]);
  });
});
