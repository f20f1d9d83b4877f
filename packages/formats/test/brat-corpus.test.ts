import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DatasetDocument } from '../src/dataset/document.ts';
import { parseBrat } from '../src/brat/parse-brat.ts';
import { writeBrat } from '../src/brat/write-brat.ts';

// brat's own tutorial documents, read in place (never copied into the repo).
const corpora = new URL('../../../../shared/corpora/', import.meta.url);
const tutorials = new URL('brat-tutorials/example-data/tutorials/', corpora);
const folders = ['news', 'bio'] as const;

const pairs = folders.flatMap((folder) =>
  readdirSync(new URL(`${folder}/`, tutorials))
    .filter((name) => name.endsWith('.ann'))
    .sort()
    .map((name) => ({ folder, name: name.slice(0, -'.ann'.length) })),
);

const read = (folder: string, name: string, ext: string): string =>
  readFileSync(new URL(`${folder}/${name}.${ext}`, tutorials), 'utf8');

const annLines = (ann: string): string[] => ann.split('\n').filter((line) => line.trim() !== '');

/** Every T line's text is the code-point slice of the text, as Python would slice it. */
function expectTextFieldsMatch(txt: string, ann: string): number {
  const codePoints = [...txt];
  let checked = 0;
  for (const line of annLines(ann).filter((l) => l.startsWith('T'))) {
    const [, body = '', field] = line.split('\t');
    const [, start, end] = body.split(' ');
    expect(field, line).toBe(codePoints.slice(Number(start), Number(end)).join(''));
    checked += 1;
  }
  return checked;
}

/**
 * The losses the README documents for a brat file, derived from its lines independently of the
 * importer: every E, A, M and N line, every `*` line, and every `#` line that is not the first
 * AnnotatorNotes on a T.
 */
function documentedLosses(ann: string): string[] {
  const noted = new Set<string>();
  const items: string[] = [];
  annLines(ann).forEach((line, i) => {
    const [id = '', body = ''] = line.split('\t');
    if (/^[EAMN]/.test(id)) items.push(id);
    else if (id === '*') items.push(`line ${i + 1}`);
    else if (id.startsWith('#')) {
      const [type, target = ''] = body.split(' ');
      if (type === 'AnnotatorNotes' && target.startsWith('T') && !noted.has(target)) noted.add(target);
      else items.push(id);
    }
  });
  return items.sort();
}

/** Spans and relations keyed by what they cover, so brat ids (renumbered on export) do not matter. */
function content(document: DatasetDocument) {
  const [annotation] = document.annotations;
  if (!annotation) throw new Error('no annotation set');
  const key = new Map(annotation.spans.map((s) => [s.id, `${s.start}-${s.end} ${s.label}`]));
  return {
    text: document.text,
    spans: annotation.spans.map((s) => `${key.get(s.id)} note=${JSON.stringify(s.note)}`).sort(),
    relations: annotation.relations.map((r) => `${key.get(r.source)} -${r.type}-> ${key.get(r.target)}`).sort(),
  };
}

describe('brat tutorial corpus (news, bio)', () => {
  it('finds all 26 document pairs, each with its .txt', () => {
    expect(pairs).toHaveLength(26);
    for (const { folder, name } of pairs) expect(read(folder, name, 'txt').length).toBeGreaterThan(0);
  });

  it.each(pairs)('$folder/$name: imports, exports and re-imports with exactly the documented losses', ({ folder, name }) => {
    const txt = read(folder, name, 'txt');
    const ann = read(folder, name, 'ann');
    const tLines = annLines(ann).filter((l) => l.startsWith('T')).length;
    const rLines = annLines(ann).filter((l) => l.startsWith('R')).length;
    expect(expectTextFieldsMatch(txt, ann)).toBe(tLines);

    const imported = parseBrat({ file: `${folder}/${name}.ann`, txt, ann });
    expect(imported.document.id).toBe(name);
    expect(imported.document.text).toBe(txt);
    expect(imported.document.annotations.map((a) => a.source)).toEqual(['brat']);
    expect(imported.document.annotations[0]?.spans).toHaveLength(tLines);
    expect(imported.document.annotations[0]?.relations).toHaveLength(rLines);
    expect(imported.losses.map((loss) => loss.item).sort()).toEqual(documentedLosses(ann));
    for (const loss of imported.losses) expect(loss).toMatchObject({ document: name, source: 'brat' });

    const exported = writeBrat(imported.document, 'brat');
    expect(exported.losses).toEqual([]);
    expect(exported.txt).toBe(txt);
    expect(expectTextFieldsMatch(exported.txt, exported.ann)).toBe(tLines);

    const reimported = parseBrat({ file: `${name}.ann`, txt: exported.txt, ann: exported.ann });
    expect(reimported.losses).toEqual([]);
    expect(content(reimported.document)).toEqual(content(imported.document));
  });

  it('carries the corpus notes and relations through the round trip (the check above is not vacuous)', () => {
    const txt = read('bio', '110-note_annotation', 'txt');
    const ann = read('bio', '110-note_annotation', 'ann');
    const { document, losses } = parseBrat({ file: '110-note_annotation.ann', txt, ann });
    const again = parseBrat({ file: 'x.ann', ...writeBrat(document, 'brat') }).document;
    expect(content(again).spans).toContain('421-424 Protein note="Check: is this a Protein or a Complex?"');
    expect(content(again).relations).toEqual(['480-485 Protein -Part-of-> 469-479 Complex', '626-631 Protein -Part-of-> 615-625 Complex']);
    expect(losses.map((l) => l.item)).toEqual(['E1', '#2', '#3', 'E2']);
    expect(losses[2]?.reason).toContain('AnnotatorNotes on R1 (a relation annotation)');
  });
});
