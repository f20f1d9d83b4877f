import { Utf8DecodeError, decodeUtf8 } from '@warrant/domain';
import { parseAif } from '../aif/parse-aif.ts';
import { parseArgMicrotext, type ArgMicrotextLanguage } from '../arg-microtext/parse-arg-microtext.ts';
import { parseBrat } from '../brat/parse-brat.ts';
import { parseSemanticJsonl } from '../semantic-jsonl/parse.ts';
import { FormatError, type DatasetDocument, type FormatLoss, type FormatProblem } from './document.ts';

/** The annotated formats Warrant reads (the `--from` of `warrant convert`, the studio's annotated import). */
export const DATASET_READ_FORMATS = ['semantic-jsonl', 'brat', 'aif', 'arg-microtext'] as const;
export type DatasetReadFormat = (typeof DATASET_READ_FORMATS)[number];

/** The file a document of each format is read from (brat: the .ann, whose .txt sits beside it). */
export const DATASET_FILE_EXTENSIONS: Record<DatasetReadFormat, readonly string[]> = {
  'semantic-jsonl': ['.jsonl', '.ndjson'],
  brat: ['.ann'],
  aif: ['.json'],
  'arg-microtext': ['.xml'],
};

/** Files that come with a brat collection and hold no document: skipped, not refused. */
const BRAT_CONFIGURATION = new Set(['annotation.conf', 'visual.conf', 'tools.conf', 'kb_shortcuts.conf', 'losses.json']);

export interface DatasetFile {
  /** The name as given (a relative path is fine): names the document and every problem. */
  name: string;
  bytes: Uint8Array;
}

export interface ReadDatasetOptions {
  /** arg-microtext: which language of a bilingual file. */
  language?: ArgMicrotextLanguage | undefined;
  /** brat: the annotation source its annotations belong to (default `brat`). */
  source?: string | undefined;
  /**
   * brat: remove a byte order mark at the start of a .txt (brat counts it as a character), moving
   * the offsets back by one, and report it as a loss. The studio stores texts without one, as its
   * plain-passage import does; `warrant convert` keeps the text as it is.
   */
  stripBom?: boolean | undefined;
}

/** The document without the leading U+FEFF of its text; offsets moved back by one. */
function withoutBom(document: DatasetDocument, file: string, problems: FormatProblem[]): DatasetDocument {
  const annotations = document.annotations.map((annotation) => ({
    ...annotation,
    spans: annotation.spans.flatMap((span) => {
      if (span.end <= 1) {
        problems.push({ file, element: span.id, message: 'this span covers only the byte order mark at the start of the text' });
        return [];
      }
      return [{ ...span, start: Math.max(0, span.start - 1), end: span.end - 1 }];
    }),
  }));
  return { ...document, text: document.text.slice(1), annotations };
}

export interface ReadDatasetResult {
  documents: DatasetDocument[];
  losses: FormatLoss[];
}

const extensionOf = (name: string): string => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
};
const stemOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot <= name.lastIndexOf('/') ? name : name.slice(0, dot);
};
const baseOf = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/**
 * Strict UTF-8: a wrong byte is a problem with its line, never a replacement character in the
 * text (offsets counted on a text with U+FFFD in it would point elsewhere than the author's).
 * `keepBom`: brat counts a byte order mark as a character of the .txt, so offsets need it kept.
 */
function decode(file: string, bytes: Uint8Array, keepBom = false): string {
  try {
    const { text, bomStripped } = decodeUtf8(bytes);
    return keepBom && bomStripped ? `\uFEFF${text}` : text;
  } catch (error) {
    if (!(error instanceof Utf8DecodeError)) throw error;
    throw new FormatError([{ file, line: error.line, message: `not valid UTF-8 at byte ${error.byteOffset}: ${error.reason}` }]);
  }
}

/**
 * Reads a set of files of one format (a folder's, an upload's) into documents. Files are read in
 * name order; every problem of every file is collected and thrown together as one FormatError,
 * so a caller imports all or nothing.
 */
export function readDatasetFiles(format: DatasetReadFormat, files: readonly DatasetFile[], options: ReadDatasetOptions = {}): ReadDatasetResult {
  const documents: DatasetDocument[] = [];
  const losses: FormatLoss[] = [];
  const problems: FormatProblem[] = [];
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length === 0) throw new FormatError([{ file: '(none)', message: 'no file was given' }]);
  const names = new Set(sorted.map((file) => file.name));
  if (names.size !== sorted.length) {
    const seen = new Set<string>();
    for (const file of sorted) {
      if (seen.has(file.name)) problems.push({ file: file.name, message: 'this file name is given twice' });
      seen.add(file.name);
    }
  }
  const texts = new Map(sorted.filter((file) => extensionOf(file.name) === '.txt').map((file) => [stemOf(file.name), file]));
  const accepted = DATASET_FILE_EXTENSIONS[format];
  const paired = new Set<string>();
  let read = 0;
  for (const file of sorted) {
    const extension = extensionOf(file.name);
    if (!accepted.includes(extension)) {
      if (format === 'brat' && (extension === '.txt' || BRAT_CONFIGURATION.has(baseOf(file.name)))) continue;
      problems.push({ file: file.name, message: `not a ${format} file: expected ${[...accepted, ...(format === 'brat' ? ['.txt'] : [])].join(' or ')}` });
      continue;
    }
    read += 1;
    try {
      switch (format) {
        case 'semantic-jsonl': {
          const result = parseSemanticJsonl({ file: file.name, text: decode(file.name, file.bytes) });
          documents.push(...result.documents);
          losses.push(...result.losses);
          break;
        }
        case 'brat': {
          const txt = texts.get(stemOf(file.name));
          if (!txt) {
            problems.push({ file: file.name, message: `its text ${baseOf(stemOf(file.name))}.txt is missing: give each .ann with its .txt` });
            break;
          }
          paired.add(txt.name);
          const result = parseBrat({
            file: file.name,
            txt: decode(txt.name, txt.bytes, true),
            ann: decode(file.name, file.bytes),
            ...(options.source ? { source: options.source } : {}),
          });
          losses.push(...result.losses);
          if (options.stripBom && result.document.text.startsWith('\uFEFF')) {
            documents.push(withoutBom(result.document, file.name, problems));
            losses.push({ document: result.document.id, item: 'text', reason: 'a byte order mark at the start of the .txt was removed; offsets moved back by one' });
          } else {
            documents.push(result.document);
          }
          break;
        }
        case 'aif': {
          const result = parseAif({ file: file.name, json: decode(file.name, file.bytes) });
          documents.push(result.document);
          losses.push(...result.losses);
          break;
        }
        case 'arg-microtext': {
          const result = parseArgMicrotext({ file: file.name, bytes: file.bytes, ...(options.language ? { language: options.language } : {}) });
          documents.push(result.document);
          losses.push(...result.losses);
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (format === 'brat') {
    for (const [, txt] of texts) {
      if (!paired.has(txt.name)) problems.push({ file: txt.name, message: `no ${baseOf(stemOf(txt.name))}.ann beside it: a brat document is a .txt with its .ann (an empty .ann for no annotations)` });
    }
  }
  if (read === 0 && problems.length === 0) {
    problems.push({ file: sorted[0]!.name, message: `no ${accepted.join(' or ')} file among the ${sorted.length} given` });
  }
  if (problems.length > 0) throw new FormatError(problems);
  const ids = new Set<string>();
  for (const document of documents) {
    if (ids.has(document.id)) problems.push({ file: document.id, message: `the document id '${document.id}' occurs twice` });
    ids.add(document.id);
  }
  if (problems.length > 0) throw new FormatError(problems);
  return { documents, losses };
}
