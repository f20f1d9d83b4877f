import { describe, expect, it } from 'vitest';
import { acceptFor, annotatorProblem, buildImportForm, selectImportFiles, sourceChoices, uploadName } from './import-request.ts';

const file = (name: string, text = 'x', relative?: string): File => {
  const made = new File([text], name);
  if (relative) Object.defineProperty(made, 'webkitRelativePath', { value: relative });
  return made;
};
const names = (files: readonly File[]) => files.map(uploadName);

describe('buildImportForm', () => {
  it('sends a passage file alone, as before', () => {
    const form = buildImportForm({ kind: 'passages', file: file('a.jsonl') });
    expect([...form.keys()]).toEqual(['file']);
    expect((form.get('file') as File).name).toBe('a.jsonl');
  });

  it('puts the text fields first, then every file in a field named "file"', () => {
    const form = buildImportForm({
      kind: 'annotated',
      format: 'arg-microtext',
      mode: 'annotator',
      annotator: ' Micro-A ',
      source: ' arg-microtext ',
      language: 'ru',
      files: [file('micro_b001.xml'), file('micro_b003.xml')],
    });
    expect([...form.entries()].map(([key, value]) => [key, typeof value === 'string' ? value : value.name])).toEqual([
      ['format', 'arg-microtext'],
      ['mode', 'annotator'],
      ['annotator', 'micro-a'],
      ['source', 'arg-microtext'],
      ['language', 'ru'],
      ['file', 'micro_b001.xml'],
      ['file', 'micro_b003.xml'],
    ]);
  });

  it('leaves out what does not apply: the annotator for pre-annotations, the language outside arg-microtext, empty fields', () => {
    const form = buildImportForm({
      kind: 'annotated',
      format: 'brat',
      mode: 'pre-annotations',
      annotator: 'ignored',
      source: '',
      language: 'de',
      files: [file('doc.ann'), file('doc.txt')],
    });
    expect([...form.keys()]).toEqual(['format', 'mode', 'file', 'file']);
  });

  it('names a file from a chosen folder by its path in it, so brat pairs stay apart', () => {
    const form = buildImportForm({
      kind: 'annotated',
      format: 'brat',
      mode: 'annotator',
      annotator: '',
      source: '',
      language: '',
      files: [file('doc.ann', 'x', 'corpus/part-1/doc.ann')],
    });
    expect((form.getAll('file')[0] as File).name).toBe('corpus/part-1/doc.ann');
  });
});

describe('selectImportFiles', () => {
  it('pairs brat .ann files with their .txt and keeps the configuration', () => {
    const selection = selectImportFiles('brat', [file('b.txt'), file('a.ann'), file('a.txt'), file('b.ann'), file('annotation.conf')]);
    expect(names(selection.files)).toEqual(['a.ann', 'a.txt', 'annotation.conf', 'b.ann', 'b.txt']);
    expect(selection.skipped).toEqual([]);
    expect(selection.missingTexts).toEqual([]);
  });

  it('names the .ann files whose text is missing, and leaves texts without annotations home', () => {
    const selection = selectImportFiles('brat', [file('a.ann'), file('notes.txt'), file('b.ann'), file('b.txt')]);
    expect(selection.missingTexts).toEqual(['a.ann']);
    expect(selection.skipped).toEqual([{ name: 'notes.txt', reason: 'textWithoutAnnotations' }]);
    expect(names(selection.files)).toEqual(['a.ann', 'b.ann', 'b.txt']);
  });

  it('matches brat pairs by their path inside a folder', () => {
    const selection = selectImportFiles('brat', [
      file('doc.ann', 'x', 'c/one/doc.ann'),
      file('doc.txt', 'x', 'c/two/doc.txt'),
      file('doc.txt', 'x', 'c/one/doc.txt'),
    ]);
    expect(names(selection.files)).toEqual(['c/one/doc.ann', 'c/one/doc.txt']);
    expect(selection.skipped).toEqual([{ name: 'c/two/doc.txt', reason: 'textWithoutAnnotations' }]);
  });

  it('takes only what the format reads from a folder, and skips hidden files', () => {
    const selection = selectImportFiles('arg-microtext', [
      file('micro_b001.xml', 'x', 'en/micro_b001.xml'),
      file('micro_b001.txt', 'x', 'en/micro_b001.txt'),
      file('.DS_Store', 'x', 'en/.DS_Store'),
      file('MICRO_B002.XML', 'x', 'en/MICRO_B002.XML'),
    ]);
    expect(names(selection.files)).toEqual(['en/MICRO_B002.XML', 'en/micro_b001.xml']);
    expect(selection.skipped).toEqual([
      { name: 'en/.DS_Store', reason: 'hidden' },
      { name: 'en/micro_b001.txt', reason: 'otherFormat' },
    ]);
  });
});

describe('annotatorProblem', () => {
  it('takes usernames (case folded) and an empty field, which means the source’s own name', () => {
    for (const name of ['micro-a', 'Anna.P', 'a_1', '', 'x'.repeat(40)]) expect(annotatorProblem(name), name).toBeNull();
  });

  it('refuses gold, and names outside 2–40 characters a-z 0-9 . _ -', () => {
    expect(annotatorProblem('gold')).toBe('gold');
    expect(annotatorProblem(' GOLD ')).toBe('gold');
    for (const name of ['a', 'x'.repeat(41), 'anna petrova', '-anna', 'анна']) expect(annotatorProblem(name), name).toBe('pattern');
  });
});

describe('sourceChoices', () => {
  it('reads the choices the server names', () => {
    expect(sourceChoices('one of anna, boris, gold')).toEqual(['anna', 'boris', 'gold']);
    expect(sourceChoices('one of arg-microtext')).toEqual(['arg-microtext']);
  });

  it('offers nothing when the message names nothing', () => {
    expect(sourceChoices(undefined)).toEqual([]);
    expect(sourceChoices('one of (none)')).toEqual([]);
    expect(sourceChoices('not a valid username')).toEqual([]);
  });
});

describe('acceptFor', () => {
  it('offers the endings each choice reads', () => {
    expect(acceptFor('passages')).toBe('.txt,.jsonl,.ndjson,.csv');
    expect(acceptFor('brat')).toBe('.ann,.txt,.conf');
    expect(acceptFor('arg-microtext')).toBe('.xml');
  });
});
