import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/corpora beside the repository: read at test time, never copied in. */
export const CORPORA = new URL('../../../../shared/corpora/', import.meta.url);

export const MICROTEXT_FOLDERS = {
  en: 'arg-microtexts/corpus/en/',
  de: 'arg-microtexts/corpus/de/',
  ru: 'argmicro-ru/translated_part1_human/',
} as const;

export type MicrotextFolder = keyof typeof MICROTEXT_FOLDERS;

export const corpusPath = (relative: string): string => fileURLToPath(new URL(relative, CORPORA));

/** The `micro_*.xml` file names of a folder, sorted. */
export function microtextFiles(folder: MicrotextFolder): string[] {
  return readdirSync(new URL(MICROTEXT_FOLDERS[folder], CORPORA))
    .filter((name) => name.endsWith('.xml'))
    .sort();
}

export const readCorpusFile = (folder: MicrotextFolder, name: string): Uint8Array =>
  readFileSync(new URL(MICROTEXT_FOLDERS[folder] + name, CORPORA));

export const readCorpusText = (folder: MicrotextFolder, name: string): string =>
  readFileSync(new URL(MICROTEXT_FOLDERS[folder] + name, CORPORA), 'utf8');
