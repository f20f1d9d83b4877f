/**
 * Passage import: bytes in, passages or a complete list of problems out. The import is
 * all-or-nothing, so the parser keeps going after a problem and reports everything it can,
 * each with the line to fix. Input is read chunk by chunk and handled line by line.
 */
import { Utf8DecodeError, Utf8StreamDecoder } from '@warrant/domain';
import { createCsvReader } from './csv.ts';
import { createJsonlReader } from './jsonl.ts';
import { createTxtReader } from './txt.ts';

export type PassageFormat = 'txt' | 'jsonl' | 'csv';

export const PASSAGE_FORMATS: readonly PassageFormat[] = Object.freeze(['txt', 'jsonl', 'csv']);

// A Map, not an object literal: "x.constructor" must not find Object.prototype.constructor.
const EXTENSIONS = new Map<string, PassageFormat>([
  ['txt', 'txt'],
  ['jsonl', 'jsonl'],
  ['ndjson', 'jsonl'],
  ['csv', 'csv'],
]);

/** The format of a file by its extension, case-insensitive; null when it is not one we import. */
export function detectPassageFormat(filename: string): PassageFormat | null {
  const match = /\.([^./\\]+)$/.exec(filename);
  return match ? (EXTENSIONS.get(match[1]!.toLowerCase()) ?? null) : null;
}

export interface ImportedPassage {
  /** 1-based line where the passage (txt) or record (jsonl, csv) starts. */
  line: number;
  externalId: string | null;
  text: string;
  meta: Record<string, unknown> | null;
}

export interface ImportProblem {
  /** 1-based line of the passage or record; 0 for problems with the file as a whole. */
  line: number;
  field?: string;
  message: string;
}

export interface PassageParseResult {
  /** The valid passages, in file order. Only meaningful when `errors` is empty. */
  passages: ImportedPassage[];
  /** Non-empty means the whole file must be rejected. Capped at `maxErrors`. */
  errors: ImportProblem[];
  /** All errors found, including those beyond the cap. */
  errorCount: number;
  warnings: ImportProblem[];
  bomStripped: boolean;
  /** Bytes read from the source: the size of the file. */
  bytes: number;
}

export interface PassageParseOptions {
  /** Cap on `errors` (default 100); counting goes on in `errorCount`. */
  maxErrors?: number;
  /** Default 100 MiB. More bytes than this throws PassageSizeLimitError. */
  maxBytes?: number;
}

export class PassageSizeLimitError extends Error {
  readonly limit: number;

  constructor(limit: number) {
    super(`the file is larger than the limit of ${limit} bytes`);
    this.name = 'PassageSizeLimitError';
    this.limit = limit;
  }
}

export const DEFAULT_MAX_ERRORS = 100;
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

/** Where a format reader delivers what it finds. */
export interface PassageSink {
  problem(problem: ImportProblem): void;
  /** Records the first use of an id; on a later use reports the duplicate and returns false. */
  claimId(id: string, line: number): boolean;
  accept(passage: ImportedPassage): void;
}

/**
 * A format reader sees the file one line at a time. `content` excludes the terminator;
 * `terminator` is '\r\n', '\n', or '' for a last line with no line break.
 */
export interface LineReader {
  line(content: string, terminator: string, lineNo: number): void;
  /** End of input: report what is still open or missing. Not called after a UTF-8 error. */
  end(): void;
}

const READERS: Record<PassageFormat, (sink: PassageSink) => LineReader> = {
  txt: createTxtReader,
  jsonl: createJsonlReader,
  csv: createCsvReader,
};

/** Splits decoded text into lines, carrying an unfinished line over to the next chunk. */
class LineSplitter {
  #pending: string[] = [];
  #lineNo = 0;
  readonly #reader: LineReader;

  constructor(reader: LineReader) {
    this.#reader = reader;
  }

  push(text: string): void {
    let start = 0;
    let lf = text.indexOf('\n');
    while (lf !== -1) {
      let content = text.slice(start, lf);
      if (this.#pending.length > 0) {
        this.#pending.push(content);
        content = this.#pending.join('');
        this.#pending = [];
      }
      this.#emit(content, true);
      start = lf + 1;
      lf = text.indexOf('\n', start);
    }
    if (start < text.length) this.#pending.push(start === 0 ? text : text.slice(start));
  }

  /** Emits a last line that has no line break. */
  end(): void {
    const rest = this.#pending.join('');
    this.#pending = [];
    if (rest.length > 0) this.#emit(rest, false);
  }

  #emit(content: string, hasLf: boolean): void {
    this.#lineNo++;
    if (hasLf && content.endsWith('\r')) {
      this.#reader.line(content.slice(0, -1), '\r\n', this.#lineNo);
    } else {
      this.#reader.line(content, hasLf ? '\n' : '', this.#lineNo);
    }
  }
}

/** Keeps messages readable when an id is a whole paragraph. */
function shorten(value: string, max = 80): string {
  if (value.length <= max) return value;
  // Do not cut an emoji in half.
  const end = /[\ud800-\udbff]/.test(value.charAt(max - 1)) ? max - 1 : max;
  return `${value.slice(0, end)}…`;
}

function checkLimit(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}

/**
 * Parses passages from a byte stream, reading it to the end. Resolves with every problem
 * found rather than throwing for bad content; throws PassageSizeLimitError (and stops
 * reading) as soon as the input exceeds `maxBytes`, and passes on errors thrown by `source`.
 */
export async function parsePassages(
  source: AsyncIterable<Uint8Array>,
  format: PassageFormat,
  options: PassageParseOptions = {},
): Promise<PassageParseResult> {
  const createReader = Object.hasOwn(READERS, format) ? READERS[format] : undefined;
  if (!createReader) throw new TypeError(`unknown passage format '${String(format)}'`);
  const maxErrors = checkLimit(options.maxErrors, DEFAULT_MAX_ERRORS, 'maxErrors', 1);
  const maxBytes = checkLimit(options.maxBytes, DEFAULT_MAX_BYTES, 'maxBytes', 0);

  const passages: ImportedPassage[] = [];
  const errors: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  let errorCount = 0;
  const idLines = new Map<string, number>();
  const sink: PassageSink = {
    problem(problem) {
      errorCount++;
      if (errors.length < maxErrors) errors.push(problem);
    },
    claimId(id, line) {
      const first = idLines.get(id);
      if (first === undefined) {
        idLines.set(id, line);
        return true;
      }
      sink.problem({ line, field: 'id', message: `id '${shorten(id)}' already used on line ${first}` });
      return false;
    },
    accept(passage) {
      passages.push(passage);
    },
  };

  const reader = createReader(sink);
  const lines = new LineSplitter(reader);
  const decoder = new Utf8StreamDecoder();
  let bytes = 0;
  let decodeError: Utf8DecodeError | null = null;

  for await (const chunk of source) {
    bytes += chunk.length;
    // Throwing here ends the for-await, which closes the source: nothing more is read.
    if (bytes > maxBytes) throw new PassageSizeLimitError(maxBytes);
    // After a UTF-8 error the rest is only counted, not parsed: `bytes` is then the file size
    // whatever the chunking, and an upload stream is drained (multipart parsers wait for that).
    if (decodeError) continue;
    let text: string;
    try {
      text = decoder.push(chunk);
    } catch (error) {
      if (!(error instanceof Utf8DecodeError)) throw error;
      decodeError = error;
      // The decoder consumed nothing of this chunk: take the text before the bad sequence, so
      // the lines before it are checked whatever the chunk sizes were.
      const validPrefix = error.byteOffset - decoder.bytesRead;
      text = validPrefix > 0 ? decoder.push(chunk.subarray(0, validPrefix)) : '';
    }
    lines.push(text);
  }
  if (!decodeError) {
    try {
      lines.push(decoder.end());
    } catch (error) {
      if (!(error instanceof Utf8DecodeError)) throw error;
      decodeError = error;
    }
  }

  if (decodeError) {
    // The line holding the bad bytes is never handed to the reader: it would be half a line.
    sink.problem({
      line: decodeError.line,
      message: `invalid UTF-8 at byte ${decodeError.byteOffset}: ${decodeError.reason}`,
    });
  } else {
    lines.end();
    reader.end();
    if (passages.length === 0 && errorCount === 0) {
      sink.problem({ line: 0, message: 'the file contains no passages' });
    }
  }
  if (decoder.bomStripped) warnings.push({ line: 0, message: 'a UTF-8 byte order mark was stripped' });

  return { passages, errors, errorCount, warnings, bomStripped: decoder.bomStripped, bytes };
}
