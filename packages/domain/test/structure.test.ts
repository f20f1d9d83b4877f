import { describe, expect, it } from 'vitest';
import type { Relation, Span } from '../src/model.ts';
import { DEFAULT_SCHEME, type LabelScheme } from '../src/scheme.ts';
import { analyzeStructure, chainOf, type StructureWarning } from '../src/structure.ts';

function span(id: string, label = 'premise'): Span {
  return { id, label, start: 0, end: 1, note: null };
}

function rel(id: string, type: string, source: string, target: string): Relation {
  return { id, type, source, target };
}

describe('analyzeStructure', () => {
  it('finds nothing wrong in a connected argument with one conclusion', () => {
    const spans = [span('p1'), span('p2'), span('i', 'inference'), span('c', 'conclusion')];
    const relations = [rel('r1', 'supports', 'p1', 'i'), rel('r2', 'attacks', 'p2', 'i'), rel('r3', 'supports', 'i', 'c')];
    expect(analyzeStructure(spans, relations, DEFAULT_SCHEME)).toEqual([]);
  });

  it('counts the source of an undercut, and a chain of undercuts, as connected', () => {
    const spans = [span('p1'), span('p2'), span('p3'), span('c', 'conclusion')];
    const relations = [rel('r1', 'supports', 'p1', 'c'), rel('u1', 'undercuts', 'p2', 'r1'), rel('u2', 'undercuts', 'p3', 'u1')];
    expect(analyzeStructure(spans, relations, DEFAULT_SCHEME)).toEqual([]);
  });

  it('reports a 3-cycle of supports and attacks with its relations', () => {
    const spans = [span('a'), span('b'), span('c', 'conclusion'), span('d')];
    const relations = [
      rel('r1', 'supports', 'a', 'b'),
      rel('r2', 'supports', 'b', 'c'),
      rel('r3', 'attacks', 'c', 'a'),
      rel('r4', 'supports', 'd', 'c'), // into the cycle, not part of it
      rel('u1', 'undercuts', 'd', 'r1'), // undercuts never make cycles
    ];
    expect(analyzeStructure(spans, relations, DEFAULT_SCHEME)).toEqual([
      { kind: 'cycle', spanIds: ['a', 'b', 'c'], relationIds: ['r1', 'r2', 'r3'] },
      // The default scheme lets supports and attacks start only from premises and inferences.
      { kind: 'relation-not-allowed', relationId: 'r3', reason: 'source-label' },
    ]);
  });

  it('warns about relations between labels the type does not list, and still counts them', () => {
    const scheme: LabelScheme = {
      ...DEFAULT_SCHEME,
      relationTypes: DEFAULT_SCHEME.relationTypes.map((type) => (type.key === 'supports' ? { ...type, targets: ['inference', 'conclusion'] } : type)),
    };
    const spans = [span('p1'), span('p2'), span('p3'), span('c', 'conclusion')];
    const relations = [rel('r1', 'supports', 'p1', 'p2'), rel('r2', 'supports', 'p2', 'c'), rel('r3', 'attacks', 'c', 'p3')];
    expect(analyzeStructure(spans, relations, scheme)).toEqual([
      { kind: 'relation-not-allowed', relationId: 'r1', reason: 'target-label' },
      { kind: 'relation-not-allowed', relationId: 'r3', reason: 'source-label' },
    ]);
    // Without the lists, the same relations are fine.
    const open: LabelScheme = { ...scheme, relationTypes: scheme.relationTypes.map(({ sources: _s, targets: _t, ...type }) => type) };
    expect(analyzeStructure(spans, relations, open).filter((w) => w.kind === 'relation-not-allowed')).toEqual([]);
  });

  it('reports each strongly connected component and self-loop once, in id order', () => {
    const spans = [span('x'), span('y'), span('m'), span('n'), span('s'), span('c', 'conclusion')];
    const relations = [
      rel('e1', 'supports', 'x', 'y'),
      rel('e2', 'attacks', 'y', 'x'),
      rel('e3', 'supports', 'y', 'c'),
      rel('e4', 'supports', 'm', 'n'),
      rel('e5', 'supports', 'n', 'm'),
      rel('e6', 'attacks', 'n', 'm'),
      rel('e7', 'supports', 's', 's'),
      rel('e8', 'supports', 's', 'c'),
    ];
    expect(analyzeStructure(spans, relations, DEFAULT_SCHEME)).toEqual([
      { kind: 'cycle', spanIds: ['m', 'n'], relationIds: ['e4', 'e5', 'e6'] },
      { kind: 'cycle', spanIds: ['s'], relationIds: ['e7'] },
      { kind: 'cycle', spanIds: ['x', 'y'], relationIds: ['e1', 'e2'] },
    ]);
  });

  it('reports unconnected spans, no conclusion and several conclusions', () => {
    expect(analyzeStructure([span('b'), span('a')], [], DEFAULT_SCHEME)).toEqual([
      { kind: 'unconnected-span', spanId: 'a' },
      { kind: 'unconnected-span', spanId: 'b' },
      { kind: 'no-conclusion' },
    ]);
    const spans = [span('c2', 'conclusion'), span('c1', 'conclusion'), span('p')];
    expect(analyzeStructure(spans, [rel('r', 'supports', 'p', 'c1')], DEFAULT_SCHEME)).toEqual([
      { kind: 'unconnected-span', spanId: 'c2' },
      { kind: 'several-conclusions', spanIds: ['c1', 'c2'] },
    ]);
  });

  it('reports nothing for a passage without spans', () => {
    expect(analyzeStructure([], [], DEFAULT_SCHEME)).toEqual([]);
  });

  it('uses another conclusion label when asked, and skips conclusion checks when the scheme has none', () => {
    const scheme: LabelScheme = {
      ...DEFAULT_SCHEME,
      spanLabels: [
        { key: 'claim', name: 'Claim', color: '#000000', hotkey: 'c', description: '' },
        { key: 'premise', name: 'Premise', color: '#000000', hotkey: 'p', description: '' },
      ],
    };
    const spans = [span('p'), span('q')];
    const relations = [rel('r', 'supports', 'p', 'q')];
    expect(analyzeStructure(spans, relations, scheme)).toEqual([]);
    expect(analyzeStructure(spans, relations, scheme, { conclusionLabel: 'claim' })).toEqual([{ kind: 'no-conclusion' }]);
    expect(analyzeStructure(spans, relations, DEFAULT_SCHEME, { conclusionLabel: 'nope' })).toEqual([]);
  });

  it('reports relations the scheme does not allow, one reason each', () => {
    const spans = [span('p'), span('c', 'conclusion')];
    const relations = [
      rel('ok', 'supports', 'p', 'c'),
      rel('a-type', 'rebuts', 'p', 'c'),
      rel('b-span-to-rel', 'attacks', 'p', 'ok'),
      rel('c-rel-to-span', 'undercuts', 'p', 'c'),
      rel('d-no-source', 'supports', 'gone', 'c'),
      rel('e-no-target', 'supports', 'p', 'gone'),
      rel('f-no-relation', 'undercuts', 'p', 'gone'),
      rel('g-source-is-relation', 'supports', 'ok', 'c'),
    ];
    expect(analyzeStructure(spans, relations, DEFAULT_SCHEME)).toEqual([
      { kind: 'relation-not-allowed', relationId: 'a-type', reason: 'unknown-type' },
      { kind: 'relation-not-allowed', relationId: 'b-span-to-rel', reason: 'wrong-target' },
      { kind: 'relation-not-allowed', relationId: 'c-rel-to-span', reason: 'wrong-target' },
      { kind: 'relation-not-allowed', relationId: 'd-no-source', reason: 'missing-endpoint' },
      { kind: 'relation-not-allowed', relationId: 'e-no-target', reason: 'missing-endpoint' },
      { kind: 'relation-not-allowed', relationId: 'f-no-relation', reason: 'missing-endpoint' },
      { kind: 'relation-not-allowed', relationId: 'g-source-is-relation', reason: 'missing-endpoint' },
    ]);
  });

  it('orders warnings by kind, then by first id', () => {
    const spans = [span('z'), span('y'), span('b'), span('a'), span('lonely')];
    const relations = [rel('r1', 'supports', 'b', 'a'), rel('r2', 'supports', 'a', 'b'), rel('r0', 'supports', 'z', 'y'), rel('r3', 'supports', 'y', 'z'), rel('bad', 'rebuts', 'a', 'z')];
    const kinds = analyzeStructure(spans, relations, DEFAULT_SCHEME).map((w: StructureWarning) => [w.kind, 'spanIds' in w ? w.spanIds[0] : 'spanId' in w ? w.spanId : 'relationId' in w ? w.relationId : ''] as const);
    expect(kinds).toEqual([
      ['cycle', 'a'],
      ['cycle', 'y'],
      ['unconnected-span', 'lonely'],
      ['no-conclusion', ''],
      ['relation-not-allowed', 'bad'],
    ]);
  });
});

describe('chainOf', () => {
  const relations = [
    rel('r1', 'supports', 'p1', 'c'),
    rel('r2', 'attacks', 'p2', 'c'),
    rel('u1', 'undercuts', 'p3', 'r1'),
    rel('u2', 'undercuts', 'p4', 'u1'),
    rel('s1', 'supports', 'q1', 'q2'),
    rel('dangling', 'undercuts', 'q3', 'gone'),
  ];

  it('follows relations in both directions, through undercuts to the relations they target', () => {
    const chain = chainOf('p4', relations, DEFAULT_SCHEME);
    expect([...chain.spanIds].sort()).toEqual(['c', 'p1', 'p2', 'p3', 'p4']);
    expect([...chain.relationIds].sort()).toEqual(['r1', 'r2', 'u1', 'u2']);
    expect(chainOf('c', relations, DEFAULT_SCHEME)).toEqual(chain);
  });

  it('keeps separate arguments apart', () => {
    const chain = chainOf('q2', relations, DEFAULT_SCHEME);
    expect(chain).toEqual({ spanIds: new Set(['q1', 'q2']), relationIds: new Set(['s1']) });
  });

  it('contains the span alone when nothing touches it, and no phantom relation for a dangling undercut', () => {
    expect(chainOf('alone', relations, DEFAULT_SCHEME)).toEqual({ spanIds: new Set(['alone']), relationIds: new Set() });
    expect(chainOf('q3', relations, DEFAULT_SCHEME)).toEqual({ spanIds: new Set(['q3']), relationIds: new Set(['dangling']) });
  });
});

describe('performance sanity', () => {
  it('analyses 5,000 spans and 1,000 relations, with a 1,000-long chain of supports closing a cycle', () => {
    const spans = Array.from({ length: 5000 }, (_, i) => span(`s${i}`, i === 0 ? 'conclusion' : 'premise'));
    const relations = Array.from({ length: 999 }, (_, i) => rel(`r${i}`, 'supports', `s${i}`, `s${i + 1}`));
    relations.push(rel('back', 'attacks', 's999', 's0'));
    const warnings = analyzeStructure(spans, relations, DEFAULT_SCHEME);
    expect(warnings[0]).toMatchObject({ kind: 'cycle' });
    expect((warnings[0] as { spanIds: string[] }).spanIds).toHaveLength(1000);
    expect(warnings.filter((w) => w.kind === 'unconnected-span')).toHaveLength(4000);
    expect(chainOf('s500', relations, DEFAULT_SCHEME).spanIds.size).toBe(1000);
  });
});
