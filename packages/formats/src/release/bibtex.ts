/** A BibTeX `@misc` entry for a release, safe for any project name or citation text. */

const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '%': '\\%',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/** A field value: one line, TeX specials escaped so braces stay balanced and nothing is run. */
export function bibtexValue(text: string): string {
  return text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}%$&#_~^]/g, (c) => SPECIAL[c] ?? c);
}

/** ASCII letters and digits of `name`, lower-cased and joined with `_` (accents dropped); '' when there are none. */
export function bibtexSlug(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((part) => part !== '')
    .join('_')
    .slice(0, 40)
    .replace(/_+$/, '');
}

export interface BibtexEntryInput {
  project: string;
  /** The release's number. */
  version: number;
  /** The release's name or tag; left out of the title when empty. */
  name: string;
  year: number;
  /** Free text the project asks to be cited with, put in `note`; null: none. */
  citation: string | null;
}

/** `@misc{<slug>_<year>_v<version>, title, year, version, howpublished, note}`; the key is `warrant_...` when the name has no ASCII letter or digit. */
export function bibtexEntry(input: BibtexEntryInput): string {
  const key = `${bibtexSlug(input.project) || 'warrant'}_${input.year}_v${input.version}`;
  const name = bibtexValue(input.name);
  const title = `${bibtexValue(input.project)}: dataset release ${input.version}${name !== '' && name !== String(input.version) ? ` (${name})` : ''}`;
  const note = input.citation === null ? '' : bibtexValue(input.citation);
  return [
    `@misc{${key},`,
    `  title = {{${title}}},`,
    `  year = {${input.year}},`,
    `  version = {${input.version}},`,
    '  howpublished = {Warrant dataset release},',
    ...(note !== '' ? [`  note = {${note}},`] : []),
    '}',
  ].join('\n');
}
