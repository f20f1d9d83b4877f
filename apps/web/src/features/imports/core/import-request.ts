import {
  ANNOTATED_IMPORT_FORMATS,
  IMPORT_MODES,
  PASSAGE_IMPORT_EXTENSIONS,
  USERNAME_PATTERN,
  type ImportMode,
} from '@warrant/contracts';

export type AnnotatedFormat = (typeof ANNOTATED_IMPORT_FORMATS)[number];
export const ARG_MICROTEXT_LANGUAGES = ['en', 'de', 'ru'] as const;
export type ArgMicrotextLanguage = (typeof ARG_MICROTEXT_LANGUAGES)[number];

/** What the lead asked for: one passage file, or a corpus with annotations in one or many files. */
export type ImportRequest =
  | { kind: 'passages'; file: File }
  | {
      kind: 'annotated';
      format: AnnotatedFormat;
      mode: ImportMode;
      /** The imported annotator's username (mode `annotator`); empty: the source's own name. */
      annotator: string;
      /** Which annotation source of the files; empty: the only one there is. */
      source: string;
      /** arg-microtext only; empty: as the files say (Russian for the bilingual ones). */
      language: ArgMicrotextLanguage | '';
      files: readonly File[];
    };

/** A file as the server should name it: its path inside a chosen folder, else its name. */
export function uploadName(file: File): string {
  const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
  return relative ? relative : file.name;
}

/**
 * The multipart body: the text fields first (the server reads them before any file), then every
 * file in a field named `file`. Empty fields are left out.
 */
export function buildImportForm(request: ImportRequest): FormData {
  const form = new FormData();
  if (request.kind === 'passages') {
    form.append('file', request.file, request.file.name);
    return form;
  }
  const fields: [string, string][] = [
    ['format', request.format],
    ['mode', request.mode],
    ['annotator', request.mode === 'annotator' ? request.annotator.trim().toLowerCase() : ''],
    ['source', request.source.trim()],
    ['language', request.format === 'arg-microtext' ? request.language : ''],
  ];
  for (const [name, value] of fields) if (value) form.append(name, value);
  for (const file of request.files) form.append('file', file, uploadName(file));
  return form;
}

/** File name endings each annotated format reads (brat: the .ann files, each with its .txt). */
export const ANNOTATED_EXTENSIONS: Record<AnnotatedFormat, readonly string[]> = {
  'semantic-jsonl': ['.jsonl', '.ndjson'],
  brat: ['.ann', '.txt', '.conf'],
  aif: ['.json'],
  'arg-microtext': ['.xml'],
};

/** What the file picker offers for each choice. */
export function acceptFor(kind: 'passages' | AnnotatedFormat): string {
  return (kind === 'passages' ? PASSAGE_IMPORT_EXTENSIONS : ANNOTATED_EXTENSIONS[kind]).join(',');
}

const extensionOf = (name: string) => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
};
const stemOf = (name: string) => {
  const extension = extensionOf(name);
  return extension ? name.slice(0, name.length - extension.length) : name;
};
/** Hidden files a folder brings along (.DS_Store, ._x.ann from macOS archives). */
const isHidden = (name: string) => name.split('/').some((part) => part.startsWith('.'));

export type SkipReason = 'hidden' | 'otherFormat' | 'textWithoutAnnotations';
export interface FileSelection {
  /** Sent to the server, in name order. */
  files: File[];
  /** Left out, with why (a folder holds more than the corpus). */
  skipped: { name: string; reason: SkipReason }[];
  /** brat: .ann files whose .txt was not chosen (the server would refuse them). */
  missingTexts: string[];
}

/**
 * The files of a choice (or of a whole folder) that the format reads. brat pairs each .ann with
 * the .txt of the same name; a .txt without an .ann holds no annotations and stays home.
 */
export function selectImportFiles(format: AnnotatedFormat, chosen: readonly File[]): FileSelection {
  const accepted = ANNOTATED_EXTENSIONS[format];
  const sorted = [...chosen].sort((a, b) => (uploadName(a) < uploadName(b) ? -1 : uploadName(a) > uploadName(b) ? 1 : 0));
  const files: File[] = [];
  const skipped: FileSelection['skipped'] = [];
  const annStems = new Set(sorted.filter((file) => extensionOf(uploadName(file)) === '.ann').map((file) => stemOf(uploadName(file))));
  const txtStems = new Set(sorted.filter((file) => extensionOf(uploadName(file)) === '.txt').map((file) => stemOf(uploadName(file))));
  for (const file of sorted) {
    const name = uploadName(file);
    const extension = extensionOf(name);
    if (isHidden(name)) skipped.push({ name, reason: 'hidden' });
    else if (!accepted.includes(extension)) skipped.push({ name, reason: 'otherFormat' });
    else if (format === 'brat' && extension === '.txt' && !annStems.has(stemOf(name))) skipped.push({ name, reason: 'textWithoutAnnotations' });
    else files.push(file);
  }
  const missingTexts =
    format === 'brat'
      ? files.map(uploadName).filter((name) => extensionOf(name) === '.ann' && !txtStems.has(stemOf(name)))
      : [];
  return { files, skipped, missingTexts };
}

export type AnnotatorProblem = 'pattern' | 'gold';

/** Why a name cannot name an imported annotator, or null (empty is allowed: the source's name is used). */
export function annotatorProblem(value: string): AnnotatorProblem | null {
  const name = value.trim().toLowerCase();
  if (name === '') return null;
  if (name === 'gold') return 'gold';
  return USERNAME_PATTERN.test(name) ? null : 'pattern';
}

/**
 * The sources a VALIDATION_FAILED answer offers for `source` ("one of a, b"), so the form can
 * list them; empty when the answer does not name any.
 */
export function sourceChoices(message: string | undefined): string[] {
  const match = /^one of (.+)$/.exec(message?.trim() ?? '');
  if (!match?.[1]) return [];
  return match[1]
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== '(none)');
}

export const isImportMode = (value: string): value is ImportMode => (IMPORT_MODES as readonly string[]).includes(value);
export const isAnnotatedFormat = (value: string): value is AnnotatedFormat => (ANNOTATED_IMPORT_FORMATS as readonly string[]).includes(value);
