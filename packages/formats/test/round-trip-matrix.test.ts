import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FormatError,
  parseAif,
  parseArgMicrotext,
  parseBrat,
  parseSemanticJsonl,
  writeAif,
  writeBrat,
  writeSemanticJsonl,
  type ArgMicrotextLanguage,
  type DatasetAnnotation,
  type DatasetDocument,
  type FormatLoss,
} from '../src/index.ts';

/**
 * Issue 5, "Round trips on real data": every corpus in ../shared/corpora, imported, exported to
 * each format that can carry it, re-imported and compared with the original import. Whatever a
 * target cannot carry must be exactly what its README section documents, item by item, and must
 * be reported in the export's losses. The expected losses are derived here from the documented
 * rules, independently of the exporters.
 */

// Read in place at test time, never copied into the repository.
const CORPORA = new URL('../../../../shared/corpora/', import.meta.url);

type Target = 'semantic-jsonl' | 'brat' | 'aif';
const TARGETS: readonly Target[] = ['semantic-jsonl', 'brat', 'aif'];
/** Targets that keep span and relation ids (brat renumbers them T1.., R1..). */
const KEEPS_IDS: Record<Target, boolean> = { 'semantic-jsonl': true, brat: false, aif: true };
const AIF_TYPES = new Set(['supports', 'attacks', 'undercuts']);

interface Loaded {
  documents: DatasetDocument[];
  /** File name -> the FormatError it was refused with. */
  refused: Map<string, unknown>;
}

interface Corpus {
  name: string;
  /** The corpus's own format, the first step of every pair. */
  format: 'arg-microtext' | 'brat';
  load: () => Loaded;
  documents: number;
  refused: string[];
  /** Spans and relations over the corpus (READMEs; T and R lines for brat). */
  spans: number;
  relations: number;
  /** Relations each target cannot carry, summed over the corpus: proof the check is not vacuous. */
  lost: Record<Target, number>;
}

function microtexts(folder: string, language: ArgMicrotextLanguage): Loaded {
  const url = new URL(folder, CORPORA);
  const loaded: Loaded = { documents: [], refused: new Map() };
  for (const file of readdirSync(url).filter((name) => name.endsWith('.xml')).sort()) {
    try {
      loaded.documents.push(parseArgMicrotext({ file, bytes: readFileSync(new URL(file, url)), language }).document);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      loaded.refused.set(file, error);
    }
  }
  return loaded;
}

function bratFolder(folder: string): Loaded {
  const url = new URL(`brat-tutorials/example-data/tutorials/${folder}/`, CORPORA);
  const documents = readdirSync(url)
    .filter((name) => name.endsWith('.ann'))
    .sort()
    .map((name) => {
      const base = name.slice(0, -'.ann'.length);
      const read = (ext: string) => readFileSync(new URL(`${base}.${ext}`, url), 'utf8');
      return parseBrat({ file: `${folder}/${name}`, txt: read('txt'), ann: read('ann') }).document;
    });
  return { documents, refused: new Map() };
}

// Part 1 has 64 undercuts per language (63 und + 1 add), all aimed at relations: brat loses them.
const CORPUS_LIST: Corpus[] = [
  {
    name: 'arg-microtexts/en',
    format: 'arg-microtext',
    load: () => microtexts('arg-microtexts/corpus/en/', 'en'),
    documents: 112,
    refused: [],
    spans: 576,
    relations: 464,
    lost: { 'semantic-jsonl': 0, brat: 64, aif: 0 },
  },
  {
    name: 'arg-microtexts/de',
    format: 'arg-microtext',
    load: () => microtexts('arg-microtexts/corpus/de/', 'de'),
    documents: 112,
    refused: [],
    spans: 576,
    relations: 464,
    lost: { 'semantic-jsonl': 0, brat: 64, aif: 0 },
  },
  {
    name: 'argmicro-ru',
    format: 'arg-microtext',
    load: () => microtexts('argmicro-ru/translated_part1_human/', 'ru'),
    documents: 111,
    refused: ['micro_b002.xml'],
    // micro_b002 has 5 ADUs and 4 argumentative edges (sup, sup, reb, und)
    spans: 576 - 5,
    relations: 464 - 4,
    lost: { 'semantic-jsonl': 0, brat: 64 - 1, aif: 0 }, // micro_b002 has one undercut
  },
  {
    name: 'brat-tutorials/news',
    format: 'brat',
    load: () => bratFolder('news'),
    documents: 13,
    refused: [],
    spans: 119,
    relations: 8,
    // Every tutorial relation type (Located, Family, Part-of, ...) is one AIF has no node for.
    lost: { 'semantic-jsonl': 0, brat: 0, aif: 8 },
  },
  {
    name: 'brat-tutorials/bio',
    format: 'brat',
    load: () => bratFolder('bio'),
    documents: 13,
    refused: [],
    spans: 107,
    relations: 6,
    lost: { 'semantic-jsonl': 0, brat: 0, aif: 6 },
  },
];
const CORPORA_BY_NAME = new Map(CORPUS_LIST.map((corpus) => [corpus.name, corpus]));

const only = (document: DatasetDocument): DatasetAnnotation => {
  if (document.annotations.length !== 1) throw new Error(`${document.id}: expected one annotation set, found ${document.annotations.length}`);
  return document.annotations[0]!;
};

// ---------------------------------------------------------------- what each target documents

/** Ids of the relations `target` cannot carry (README: brat "Export rules", AIF). */
function lostRelations(target: Target, annotation: DatasetAnnotation): Set<string> {
  const lost = new Set<string>();
  const spanIds = new Set(annotation.spans.map((span) => span.id));
  if (target === 'brat') {
    for (const relation of annotation.relations) if (!spanIds.has(relation.target)) lost.add(relation.id);
  } else if (target === 'aif') {
    // Other types have no AIF node; a relation aimed at a lost relation is lost too, transitively.
    let changed = true;
    while (changed) {
      changed = false;
      for (const relation of annotation.relations) {
        if (lost.has(relation.id)) continue;
        if (!AIF_TYPES.has(relation.type) || lost.has(relation.target)) {
          lost.add(relation.id);
          changed = true;
        }
      }
    }
  }
  return lost;
}

/** The loss items the export to `target` must report, sorted. */
function expectedLossItems(target: Target, document: DatasetDocument): string[] {
  const annotation = only(document);
  const items = [...lostRelations(target, annotation)];
  if (target === 'brat') {
    if (annotation.category !== null) items.push('category');
    if (document.language !== null) items.push('language');
    if (document.meta !== null && Object.keys(document.meta).length > 0) items.push('meta');
    for (const span of annotation.spans) {
      if (/\s/.test(span.label)) items.push(span.id);
      if (span.note !== null && /[\r\n]/.test(span.note)) items.push(span.id);
    }
    const lost = lostRelations(target, annotation);
    for (const relation of annotation.relations) if (!lost.has(relation.id) && /\s/.test(relation.type)) items.push(relation.id);
  }
  return items.sort();
}

/** The document a round trip through `target` must give back. */
function expectedAfter(target: Target, document: DatasetDocument): DatasetDocument {
  const annotation = only(document);
  const lost = lostRelations(target, annotation);
  const relations = annotation.relations.filter((relation) => !lost.has(relation.id));
  if (target !== 'brat') return { ...document, annotations: [{ ...annotation, relations }] };
  return {
    id: document.id,
    text: document.text,
    language: null,
    meta: null,
    annotations: [
      {
        source: annotation.source,
        category: null,
        spans: annotation.spans.map((span) => ({ ...span, label: span.label.replace(/\s/g, '_'), note: span.note?.replace(/\r\n|\r|\n/g, ' ') ?? null })),
        relations: relations.map((relation) => ({ ...relation, type: relation.type.replace(/\s/g, '_') })),
      },
    ],
  };
}

/** Everything but span and relation ids: spans by offsets and label, relations by what they link. */
function content(document: DatasetDocument) {
  const annotation = only(document);
  const spanKey = new Map(annotation.spans.map((span) => [span.id, `[${span.start},${span.end}) ${span.label}`]));
  const relationById = new Map(annotation.relations.map((relation) => [relation.id, relation]));
  const key = (id: string, depth: number): string => {
    const span = spanKey.get(id);
    if (span !== undefined) return span;
    const relation = relationById.get(id);
    if (!relation || depth > annotation.relations.length) return `?${id}`;
    return `(${key(relation.source, depth + 1)} -${relation.type}-> ${key(relation.target, depth + 1)})`;
  };
  return {
    id: document.id,
    text: document.text,
    language: document.language,
    meta: document.meta,
    source: annotation.source,
    category: annotation.category,
    spans: annotation.spans.map((span) => `${spanKey.get(span.id)} note=${JSON.stringify(span.note)}`).sort(),
    relations: annotation.relations.map((relation) => key(relation.id, 0)).sort(),
  };
}

const byId = <T extends { id: string }>(items: T[]): T[] => [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

// ---------------------------------------------------------------- exports, checked in code points

const codePointSlice = (text: string, start: number, end: number): string => [...text].slice(start, end).join('');

/** Every span of every record: `[...text].slice(start, end).join('') === span.text`. */
function checkSemanticSpans(jsonl: string, where: string): number {
  let checked = 0;
  for (const line of jsonl.split('\n').filter((l) => l !== '')) {
    const record = JSON.parse(line) as { id: string; text: string; spans: { id: string; start: number; end: number; text: string }[] };
    for (const span of record.spans) {
      expect(codePointSlice(record.text, span.start, span.end), `${record.id} span ${span.id}: ${where}`).toBe(span.text);
      checked += 1;
    }
  }
  return checked;
}

/** Every T line: the text field is the code-point slice (a CR or LF written as a space, as documented). */
function checkBratSpans(txt: string, ann: string, where: string): number {
  let checked = 0;
  for (const line of ann.split('\n').filter((l) => l.startsWith('T'))) {
    const [id, body = '', field] = line.split('\t');
    const match = /^\S+ (\d+) (\d+)$/.exec(body);
    expect(match, `${id}: ${where}: not a contiguous T line: ${line}`).not.toBeNull();
    const slice = codePointSlice(txt, Number(match![1]), Number(match![2]));
    expect(field, `${id}: ${where}`).toBe(slice.replace(/[\r\n]/g, ' '));
    checked += 1;
  }
  return checked;
}

/** Every I-node: its code-point offsets (Warrant's fields) hold its text. */
function checkAifSpans(json: string, where: string): number {
  const file = JSON.parse(json) as { nodes: { nodeID: string; type: string; text: string; warrant?: { id: string; start: number; end: number } }[]; warrant: { text: string } };
  let checked = 0;
  for (const node of file.nodes.filter((n) => n.type === 'I')) {
    expect(node.warrant, `I-node ${node.nodeID}: ${where}`).toBeDefined();
    expect(codePointSlice(file.warrant.text, node.warrant!.start, node.warrant!.end), `I-node ${node.nodeID} (${node.warrant!.id}): ${where}`).toBe(node.text);
    checked += 1;
  }
  return checked;
}

// ---------------------------------------------------------------- one hop: export, re-import, compare

interface HopResult {
  documents: DatasetDocument[];
  /** Relations lost, over all documents. */
  lost: number;
}

/**
 * Exports `documents` to `target`, re-imports them, and checks every document against the
 * documented expectation. `route` names the pair or chain in every failure message.
 */
function hop(target: Target, documents: DatasetDocument[], route: string): HopResult {
  const exported: { document: DatasetDocument; losses: FormatLoss[]; back: DatasetDocument; backLosses: FormatLoss[]; spans: number }[] = [];
  if (target === 'semantic-jsonl') {
    // One file for the whole corpus, as `warrant convert` writes it.
    const written = writeSemanticJsonl(documents);
    const spans = checkSemanticSpans(written.text, route);
    expect(spans, `${route}: spans in the JSONL`).toBe(documents.reduce((sum, d) => sum + only(d).spans.length, 0));
    const back = parseSemanticJsonl({ file: 'corpus.jsonl', text: written.text });
    expect(back.documents.map((d) => d.id), `${route}: document ids re-imported`).toEqual(documents.map((d) => d.id));
    documents.forEach((document, i) =>
      exported.push({
        document,
        losses: written.losses.filter((loss) => loss.document === document.id),
        back: back.documents[i]!,
        backLosses: back.losses.filter((loss) => loss.document === document.id),
        spans: only(document).spans.length,
      }),
    );
    expect(written.losses.filter((loss) => !documents.some((d) => d.id === loss.document)), route).toEqual([]);
  } else {
    for (const document of documents) {
      const source = only(document).source;
      const where = `${document.id}: ${route}`;
      if (target === 'brat') {
        const written = writeBrat(document, source);
        const spans = checkBratSpans(written.txt, written.ann, where);
        const back = parseBrat({ file: `${document.id}.ann`, txt: written.txt, ann: written.ann, source });
        exported.push({ document, losses: written.losses, back: back.document, backLosses: back.losses, spans });
      } else {
        const written = writeAif(document, source);
        const spans = checkAifSpans(written.json, where);
        const back = parseAif({ file: `${document.id}.json`, json: written.json });
        exported.push({ document, losses: written.losses, back: back.document, backLosses: back.losses, spans });
      }
    }
  }

  let lost = 0;
  for (const { document, losses, back, backLosses, spans } of exported) {
    const where = `${document.id}: ${route}`;
    const annotation = only(document);
    const expected = expectedAfter(target, document);
    const lostIds = lostRelations(target, annotation);
    lost += lostIds.size;

    expect(spans, `${where}: spans written`).toBe(annotation.spans.length);
    expect(losses.map((loss) => loss.item).sort(), `${where}: export losses`).toEqual(expectedLossItems(target, document));
    for (const loss of losses) expect(loss, `${where}: loss ${loss.item}`).toMatchObject({ document: document.id, source: annotation.source });
    for (const relation of annotation.relations.filter((r) => lostIds.has(r.id) && !AIF_TYPES.has(r.type))) {
      // AIF names the type it has no node for.
      expect(losses.find((loss) => loss.item === relation.id)?.reason, `${where}: loss ${relation.id}`).toContain(`'${relation.type}'`);
    }
    expect(backLosses, `${where}: re-import losses`).toEqual([]);
    expect(content(back), `${where}: text, spans and relations`).toEqual(content(expected));
    if (KEEPS_IDS[target]) {
      const [actualSet, expectedSet] = [only(back), only(expected)];
      expect(byId(actualSet.spans), `${where}: spans with ids`).toEqual(byId(expectedSet.spans));
      expect(actualSet.relations, `${where}: relations with ids`).toEqual(expectedSet.relations);
      expect(back, `${where}: whole document`).toEqual({ ...expected, annotations: [{ ...expectedSet, spans: actualSet.spans }] });
    }
  }
  return { documents: exported.map((e) => e.back), lost };
}

// ---------------------------------------------------------------- the matrix

/** Each corpus is read and imported once, from the first beforeAll that needs it. */
const loaded = new Map<string, Loaded>();
function load(name: string): void {
  if (!loaded.has(name)) loaded.set(name, CORPORA_BY_NAME.get(name)!.load());
}
const originals = (name: string): DatasetDocument[] => {
  const corpus = loaded.get(name);
  if (!corpus) throw new Error(`${name} was not loaded`);
  return corpus.documents;
};

describe.each(CORPUS_LIST)('$name', (corpus) => {
  beforeAll(() => load(corpus.name));

  it(`imports ${corpus.documents} documents${corpus.refused.length > 0 ? `, refusing ${corpus.refused.join(', ')}` : ''}`, () => {
    const { documents, refused } = loaded.get(corpus.name)!;
    expect(documents).toHaveLength(corpus.documents);
    expect([...refused.keys()]).toEqual(corpus.refused);
    for (const document of documents) expect(document.annotations.map((a) => a.source), document.id).toEqual([corpus.format]);
    expect(documents.reduce((sum, d) => sum + only(d).spans.length, 0), `${corpus.name}: spans`).toBe(corpus.spans);
    expect(documents.reduce((sum, d) => sum + only(d).relations.length, 0), `${corpus.name}: relations`).toBe(corpus.relations);
  });

  it.each(TARGETS)(`${corpus.format} -> %s -> re-import: same text, spans and relations, or exactly the documented losses`, (target) => {
    const { lost } = hop(target, originals(corpus.name), `${corpus.name}: ${corpus.format} -> ${target}`);
    expect(lost, `${corpus.name}: ${corpus.format} -> ${target}: relations lost`).toBe(corpus.lost[target]);
  });
});

describe('argmicro-ru micro_b002.xml', () => {
  beforeAll(() => load('argmicro-ru'));

  it('is refused by design: declared UTF-8, Russian EDUs in Windows-1251', () => {
    const error = loaded.get('argmicro-ru')!.refused.get('micro_b002.xml');
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).problems).toEqual([
      expect.objectContaining({ file: 'micro_b002.xml', line: 4, element: 'edu e1 lang="ru"', message: expect.stringContaining('Windows-1251') }),
    ]);
  });
});

// Every ordered pair of targets, for the microtexts (undercuts) and the brat tutorials (relation
// types AIF has no node for), and one longer chain.
const CHAINS: { corpus: string; targets: Target[] }[] = [
  ...['arg-microtexts/en', 'brat-tutorials/bio'].flatMap((corpus) => TARGETS.flatMap((a) => TARGETS.map((b) => ({ corpus, targets: [a, b] })))),
  { corpus: 'arg-microtexts/en', targets: ['aif', 'semantic-jsonl', 'brat', 'semantic-jsonl'] },
  { corpus: 'brat-tutorials/news', targets: ['semantic-jsonl', 'aif', 'brat', 'aif'] },
];

describe('chains of hops', () => {
  beforeAll(() => {
    for (const { corpus } of CHAINS) load(corpus);
  });

  it.each(CHAINS.map(({ corpus, targets }) => ({ corpus, targets, route: [CORPORA_BY_NAME.get(corpus)!.format, ...targets].join(' -> ') })))(
    '$corpus: $route',
    ({ corpus, targets, route }) => {
      const start = originals(corpus);
      let documents = start;
      let expected = start;
      const steps = [CORPORA_BY_NAME.get(corpus)!.format as string];
      for (const target of targets) {
        steps.push(target);
        documents = hop(target, documents, `${corpus}: ${steps.join(' -> ')}`).documents;
        expected = expected.map((document) => expectedAfter(target, document));
      }
      // What comes out at the end is the original less what each format in the chain documents as lost.
      documents.forEach((document, i) => {
        expect(content(document), `${document.id}: ${corpus}: ${route}: against the original`).toEqual(content(expected[i]!));
      });
      if (targets.every((target) => KEEPS_IDS[target])) {
        documents.forEach((document, i) => {
          expect(byId(only(document).spans), `${document.id}: ${corpus}: ${route}: span ids`).toEqual(byId(only(expected[i]!).spans));
          expect(only(document).relations, `${document.id}: ${corpus}: ${route}: relation ids`).toEqual(only(expected[i]!).relations);
        });
      }
    },
  );
});
