import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FormatError, type DatasetDocument } from '../src/index.ts';
import { parseArgMicrotext } from '../src/arg-microtext/parse-arg-microtext.ts';
import { corpusPath, microtextFiles, readCorpusFile, readCorpusText, type MicrotextFolder } from './microtext-corpus.ts';

/**
 * The whole of part 1 in the three languages, checked against the counts in
 * ../shared/corpora/README.md and against an independent regex reading of each file.
 */

const parseFile = (folder: MicrotextFolder, name: string, language?: 'en' | 'de' | 'ru') =>
  parseArgMicrotext({ file: name, bytes: readCorpusFile(folder, name), ...(language ? { language } : {}) });

interface Tally {
  files: number;
  adus: number;
  edges: Record<string, number>;
  relations: Record<string, number>;
  /** `add` edges by the relation type they became. */
  adds: Record<string, number>;
}

function tally(documents: DatasetDocument[]): Tally {
  const result: Tally = { files: documents.length, adus: 0, edges: {}, relations: {}, adds: {} };
  for (const document of documents) {
    const [annotation] = document.annotations;
    const edgeTypes = document.meta!.edge_types as Record<string, string>;
    result.adus += annotation!.spans.length;
    for (const relation of annotation!.relations) {
      const edgeType = edgeTypes[relation.id]!;
      result.edges[edgeType] = (result.edges[edgeType] ?? 0) + 1;
      result.relations[relation.type] = (result.relations[relation.type] ?? 0) + 1;
      if (edgeType === 'add') result.adds[relation.type] = (result.adds[relation.type] ?? 0) + 1;
    }
  }
  return result;
}

const unescape = (text: string) =>
  text.replace(/&(lt|gt|amp|apos|quot);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[name]!);

/** EDU text of each ADU, read with regexes (every part-1 ADU has exactly one EDU). */
function eduTextsByAdu(xml: string, lang: string | null): Map<string, string> {
  const edus = new Map<string, string>();
  const eduPattern = /<edu id="(e\d+)"( lang="(\w+)"[^>]*)?>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/edu>/g;
  for (const [, id, , eduLang, cdata, plain] of xml.matchAll(eduPattern)) {
    if ((eduLang ?? null) === lang) edus.set(id!, cdata ?? unescape(plain!));
  }
  const byAdu = new Map<string, string>();
  for (const [, src, trg] of xml.matchAll(/<edge id="c\d+" src="(e\d+)" trg="(a\d+)" type="seg"\/>/g)) byAdu.set(trg!, edus.get(src!)!);
  return byAdu;
}

const README_COUNTS = { adus: 576, edges: { sup: 263, reb: 108, und: 63, add: 21, exa: 9 } };
// Of the 21 `add` edges, 18 join supports, 2 rebuttals and 1 undercut.
const MAPPED = { supports: 263 + 9 + 18, attacks: 108 + 2, undercuts: 63 + 1 };

it('finds the corpora beside the repository', () => {
  const repository = fileURLToPath(new URL('../../../', import.meta.url));
  expect(corpusPath('')).toBe(join(dirname(repository), 'shared', 'corpora') + sep);
  expect(existsSync(corpusPath('README.md'))).toBe(true);
});

describe.each(['en', 'de'] as const)('arg-microtexts %s', (folder) => {
  const files = microtextFiles(folder);
  const results = files.map((name) => ({ name, ...parseFile(folder, name) }));

  it('imports all 112 texts with the README counts', () => {
    const counts = tally(results.map((result) => result.document));
    expect(counts).toEqual({ files: 112, adus: README_COUNTS.adus, edges: README_COUNTS.edges, relations: MAPPED, adds: { supports: 18, attacks: 2, undercuts: 1 } });
  });

  it('gives the same text as the corpus .txt files', () => {
    for (const { name, document } of results) expect(document.text, name).toBe(readCorpusText(folder, name.replace(/\.xml$/, '.txt')));
  });

  it('keeps the arggraph id, the language asked for, and one annotation set', () => {
    const { document } = parseArgMicrotext({ file: 'micro_b001.xml', bytes: readCorpusFile(folder, 'micro_b001.xml'), language: folder });
    expect(document.id).toBe('micro_b001');
    expect(document.language).toBe(folder);
    expect(document.annotations.map((annotation) => annotation.source)).toEqual(['arg-microtext']);
    expect(results.every(({ name, document: other }) => other.id === name.replace(/\.xml$/, ''))).toBe(true);
  });

  it('reports one loss per exa and add edge, and nothing else', () => {
    const losses = results.flatMap((result) => result.losses);
    expect(losses).toHaveLength(9 + 21);
    expect(losses.filter((loss) => loss.reason.startsWith("support by example ('exa')"))).toHaveLength(9);
    expect(losses.filter((loss) => loss.reason.startsWith("linked premise ('add'"))).toHaveLength(21);
  });

  checkSpans(folder, null, () => results);
});

describe('argmicro-ru (human translation)', () => {
  const files = microtextFiles('ru');
  const readable = files.filter((name) => name !== 'micro_b002.xml');
  const results = readable.map((name) => ({ name, ...parseFile('ru', name) }));

  it('imports the 111 readable texts in Russian, with the README counts less micro_b002', () => {
    expect(files).toHaveLength(112);
    const b002 = tally([parseFile('en', 'micro_b002.xml').document]);
    const counts = tally(results.map((result) => result.document));
    expect(b002.adus).toBe(5);
    expect(counts.adus).toBe(README_COUNTS.adus - b002.adus);
    for (const [type, total] of Object.entries(README_COUNTS.edges)) expect(counts.edges[type] ?? 0, type).toBe(total - (b002.edges[type] ?? 0));
    for (const [type, total] of Object.entries(MAPPED)) expect(counts.relations[type], type).toBe(total - (b002.relations[type] ?? 0));
    expect(results.every(({ document }) => document.language === 'ru' && /[а-яА-Я]/.test(document.text))).toBe(true);
  });

  it('has the same argument structure as the English originals', () => {
    for (const { name, document } of results) {
      const original = parseFile('en', name).document;
      expect(document.annotations[0]!.relations, name).toEqual(original.annotations[0]!.relations);
      expect(document.annotations[0]!.spans.map((span) => [span.id, span.label]), name).toEqual(original.annotations[0]!.spans.map((span) => [span.id, span.label]));
    }
  });

  it('imports the English side when asked: it differs from en/ in exactly 6 files', () => {
    const differing = readable.filter((name) => {
      const { document } = parseFile('ru', name, 'en');
      expect(document.language).toBe('en');
      return document.text !== readCorpusText('en', name.replace(/\.xml$/, '.txt'));
    });
    expect(differing).toHaveLength(6);
  });

  it('refuses micro_b002.xml (declared UTF-8, Russian EDUs in Windows-1251) with file, line, element and byte', () => {
    for (const language of [undefined, 'en', 'ru'] as const) {
      let error: unknown;
      try {
        parseFile('ru', 'micro_b002.xml', language);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(FormatError);
      expect((error as FormatError).problems).toEqual([
        {
          file: 'micro_b002.xml',
          line: 4,
          element: 'edu e1 lang="ru"',
          message: expect.stringMatching(/^invalid UTF-8 at byte 297: .*Windows-1251/) as unknown as string,
        },
      ]);
      expect((error as FormatError).message).toMatch(/^micro_b002\.xml:4 \(edu e1 lang="ru"\): invalid UTF-8 at byte 297/);
    }
  });

  checkSpans('ru', 'ru', () => results);
});

function checkSpans(folder: MicrotextFolder, lang: string | null, get: () => { name: string; document: DatasetDocument }[]) {
  it('has exactly one conclusion per text, and every span holds its EDU text', () => {
    for (const { name, document } of get()) {
      const { spans } = document.annotations[0]!;
      const xml = new TextDecoder().decode(readCorpusFile(folder, name));
      const expected = eduTextsByAdu(xml, lang);
      expect(spans.filter((span) => span.label === 'conclusion'), name).toHaveLength(1);
      expect(spans.map((span) => span.id).sort(), name).toEqual([...expected.keys()].sort());
      for (const span of spans) {
        expect(span.start, `${name} ${span.id}`).toBeLessThan(span.end);
        expect(document.text.slice(span.start, span.end), `${name} ${span.id}`).toBe(expected.get(span.id));
      }
    }
  });

  it('labels the ADU with no outgoing argumentative edge as the conclusion', () => {
    for (const { name, document } of get()) {
      const { spans, relations } = document.annotations[0]!;
      const sources = new Set(relations.map((relation) => relation.source));
      for (const span of spans) expect(span.label, `${name} ${span.id}`).toBe(sources.has(span.id) ? 'premise' : 'conclusion');
    }
  });
}

describe('micro_b001 (rebuttal, undercut and a linked premise of the undercut)', () => {
  const { document, losses } = parseFile('en', 'micro_b001.xml');
  const annotation = document.annotations[0]!;

  it('maps every edge as documented', () => {
    expect(annotation.spans.map(({ id, label }) => `${id}:${label}`)).toEqual(['a1:premise', 'a2:premise', 'a3:premise', 'a4:premise', 'a5:conclusion']);
    expect(annotation.relations).toEqual([
      { id: 'c1', type: 'attacks', source: 'a1', target: 'a5' },
      { id: 'c2', type: 'supports', source: 'a2', target: 'a1' },
      { id: 'c3', type: 'undercuts', source: 'a3', target: 'c1' },
      // a4 is added to c3 (a3 undercutting c1): it undercuts c1 too.
      { id: 'c4', type: 'undercuts', source: 'a4', target: 'c1' },
    ]);
    expect(losses).toEqual([
      {
        document: 'micro_b001',
        item: 'c4',
        reason:
          "linked premise ('add' to c3): imported as a separate 'undercuts' relation from a4 to c1, since Warrant has no linked premises; meta.linked_premises keeps the link",
      },
    ]);
  });

  it('keeps the topic, stance, ADU roles and original edge types in meta', () => {
    expect(document.meta).toEqual({
      topic_id: 'waste_separation',
      stance: 'pro',
      adu_types: { a1: 'opp', a2: 'opp', a3: 'pro', a4: 'pro', a5: 'pro' },
      edge_types: { c1: 'reb', c2: 'sup', c3: 'und', c4: 'add' },
      linked_premises: { c4: 'c3' },
    });
  });

  it('places spans by joining EDUs with single spaces', () => {
    const a3 = annotation.spans.find((span) => span.id === 'a3')!;
    expect(document.text.slice(a3.start, a3.end)).toBe('But still Germany produces way too much rubbish');
    expect(document.text.slice(a3.end, a3.end + 5)).toBe(' and ');
  });
});
