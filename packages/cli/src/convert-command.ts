import { mkdir, open, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  FormatError,
  annotationConf,
  DATASET_FILE_EXTENSIONS,
  DATASET_READ_FORMATS,
  readDatasetFiles,
  writeAif,
  writeBrat,
  writeConll,
  writeCsv,
  writeSemanticJsonl,
  type DatasetDocument,
  type FormatLoss,
  type DatasetFile,
} from '@warrant/formats';
import { UsageError } from './usage.ts';

export const READ_FORMATS = DATASET_READ_FORMATS;
export const WRITE_FORMATS = ['semantic-jsonl', 'brat', 'aif', 'conll', 'csv'] as const;
export type ReadFormat = (typeof READ_FORMATS)[number];
export type WriteFormat = (typeof WRITE_FORMATS)[number];

export interface ConvertOptions {
  from: ReadFormat;
  to: WriteFormat;
  /** A file, or a folder whose files of the format are read (sorted by name). */
  input: string;
  /** A file (semantic-jsonl, conll, csv) or a folder (brat, aif). */
  output: string;
  /** arg-microtext: which language of a bilingual file. */
  language?: 'en' | 'de' | 'ru' | undefined;
  /** Which annotation source to write where a format holds one (brat, aif, conll); all of them otherwise. */
  source?: string | undefined;
}

export interface ConvertReport {
  documents: number;
  losses: FormatLoss[];
}

/**
 * The files to read: the input file, or the folder's files of the format (brat: with their .txt).
 * Other files in a folder (a README, notes) are left alone.
 */
export async function inputFiles(input: string, format: ReadFormat): Promise<DatasetFile[]> {
  const extensions = [...DATASET_FILE_EXTENSIONS[format], ...(format === 'brat' ? ['.txt'] : [])];
  let paths = [input];
  if ((await stat(input)).isDirectory()) {
    paths = (await readdir(input)).filter((name) => extensions.includes(extname(name).toLowerCase())).sort().map((name) => join(input, name));
    if (paths.length === 0) throw new FormatError([{ file: input, message: `no ${DATASET_FILE_EXTENSIONS[format].join(' or ')} file in this folder` }]);
  } else if (format === 'brat') {
    const txt = join(dirname(input), `${basename(input, extname(input))}.txt`);
    paths = [input, txt];
  }
  return Promise.all(paths.map(async (path) => ({ name: path, bytes: await readFileOrProblem(path) })));
}

/**
 * A file's bytes in shared memory (a SharedArrayBuffer), so that a thread reading them (the
 * studio's reader thread for a large JSONL import) reads them in place instead of a copy.
 */
async function readFileOrProblem(path: string): Promise<Uint8Array> {
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const bytes = new Uint8Array(new SharedArrayBuffer(size));
      let at = 0;
      while (at < size) {
        const { bytesRead } = await file.read(bytes, at, size - at, at);
        if (bytesRead === 0) break;
        at += bytesRead;
      }
      // A file that shrank while read: what was there.
      return at === size ? bytes : bytes.subarray(0, at);
    } finally {
      await file.close();
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') throw new FormatError([{ file: path, message: 'no such file' }]);
    throw error;
  }
}

/** Reads every input file; all problems of all files are reported together, and nothing is written. */
async function read(options: ConvertOptions): Promise<{ documents: DatasetDocument[]; losses: FormatLoss[] }> {
  return readDatasetFiles(options.from, await inputFiles(options.input, options.from), { language: options.language, source: options.source });
}

/** The sources to write for a document: the one asked for, or every one it has. */
function sourcesOf(document: DatasetDocument, source: string | undefined): string[] {
  if (source === undefined) return document.annotations.map((a) => a.source);
  return document.annotations.some((a) => a.source === source) ? [source] : [];
}

/**
 * One file name per (document, source) when a document has several sources, else the document id;
 * never one already written (ids that differ only in unsafe characters, or repeated across input
 * files, get `-2`, `-3`...).
 */
function fileStem(document: DatasetDocument, source: string, several: boolean, taken: Set<string>): string {
  const safe = (name: string) => name.replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^\.+/, '_');
  const stem = several ? `${safe(document.id)}.${safe(source)}` : safe(document.id);
  let name = stem;
  for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${stem}-${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * Never touches what the user has: a folder output must not exist or be empty, a file output may
 * only replace a file, and the output must not hold the input.
 */
async function checkOutput(input: string, output: string, isFolder: boolean): Promise<void> {
  const inside = relative(output, input);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
    throw new UsageError(`the output ${output} would hold the input ${input}: choose another output`);
  }
  let existing;
  try {
    existing = await stat(output);
  } catch {
    return;
  }
  if (isFolder) {
    if (!existing.isDirectory() || (await readdir(output)).length > 0) {
      throw new UsageError(`${output} exists and is not an empty folder: choose a new folder`);
    }
  } else if (!existing.isFile()) {
    throw new UsageError(`${output} exists and is not a file: choose a file name`);
  }
}

/** Writes into a temporary sibling, then renames it into place: a failed conversion leaves nothing. */
async function writeAtomically(output: string, isFolder: boolean, write: (target: string) => Promise<void>): Promise<void> {
  const temporary = join(dirname(output), `.${basename(output)}.partial-${process.pid}`);
  await rm(temporary, { recursive: true, force: true });
  if (isFolder) await mkdir(temporary, { recursive: true });
  try {
    await write(temporary);
    // A file is replaced by the rename itself; a folder can only be the empty one checkOutput allowed.
    if (isFolder) await rmdirIfEmpty(output);
    await rename(temporary, output);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
}

async function rmdirIfEmpty(folder: string): Promise<void> {
  try {
    await rmdir(folder);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
}

export async function convert(given: ConvertOptions): Promise<ConvertReport> {
  // Absolute, without a trailing slash: `out/` and `out` are the same folder (and its losses file sits beside it).
  const options = { ...given, input: resolve(given.input), output: resolve(given.output) };
  const isFolder = options.to === 'brat' || options.to === 'aif';
  await checkOutput(options.input, options.output, isFolder);
  const { documents, losses } = await read(options);
  const out = (more: FormatLoss[]) => losses.push(...more);
  await mkdir(dirname(options.output), { recursive: true });
  switch (options.to) {
    case 'semantic-jsonl': {
      const chosen = options.source === undefined ? documents : documents.map((d) => ({ ...d, annotations: d.annotations.filter((a) => a.source === options.source) }));
      const result = writeSemanticJsonl(chosen, { provenance: { converted_by: 'warrant convert', source_format: options.from } });
      out(result.losses);
      await writeAtomically(options.output, false, (target) => writeFile(target, result.text));
      break;
    }
    case 'conll':
    case 'csv': {
      let text = '';
      if (options.to === 'csv') {
        const result = writeCsv(documents, options.source);
        out(result.losses);
        text = result.text;
      } else {
        for (const document of documents) {
          for (const source of sourcesOf(document, options.source)) {
            const result = writeConll(document, source);
            out(result.losses);
            text += result.text;
          }
        }
      }
      await writeAtomically(options.output, false, (target) => writeFile(target, text));
      break;
    }
    case 'brat':
    case 'aif': {
      const to = options.to;
      await writeAtomically(options.output, true, async (folder) => {
        const labels = new Set<string>();
        const relationTypes = new Set<string>();
        const taken = new Set<string>(['annotation']);
        for (const document of documents) {
          const sources = sourcesOf(document, options.source);
          for (const source of sources) {
            const stem = fileStem(document, source, sources.length > 1, taken);
            const annotation = document.annotations.find((a) => a.source === source);
            for (const span of annotation?.spans ?? []) labels.add(span.label);
            for (const relation of annotation?.relations ?? []) relationTypes.add(relation.type);
            if (to === 'brat') {
              const result = writeBrat(document, source);
              out(result.losses);
              await writeFile(join(folder, `${stem}.txt`), result.txt);
              await writeFile(join(folder, `${stem}.ann`), result.ann);
            } else {
              const result = writeAif(document, source);
              out(result.losses);
              await writeFile(join(folder, `${stem}.json`), result.json);
            }
          }
        }
        if (to === 'brat') {
          await writeFile(join(folder, 'annotation.conf'), annotationConf([...labels].sort(), [...relationTypes].sort().map((key) => ({ key }))));
        }
      });
      break;
    }
  }
  await writeFile(`${options.output}.losses.json`, `${JSON.stringify(losses, null, 2)}\n`);
  return { documents: documents.length, losses };
}
