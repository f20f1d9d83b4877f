import { describe, expect, it } from 'vitest';
import {
  fleissKappa,
  krippendorffAlpha,
  pooledRelationAlpha,
  pooledRelationFleissKappa,
  relationAgreement,
  relationAgreementParts,
  relationPairParts,
  type RelationInput,
  type RelationPairInput,
  type RelationParts,
  type ReliabilityValue,
} from '../src/index.ts';
import { SEEDS, seeded, type Random } from './generators.ts';

const TYPES = ['supports', 'attacks', 'undercuts'];

function randomPassage(random: Random, annotators: string[], components = 3 + random.int(5)): RelationInput {
  const ids = Array.from({ length: components }, (_, i) => `c${i}`);
  const truth: [string, string, string][] = [];
  for (const source of ids) {
    if (random.next() < 0.6) {
      const target = random.pick(ids.filter((id) => id !== source));
      truth.push([source, target, random.pick(TYPES)]);
    }
  }
  return {
    components: ids,
    annotators: annotators.map((id) => ({
      id,
      relations: truth.flatMap((relation): [string, string, string][] => {
        const roll = random.next();
        if (roll < 0.15) return [];
        if (roll < 0.25) return [[relation[0], relation[1], random.pick(TYPES)]];
        return [relation];
      }),
    })),
  };
}

/** Every ordered pair of distinct components spelled out as an item: annotators x items. */
function itemMatrix(passages: RelationInput[]): { matrix: ReliabilityValue[][]; counts: number[][] } {
  const annotators = [...new Set(passages.flatMap((p) => p.annotators.map((a) => a.id)))];
  const matrix: ReliabilityValue[][] = annotators.map(() => []);
  const counts: number[][] = [];
  const categories = ['none', ...TYPES];
  for (const passage of passages) {
    for (const source of passage.components) {
      for (const target of passage.components) {
        if (source === target) continue;
        const row = new Array<number>(categories.length).fill(0);
        annotators.forEach((id, a) => {
          const annotator = passage.annotators.find((x) => x.id === id);
          if (annotator === undefined) {
            matrix[a]!.push(null);
            return;
          }
          const type = annotator.relations.find(([s, t]) => s === source && t === target)?.[2] ?? 'none';
          matrix[a]!.push(type);
          row[categories.indexOf(type)]! += 1;
        });
        counts.push(row);
      }
    }
  }
  return { matrix, counts };
}

describe('relationAgreement', () => {
  it.each(SEEDS)('equals Fleiss\' kappa and nominal alpha over every ordered pair spelled out (seed %i)', (seed) => {
    const random = seeded(seed);
    const passage = randomPassage(random, ['a', 'b', 'c'].slice(0, 2 + random.int(2)));
    const { matrix, counts } = itemMatrix([passage]);
    const result = relationAgreement(passage);
    expect(result.alpha).toBeCloseTo(krippendorffAlpha(matrix, 'nominal'), 12);
    expect(result.fleissKappa).toBeCloseTo(fleissKappa(counts).kappa, 12);
  });

  it('gives exactly 1 when everybody drew the same relations', () => {
    const relations: [string, string, string][] = [['p1', 'c', 'supports'], ['p2', 'c', 'attacks']];
    const input = { components: ['p1', 'p2', 'c'], annotators: ['a', 'b', 'c'].map((id) => ({ id, relations })) };
    expect(relationAgreement(input)).toEqual({ fleissKappa: 1, alpha: 1 });
  });

  it('does not depend on the order of annotators, components or relations', () => {
    const random = seeded(7);
    const passage = randomPassage(random, ['a', 'b', 'c'], 6);
    const shuffled: RelationInput = {
      components: random.shuffle(passage.components),
      annotators: random.shuffle(passage.annotators).map((a) => ({ ...a, relations: random.shuffle(a.relations) })),
    };
    expect(relationAgreement(shuffled)).toEqual(relationAgreement(passage));
  });

  it('is NaN when undefined: nobody related anything, one annotator, fewer than two components', () => {
    const nothing = { components: ['x', 'y'], annotators: [{ id: 'a', relations: [] }, { id: 'b', relations: [] }] };
    expect(relationAgreement(nothing)).toEqual({ fleissKappa: NaN, alpha: NaN });
    expect(pooledRelationAlpha([relationAgreementParts(nothing)]).reason).toBe('one-category');
    const alone = { components: ['x', 'y'], annotators: [{ id: 'a', relations: [['x', 'y', 'supports']] as [string, string, string][] }] };
    expect(pooledRelationAlpha([relationAgreementParts(alone)]).reason).toBe('too-few-coders');
    const single = { components: ['x'], annotators: [{ id: 'a', relations: [] }, { id: 'b', relations: [] }] };
    expect(pooledRelationAlpha([relationAgreementParts(single)]).reason).toBe('nothing-to-compare');
  });

  it('rejects relations that are not between two distinct known components, or contradict each other', () => {
    const input = (relations: [string, string, string][]): RelationInput => ({ components: ['x', 'y'], annotators: [{ id: 'a', relations }, { id: 'b', relations: [] }] });
    expect(() => relationAgreement(input([['x', 'z', 'supports']]))).toThrow(/annotators\[0\].relations\[0\]: target "z" is not one of the components/);
    expect(() => relationAgreement(input([['x', 'x', 'supports']]))).toThrow(/relates "x" to itself/);
    expect(() => relationAgreement(input([['x', 'y', 'none']]))).toThrow(/reserved/);
    expect(() => relationAgreement(input([['x', 'y', 'supports'], ['x', 'y', 'attacks']]))).toThrow(/twice, as "supports" and "attacks"/);
    expect(relationAgreement(input([['x', 'y', 'supports'], ['x', 'y', 'supports']]))).toEqual(relationAgreement(input([['x', 'y', 'supports']])));
    expect(() => relationAgreement({ components: ['x', 'x'], annotators: [] })).toThrow(/components\[1\] repeats/);
    expect(() => relationAgreement({ components: ['x'], annotators: [{ id: 'a', relations: [] }, { id: 'a', relations: [] }] })).toThrow(/repeats the annotator/);
  });
});

describe('pooled relation agreement', () => {
  it.each(SEEDS.slice(0, 10))('pools coincidences: alpha over all items of all passages, each with its own annotators (seed %i)', (seed) => {
    const random = seeded(seed);
    const pool = ['ann', 'bob', 'cid', 'dee'];
    const passages = Array.from({ length: 6 }, () => randomPassage(random, random.shuffle(pool).slice(0, 2 + random.int(3))));
    const estimate = pooledRelationAlpha(passages.map(relationAgreementParts), { resamples: 200 });
    expect(estimate.value).toBeCloseTo(krippendorffAlpha(itemMatrix(passages).matrix, 'nominal'), 12);
    expect(estimate.low).toBeLessThanOrEqual(estimate.value);
    expect(estimate.high).toBeGreaterThanOrEqual(estimate.value);
  });

  it.each(SEEDS.slice(0, 10))('Fleiss\' kappa over all items when every passage has the same number of annotators (seed %i)', (seed) => {
    const random = seeded(seed);
    const passages = Array.from({ length: 5 }, () => randomPassage(random, random.shuffle(['a', 'b', 'c', 'd']).slice(0, 3)));
    const estimate = pooledRelationFleissKappa(passages.map(relationAgreementParts), { resamples: 200 });
    expect(estimate.value).toBeCloseTo(fleissKappa(itemMatrix(passages).counts).kappa, 12);
  });

  it('of one passage equals relationAgreement exactly', () => {
    const passage = randomPassage(seeded(3), ['a', 'b', 'c']);
    const parts = [relationAgreementParts(passage)];
    expect(pooledRelationAlpha(parts, { resamples: 10 }).value).toBe(relationAgreement(passage).alpha);
    expect(pooledRelationFleissKappa(parts, { resamples: 10 }).value).toBe(relationAgreement(passage).fleissKappa);
  });

  it('Fleiss refuses passages with different numbers of annotators', () => {
    const random = seeded(4);
    const parts = [randomPassage(random, ['a', 'b']), randomPassage(random, ['a', 'b', 'c'])].map(relationAgreementParts);
    expect(() => pooledRelationFleissKappa(parts)).toThrow(/parts\[1\] has 3 annotators, an earlier passage 2/);
  });

  it('rejects parts that are not symmetric or not counts', () => {
    const bad = { annotators: 2, items: 2, pairs: { none: { none: 2, supports: 1 }, supports: { none: 2 } } };
    expect(() => pooledRelationAlpha([bad])).toThrow(/not symmetric/);
    expect(() => pooledRelationAlpha([{ annotators: 2, items: 2, pairs: { none: { none: -2 } } }])).toThrow(/negative/);
  });

  it('is reproducible', () => {
    const random = seeded(5);
    const parts = Array.from({ length: 10 }, () => relationAgreementParts(randomPassage(random, ['a', 'b', 'c'])));
    expect(pooledRelationAlpha(parts, { seed: 3 })).toEqual(pooledRelationAlpha(parts, { seed: 3 }));
  });
});

/** The parts by their definition: every ordered pair of annotators' labels of every item, counted. */
function spelledOutParts(input: RelationInput): RelationParts {
  const m = input.annotators.length;
  const c = input.components.length;
  const pairs: Record<string, Record<string, number>> = {};
  if (m >= 2 && c >= 2) {
    for (const source of input.components) {
      for (const target of input.components) {
        if (source === target) continue;
        const labels = input.annotators.map((a) => a.relations.find(([s, t]) => s === source && t === target)?.[2] ?? 'none');
        labels.forEach((x, i) =>
          labels.forEach((y, j) => {
            if (i === j) return;
            const row = (pairs[x] ??= {});
            row[y] = (row[y] ?? 0) + 1;
          }),
        );
      }
    }
  }
  return { annotators: m, items: c * (c - 1), pairs };
}

/** Each annotator marks most of the components; relations only between its own. */
function randomPairInput(random: Random, annotators: string[]): RelationPairInput {
  const universe = Array.from({ length: 2 + random.int(12) }, (_, i) => `${i * 10}:${i * 10 + 6}`);
  return {
    annotators: annotators.map((id) => {
      const components = random.shuffle(universe.filter(() => random.next() < 0.85));
      const relations: [string, string, string][] = [];
      const given = new Set<string>();
      for (let k = random.int(2 * components.length); k > 0 && components.length >= 2; k--) {
        const source = random.pick(components);
        const target = random.pick(components);
        if (source === target || given.has(`${source}>${target}`)) continue;
        given.add(`${source}>${target}`);
        relations.push([source, target, random.pick(TYPES)]);
        if (random.next() < 0.1) relations.push(relations.at(-1)!);
      }
      return { id, components, relations };
    }),
  };
}

/** relationAgreementParts' input for a group: the components all of them marked, the relations between those. */
function groupInput(annotators: RelationPairInput['annotators']): RelationInput {
  const components = annotators.length === 0 ? [] : annotators[0]!.components.filter((id) => annotators.every((a) => a.components.includes(id)));
  return {
    components,
    annotators: annotators.map((a) => ({ id: a.id, relations: a.relations.filter(([s, t]) => components.includes(s) && components.includes(t)) })),
  };
}

describe('relationAgreementParts', () => {
  it.each(SEEDS)('counts the ordered pairs of judgements of every item (seed %i)', (seed) => {
    const random = seeded(seed);
    const passage = randomPassage(random, ['a', 'b', 'c', 'd'].slice(0, 1 + random.int(4)), 2 + random.int(8));
    expect(relationAgreementParts(passage)).toEqual(spelledOutParts(passage));
  });

  it('gives the same parts after a rejected input and after a bigger one (scratch space is reused)', () => {
    const random = seeded(40);
    const small = randomPassage(random, ['a', 'b']);
    const before = relationAgreementParts(small);
    expect(() => relationAgreementParts({ components: ['x', 'y'], annotators: [{ id: 'a', relations: [['x', 'y', 'supports'], ['x', 'y', 'attacks']] }] })).toThrow(/twice/);
    // 50, 100 and 200 relations: the scratch space grows while later annotators are read.
    const components = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const items = components.flatMap((source) => components.filter((t) => t !== source).map((target) => [source, target] as const));
    const big: RelationInput = {
      components,
      annotators: [50, 100, 200].map((count, k) => ({
        id: `a${k}`,
        relations: random.shuffle(items).slice(0, count).map(([source, target]): [string, string, string] => [source, target, random.pick(TYPES)]),
      })),
    };
    expect(relationAgreementParts(big)).toEqual(spelledOutParts(big));
    expect(relationAgreementParts(small)).toEqual(before);
  });
});

describe('relationPairParts', () => {
  it.each(SEEDS)('equals relationAgreementParts over the components each group marked (seed %i)', (seed) => {
    const random = seeded(seed);
    const input = randomPairInput(random, ['ann', 'bob', 'cid', 'dee'].slice(0, 1 + random.int(4)));
    const { all, pairs } = relationPairParts(input);
    expect(all).toEqual(relationAgreementParts(groupInput(input.annotators)));
    const expected = input.annotators.flatMap((a, i) =>
      input.annotators.slice(i + 1).map((b) => ({ a: a.id, b: b.id, parts: relationAgreementParts(groupInput([a, b])) })),
    );
    expect(pairs).toEqual(expected);
  });

  it('a pair counts the components both of them marked, even ones a third annotator left out', () => {
    const input: RelationPairInput = {
      annotators: [
        { id: 'a', components: ['x', 'y', 'z'], relations: [['x', 'z', 'supports']] },
        { id: 'b', components: ['x', 'y', 'z'], relations: [['x', 'z', 'supports']] },
        { id: 'c', components: ['x', 'y'], relations: [] },
      ],
    };
    const { all, pairs } = relationPairParts(input);
    expect(all).toEqual({ annotators: 3, items: 2, pairs: { none: { none: 12 } } });
    expect(pairs[0]).toEqual({ a: 'a', b: 'b', parts: { annotators: 2, items: 6, pairs: { none: { none: 10 }, supports: { supports: 2 } } } });
  });

  it('checks its input, naming what is wrong', () => {
    const one = (relations: [string, string, string][], components = ['x', 'y']): RelationPairInput => ({
      annotators: [
        { id: 'a', components, relations },
        { id: 'b', components: ['x', 'y', 'z'], relations: [] },
      ],
    });
    expect(() => relationPairParts(one([['x', 'z', 'supports']]))).toThrow(/annotators\[0\].relations\[0\]: target "z" is not one of the annotator's components/);
    expect(() => relationPairParts(one([['x', 'x', 'supports']]))).toThrow(/relates "x" to itself/);
    expect(() => relationPairParts(one([['x', 'y', 'none']]))).toThrow(/reserved/);
    expect(() => relationPairParts(one([['x', 'y', 'supports'], ['x', 'y', 'attacks']]))).toThrow(/twice, as "supports" and "attacks"/);
    expect(() => relationPairParts(one([], ['x', 'x']))).toThrow(/annotators\[0\].components\[1\] repeats the component "x"/);
    expect(() => relationPairParts({ annotators: [{ id: 'a', components: [], relations: [] }, { id: 'a', components: [], relations: [] }] })).toThrow(/repeats the annotator/);
    expect(relationPairParts(one([['x', 'y', 'supports'], ['x', 'y', 'supports']]))).toEqual(relationPairParts(one([['x', 'y', 'supports']])));
  });
});
