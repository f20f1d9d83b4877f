import { describe, expect, it } from 'vitest';
import { FormatError, type FormatProblem } from '../src/index.ts';
import { parseArgMicrotext } from '../src/arg-microtext/parse-arg-microtext.ts';
import { utf8 } from './helpers.ts';

const graph = (body: string, attrs = ' id="t1"') => `<?xml version='1.0' encoding='UTF-8'?>\n<arggraph${attrs}>\n${body}\n</arggraph>\n`;

const SIMPLE = `  <edu id="e1"><![CDATA[Fines work.]]></edu>
  <edu id="e2"><![CDATA[So raise them.]]></edu>
  <adu id="a1" type="pro"/>
  <adu id="a2" type="pro"/>
  <edge id="c1" src="e1" trg="a1" type="seg"/>
  <edge id="c2" src="e2" trg="a2" type="seg"/>
  <edge id="c3" src="a1" trg="a2" type="sup"/>`;

const parse = (xml: string | Uint8Array, language?: 'en' | 'de' | 'ru') =>
  parseArgMicrotext({ file: 't1.xml', bytes: typeof xml === 'string' ? utf8(xml) : xml, ...(language ? { language } : {}) });

function problemsOf(xml: string | Uint8Array, language?: 'en' | 'de' | 'ru'): FormatProblem[] {
  try {
    parse(xml, language);
  } catch (error) {
    if (error instanceof FormatError) return error.problems;
    throw error;
  }
  throw new Error('expected a FormatError');
}

describe('parseArgMicrotext on small inputs', () => {
  it('reads a minimal graph', () => {
    const { document, losses } = parse(graph(SIMPLE));
    expect(document).toEqual({
      id: 't1',
      text: 'Fines work. So raise them.',
      language: null,
      meta: { adu_types: { a1: 'pro', a2: 'pro' }, edge_types: { c3: 'sup' }, linked_premises: {} },
      annotations: [
        {
          source: 'arg-microtext',
          category: null,
          spans: [
            { id: 'a1', label: 'premise', start: 0, end: 11, note: null },
            { id: 'a2', label: 'conclusion', start: 12, end: 26, note: null },
          ],
          relations: [{ id: 'c3', type: 'supports', source: 'a1', target: 'a2' }],
        },
      ],
    });
    expect(losses).toEqual([]);
  });

  it('takes the source from the caller', () => {
    expect(parseArgMicrotext({ file: 't1.xml', bytes: utf8(graph(SIMPLE)), source: 'peldszus' }).document.annotations[0]!.source).toBe('peldszus');
  });

  it('resolves the five entities, numeric references, comments and mixed CDATA; keeps spaces', () => {
    const body = SIMPLE.replace('<![CDATA[Fines work.]]>', '<!-- a comment -->Fines &amp; fees &lt;work&gt; &#x1F600;&#233; <![CDATA[a<b]]>&quot;&apos; ');
    const { document } = parse(graph(body));
    expect(document.text).toBe('Fines & fees <work> 😀é a<b"\'  So raise them.');
    const [a1] = document.annotations[0]!.spans;
    expect(document.text.slice(a1!.start, a1!.end)).toBe('Fines & fees <work> 😀é a<b"\' ');
  });

  it('combines the EDUs of a joint into one span', () => {
    const body = `  <edu id="e1"><![CDATA[Dogs foul the parks]]></edu>
  <edu id="e2"><![CDATA[and owners do not care.]]></edu>
  <edu id="e3"><![CDATA[Fines must rise.]]></edu>
  <joint id="j1"/>
  <adu id="a1" type="pro"/>
  <adu id="a2" type="pro"/>
  <edge id="c1" src="e1" trg="j1" type="seg"/>
  <edge id="c2" src="e2" trg="j1" type="seg"/>
  <edge id="c3" src="j1" trg="a1" type="seg"/>
  <edge id="c4" src="e3" trg="a2" type="seg"/>
  <edge id="c5" src="a1" trg="a2" type="exa"/>`;
    const { document, losses } = parse(graph(body));
    const [a1] = document.annotations[0]!.spans;
    expect(document.text.slice(a1!.start, a1!.end)).toBe('Dogs foul the parks and owners do not care.');
    expect(document.annotations[0]!.relations).toEqual([{ id: 'c5', type: 'supports', source: 'a1', target: 'a2' }]);
    expect(losses).toEqual([{ document: 't1', item: 'c5', reason: "support by example ('exa') is imported as 'supports'; meta.edge_types keeps 'exa'" }]);
  });

  it('follows chains of add edges to the argument they join', () => {
    const body = `${SIMPLE.replace('type="sup"', 'type="reb"')}
  <edu id="e3"><![CDATA[x]]></edu><edu id="e4"><![CDATA[y]]></edu>`;
    // EDUs after ADUs are out of DTD order but harmless; the add edges are the point here.
    const xml = graph(
      `${body}\n  <adu id="a3" type="opp"/><adu id="a4" type="opp"/>
  <edge id="c4" src="e3" trg="a3" type="seg"/><edge id="c5" src="e4" trg="a4" type="seg"/>
  <edge id="c6" src="a3" trg="c3" type="add"/><edge id="c7" src="a4" trg="c6" type="add"/>`,
    );
    const relations = parse(xml).document.annotations[0]!.relations;
    expect(relations).toEqual([
      { id: 'c3', type: 'attacks', source: 'a1', target: 'a2' },
      { id: 'c6', type: 'attacks', source: 'a3', target: 'a2' },
      { id: 'c7', type: 'attacks', source: 'a4', target: 'a2' },
    ]);
  });

  it('chooses the language of a bilingual file, Russian by default', () => {
    const body = `  <edu id="e1" lang="en">Yes.</edu>
  <edu id="e1" lang="ru" trans="human">Да. </edu>
  <adu id="a1" type="pro"/>
  <edge id="c1" src="e1" trg="a1" type="seg"/>`;
    expect(parse(graph(body)).document).toMatchObject({ text: 'Да. ', language: 'ru', meta: { languages: ['en', 'ru'] } });
    expect(parse(graph(body), 'en').document).toMatchObject({ text: 'Yes.', language: 'en' });
    expect(problemsOf(graph(body), 'de')).toEqual([{ file: 't1.xml', line: 3, element: 'edu e1', message: 'has no lang="de" version (found: en, ru)' }]);
  });

  it('reports attributes it does not import as losses', () => {
    const { losses } = parse(graph(SIMPLE.replace('<adu id="a1" type="pro"/>', '<adu id="a1" type="pro" weight="2"/>')));
    expect(losses).toEqual([{ document: 't1', item: 'adu a1 @weight', reason: "attribute 'weight' of <adu> is not imported" }]);
  });
});

describe('parseArgMicrotext refuses broken files with file, line and element', () => {
  const cases: [string, string, FormatProblem[]][] = [
    ['an unclosed element', graph(SIMPLE).replace('</arggraph>', ''), [{ file: 't1.xml', line: 11, element: '<arggraph id="t1">', message: '<arggraph> (line 2) is not closed' }]],
    [
      'a mismatched end tag',
      graph(SIMPLE.replace('So raise them.]]></edu>', 'So raise them.]]></adu>')),
      [{ file: 't1.xml', line: 4, element: '<edu id="e2">', message: '</adu> closes <edu> (line 4)' }],
    ],
    ['an unknown entity', graph(SIMPLE.replace('<![CDATA[Fines work.]]>', 'Fines &nbsp;work.')), [{ file: 't1.xml', line: 3, element: '<edu id="e1">', message: 'unknown entity &nbsp;' }]],
    [
      'a character reference to a non-character',
      graph(SIMPLE.replace('<![CDATA[Fines work.]]>', '&#0;')),
      [{ file: 't1.xml', line: 3, element: '<edu id="e1">', message: 'character reference &#0; is not an XML character' }],
    ],
    ['a control character', graph(SIMPLE.replace('Fines work.', 'Fines\u0001work.')), [{ file: 't1.xml', line: 3, message: 'character U+0001 is not allowed in XML' }]],
    ['a duplicate attribute', graph(SIMPLE.replace('<adu id="a1" type="pro"/>', '<adu id="a1" type="pro" type="opp"/>')), [{ file: 't1.xml', line: 5, element: '<adu id="a1">', message: "attribute 'type' appears twice" }]],
    ['an unquoted attribute', graph(SIMPLE.replace('<adu id="a1" type="pro"/>', '<adu id=a1 type="pro"/>')), [{ file: 't1.xml', line: 5, element: '<adu>', message: "the value of attribute 'id' must be quoted" }]],
    ['a DTD internal subset', `<!DOCTYPE arggraph [<!ENTITY x "y">]>\n${graph(SIMPLE)}`, [{ file: 't1.xml', line: 1, message: 'DTD internal subsets are not supported' }]],
    ['a second root', `${graph(SIMPLE)}<arggraph id="t2"/>`, [{ file: 't1.xml', line: 11, message: 'content after the root element' }]],
    ['a non-UTF-8 declaration', graph(SIMPLE).replace("encoding='UTF-8'", "encoding='windows-1251'"), [{ file: 't1.xml', line: 1, element: 'xml declaration', message: "declares encoding 'windows-1251'; only UTF-8 is read" }]],
    ['another root element', '<graph id="x"/>', [{ file: 't1.xml', line: 1, element: 'graph', message: 'the root element must be <arggraph>, not <graph>' }]],
    [
      'a dangling seg edge',
      graph(SIMPLE.replace('src="e2" trg="a2" type="seg"', 'src="e9" trg="a2" type="seg"')),
      [{ file: 't1.xml', line: 8, element: 'edge c2', message: "src 'e9' is not an EDU or joint (no such id)" }],
    ],
    ['a support to a missing ADU', graph(SIMPLE.replace('src="a1" trg="a2" type="sup"', 'src="a1" trg="a7" type="sup"')), [
      { file: 't1.xml', line: 9, element: 'edge c3', message: "trg 'a7' is not an ADU (no such id)" },
    ]],
    ['an undercut aimed at an ADU', graph(`${SIMPLE}\n  <edge id="c4" src="a1" trg="a2" type="und"/>`), [
      { file: 't1.xml', line: 10, element: 'edge c4', message: "trg 'a2' is not an edge; 'und' targets an edge" },
    ]],
    ['two central claims', graph(SIMPLE.replace('\n  <edge id="c3" src="a1" trg="a2" type="sup"/>', '')), [
      { file: 't1.xml', line: 2, element: 'arggraph', message: 'expected exactly one central claim (an ADU with no outgoing argumentative edge), found 2: a1, a2' },
    ]],
    ['a duplicate id', graph(SIMPLE.replace('<adu id="a2"', '<adu id="a1"')), [{ file: 't1.xml', line: 6, element: 'adu a1', message: "id 'a1' is already used by <adu> on line 5" }]],
    ['an unknown edge type', graph(SIMPLE.replace('type="sup"', 'type="sum"')), [
      { file: 't1.xml', line: 9, element: 'edge c3', message: "unknown edge type 'sum'" },
    ]],
    ['a missing attribute', graph(SIMPLE.replace('<adu id="a2" type="pro"/>', '<adu id="a2"/>')), [{ file: 't1.xml', line: 6, element: 'adu a2', message: "missing attribute 'type'" }]],
    [
      'Windows-1251 text',
      '',
      [{ file: 't1.xml', line: 3, element: 'edu e1', message: 'invalid UTF-8 at byte 82: truncated sequence: expected a continuation byte after lead byte 0xd8, got 0xf2; the bytes read as Cyrillic in Windows-1251, but the file must be UTF-8 (re-save it as UTF-8)' }],
    ],
  ];

  it.each(cases)('%s', (_, xml, expected) => {
    const input = xml === '' ? windows1251File() : xml;
    expect(problemsOf(input)).toEqual(expected);
  });

  it('puts the first problem in the error message', () => {
    expect(() => parse('<arggraph id="x">')).toThrow(/^t1\.xml:1 \(<arggraph id="x">\): <arggraph> \(line 1\) is not closed$/);
  });
});

/** "Штрафы" in Windows-1251 inside an otherwise UTF-8 file. */
function windows1251File(): Uint8Array {
  const [before, after] = graph(SIMPLE).split('Fines');
  return Uint8Array.from([...utf8(before!), 0xd8, 0xf2, 0xf0, 0xe0, 0xf4, 0xfb, ...utf8(after!)]);
}
