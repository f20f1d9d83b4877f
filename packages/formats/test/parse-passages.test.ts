import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PASSAGE_FORMATS,
  PassageSizeLimitError,
  detectPassageFormat,
  parsePassages,
  type PassageFormat,
} from '../src/index.ts';
import { chunked, concatBytes, parse, parseBytes, utf8 } from './helpers.ts';
import { sharedPath } from '../../../test-support/shared-data.ts';

const BOM = [0xef, 0xbb, 0xbf];
// "Привет" in Windows-1251.
const CP1251_PRIVET = [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2];

describe('detectPassageFormat', () => {
  it.each([
    ['passages.txt', 'txt'],
    ['PASSAGES.TXT', 'txt'],
    ['a.b.jsonl', 'jsonl'],
    ['data.NDJSON', 'jsonl'],
    ['table.Csv', 'csv'],
    ['C:\\Users\\me\\corpus.csv', 'csv'],
    ['archive.csv.gz', null],
    ['notes.json', null],
    ['csv', null],
    ['file.', null],
    ['', null],
    ['x.constructor', null],
    ['x.__proto__', null],
  ])('%s -> %s', (filename, format) => {
    expect(detectPassageFormat(filename)).toBe(format);
  });

  it('lists the formats', () => {
    expect(PASSAGE_FORMATS).toEqual(['txt', 'jsonl', 'csv']);
  });
});

describe('byte order mark', () => {
  const files: Record<PassageFormat, string> = {
    txt: 'Привет\n',
    jsonl: '{"text":"Привет"}\n',
    csv: 'text\nПривет\n',
  };

  it.each(PASSAGE_FORMATS)('is stripped and reported in %s (also when split across chunks)', async (format) => {
    const result = await parse(concatBytes(BOM, files[format]), format);
    expect(result.errors).toEqual([]);
    expect(result.passages.map((p) => p.text)).toEqual(['Привет']);
    expect(result.bomStripped).toBe(true);
    expect(result.warnings).toEqual([{ line: 0, message: 'a UTF-8 byte order mark was stripped' }]);
  });

  it('is kept as U+FEFF when it is not at byte 0', async () => {
    const result = await parse(concatBytes('a\n\n', BOM, 'b'), 'txt');
    expect(result.passages.map((p) => p.text)).toEqual(['a', '\ufeffb']);
    expect(result.warnings).toEqual([]);
  });
});

describe('invalid UTF-8', () => {
  const cases: Record<PassageFormat, Uint8Array> = {
    // A problem before the bad line is reported; one after it (the NBSP passage at the end) is not.
    txt: concatBytes('ok\n\n\u00a0\n\nab', CP1251_PRIVET, '\n\n\u00a0\n'),
    jsonl: concatBytes('{"text":"ok"}\n[]\n{"text":"', CP1251_PRIVET, '"}\n[]\n'),
    csv: concatBytes('text\n"\n', CP1251_PRIVET, '\n"\n'),
  };
  const expected: Record<PassageFormat, object[]> = {
    txt: [
      { line: 3, message: 'the passage is empty or whitespace-only' },
      {
        line: 5,
        message: 'invalid UTF-8 at byte 10: truncated sequence: expected a continuation byte after lead byte 0xcf, got 0xf0',
      },
    ],
    jsonl: [
      { line: 2, message: 'expected a JSON object with a "text" field, got an array' },
      {
        line: 3,
        message: 'invalid UTF-8 at byte 26: truncated sequence: expected a continuation byte after lead byte 0xcf, got 0xf0',
      },
    ],
    csv: [
      {
        line: 3,
        message: 'invalid UTF-8 at byte 7: truncated sequence: expected a continuation byte after lead byte 0xcf, got 0xf0',
      },
    ],
  };

  it.each(PASSAGE_FORMATS)(
    'is one error in %s; problems before it are reported, nothing after it is read',
    async (format) => {
      const result = await parse(cases[format], format);
      expect(result.errors).toEqual(expected[format]);
      expect(result.errorCount).toBe(expected[format].length);
    },
  );

  it('reports a sequence truncated at the end of the file', async () => {
    const result = await parse(concatBytes('{"text":"a"}\n{"text":"b', [0xd0]), 'jsonl');
    expect(result.errors).toEqual([
      {
        line: 2,
        message: 'invalid UTF-8 at byte 23: truncated sequence: the input ends inside a sequence started by lead byte 0xd0',
      },
    ]);
  });

  it('rejects a real Windows-1251 file that claims to be UTF-8, at its first bad byte', async () => {
    const file = readFileSync(
      sharedPath('corpora/argmicro-ru/translated_part1_human/micro_b002.xml'),
    );
    const result = await parseBytes(file, 'txt', undefined, [64]);
    expect(result.errors).toEqual([
      {
        line: 4,
        message: 'invalid UTF-8 at byte 297: truncated sequence: expected a continuation byte after lead byte 0xc2, got 0x20',
      },
    ]);
  });

  it('stops parsing at the bad chunk but reads the source to the end', async () => {
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (const part of ['{"text":"a"}\n', '{"text":"\xff"}\n', '{"text":c}\n\n']) {
          pulled++;
          yield part.includes('\xff') ? concatBytes('{"text":"', [0xff], '"}\n') : utf8(part);
        }
      } finally {
        closed = true;
      }
    }
    const result = await parsePassages(source(), 'jsonl');
    // Line 3 is invalid JSON, but it comes after the bad bytes: not parsed.
    expect(result.errors).toEqual([{ line: 2, message: 'invalid UTF-8 at byte 22: byte 0xff never appears in UTF-8' }]);
    expect(pulled).toBe(3);
    expect(closed).toBe(true);
    expect(result.bytes).toBe(13 + 12 + 13);
  });
});

describe('error cap', () => {
  const bad = '[]\n'.repeat(250);

  it('keeps the first 100 errors and counts all of them', async () => {
    const result = await parseBytes(bad, 'jsonl');
    expect(result.errors).toHaveLength(100);
    expect(result.errors[99]!.line).toBe(100);
    expect(result.errorCount).toBe(250);
  });

  it('honours maxErrors', async () => {
    const result = await parseBytes(bad, 'jsonl', { maxErrors: 3 });
    expect(result.errors.map((e) => e.line)).toEqual([1, 2, 3]);
    expect(result.errorCount).toBe(250);
  });
});

describe('maxBytes', () => {
  const file = utf8('{"text":"Привет"}\n'.repeat(10)); // 24 bytes a line

  it('accepts a file of exactly maxBytes', async () => {
    const result = await parseBytes(file, 'jsonl', { maxBytes: file.length }, [7]);
    expect(result.passages).toHaveLength(10);
    expect(result.bytes).toBe(file.length);
  });

  it('throws PassageSizeLimitError as soon as the limit is passed, and stops reading', async () => {
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield file.subarray(0, 24);
        }
      } finally {
        closed = true;
      }
    }
    const error = await parsePassages(source(), 'jsonl', { maxBytes: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PassageSizeLimitError);
    expect((error as PassageSizeLimitError).limit).toBe(100);
    expect((error as Error).message).toBe('the file is larger than the limit of 100 bytes');
    expect(pulled).toBe(5);
    expect(closed).toBe(true);
  });

  it('counts bytes, not characters', async () => {
    // 10 lines of 24 bytes but 18 characters: 180 characters pass a 200 limit, 240 bytes do not.
    await expect(parseBytes(file, 'jsonl', { maxBytes: 200 })).rejects.toThrow(PassageSizeLimitError);
  });
});

describe('parsePassages arguments and sources', () => {
  it('rejects an unknown format and bad limits', async () => {
    await expect(parseBytes('x', 'xml' as PassageFormat)).rejects.toThrow(TypeError);
    await expect(parseBytes('x', 'toString' as PassageFormat)).rejects.toThrow(TypeError);
    await expect(parseBytes('x', 'txt', { maxErrors: 0 })).rejects.toThrow(RangeError);
    await expect(parseBytes('x', 'txt', { maxBytes: -1 })).rejects.toThrow(RangeError);
  });

  it('passes on an error thrown by the source', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield utf8('text\n');
      throw new Error('connection reset');
    }
    await expect(parsePassages(failing(), 'csv')).rejects.toThrow('connection reset');
  });

  it('reads Node Buffers', async () => {
    const result = await parsePassages(chunked(Buffer.from('a\n\nb', 'utf8'), [1]), 'txt');
    expect(result.passages.map((p) => p.text)).toEqual(['a', 'b']);
  });
});

describe('real corpus: the 224 English and German argumentative microtexts', () => {
  const dir = sharedPath('corpora/arg-microtexts/corpus/');
  const files = ['en', 'de'].flatMap((lang) =>
    readdirSync(join(dir, lang))
      .filter((name) => name.endsWith('.txt'))
      .sort()
      .map((name) => ({ id: `${lang}/${name.slice(0, -4)}`, bytes: readFileSync(join(dir, lang, name)) })),
  );
  const texts = files.map((f) => new TextDecoder().decode(f.bytes));

  it('imports each .txt file as one byte-exact passage', async () => {
    expect(files).toHaveLength(224);
    for (const file of files) {
      const result = await parseBytes(file.bytes, 'txt');
      expect(result.errors).toEqual([]);
      expect(result.passages).toHaveLength(1);
      expect(Buffer.from(utf8(result.passages[0]!.text)).equals(file.bytes)).toBe(true);
    }
  });

  it('gives the same texts from txt, jsonl and csv renderings of the corpus', async () => {
    const txt = texts.join('\r\n\r\n');
    const jsonl = files.map((f, i) => JSON.stringify({ id: f.id, text: texts[i] })).join('\n');
    const csv =
      'id,text\r\n' + files.map((f, i) => `${f.id},"${texts[i]!.replaceAll('"', '""')}"`).join('\r\n') + '\r\n';
    const results = await Promise.all([
      parseBytes(txt, 'txt', undefined, [4096]),
      parseBytes(jsonl, 'jsonl', undefined, [4096]),
      parseBytes(csv, 'csv', undefined, [4096]),
    ]);
    for (const result of results) {
      expect(result.errors).toEqual([]);
      expect(result.passages.map((p) => p.text)).toEqual(texts);
    }
    expect(results[1]!.passages.map((p) => p.externalId)).toEqual(files.map((f) => f.id));
    expect(results[2]!.passages.map((p) => p.line)).toEqual(files.map((_, i) => i + 2));
    expect(results[0]!.passages.map((p) => p.line)).toEqual(files.map((_, i) => 2 * i + 1));
  });
});

describe('a large file', () => {
  it('parses 200,000 JSONL lines read in 64 KiB chunks', async () => {
    const lines = 200_000;
    const parts: string[] = [];
    for (let i = 0; i < lines; i++) parts.push(`{"id":${i},"text":"Passage ${i}: Привет 😀","meta":{"n":${i}}}\n`);
    const bytes = utf8(parts.join(''));
    const result = await parseBytes(bytes, 'jsonl', undefined, [65536]);
    expect(result.errors).toEqual([]);
    expect(result.bytes).toBe(bytes.length);
    expect(result.passages).toHaveLength(lines);
    expect(result.passages[lines - 1]).toEqual({
      line: lines,
      externalId: String(lines - 1),
      text: `Passage ${lines - 1}: Привет 😀`,
      meta: { n: lines - 1 },
    });
  });
});
