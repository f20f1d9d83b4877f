import { describe, expect, it } from 'vitest';
import { FormatError, type DatasetDocument, type FormatProblem } from '../src/index.ts';
import { parseAif } from '../src/aif/parse-aif.ts';
import { writeAif } from '../src/aif/write-aif.ts';
import { parseArgMicrotext } from '../src/arg-microtext/parse-arg-microtext.ts';
import { microtextFiles, readCorpusFile, type MicrotextFolder } from './microtext-corpus.ts';

const SOURCE = 'arg-microtext';

function corpus(folder: MicrotextFolder): DatasetDocument[] {
  return microtextFiles(folder)
    .filter((name) => !(folder === 'ru' && name === 'micro_b002.xml'))
    .map((name) => parseArgMicrotext({ file: name, bytes: readCorpusFile(folder, name) }).document);
}

/** Removes every `warrant` field: what an AIF tool that ignores them would keep. */
function plainAif(json: string): string {
  const data = JSON.parse(json) as { nodes: Record<string, unknown>[]; warrant?: unknown };
  delete data.warrant;
  for (const node of data.nodes) delete node.warrant;
  return JSON.stringify(data);
}

/** Relations as (type, source offsets, target offsets or target relation's) so ids do not matter. */
function structure(document: DatasetDocument): string[] {
  const { spans, relations } = document.annotations[0]!;
  const spanAt = new Map(spans.map((span) => [span.id, `${span.start}-${span.end}`]));
  const relationById = new Map(relations.map((relation) => [relation.id, relation]));
  const describe = (id: string): string => {
    const span = spanAt.get(id);
    if (span) return span;
    const relation = relationById.get(id)!;
    return `(${describe(relation.source)} ${relation.type} ${describe(relation.target)})`;
  };
  return relations.map((relation) => describe(relation.id)).sort();
}

describe.each(['en', 'de', 'ru'] as const)('AIF round trip of the %s microtexts', (folder) => {
  const documents = corpus(folder);

  it('microtext -> AIF -> parse gives the identical document, with no losses', () => {
    expect(documents.length).toBe(folder === 'ru' ? 111 : 112);
    for (const document of documents) {
      const written = writeAif(document, SOURCE);
      expect(written.losses, document.id).toEqual([]);
      const read = parseAif({ file: `${document.id}.json`, json: written.json });
      expect(read.losses, document.id).toEqual([]);
      expect(read.document, document.id).toEqual(document);
    }
  });

  it('without Warrant fields, locating I-nodes in the text gives the same spans, labels and structure', () => {
    for (const document of documents) {
      const json = plainAif(writeAif(document, SOURCE).json);
      const read = parseAif({ file: `${document.id}.json`, json, text: document.text });
      expect(read.losses, document.id).toEqual([]);
      const [original] = document.annotations;
      const [imported] = read.document.annotations;
      expect(imported!.spans.map(({ start, end, label }) => ({ start, end, label })), document.id).toEqual(original!.spans.map(({ start, end, label }) => ({ start, end, label })));
      expect(structure(read.document), document.id).toEqual(structure(document));
      expect(read.document.annotations[0]!.source).toBe('aif');
    }
  });
});

describe('writeAif', () => {
  const document = parseArgMicrotext({ file: 'micro_b001.xml', bytes: readCorpusFile('en', 'micro_b001.xml') }).document;
  const data = JSON.parse(writeAif(document, SOURCE).json) as {
    nodes: { nodeID: string; type: string; text: string; warrant: Record<string, unknown> }[];
    edges: { fromID: string; toID: string }[];
    locutions: unknown[];
    warrant: Record<string, unknown>;
  };
  const byWarrantId = new Map(data.nodes.map((node) => [node.warrant.id as string, node]));
  const edge = (from: string, to: string) => data.edges.some((e) => e.fromID === byWarrantId.get(from)!.nodeID && e.toID === byWarrantId.get(to)!.nodeID);

  it('writes spans as I-nodes with their text and offsets', () => {
    const a5 = byWarrantId.get('a5')!;
    expect(a5).toMatchObject({ type: 'I', text: 'We Berliners should take the chance and become pioneers in waste separation!' });
    expect(a5.warrant).toEqual({ id: 'a5', label: 'conclusion', note: null, start: 326, end: 402, start_utf16: 326, end_utf16: 402 });
    expect(data.warrant).toMatchObject({ version: 1, id: 'micro_b001', text: document.text, source: SOURCE });
    expect(data.locutions).toEqual([]);
  });

  it('writes supports as RA, attacks as CA, and undercuts as CA aimed at the scheme node of their target', () => {
    expect(byWarrantId.get('c2')).toMatchObject({ type: 'RA', text: 'Default Inference' });
    expect(edge('a2', 'c2') && edge('c2', 'a1')).toBe(true);
    expect(byWarrantId.get('c1')).toMatchObject({ type: 'CA', text: 'Default Conflict' });
    expect(edge('a1', 'c1') && edge('c1', 'a5')).toBe(true);
    expect(byWarrantId.get('c3')).toMatchObject({ type: 'CA' });
    expect(edge('a3', 'c3') && edge('c3', 'c1')).toBe(true);
    expect(edge('a4', 'c4') && edge('c4', 'c1')).toBe(true);
    expect(data.edges).toHaveLength(8);
  });

  it('reports relation types AIF cannot carry, and the relations aimed at them', () => {
    const custom: DatasetDocument = {
      id: 'd1',
      text: 'A. B. C.',
      language: null,
      meta: null,
      annotations: [
        {
          source: 'ann',
          category: null,
          spans: [
            { id: 's1', label: 'premise', start: 0, end: 2, note: 'first' },
            { id: 's2', label: 'premise', start: 3, end: 5, note: null },
            { id: 's3', label: 'conclusion', start: 6, end: 8, note: null },
          ],
          relations: [
            { id: 'r1', type: 'rephrases', source: 's1', target: 's2' },
            { id: 'r2', type: 'undercuts', source: 's3', target: 'r1' },
            { id: 'r3', type: 'supports', source: 's2', target: 's3' },
          ],
        },
      ],
    };
    const { json, losses } = writeAif(custom, 'ann');
    expect(losses).toEqual([
      { document: 'd1', source: 'ann', item: 'r1', reason: "relation type 'rephrases' has no AIF node type (only supports -> RA, attacks and undercuts -> CA)" },
      { document: 'd1', source: 'ann', item: 'r2', reason: "its target relation 'r1' is not written" },
    ]);
    const read = parseAif({ file: 'd1.json', json });
    expect(read.document.annotations[0]!.spans).toEqual(custom.annotations[0]!.spans);
    expect(read.document.annotations[0]!.relations).toEqual([{ id: 'r3', type: 'supports', source: 's2', target: 's3' }]);
  });

  it('refuses an unknown annotation source', () => {
    expect(() => writeAif(document, 'nobody')).toThrow(RangeError);
  });
});

describe('parseAif on AIFdb-style files', () => {
  // Numeric ids, dialogue nodes, a linked argument with a named scheme, an undercut, no text.
  const aifdb = JSON.stringify({
    nodes: [
      { nodeID: 1, text: 'We should act now', type: 'I' },
      { nodeID: 2, text: 'Prices are rising', type: 'I' },
      { nodeID: 3, text: 'Wages are flat', type: 'I' },
      { nodeID: 4, text: 'Argument From Consequences', type: 'RA' },
      { nodeID: 5, text: 'Prices always rise', type: 'I' },
      { nodeID: 6, text: 'Default Conflict', type: 'CA' },
      { nodeID: 7, text: 'Bob: prices are rising', type: 'L' },
      { nodeID: 8, text: 'Asserting', type: 'YA' },
    ],
    edges: [
      { edgeID: 1, fromID: 2, toID: 4 },
      { edgeID: 2, fromID: 3, toID: 4 },
      { edgeID: 3, fromID: 4, toID: 1 },
      { edgeID: 4, fromID: 5, toID: 6 },
      { edgeID: 5, fromID: 6, toID: 4 },
      { edgeID: 6, fromID: 7, toID: 8 },
      { edgeID: 7, fromID: 8, toID: 2 },
    ],
    locutions: [{ nodeID: 7, personID: 1 }],
  });
  const text = 'Prices are rising and Wages are flat, so We should act now. Some say Prices always rise.';

  it('locates I-nodes, infers labels, splits linked premises and reports what it drops', () => {
    const { document, losses } = parseAif({ file: 'nodeset1.json', json: aifdb, text });
    expect(document.id).toBe('nodeset1');
    const annotation = document.annotations[0]!;
    expect(annotation.spans.map(({ id, label, start, end }) => ({ id, label, text: text.slice(start, end) }))).toEqual([
      { id: '1', label: 'conclusion', text: 'We should act now' },
      { id: '2', label: 'premise', text: 'Prices are rising' },
      { id: '3', label: 'premise', text: 'Wages are flat' },
      { id: '5', label: 'premise', text: 'Prices always rise' },
    ]);
    expect(annotation.relations).toEqual([
      { id: '4', type: 'supports', source: '2', target: '1' },
      { id: '4-2', type: 'supports', source: '3', target: '1' },
      { id: '6', type: 'undercuts', source: '5', target: '4' },
    ]);
    expect(losses.map((loss) => `${loss.item}: ${loss.reason}`)).toEqual([
      'node 7: L-node (locution): Warrant imports the argument structure, not the dialogue',
      'node 8: YA-node (illocution): Warrant imports the argument structure, not the dialogue',
      "node 4: linked premises (2, 3) imported as 2 separate 'supports' relations",
      "node 4: scheme 'Argument From Consequences' is not kept: the relation is 'supports'",
    ]);
    expect(losses.every((loss) => loss.document === 'nodeset1' && loss.source === 'aif')).toBe(true);
  });

  it('builds the text from the I-nodes when there is none', () => {
    const { document, losses } = parseAif({ file: 'nodeset1.json', json: aifdb });
    expect(document.text).toBe('We should act now Prices are rising Wages are flat Prices always rise');
    for (const span of document.annotations[0]!.spans) expect(span.end - span.start).toBeGreaterThan(0);
    expect(losses.find((loss) => loss.item === 'text')).toEqual({ document: 'nodeset1', source: 'aif', item: 'text', reason: 'the file holds no passage text: it is built from the I-node texts joined by single spaces' });
  });

  it('reports I-nodes not found in the text, and drops their relations', () => {
    const { document, losses } = parseAif({ file: 'n.json', json: aifdb, text: 'We should act now, since Prices are rising.' });
    expect(document.annotations[0]!.relations).toEqual([{ id: '4', type: 'supports', source: '2', target: '1' }]);
    expect(losses.map((loss) => loss.item)).toEqual(['node 7', 'node 8', 'node 3', 'node 5', 'node 4', 'node 4', 'node 6']);
    expect(losses.find((loss) => loss.item === 'node 3')!.reason).toBe('I-node text "Wages are flat" is not in the passage text');
  });
});

describe('parseAif refuses malformed files with file and element', () => {
  const valid = { nodes: [{ nodeID: '1', text: 'A', type: 'I' }, { nodeID: '2', text: 'B', type: 'I' }, { nodeID: '3', text: '', type: 'RA' }], edges: [{ edgeID: '1', fromID: '1', toID: '3' }, { edgeID: '2', fromID: '3', toID: '2' }] };
  const cases: [string, string, FormatProblem[]][] = [
    ['invalid JSON', '{\n  "nodes": [\n  }', [{ file: 'x.json', line: 3, message: expect.stringMatching(/^invalid JSON at line 3, column 3: unexpected "}" \(Unexpected token/) as unknown as string }]],
    ['JSON cut short', '{"nodes": [', [{ file: 'x.json', line: 1, message: expect.stringMatching(/^invalid JSON at line 1, column 12: unexpected end of input/) as unknown as string }]],
    ['a bad \\u escape', '{"nodes": "\\u12G4"}', [{ file: 'x.json', line: 1, message: expect.stringMatching(/^invalid JSON at line 1, column 16: unexpected "G"/) as unknown as string }]],
    ['not an object', '[]', [{ file: 'x.json', message: 'an AIF file is a JSON object with nodes and edges' }]],
    ['no edges', JSON.stringify({ nodes: [] }), [{ file: 'x.json', element: 'edges', message: "'edges' must be an array" }]],
    ['an unknown node type', JSON.stringify({ ...valid, nodes: [...valid.nodes, { nodeID: '9', text: 'x', type: 'XA' }] }), [
      { file: 'x.json', element: 'node 9', message: 'type "XA" is not one of I, L, RA, CA, MA, PA, YA, TA' },
    ]],
    ['a node without id', JSON.stringify({ ...valid, nodes: [...valid.nodes, { text: 'x', type: 'I' }] }), [{ file: 'x.json', element: 'nodes[3]', message: 'nodeID must be a non-empty string or a number' }]],
    ['a duplicate node id', JSON.stringify({ ...valid, nodes: [...valid.nodes, { nodeID: '1', text: 'x', type: 'I' }] }), [{ file: 'x.json', element: 'node 1', message: "nodeID '1' is used twice" }]],
    ['a dangling edge', JSON.stringify({ ...valid, edges: [...valid.edges, { edgeID: '7', fromID: '1', toID: '42' }] }), [{ file: 'x.json', element: 'edge 7', message: "toID '42' is not a node" }]],
    ['an RA with two conclusions', JSON.stringify({ ...valid, edges: [...valid.edges, { edgeID: '3', fromID: '3', toID: '1' }] }), [
      { file: 'x.json', element: 'node 3', message: 'a RA-node has one conclusion, found 2 (nodes 2, 1)' },
    ]],
    [
      'offsets that do not hold the node text',
      JSON.stringify({ ...valid, nodes: [{ nodeID: '1', text: 'A', type: 'I', warrant: { start_utf16: 1, end_utf16: 2 } }, ...valid.nodes.slice(1)], warrant: { text: 'A B' } }),
      [{ file: 'x.json', element: 'node 1', message: 'warrant offsets 1..2 (UTF-16) do not hold the node\'s text "A"' }],
    ],
  ];

  it.each(cases)('%s', (_, json, expected) => {
    let error: unknown;
    try {
      parseAif({ file: 'x.json', json, text: 'A B' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).problems).toEqual(expected);
  });

  it('accepts the valid base case', () => {
    expect(parseAif({ file: 'x.json', json: JSON.stringify(valid), text: 'A B' }).document.annotations[0]!.relations).toEqual([{ id: '3', type: 'supports', source: '1', target: '2' }]);
  });
});
