import { describe, expect, it } from 'vitest';
import {
  buildReport,
  relationAgreementParts,
  resampleSums,
  Resampler,
  sumsWidth,
  unitizingParts,
  type LoadedPassage,
  type RelationParts,
  type ResampleHelper,
  type SumsTask,
  type UnitizingParts,
} from '../src/index.ts';
import { seeded, unitizingInput, type Random } from './generators.ts';

const LABELS = ['x', 'y', 'z'];
const CATEGORIES = ['a', 'b', 'c'];
/** Passages x 1000 resamples: enough draws for a helper to be asked (below, it is not worth it). */
const LARGE = 2200;

/** A helper in this thread: forms the task's sums at once (the worker thread does the same). */
function inThread(): ResampleHelper & { tasks: SumsTask[] } {
  const tasks: SumsTask[] = [];
  return {
    tasks,
    start(task) {
      tasks.push(task);
      const sums = resampleSums(task);
      return { finish: () => sums };
    },
  };
}

/** A helper that never got to the task (still starting, or gone): the caller forms the sums itself. */
function declining(): ResampleHelper & { tasks: SumsTask[] } {
  const tasks: SumsTask[] = [];
  return {
    tasks,
    start(task) {
      tasks.push(task);
      return { finish: () => undefined };
    },
  };
}

function data(random: Random, passages: number) {
  const categories: (string | null)[][] = [[], [], []];
  const unitizing: UnitizingParts[] = [];
  const relations: RelationParts[] = [];
  for (let p = 0; p < passages; p++) {
    const truth = random.pick(CATEGORIES);
    for (const row of categories) row.push(random.next() < 0.1 ? null : random.next() < 0.75 ? truth : random.pick(CATEGORIES));
    unitizing.push(unitizingParts(unitizingInput(random, ['a', 'b', 'c'], LABELS, 40 + random.int(40))));
    const components = ['c0', 'c1', 'c2'];
    relations.push(
      relationAgreementParts({
        components,
        annotators: ['a', 'b', 'c'].map((id) => ({ id, relations: random.next() < 0.8 ? [['c0', 'c1', random.pick(['supports', 'attacks'])]] : [] })),
      }),
    );
  }
  return { categories, unitizing, relations };
}

/** Every kind of statistic: pattern tables (categories, relations) and the dense matrix (alpha_U). */
function resampleAll(passages: ReturnType<typeof data>, helper?: ResampleHelper) {
  const n = passages.categories[0]!.length;
  const resampler = new Resampler(n, helper ? { seed: 7, helper } : { seed: 7 });
  const halves = Array.from({ length: n }, (_, p) => p).filter((p) => p % 2 === 0);
  const pending = [
    resampler.alpha(passages.categories, 'nominal'),
    resampler.pooledUnitizingAlpha(passages.unitizing, { labels: LABELS }),
    resampler.pooledUnitizingAlpha(
      halves.map((p) => passages.unitizing[p]!),
      { labels: LABELS, units: halves, perLabel: false },
    ),
    resampler.pooledRelationAlpha(passages.relations),
    resampler.pooledRelationFleissKappa(passages.relations),
  ];
  return pending.map((p) => p.get());
}

describe('a resample helper (another thread forming some resamples)', () => {
  const passages = data(seeded(3), LARGE);
  const alone = resampleAll(passages);

  it('forms the later resamples of a large bootstrap, and every result is the same to the bit', () => {
    const helper = inThread();
    expect(resampleAll(passages, helper)).toEqual(alone);
    expect(helper.tasks).toHaveLength(1);
    const [task] = helper.tasks as [SumsTask];
    expect(task.n).toBe(LARGE);
    expect(task.to).toBe(1000);
    // Most of the second half: this thread also runs every resample's final formulas.
    expect(task.from).toBeGreaterThan(300);
    expect(task.from).toBeLessThan(600);
    expect(task.tables.length + task.denseColumns).toBeGreaterThan(0);
  });

  it('gives the same results when the helper declines (this thread forms them itself)', () => {
    const helper = declining();
    expect(resampleAll(passages, helper)).toEqual(alone);
    expect(helper.tasks).toHaveLength(1);
  });

  it('starts the generator where the resamples before it would have left it', () => {
    const helper = inThread();
    resampleAll(passages, helper);
    const task = helper.tasks[0]!;
    const width = sumsWidth(task);
    const all = resampleSums({ ...task, from: 0 });
    expect(resampleSums(task)).toEqual(all.subarray(task.from * width));
    expect(resampleSums({ ...task, from: 999 })).toEqual(all.subarray(999 * width));
  });

  it('is not asked for a small bootstrap, nor for one with a custom statistic', () => {
    const small = data(seeded(4), 300);
    const helper = inThread();
    expect(resampleAll(small, helper)).toEqual(resampleAll(small));
    expect(helper.tasks).toHaveLength(0);

    const resampler = new Resampler(LARGE, { helper });
    resampler.alpha(passages.categories, 'nominal');
    resampler.custom((weights) => weights[0]!).get();
    expect(helper.tasks).toHaveLength(0);
    expect(() => new Resampler(10, { helper: {} as ResampleHelper })).toThrow(TypeError);
  });

  it('leaves a project report unchanged', () => {
    const random = seeded(5);
    const labels = ['premise', 'conclusion'];
    const project: LoadedPassage[] = Array.from({ length: LARGE }, (_, p) => ({
      id: `p${String(p).padStart(5, '0')}`,
      externalId: `p${p}`,
      length: 60,
      sets: ['a', 'b', 'c'].map((userId) => ({
        userId,
        category: random.pick(['reasoning', 'knowledge']),
        submittedAt: Date.UTC(2026, 10, 2) + p * 3_600_000,
        spans: [0, 20, 40].map((at, s) => ({ id: `s${s}`, label: random.pick(labels), start: at + random.int(3), end: at + 10 + random.int(3) })),
        relations: random.next() < 0.7 ? [{ id: 'r0', type: random.pick(['supports', 'attacks']), source: 's0', target: 's1' }] : [],
      })),
    }));
    const input = {
      passages: project,
      scheme: { spanLabels: labels.map((key) => ({ key, name: key, color: '#000000' })), categories: [{ key: 'reasoning' }, { key: 'knowledge' }] },
      labels,
      annotators: ['a', 'b', 'c'].map((id) => ({ id, username: id, displayName: id })),
      progress: [],
    };
    const helper = inThread();
    expect(JSON.stringify(buildReport({ ...input, helper }))).toBe(JSON.stringify(buildReport(input)));
    expect(helper.tasks).toHaveLength(1);
  });
});
