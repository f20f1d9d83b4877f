import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Utf8DecodeError, Utf8StreamDecoder, decodeUtf8 } from '../src/utf8.ts';
import { sharedPath } from '../../../test-support/shared-data.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));

function decodeError(run: () => unknown): Utf8DecodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof Utf8DecodeError) return error;
    throw error;
  }
  throw new Error('expected a Utf8DecodeError');
}

/** Feeds `input` in the given chunk lengths; returns the concatenated text and the decoder. */
function streamDecode(input: Uint8Array, sizes: number[]): { text: string; decoder: Utf8StreamDecoder } {
  const decoder = new Utf8StreamDecoder();
  let text = '';
  let at = 0;
  for (const size of sizes) {
    text += decoder.push(input.subarray(at, at + size));
    at += size;
  }
  text += decoder.push(input.subarray(at));
  text += decoder.end();
  return { text, decoder };
}

const SAMPLE =
  'Привет, мир!\r\nЁжик 😀 👩🏽‍🔬\u00a0NBSP e\u0301 (NFD) — 中文 𝄞\n\u{10FFFF}\u0080\u07ff\u0800\uffff\u{10000}';

describe('decodeUtf8', () => {
  it('decodes Cyrillic, emoji, boundary code points, CRLF, NBSP and NFD without changing anything', () => {
    const result = decodeUtf8(enc(SAMPLE));
    expect(result).toEqual({ text: SAMPLE, bomStripped: false });
    expect(result.text).toContain('e\u0301');
    expect(result.text).not.toContain('\u00e9');
  });

  it('decodes an empty input', () => {
    expect(decodeUtf8(new Uint8Array(0))).toEqual({ text: '', bomStripped: false });
  });

  it('strips a BOM only at byte 0 and reports it', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'abc'))).toEqual({ text: 'abc', bomStripped: true });
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf]))).toEqual({ text: '', bomStripped: true });
    // Only one BOM is stripped; a second one is text.
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], 'x'))).toEqual({
      text: '\ufeffx',
      bomStripped: true,
    });
    expect(decodeUtf8(bytes('a', [0xef, 0xbb, 0xbf], 'b'))).toEqual({ text: 'a\ufeffb', bomStripped: false });
  });

  const invalid: { name: string; input: Uint8Array; offset: number; line: number; reason: RegExp }[] = [
    {
      name: 'a stray continuation byte',
      input: bytes('ab\ncd', [0x9f], 'e'),
      offset: 5,
      line: 2,
      reason: /^unexpected continuation byte 0x9f$/,
    },
    {
      name: 'a continuation byte after a complete 2-byte sequence',
      input: bytes('Я', [0x80]),
      offset: 2,
      line: 1,
      reason: /^unexpected continuation byte 0x80$/,
    },
    { name: 'C0 (overlong)', input: bytes('\n\n', [0xc0, 0xaf]), offset: 2, line: 3, reason: /overlong.*0xc0/ },
    { name: 'C1 (overlong)', input: bytes('x', [0xc1, 0xbf]), offset: 1, line: 1, reason: /overlong.*0xc1/ },
    {
      name: 'an overlong 3-byte sequence',
      input: bytes('ok\n', [0xe0, 0x80, 0xaf]),
      offset: 3,
      line: 2,
      reason: /^overlong encoding \(0xe0 0x80\)$/,
    },
    {
      name: 'an overlong 4-byte sequence',
      input: bytes([0xf0, 0x8f, 0xbf, 0xbf]),
      offset: 0,
      line: 1,
      reason: /^overlong encoding \(0xf0 0x8f\)$/,
    },
    {
      name: 'an encoded high surrogate',
      input: bytes('a\nb\nc', [0xed, 0xa0, 0x80]),
      offset: 5,
      line: 3,
      reason: /^UTF-16 surrogate encoded in UTF-8 \(0xed 0xa0\)$/,
    },
    {
      name: 'an encoded low surrogate',
      input: bytes([0xed, 0xbf, 0xbf]),
      offset: 0,
      line: 1,
      reason: /^UTF-16 surrogate encoded in UTF-8 \(0xed 0xbf\)$/,
    },
    {
      name: 'U+110000 (F4 90)',
      input: bytes('z', [0xf4, 0x90, 0x80, 0x80]),
      offset: 1,
      line: 1,
      reason: /^code point above U\+10FFFF \(0xf4 0x90\)$/,
    },
    { name: 'lead byte F5', input: bytes('\n', [0xf5, 0x80, 0x80, 0x80]), offset: 1, line: 2, reason: /above U\+10FFFF.*0xf5/ },
    { name: 'byte F8', input: bytes([0xf8]), offset: 0, line: 1, reason: /^byte 0xf8 never appears in UTF-8$/ },
    { name: 'byte FF', input: bytes('€', [0xff]), offset: 3, line: 1, reason: /^byte 0xff never appears in UTF-8$/ },
    { name: 'byte FE', input: bytes([0xfe, 0xff]), offset: 0, line: 1, reason: /0xfe never appears/ },
    {
      name: 'a sequence cut short by an ASCII byte',
      input: bytes('1\n2\n', [0xe2, 0x82], 'A'),
      offset: 4,
      line: 3,
      reason: /^truncated sequence: expected a continuation byte after lead byte 0xe2, got 0x41$/,
    },
    {
      name: 'a sequence cut short by a newline (the line is that of the lead byte)',
      input: bytes('x', [0xd0], '\n'),
      offset: 1,
      line: 1,
      reason: /expected a continuation byte after lead byte 0xd0, got 0x0a/,
    },
    {
      name: 'a 4-byte sequence cut short by another lead byte',
      input: bytes([0xf0, 0x9f, 0x98, 0xf0, 0x9f, 0x98, 0x80]),
      offset: 0,
      line: 1,
      reason: /after lead byte 0xf0, got 0xf0/,
    },
    {
      name: 'a sequence truncated at the end of the input',
      input: bytes('line\n😀', [0xf0, 0x9f, 0x98]),
      offset: 9,
      line: 2,
      reason: /^truncated sequence: the input ends inside a sequence started by lead byte 0xf0$/,
    },
    {
      name: 'Windows-1251 text ("Привет" = CF F0 E8 E2 E5 F2)',
      input: bytes('id: 7\nтекст: ', [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]),
      offset: 18,
      line: 2,
      reason: /^truncated sequence: expected a continuation byte after lead byte 0xcf, got 0xf0$/,
    },
  ];

  it.each(invalid)('rejects $name with its byte offset and line', ({ input, offset, line, reason }) => {
    const error = decodeError(() => decodeUtf8(input));
    expect(error.byteOffset).toBe(offset);
    expect(error.line).toBe(line);
    expect(error.reason).toMatch(reason);
    expect(error.message).toBe(`invalid UTF-8 at byte ${offset} (line ${line}): ${error.reason}`);
    expect(error.name).toBe('Utf8DecodeError');
  });

  it('rejects a real file that declares UTF-8 but is Windows-1251 (argmicro-ru micro_b002.xml)', () => {
    const file = readFileSync(
      sharedPath('corpora/argmicro-ru/translated_part1_human/micro_b002.xml'),
    );
    const error = decodeError(() => decodeUtf8(file));
    // `<edu id="e1" lang="ru" trans="human">В нашей ...` in cp1251: C2 20 ...
    expect(error.byteOffset).toBe(297);
    expect(error.line).toBe(4);
    expect(error.reason).toBe('truncated sequence: expected a continuation byte after lead byte 0xc2, got 0x20');
  });

  it('accepts every other file of the Russian corpus', () => {
    const dir = sharedPath('corpora/argmicro-ru/translated_part1_human/');
    const names = ['micro_b001.xml', 'micro_b003.xml', 'micro_k001.xml', 'micro_d01.xml'];
    for (const name of names) {
      const file = readFileSync(join(dir, name));
      expect(decodeUtf8(file).text).toBe(new TextDecoder().decode(file).replace(/^\ufeff/, ''));
    }
  });
});

describe('decodeUtf8 against the WHATWG decoder', () => {
  it('accepts and rejects exactly what TextDecoder({ fatal: true }) does, on 20,000 random inputs', () => {
    // Bytes around every boundary of Unicode Table 3-7, so most inputs are near-misses.
    const pool = [
      0x00, 0x0a, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
      0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xfe, 0xff,
    ];
    let seed = 12345;
    const random = (n: number): number => {
      // mulberry32: deterministic, so a failure names the same input every run.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let valid = 0;
    for (let k = 0; k < 20_000; k++) {
      const input = Uint8Array.from({ length: 1 + random(6) }, () => pool[random(pool.length)]!);
      let expected: string | null = null;
      try {
        expected = reference.decode(input);
      } catch {
        expected = null;
      }
      if (expected === null) {
        expect(() => decodeUtf8(input), `bytes ${[...input].join(',')}`).toThrow(Utf8DecodeError);
      } else {
        valid++;
        expect(decodeUtf8(input).text.replace(/^\ufeff/, '')).toBe(expected.replace(/^\ufeff/, ''));
      }
    }
    expect(valid).toBeGreaterThan(500);
  });
});

describe('Utf8StreamDecoder', () => {
  const input = enc(SAMPLE);

  it('gives the same text for every split position of every sequence', () => {
    for (let cut = 0; cut <= input.length; cut++) {
      expect(streamDecode(input, [cut]).text).toBe(SAMPLE);
    }
  });

  it('gives the same text for every pair of split positions inside a 4-byte sequence', () => {
    const emoji = bytes('a😀b');
    for (let first = 0; first <= emoji.length; first++) {
      for (let second = 0; first + second <= emoji.length; second++) {
        expect(streamDecode(emoji, [first, second]).text).toBe('a😀b');
      }
    }
  });

  it('decodes 1-byte chunks, holding back incomplete sequences', () => {
    const decoder = new Utf8StreamDecoder();
    const out = [...bytes('я😀')].map((b) => decoder.push(Uint8Array.of(b)));
    expect(out).toEqual(['', 'я', '', '', '', '😀']);
    expect(decoder.end()).toBe('');
    expect(decoder.bytesRead).toBe(6);
  });

  it('counts bytes read and accepts empty chunks', () => {
    const { text, decoder } = streamDecode(input, [0, 3, 0, 10]);
    expect(text).toBe(SAMPLE);
    expect(decoder.bytesRead).toBe(input.length);
  });

  it('strips a BOM at byte 0 even when it is split across chunks', () => {
    const withBom = bytes([0xef, 0xbb, 0xbf], 'Привет');
    for (const sizes of [[1, 1, 1], [2], [1], [3], [4], []]) {
      const { text, decoder } = streamDecode(withBom, sizes);
      expect(text).toBe('Привет');
      expect(decoder.bomStripped).toBe(true);
    }
  });

  it('keeps a BOM that is not at byte 0, whether or not it starts a chunk', () => {
    const midBom = bytes('a', [0xef, 0xbb, 0xbf], 'b');
    for (const sizes of [[1], [1, 1, 1], [2], []]) {
      const { text, decoder } = streamDecode(midBom, sizes);
      expect(text).toBe('a\ufeffb');
      expect(decoder.bomStripped).toBe(false);
    }
  });

  it('reports the offset and line of an invalid sequence split across chunks', () => {
    // 😀 then an overlong E0 80 80: the lead byte is at offset 7 on line 3.
    const bad = bytes('a\n', [0xf0, 0x9f], [0x98, 0x80], '\n', [0xe0, 0x80, 0x80]);
    for (let cut = 0; cut <= bad.length; cut++) {
      const error = decodeError(() => streamDecode(bad, [cut]));
      expect(error.byteOffset).toBe(7);
      expect(error.line).toBe(3);
      expect(error.reason).toBe('overlong encoding (0xe0 0x80)');
    }
  });

  it('reports a stray continuation byte in a later chunk with its absolute offset and line', () => {
    const decoder = new Utf8StreamDecoder();
    expect(decoder.push(enc('one\ntwo\n'))).toBe('one\ntwo\n');
    const error = decodeError(() => decoder.push(bytes('thr', [0xbf])));
    expect(error.byteOffset).toBe(11);
    expect(error.line).toBe(3);
  });

  it('throws from end() when the input stops inside a sequence', () => {
    const decoder = new Utf8StreamDecoder();
    expect(decoder.push(bytes('x\ny\n', [0xe2, 0x82]))).toBe('x\ny\n');
    const error = decodeError(() => decoder.end());
    expect(error.byteOffset).toBe(4);
    expect(error.line).toBe(3);
    expect(error.reason).toMatch(/^truncated sequence: the input ends inside/);
  });

  it('consumes nothing from a rejected chunk, so its valid prefix can be pushed', () => {
    const decoder = new Utf8StreamDecoder();
    decoder.push(enc('ab'));
    const chunk = bytes('Привет\n', [0xcf, 0xf0, 0xe8]);
    const error = decodeError(() => decoder.push(chunk));
    expect(decoder.bytesRead).toBe(2);
    expect(error.byteOffset).toBe(2 + 13);
    expect(decoder.push(chunk.subarray(0, error.byteOffset - decoder.bytesRead))).toBe('Привет\n');
    expect(decoder.bytesRead).toBe(15);
  });

  it('rejects Windows-1251 bytes at the offset of the first bad byte', () => {
    const cp1251 = bytes('ok\n', [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);
    for (const sizes of [[1, 1, 1, 1, 1], [4], []]) {
      const error = decodeError(() => streamDecode(cp1251, sizes));
      expect(error.byteOffset).toBe(3);
      expect(error.line).toBe(2);
    }
  });

  it('refuses to be used after end()', () => {
    const decoder = new Utf8StreamDecoder();
    decoder.end();
    expect(() => decoder.push(enc('x'))).toThrow(/after end/);
  });
});
