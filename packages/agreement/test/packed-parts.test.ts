import { describe, expect, it } from 'vitest';
import { packParts, passagePart, reduceReport, unpackParts, type LoadedPassage, type LoadedSet, type PassagePart } from '../src/index.ts';

const scheme = {
  spanLabels: [
    { key: 'premise', name: 'Premise', color: '#1f77b4' },
    { key: 'conclusion', name: 'Conclusion', color: '#d62728' },
  ],
  categories: [{ key: 'reasoning' }, { key: 'knowledge' }],
};

function set(userId: string, category: string | null, spans: [string, number, number][], relations: [number, number, string][] = [], day = 2): LoadedSet {
  return {
    userId,
    category,
    submittedAt: Date.UTC(2026, 10, day),
    spans: spans.map(([label, start, end], i) => ({ id: `s${i}`, label, start, end })),
    relations: relations.map(([source, target, type], i) => ({ id: `r${i}`, type, source: `s${source}`, target: `s${target}` })),
  };
}

// Offsets past 2^30 do not fit the arrays' reading: that passage's part comes from the checked path.
const shift = 2 ** 30;
const passages: LoadedPassage[] = [
  {
    id: 'p1',
    externalId: 'p1',
    length: 60,
    sets: [
      set('a', 'reasoning', [['premise', 0, 10], ['conclusion', 20, 30], ['premise', 5, 12]], [[0, 1, 'supports'], [1, 2, 'attacks']]),
      set('b', null, [['premise', 0, 10], ['conclusion', 22, 30]], [[0, 1, 'supports']], 9),
      set('c', 'knowledge', [['conclusion', 20, 30], ['premise', 0, 10], ['extra', 40, 50]], [[1, 0, 'supports']]),
    ],
  },
  { id: 'p2', externalId: 'p2', length: 20, sets: [set('a', 'knowledge', []), set('b', 'knowledge', [])] },
  {
    id: 'p3',
    externalId: 'p3',
    length: shift + 40,
    sets: [set('b', 'reasoning', [['premise', shift, shift + 12]], [], 20), set('c', 'reasoning', [['premise', shift + 2, shift + 12], ['conclusion', shift + 30, shift + 38]])],
  },
];

/** Across a thread boundary: cloned, the typed arrays' buffers transferred. */
function crossed(parts: PassagePart[]): PassagePart[] {
  const packed = packParts(parts);
  return unpackParts(structuredClone(packed, { transfer: [packed.floats.buffer as ArrayBuffer, packed.ints.buffer as ArrayBuffer, packed.sizes.buffer as ArrayBuffer] }));
}

describe('passage parts packed for another thread', () => {
  it('come back the same, every number to the bit', () => {
    const parts = passages.map(passagePart);
    const back = crossed(passages.map(passagePart));
    expect(back).toEqual(parts);
    expect(back.map((p) => p.unitizing.length)).toEqual(parts.map((p) => p.unitizing.length));
    expect(back[2]?.counts).toEqual(parts[2]?.counts);
    expect(back[0]?.categories).toEqual(['reasoning', null, 'knowledge']);
  });

  it('give the same report as the parts themselves, in batches in any order', () => {
    const meta = { scheme, labels: ['premise', 'conclusion'], annotators: [], progress: [], resamples: 50 };
    const direct = reduceReport(passages.map(passagePart), meta);
    const batched = [...crossed([passagePart(passages[2]!)]), ...crossed(passages.slice(0, 2).map(passagePart))];
    expect(JSON.stringify(reduceReport(batched, meta))).toBe(JSON.stringify(direct));
    expect(direct.pairs.length).toBe(3);
  });

  it('pack no parts at all', () => {
    expect(crossed([])).toEqual([]);
  });
});
