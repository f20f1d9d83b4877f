// The per-passage parts a project report works out, timed by hand: 10,000 passages x 3 coders x
// 20 spans (3 labels, 600 characters) and 10 relations each, as apps/api's report sees them.
// From apps/api (for tsx): `node --import tsx ../../packages/agreement/bench/parts-load.ts`.
import { mulberry32 } from '../../../test-support/prng.ts';
import * as agreement from '../src/index.ts';
import type { RelationInput, RelationPairInput, UnitizingInput } from '../src/index.ts';

const LABELS = ['premise', 'inference', 'conclusion'];
const CODERS = ['u0', 'u1', 'u2'];
const PAIRS: [number, number][] = [
  [0, 1],
  [0, 2],
  [1, 2],
];

export type PartsLoad = {
  unitizing: UnitizingInput[];
  /** Per passage, per pair: that pair's units and coders. */
  pairUnitizing: UnitizingInput[][];
  relations: RelationInput[];
  pairRelations: RelationInput[][];
  /** Per passage: each annotator's own components and relations. */
  relationPairs: RelationPairInput[];
};

/** Offsets both (all) annotators marked are the components; relations between two of them are items. */
function relationInput(own: RelationPairInput['annotators']): RelationInput {
  const components = own[0]!.components.filter((id) => own.every((a) => a.components.includes(id)));
  const shared = new Set(components);
  return {
    components,
    annotators: own.map((a) => ({ id: a.id, relations: a.relations.filter(([s, t]) => shared.has(s) && shared.has(t)) })),
  };
}

export function partsLoad(passages = 10_000, seed = 7): PartsLoad {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const load: PartsLoad = { unitizing: [], pairUnitizing: [], relations: [], pairRelations: [], relationPairs: [] };
  for (let p = 0; p < passages; p++) {
    const truth = Array.from({ length: 20 }, () => pick(LABELS));
    const units: UnitizingInput['units'] = [];
    const own: RelationPairInput['annotators'] = [];
    for (const coder of CODERS) {
      const offsets: [number, number][] = [];
      for (let s = 0; s < 20; s++) {
        const label = random() < 0.8 ? truth[s]! : pick(LABELS);
        const start = s * 30 + (random() < 0.8 ? 0 : Math.floor(random() * 4));
        const end = s * 30 + 20 + (random() < 0.8 ? 0 : Math.floor(random() * 6));
        units.push({ coder, label, start, end });
        offsets.push([start, end]);
      }
      const name = (s: number): string => `${offsets[s]![0]}:${offsets[s]![1]}`;
      const relations: [string, string, string][] = [];
      for (let k = 0; k < 10; k++) {
        const type = random() < 0.85 ? 'supports' : 'attacks';
        relations.push([name(2 * k), name(random() < 0.85 ? 2 * k + 1 : (2 * k + 3) % 20), type]);
      }
      own.push({ id: coder, components: offsets.map((_, s) => name(s)), relations });
    }
    load.unitizing.push({ begin: 0, end: 600, units, coders: CODERS });
    load.pairUnitizing.push(PAIRS.map(([a, b]) => ({ begin: 0, end: 600, units: units.filter((u) => u.coder === CODERS[a] || u.coder === CODERS[b]), coders: [CODERS[a]!, CODERS[b]!] })));
    load.relations.push(relationInput(own));
    load.pairRelations.push(PAIRS.map(([a, b]) => relationInput([own[a]!, own[b]!])));
    load.relationPairs.push({ annotators: own });
  }
  return load;
}

type Api = Pick<typeof agreement, 'unitizingParts' | 'relationAgreementParts'> & Partial<Pick<typeof agreement, 'unitizingPairParts' | 'relationPairParts'>>;

export function timeParts(api: Api, load: PartsLoad): Record<string, number> {
  const times: Record<string, number> = {};
  const time = (name: string, run: () => void): void => {
    run(); // warm up
    const best: number[] = [];
    for (let k = 0; k < 5; k++) {
      const start = performance.now();
      run();
      best.push(performance.now() - start);
    }
    times[name] = Math.round(Math.min(...best));
  };
  time('unitizingParts x1', () => load.unitizing.forEach((input) => api.unitizingParts(input)));
  time('unitizingParts pairs x3', () => load.pairUnitizing.forEach((pairs) => pairs.forEach((input) => api.unitizingParts(input))));
  if (api.unitizingPairParts) time('unitizingPairParts (all + 3 pairs)', () => load.unitizing.forEach((input) => api.unitizingPairParts!(input)));
  time('relationAgreementParts x1', () => load.relations.forEach((input) => api.relationAgreementParts(input)));
  time('relationAgreementParts pairs x3', () => load.pairRelations.forEach((pairs) => pairs.forEach((input) => api.relationAgreementParts(input))));
  if (api.relationPairParts) time('relationPairParts (all + 3 pairs)', () => load.relationPairs.forEach((input) => api.relationPairParts!(input)));
  return times;
}

if (process.argv[1]?.endsWith('parts-load.ts')) {
  const load = partsLoad();
  for (const [name, ms] of Object.entries(timeParts(agreement, load))) console.log(`${name.padEnd(36)} ${ms} ms`);
}
