import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '../../../test-support/shared-data.ts';
import {
  cohenKappaDetail,
  fleissKappa,
  krippendorffAlphaDetail,
  pooledUnitizingAlpha,
  scottPi,
  unitizingAlpha,
  unitizingParts,
  type Level,
  type ReliabilityValue,
  type UnitizingInput,
} from '../src/index.ts';

// Published worked examples (../shared/iaa). Every `expected` figure of every file is checked: a
// key no checker knows fails the test, so a new file or a new figure cannot be skipped silently.
const dir = sharedPath('iaa');
const files = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();

type Example = { kind: string; data: Record<string, unknown>; expected: Record<string, unknown> };

const TOLERANCE = 5e-5;

function close(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(TOLERANCE);
}

/** Computed figures by expected key, for each kind of example. */
const checkers: Record<string, (example: Example) => Record<string, number | number[] | Record<string, unknown>>> = {
  cohen_table(example) {
    const table = example.data.table as number[][];
    const detail = cohenKappaDetail(table);
    return { po: detail.po, pe: detail.pe, kappa: detail.kappa, scott_pi: scottPi(table) };
  },
  fleiss(example) {
    const result = fleissKappa(example.data.counts as number[][]);
    return { P_bar: result.pBar, P_e: result.pE, kappa: result.kappa, kappa_j: result.perCategory };
  },
  krippendorff_alpha(example) {
    const matrix = example.data.matrix as ReliabilityValue[][];
    const figures: Record<string, number> = {};
    for (const level of ['nominal', 'ordinal', 'interval', 'ratio'] as Level[]) {
      const detail = krippendorffAlphaDetail(matrix, level);
      figures[`alpha_${level}`] = detail.alpha;
      figures[`D_o_${level}`] = detail.observed;
      figures[`D_e_${level}`] = detail.expected;
    }
    return figures;
  },
  unitizing_alpha_u_2004(example) {
    const input = example.data as UnitizingInput;
    const result = unitizingAlpha(input);
    const perCategory: Record<string, Record<string, number>> = {};
    for (const [label, figures] of Object.entries(result.perLabel)) {
      perCategory[label] = { D_o: figures.observed, D_e: figures.expected, alpha: figures.alpha };
    }
    const alphas = Object.values(result.perLabel).map((figures) => figures.alpha);
    return {
      per_category: perCategory,
      alpha_overall_dkpro: result.overall,
      // Not part of the API (the overall figure is DKPro's); the literature's macro mean, for reference.
      alpha_macro_mean: alphas.reduce((a, b) => a + b, 0) / alphas.length,
    };
  },
};

function compare(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, `${path} was not computed`).toBe('number');
    close(actual as number, expected, path);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} was not computed`).toBe(true);
    expect((actual as unknown[]).length, `${path} length`).toBe(expected.length);
    expected.forEach((value, i) => compare((actual as unknown[])[i], value, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    expect(actual, `${path} was not computed`).toBeTypeOf('object');
    for (const [key, value] of Object.entries(expected)) {
      expect(actual as object, `${path}.${key}: no figure computed for this expected key`).toHaveProperty([key]);
      compare((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    throw new Error(`${path}: unexpected expected value ${String(expected)}`);
  }
}

describe('published worked examples', () => {
  it('finds the examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s reproduces every expected figure', (name) => {
    const example = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Example;
    const checker = checkers[example.kind];
    expect(checker, `no checker for kind ${example.kind}`).toBeDefined();
    compare(checker!(example), example.expected, name);
  });

  it.each(files.filter((name) => name.startsWith('unitizing')))('%s: pooling the one continuum gives unitizingAlpha exactly', (name) => {
    const example = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Example;
    const input = example.data as UnitizingInput;
    const direct = unitizingAlpha(input);
    const pooled = pooledUnitizingAlpha([unitizingParts(input)], { resamples: 50 });
    expect(pooled.overall.value).toBe(direct.overall);
    for (const [label, figures] of Object.entries(direct.perLabel)) expect(pooled.perLabel[label]!.value).toBe(figures.alpha);
    expect(Object.keys(pooled.perLabel).sort()).toEqual(Object.keys(direct.perLabel).sort());
  });
});

describe('figures called out by the examples README', () => {
  const read = (name: string): Example => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Example;

  it('Cohen 0.4000 and Scott 0.3939 on the grant proposals table', () => {
    const table = read('cohen_wikipedia_grant_2x2.json').data.table as number[][];
    expect(cohenKappaDetail(table).kappa).toBeCloseTo(0.4, 12);
    expect(scottPi(table)).toBeCloseTo(0.3939, 4);
  });

  it('overall alpha_U of Krippendorff (2004) is 0.8587 unrounded, not the printed 0.8591', () => {
    const overall = unitizingAlpha(read('unitizing_alphaU_krippendorff2004.json').data as UnitizingInput).overall;
    expect(overall).toBeCloseTo(0.8587, 4);
    expect(Math.abs(overall - 0.8591)).toBeGreaterThan(3e-4);
  });
});
