import { Utf8DecodeError, decodeUtf8 } from '@warrant/domain';
import type { FormatProblem } from '../dataset/document.ts';

/**
 * Strict UTF-8 decoding of an XML file, with a refusal that says where and what: the byte, its
 * line, the element whose text holds it, and, when the bad bytes read as Cyrillic in
 * Windows-1251, that hint. We refuse rather than decode as Windows-1251 because such files are
 * mixed: argmicro-ru's micro_b002.xml has UTF-8 English EDUs ("Neukölln") beside Windows-1251
 * Russian ones, so no single decoding of the file is right.
 */
export function decodeXmlBytes(file: string, bytes: Uint8Array): { text: string } | { problem: FormatProblem } {
  try {
    return { text: decodeUtf8(bytes).text };
  } catch (error) {
    if (!(error instanceof Utf8DecodeError)) throw error;
    // The bytes before the bad sequence are valid UTF-8, so they decode.
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, error.byteOffset));
    const element = enclosingStartTag(before);
    const hint = looksLikeWindows1251(bytes, error.byteOffset)
      ? '; the bytes read as Cyrillic in Windows-1251, but the file must be UTF-8 (re-save it as UTF-8)'
      : '';
    return {
      problem: {
        file,
        line: error.line,
        ...(element ? { element } : {}),
        message: `invalid UTF-8 at byte ${error.byteOffset}: ${error.reason}${hint}`,
      },
    };
  }
}

/** The last start tag not closed before the end of `text`: `edu e1 lang="ru"`. */
function enclosingStartTag(text: string): string | null {
  const tags = [...text.matchAll(/<(\/?)([A-Za-z_][\w.-]*)([^<>]*?)(\/?)>/g)];
  const open: string[] = [];
  for (const tag of tags) {
    const [, closing, name, attrs, selfClosing] = tag;
    if (closing) open.pop();
    else if (!selfClosing) open.push(describe(name!, attrs!));
  }
  return open.at(-1) ?? null;
}

function describe(name: string, attrs: string): string {
  const values = new Map([...attrs.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((m) => [m[1]!, m[2] ?? m[3] ?? '']));
  const id = values.get('id');
  const lang = values.get('lang');
  return `${name}${id !== undefined ? ` ${id}` : ''}${lang !== undefined ? ` lang="${lang}"` : ''}`;
}

/** Most of the next non-ASCII bytes are in C0..FF, where Windows-1251 puts А..я. */
function looksLikeWindows1251(bytes: Uint8Array, from: number): boolean {
  let high = 0;
  let cyrillic = 0;
  for (let i = from; i < bytes.length && high < 64; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    high++;
    if (b >= 0xc0) cyrillic++;
  }
  return high >= 4 && cyrillic / high >= 0.75;
}
