// The part of a resample that needs no statistic's code, only numbers: drawing the units and
// forming the sums (pattern tables and the dense matrix, see engine.ts). Plain data in, plain data
// out, so a helper thread can run some of a bootstrap's resamples: the generator can start at any
// resample (Mulberry32.after), and the sums come out the same to the bit wherever they are formed.

import { Mulberry32 } from './random.ts';

/** A pattern table: each unit's joint pattern (0: none), and the patterns' amounts row by row. */
export type SumsTable = { ids: Int32Array; patterns: number; features: number; matrix: Float64Array };

/** What every resample's sums are formed from (engine.ts describes the two layouts). */
export type SumsLayout = {
  /** Units drawn per resample. */
  n: number;
  tables: SumsTable[];
  /** Columns of the dense matrix (a multiple of 4), blocks of eight (the last perhaps four), unit-major. */
  denseColumns: number;
  dense: Float64Array;
};

/** Resamples [from, to) of a bootstrap seeded with `seed`, over a layout. */
export type SumsTask = SumsLayout & { seed: number; from: number; to: number };

/**
 * Runs a task's resamples somewhere else (another thread) while the caller runs its own. A helper
 * may decline: finish() then answers undefined and the caller forms those sums itself.
 */
export interface ResampleHelper {
  start(task: SumsTask): { finish(): Float64Array | undefined };
}

/** Sums per resample of a layout: the tables' features in table order, then the dense columns. */
export function sumsWidth(layout: SumsLayout): number {
  let width = layout.denseColumns;
  for (const table of layout.tables) width += table.features;
  return width;
}

/**
 * One resample at a time: draw, then form the sums into `sums` (tables first, then the dense
 * columns; tableSums and denseSums are views of it).
 */
export class SumsKernel {
  readonly weights: Float64Array;
  readonly sums: Float64Array;
  readonly tableSums: Float64Array[];
  readonly denseSums: Float64Array;
  private readonly counts: Float64Array[];
  private readonly partials: Float64Array[];

  constructor(private readonly layout: SumsLayout) {
    this.weights = new Float64Array(layout.n);
    this.sums = new Float64Array(sumsWidth(layout));
    let at = 0;
    this.tableSums = layout.tables.map((t) => {
      const view = this.sums.subarray(at, at + t.features);
      at += t.features;
      return view;
    });
    this.denseSums = this.sums.subarray(at, at + layout.denseColumns);
    this.counts = layout.tables.map((t) => new Float64Array(t.patterns + 1));
    this.partials = layout.tables.map((t) => new Float64Array(4 * (t.patterns + 1)));
  }

  resample(random: Mulberry32): void {
    const { tables, n, denseColumns, dense } = this.layout;
    random.countDraws(this.weights);
    for (let t = 0; t < tables.length; t++) {
      const table = tables[t]!;
      const counts = this.counts[t]!;
      countPatterns(table.ids, this.weights, counts, this.partials[t]!);
      // Row 0 is the empty pattern.
      multiply(table.matrix, counts, 1, counts.length, table.features, this.tableSums[t]!);
    }
    if (denseColumns > 0) multiplyBlocks(dense, this.weights, n, denseColumns, this.denseSums);
  }
}

/** A task's sums, sumsWidth(task) per resample, resample after resample. */
export function resampleSums(task: SumsTask, out: Float64Array = new Float64Array((task.to - task.from) * sumsWidth(task))): Float64Array {
  const kernel = new SumsKernel(task);
  const random = Mulberry32.after(task.seed, task.from * task.n);
  const width = kernel.sums.length;
  for (let r = task.from; r < task.to; r++) {
    kernel.resample(random);
    out.set(kernel.sums, (r - task.from) * width);
  }
  return out;
}

/**
 * sums[f] = sum over rows k in [from, to) of x[k] * matrix[k][f], row-major with `features`
 * columns. Four columns per pass, each sum running over the rows in order.
 */
function multiply(matrix: Float64Array, x: Float64Array, from: number, to: number, features: number, sums: Float64Array): void {
  let c = 0;
  for (; c + 4 <= features; c += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = from, b = from * features + c; k < to; k++, b += features) {
      const w = x[k]!;
      s0 += w * matrix[b]!;
      s1 += w * matrix[b + 1]!;
      s2 += w * matrix[b + 2]!;
      s3 += w * matrix[b + 3]!;
    }
    sums[c] = s0;
    sums[c + 1] = s1;
    sums[c + 2] = s2;
    sums[c + 3] = s3;
  }
  for (; c < features; c++) {
    let s = 0;
    for (let k = from, b = from * features + c; k < to; k++, b += features) s += x[k]! * matrix[b]!;
    sums[c] = s;
  }
}

/**
 * counts[k] = sum of the weights of the units of pattern k. Four interleaved partial counts, so
 * that runs of units of the same pattern do not wait on each other's additions.
 */
function countPatterns(ids: Int32Array, weights: Float64Array, counts: Float64Array, partial: Float64Array): void {
  const k = counts.length;
  partial.fill(0);
  const n = ids.length;
  let u = 0;
  for (; u + 3 < n; u += 4) {
    partial[ids[u]!]! += weights[u]!;
    partial[k + ids[u + 1]!]! += weights[u + 1]!;
    partial[2 * k + ids[u + 2]!]! += weights[u + 2]!;
    partial[3 * k + ids[u + 3]!]! += weights[u + 3]!;
  }
  for (; u < n; u++) partial[ids[u]!]! += weights[u]!;
  for (let j = 0; j < k; j++) counts[j] = partial[j]! + partial[k + j]! + partial[2 * k + j]! + partial[3 * k + j]!;
}

/**
 * sums = x^T matrix in the dense matrix's layout: blocks of eight columns (the last one four
 * wide when the columns are not a multiple of eight), each n x width unit-major. Each sum runs
 * over the units in order.
 */
function multiplyBlocks(matrix: Float64Array, x: Float64Array, n: number, columns: number, sums: Float64Array): void {
  let c = 0;
  for (; c + 8 <= columns; c += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let k = 0, b = c * n; k < n; k++, b += 8) {
      const w = x[k]!;
      s0 += w * matrix[b]!;
      s1 += w * matrix[b + 1]!;
      s2 += w * matrix[b + 2]!;
      s3 += w * matrix[b + 3]!;
      s4 += w * matrix[b + 4]!;
      s5 += w * matrix[b + 5]!;
      s6 += w * matrix[b + 6]!;
      s7 += w * matrix[b + 7]!;
    }
    sums[c] = s0;
    sums[c + 1] = s1;
    sums[c + 2] = s2;
    sums[c + 3] = s3;
    sums[c + 4] = s4;
    sums[c + 5] = s5;
    sums[c + 6] = s6;
    sums[c + 7] = s7;
  }
  if (c < columns) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0, b = c * n; k < n; k++, b += 4) {
      const w = x[k]!;
      s0 += w * matrix[b]!;
      s1 += w * matrix[b + 1]!;
      s2 += w * matrix[b + 2]!;
      s3 += w * matrix[b + 3]!;
    }
    sums[c] = s0;
    sums[c + 1] = s1;
    sums[c + 2] = s2;
    sums[c + 3] = s3;
  }
}

