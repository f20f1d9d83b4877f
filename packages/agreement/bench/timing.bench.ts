// Timing by hand, not a test: `pnpm --filter @warrant/agreement bench`. The report endpoint runs these
// sizes on every request, so they have to stay well under a second.
import { bench, describe } from 'vitest';
import { mulberry32 } from '../../../test-support/prng.ts';
import * as agreement from '../src/index.ts';
import { alphaWithInterval, pooledUnitizingAlpha, unitizingParts, type UnitizingInput, type UnitizingParts } from '../src/index.ts';
import { jointly, reportLoad, separately } from './report-load.ts';

const random = mulberry32(7);
const pick = (n: number): number => Math.floor(random() * n);

// 10,000 units x 3 coders, 4 categories, 80% agreement with the first coder, 5% missing.
const matrix: (number | null)[][] = [[], [], []];
for (let u = 0; u < 10_000; u++) {
  const truth = pick(4);
  for (const row of matrix) row.push(random() < 0.05 ? null : random() < 0.8 ? truth : pick(4));
}

// 10,000 passages of 2,000 characters, 3 coders x 20 spans each over 3 labels.
const LABELS = ['premise', 'inference', 'conclusion'];
const inputs: UnitizingInput[] = [];
for (let p = 0; p < 10_000; p++) {
  const units: UnitizingInput['units'] = [];
  for (const coder of ['a', 'b', 'c']) {
    for (let s = 0; s < 20; s++) {
      const start = s * 100 + pick(30);
      units.push({ coder, label: LABELS[pick(3)]!, start, end: start + 10 + pick(60) });
    }
  }
  inputs.push({ begin: 0, end: 2000, units, coders: ['a', 'b', 'c'] });
}
let parts: UnitizingParts[] = inputs.map(unitizingParts);

const once = { iterations: 5, warmupIterations: 1, time: 0, warmupTime: 0 };

describe('report sizes, 1000 resamples', () => {
  bench('alphaWithInterval, 10,000 units x 3 coders (nominal)', () => {
    alphaWithInterval(matrix, 'nominal', { resamples: 1000 });
  }, once);
  bench('alphaWithInterval, 10,000 units x 3 coders (ordinal)', () => {
    alphaWithInterval(matrix, 'ordinal', { resamples: 1000 });
  }, once);
  bench('unitizingParts, 10,000 passages x 3 coders x 20 spans', () => {
    parts = inputs.map(unitizingParts);
  }, once);
  bench('pooledUnitizingAlpha over those 10,000 parts', () => {
    pooledUnitizingAlpha(parts, { resamples: 1000 });
  }, once);
});

// A whole project report's intervals (bench/report-load.ts): 10,000 passages x 3 annotators,
// 17 statistics. Before the Resampler, report.ts ran one bootstrap per statistic; the Resampler
// draws the passages once per resample for all of them.
const load = reportLoad();
const report = { resamples: 1000, seed: 20041 };

describe('report-like load: 17 intervals over 10,000 passages, 1000 resamples', () => {
  bench('one *WithInterval call per statistic (17 bootstraps)', () => {
    separately(agreement, load, report);
  }, once);
  bench('one Resampler for all 17 statistics', () => {
    jointly(load, report);
  }, once);
});
