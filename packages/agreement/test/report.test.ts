import { describe, expect, it } from 'vitest';
import { buildReport, krippendorffAlpha, passageFigures, unitizingAlpha, type LoadedPassage, type LoadedSet } from '../src/index.ts';

const scheme = {
  spanLabels: [
    { key: 'premise', name: 'Premise', color: '#1f77b4' },
    { key: 'conclusion', name: 'Conclusion', color: '#d62728' },
  ],
  categories: [{ key: 'reasoning' }, { key: 'knowledge' }],
};

function set(userId: string, category: string | null, spans: [string, number, number][], relations: [number, number, string][] = []): LoadedSet {
  return {
    userId,
    category,
    submittedAt: Date.UTC(2026, 10, 2),
    spans: spans.map(([label, start, end], i) => ({ id: `s${i}`, label, start, end })),
    relations: relations.map(([source, target, type], i) => ({ id: `r${i}`, type, source: `s${source}`, target: `s${target}` })),
  };
}

const passages: LoadedPassage[] = [
  {
    id: 'p1',
    externalId: 'p1',
    length: 40,
    sets: [
      set('a', 'reasoning', [['premise', 0, 10], ['conclusion', 20, 30]], [[0, 1, 'supports']]),
      set('b', 'reasoning', [['premise', 0, 10], ['conclusion', 20, 30]], [[0, 1, 'supports']]),
    ],
  },
  {
    id: 'p2',
    externalId: 'p2',
    length: 40,
    sets: [set('a', 'reasoning', [['premise', 0, 12]]), set('b', 'knowledge', [['premise', 2, 12], ['conclusion', 30, 38]])],
  },
  { id: 'p3', externalId: 'p3', length: 20, sets: [set('a', 'knowledge', []), set('b', 'knowledge', [])] },
];

const report = () =>
  buildReport({
    passages,
    scheme,
    labels: ['premise', 'conclusion'],
    annotators: [
      { id: 'a', username: 'a', displayName: 'A' },
      { id: 'b', username: 'b', displayName: 'B' },
    ],
    progress: [],
    resamples: 200,
  });

describe('the project report', () => {
  it('gives the measures the package computes directly, on the same data', () => {
    const r = report();
    expect(r.passages).toBe(3);
    const categories = ['a', 'b'].map((coder) => passages.map((p) => p.sets.find((s) => s.userId === coder)?.category ?? null));
    expect(r.category.alpha.value).toBeCloseTo(krippendorffAlpha(categories, 'nominal'), 12);
    expect(r.category.cohenKappa).not.toBeNull();
    // Exact matches: p1 2; of 2 + 2 + 1 + 2 spans.
    expect(r.spans.exact.f1).toBeCloseTo((2 * 2) / 7, 12);
    // Overlap adds p2's premises.
    expect(r.spans.overlap.f1).toBeCloseTo((2 * 3) / 7, 12);
    expect(r.pairs).toHaveLength(1);
    // Offsets both marked: p1 2 (p2 and p3 none).
    expect(r.relations.matchedSpans).toBe(2);
  });

  it('equals unitizing alpha for a project of one passage', () => {
    const one = passages[1] as LoadedPassage;
    const r = buildReport({ passages: [one], scheme, labels: ['premise', 'conclusion'], annotators: [], progress: [], resamples: 0 });
    const units = one.sets.flatMap((s) => s.spans.map((span) => ({ coder: s.userId, label: span.label, start: span.start, end: span.end })));
    const direct = unitizingAlpha({ begin: 0, end: one.length, units, coders: ['a', 'b'] });
    expect(r.spans.unitizing.value).toBeCloseTo(direct.overall, 12);
    expect(r.spans.unitizing.low).toBeNull();
  });

  it('is the same whatever order the passages come in', () => {
    const shuffled = buildReport({
      passages: [...passages].reverse(),
      scheme,
      labels: ['premise', 'conclusion'],
      annotators: [
        { id: 'a', username: 'a', displayName: 'A' },
        { id: 'b', username: 'b', displayName: 'B' },
      ],
      progress: [],
      resamples: 200,
    });
    expect(shuffled).toEqual(report());
  });

  it('says a passage the annotators marked identically has no disagreement', () => {
    expect(passageFigures(passages[0] as LoadedPassage)).toMatchObject({ disagreement: 0, exactF1: 1, unitizing: 1, relationF1: 1 });
    expect(passageFigures(passages[1] as LoadedPassage).disagreement).toBeGreaterThan(0.5);
  });
});

describe('the report from parts read either way', () => {
  it('gives the same span, relation and category figures whether a passage is read into arrays or checked measure by measure', () => {
    // Offsets past 2^30 do not fit the arrays' reading, so that passage takes the checked path.
    const shift = 2 ** 30;
    const three = (offset: number): LoadedPassage => ({
      id: 'q',
      externalId: 'q',
      length: offset + 100,
      sets: [
        set('a', 'reasoning', [['premise', offset + 0, offset + 10], ['conclusion', offset + 20, offset + 30], ['premise', offset + 5, offset + 12]], [[0, 1, 'supports'], [1, 2, 'attacks']]),
        set('b', 'knowledge', [['premise', offset + 0, offset + 10], ['conclusion', offset + 22, offset + 30]], [[0, 1, 'supports']]),
        set('c', 'reasoning', [['conclusion', offset + 20, offset + 30], ['premise', offset + 0, offset + 10], ['extra', offset + 40, offset + 50]], [[1, 0, 'supports']]),
      ],
    });
    const build = (offset: number) =>
      buildReport({ passages: [three(offset), { ...passages[0]!, id: 'r' }], scheme, labels: ['premise', 'conclusion'], annotators: [], progress: [], resamples: 50 });
    const arrays = build(0);
    const checked = build(shift);
    const withoutUnitizing = (r: ReturnType<typeof build>) => ({
      category: r.category,
      spans: { ...r.spans, unitizing: null, perLabel: r.spans.perLabel.map((l) => ({ ...l, unitizing: null })) },
      relations: r.relations,
      pairs: r.pairs.map((p) => ({ ...p, unitizing: null })),
      perAnnotator: r.perAnnotator,
    });
    expect(withoutUnitizing(checked)).toEqual(withoutUnitizing(arrays));
    expect(arrays.relations.items).toBeGreaterThan(0);
    expect(arrays.pairs.map((p) => `${p.a}${p.b}`)).toEqual(['ab', 'ac', 'bc']);
  });
});
