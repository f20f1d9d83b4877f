// The resampling loop behind every interval. Each statistic is linear in the unit weights up to
// its final formula (see linear.ts), so a resample only has to form each statistic's sums.
//
// Two ways to form them, chosen per statistic from its data:
// - Pattern tables. Units (passages, items) whose amounts are identical are one pattern: a
//   resample adds up how often each pattern was drawn and multiplies by the pattern's amounts
//   once. Three coders and three categories give at most 27 patterns however many passages there
//   are, and statistics whose patterns combine into few joint patterns share one table (all the
//   category statistics of a report do: they all follow from the passages' categories).
// - The dense matrix, unit by unit, for statistics with many patterns (alpha_U's D_o and D_e
//   differ from passage to passage). Integer amounts (coincidence and table counts) are packed
//   several to a float64: a sum of non-negative integers stays exact below 2^53, so amounts a and
//   b stored as a + b * 2^s add up to A + B * 2^s as long as A < 2^s, and A and B are read back
//   exactly. s is fixed from the largest possible sum (every draw on the unit with the most).
// Integer sums are exact either way, so for coincidences and counts the choice changes no bit of
// any result; statistics with float amounts (alpha_U) always go dense, where each sum runs over
// the units in order: the same additions as a plain weighted sum.
//
// Forming the sums is most of a resample and needs only numbers (resample-sums.ts), so with a
// helper (another thread) a large bootstrap hands it the later resamples and forms the earlier
// ones itself; each statistic's final formula then runs here on both.

import type { Linear } from './linear.ts';
import { Mulberry32 } from './random.ts';
import { type ResampleHelper, SumsKernel, type SumsLayout } from './resample-sums.ts';

/** A statistic and, for each of its items, the unit (index below unitCount) it belongs to. */
export type Job = { linear: Linear; units: Int32Array };

/** Per job and output, and per custom statistic: the value in each resample (NaN allowed). */
export type ResampledValues = { jobs: Float64Array[][]; customs: Float64Array[] };

type Rows = { start: Int32Array; feature: Int32Array; amount: Float64Array };

type Prepared = {
  linear: Linear;
  rows: Rows;
  /** Pattern of each unit; 0 is the empty row (the unit adds nothing). */
  pattern: Int32Array;
  patterns: number;
  /** Per feature: the largest amount if every amount is a whole number >= 0, else -1. */
  integral: Float64Array;
  home: Table | 'dense' | 'none';
  /** Where the statistic's features start in its table's sums. */
  offset: number;
};

type Table = { ids: Int32Array; patterns: number; features: number; members: Prepared[] };

// Rough costs per unit and resample, in nanoseconds, measured on the report's load: adding a
// unit's draws into its pattern's count (cheap while the counts stay few), a multiply-add of a
// pattern table, a column of the dense matrix.
const SMALL_TABLE = 64;
const SCATTER_SMALL = 0.6;
const SCATTER = 3.8;
const TABLE_MULTIPLY = 1.1;
const DENSE_COLUMN = 0.75;
/** Bits of a float64's significand: integer sums below 2^53 are exact. */
const EXACT_BITS = 53;
const EMPTY = new Int32Array(0);
/**
 * Draws (units x resamples) from which a helper is worth its message: below, the copy and the
 * wake-up cost about what it saves.
 */
const HELP_FROM = 1 << 21;
/**
 * The helper's share of the resamples: a little over half, as this thread also runs every
 * resample's final formulas and takes the helper's sums in.
 */
const HELPER_SHARE = 0.55;

export function resampleValues(
  unitCount: number,
  jobs: Job[],
  customs: ((weights: Float64Array) => number)[],
  resamples: number,
  seed: number,
  helper?: ResampleHelper,
): ResampledValues {
  const n = unitCount;
  const prepared = jobs.map((job): Prepared => {
    const rows = unitRows(n, job);
    const integral = integralMaxima(job.linear.features, rows);
    // Float amounts always go dense (arrange): their patterns would never be used.
    const float = integral.some((max) => max < 0);
    const { pattern, patterns } = float ? { pattern: EMPTY, patterns: rows.feature.length > 0 ? 1 : 0 } : patternsOf(n, rows);
    return { linear: job.linear, rows, pattern, patterns, integral, home: 'none', offset: 0 };
  });
  const tables = arrange(n, prepared);
  const tableMatrices = tables.map(tableMatrix);
  const dense = denseLayout(n, prepared);

  const layout: SumsLayout = { n, tables: tables.map((t, k) => ({ ids: t.ids, patterns: t.patterns, features: t.features, matrix: tableMatrices[k]! })), denseColumns: dense.columns, dense: dense.matrix };
  const kernel = new SumsKernel(layout);
  const sumsOf = prepared.map((p, j) => {
    const features = p.linear.features;
    if (p.home === 'dense') return dense.sums[j]!;
    if (p.home === 'none') return new Float64Array(features);
    return kernel.tableSums[tables.indexOf(p.home)]!.subarray(p.offset, p.offset + features);
  });
  const outs = prepared.map((p) => new Float64Array(p.linear.outputs));
  const values: ResampledValues = {
    jobs: prepared.map((p) => Array.from({ length: p.linear.outputs }, () => new Float64Array(resamples))),
    customs: customs.map(() => new Float64Array(resamples)),
  };
  /** Resample r's outputs from the kernel's sums. */
  const finish = (r: number): void => {
    if (dense.columns > 0) dense.unpack(kernel.denseSums);
    for (let j = 0; j < prepared.length; j++) {
      const out = outs[j]!;
      out.fill(Number.NaN);
      prepared[j]!.linear.finish(sumsOf[j]!, out);
      const into = values.jobs[j]!;
      for (let o = 0; o < out.length; o++) into[o]![r] = out[o]!;
    }
    for (let c = 0; c < customs.length; c++) values.customs[c]![r] = customs[c]!(kernel.weights);
  };

  // Custom statistics read the weights, which only this thread has.
  const helped = helper !== undefined && customs.length === 0 && prepared.length > 0 && n * resamples >= HELP_FROM;
  const own = helped ? Math.min(resamples, Math.max(0, Math.round(resamples * (1 - HELPER_SHARE)))) : resamples;
  const handle = own < resamples ? helper!.start({ ...layout, seed, from: own, to: resamples }) : undefined;
  const random = new Mulberry32(seed);
  for (let r = 0; r < own; r++) {
    kernel.resample(random);
    finish(r);
  }
  if (handle !== undefined) {
    const sums = handle.finish();
    const width = kernel.sums.length;
    for (let r = own; r < resamples; r++) {
      // Declined: `random` has drawn exactly resamples [0, own), so it continues where the helper would have.
      if (sums === undefined) kernel.resample(random);
      else kernel.sums.set(sums.subarray((r - own) * width, (r - own + 1) * width));
      finish(r);
    }
  }
  return values;
}

/** Where column c of the dense matrix starts, and its stride (the width of its block). */
function blockOf(column: number, columns: number, n: number): { at: number; width: number } {
  const start = column - (column % 8);
  const width = start + 8 <= columns ? 8 : 4;
  const first = width === 8 ? start : column - (column % 4);
  return { at: first * n + (column - first), width };
}

function integralMaxima(features: number, rows: Rows): Float64Array {
  const maxima = new Float64Array(features);
  const { feature, amount } = rows;
  for (let e = 0; e < feature.length; e++) {
    const f = feature[e]!;
    const a = amount[e]!;
    if (maxima[f]! < 0) continue;
    if (a < 0 || !Number.isInteger(a)) maxima[f] = -1;
    else if (a > maxima[f]!) maxima[f] = a;
  }
  return maxima;
}

/** Bits that hold any resampled sum of a feature: n draws of the unit with the largest amount. */
function bitsFor(n: number, max: number): number {
  const bound = n * max;
  let bits = 0;
  while (bits < EXACT_BITS && 2 ** bits <= bound) bits++;
  return 2 ** bits > bound ? bits : EXACT_BITS + 1;
}

/** Estimated dense columns of a statistic: a float column per non-integer feature, bits / 53 per integer one. */
function denseColumns(n: number, p: Prepared): number {
  let columns = 0;
  p.integral.forEach((max) => {
    if (max < 0) columns += 1;
    else if (max > 0) columns += Math.min(bitsFor(n, max), EXACT_BITS) / EXACT_BITS;
  });
  return columns;
}

/**
 * Each unit's row: the entries of its items added up feature by feature (items in item order),
 * features ascending, zeros dropped.
 */
function unitRows(n: number, job: Job): Rows {
  const { linear, units } = job;
  const { entryStart, feature, amount } = linear;
  const items = units.length;
  // The items of each unit in item order: when the units never go down (a report lists its
  // items passage by passage) they are runs of consecutive items, else a counting sort.
  let sorted = true;
  for (let i = 1; i < items && sorted; i++) sorted = units[i]! >= units[i - 1]!;
  let order: Int32Array | undefined;
  let start: Int32Array | undefined;
  if (!sorted) {
    start = new Int32Array(n + 1);
    for (let i = 0; i < items; i++) start[units[i]! + 1]! += 1;
    for (let u = 0; u < n; u++) start[u + 1]! += start[u]!;
    const fill = start.slice(0, n);
    order = new Int32Array(items);
    for (let i = 0; i < items; i++) order[fill[units[i]!]!++] = i;
  }

  const outFeature = new Int32Array(feature.length);
  const outAmount = new Float64Array(feature.length);
  const scratch = new Float64Array(linear.features);
  const stamp = new Int32Array(linear.features);
  const touched = new Int32Array(linear.features);
  const rowStart = new Int32Array(n + 1);
  let at = 0;
  let next = 0; // sorted: the first item of the next unit
  for (let u = 0; u < n; u++) {
    let first: number;
    let last: number;
    if (order === undefined) {
      first = next;
      while (next < items && units[next] === u) next++;
      last = next;
    } else {
      first = start![u]!;
      last = start![u + 1]!;
    }
    if (last - first === 1) {
      // One item: its entries as they are when their features ascend (a sum of one amount is that amount).
      const i = order === undefined ? first : order[first]!;
      const from = entryStart[i]!;
      const to = entryStart[i + 1]!;
      let ascending = true;
      for (let e = from + 1; e < to && ascending; e++) ascending = feature[e]! > feature[e - 1]!;
      if (ascending) {
        for (let e = from; e < to; e++) {
          const a = amount[e]!;
          if (a === 0) continue;
          outFeature[at] = feature[e]!;
          outAmount[at] = a;
          at++;
        }
        rowStart[u + 1] = at;
        continue;
      }
    }
    let t = 0;
    for (let k = first; k < last; k++) {
      const i = order === undefined ? k : order[k]!;
      for (let e = entryStart[i]!; e < entryStart[i + 1]!; e++) {
        const f = feature[e]!;
        if (stamp[f] !== u + 1) {
          stamp[f] = u + 1;
          scratch[f] = 0;
          touched[t++] = f;
        }
        scratch[f]! += amount[e]!;
      }
    }
    sortPrefix(touched, t);
    for (let k = 0; k < t; k++) {
      const f = touched[k]!;
      const a = scratch[f]!;
      if (a === 0) continue;
      outFeature[at] = f;
      outAmount[at] = a;
      at++;
    }
    rowStart[u + 1] = at;
  }
  return { start: rowStart, feature: outFeature.subarray(0, at), amount: outAmount.subarray(0, at) };
}

function sortPrefix(values: Int32Array, length: number): void {
  if (length > 16) {
    values.subarray(0, length).sort();
    return;
  }
  for (let i = 1; i < length; i++) {
    const v = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > v) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = v;
  }
}

const hashBits = new Float64Array(1);
const hashWords = new Int32Array(hashBits.buffer);

/** Numbers the distinct rows 1, 2, ... in order of first appearance; empty rows are 0. */
function patternsOf(n: number, rows: Rows): { pattern: Int32Array; patterns: number } {
  const { start, feature, amount } = rows;
  const pattern = new Int32Array(n);
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  let patterns = 0;
  const same = (a: number, b: number): boolean => {
    const length = start[a + 1]! - start[a]!;
    if (start[b + 1]! - start[b]! !== length) return false;
    for (let k = 0; k < length; k++) {
      if (feature[start[a]! + k] !== feature[start[b]! + k] || amount[start[a]! + k] !== amount[start[b]! + k]) return false;
    }
    return true;
  };
  for (let u = 0; u < n; u++) {
    if (start[u] === start[u + 1]) continue;
    let h = 0x811c9dc5 ^ (start[u + 1]! - start[u]!);
    for (let e = start[u]!; e < start[u + 1]!; e++) {
      hashBits[0] = amount[e]!;
      h = Math.imul(h ^ feature[e]!, 0x01000193);
      h = Math.imul(h ^ hashWords[0]!, 0x01000193);
      h = Math.imul(h ^ hashWords[1]!, 0x01000193);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    let slot = h & mask;
    for (;;) {
      const other = table[slot]!;
      if (other === -1) {
        table[slot] = u;
        pattern[u] = ++patterns;
        break;
      }
      if (same(other, u)) {
        pattern[u] = pattern[other]!;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { pattern, patterns };
}

/**
 * Decides where each statistic's sums come from (costs above): the dense matrix, a table of its
 * own, or a table it shares with others, whichever costs least (tables only for integer amounts). Fewest patterns first, so the
 * small tables form before the statistics with more patterns are weighed against them.
 */
function arrange(n: number, prepared: Prepared[]): Table[] {
  const tables: Table[] = [];
  const scatter = (patterns: number): number => n * (patterns <= SMALL_TABLE ? SCATTER_SMALL : SCATTER);
  const tableCost = (patterns: number, features: number): number => scatter(patterns) + TABLE_MULTIPLY * patterns * features;
  const byPatterns = prepared.filter((p) => p.patterns > 0).sort((a, b) => a.patterns - b.patterns);
  for (const p of byPatterns) {
    const f = p.linear.features;
    // Float amounts (alpha_U) stay dense: their sums then run over the units in order, the same
    // additions as a plain weighted sum, to the last bit.
    if (p.integral.some((max) => max < 0)) {
      p.home = 'dense';
      continue;
    }
    let best = DENSE_COLUMN * n * denseColumns(n, p);
    let choice: { table: Table | undefined; ids?: Int32Array; patterns?: number } | undefined;
    const alone = tableCost(p.patterns, f);
    if (alone < best) {
      best = alone;
      choice = { table: undefined };
    }
    for (const table of tables) {
      const before = tableCost(table.patterns, table.features);
      const features = table.features + f;
      // The most joint patterns for which merging still beats the best so far.
      const small = Math.min(SMALL_TABLE, (best + before - n * SCATTER_SMALL) / (TABLE_MULTIPLY * features));
      const large = (best + before - n * SCATTER) / (TABLE_MULTIPLY * features);
      const limit = large > SMALL_TABLE ? large : small;
      if (Math.max(table.patterns, p.patterns) >= limit) continue;
      const joint = jointIds(n, table.ids, table.patterns, p.pattern, p.patterns, limit);
      if (joint === undefined) continue;
      const cost = tableCost(joint.patterns, features) - before;
      if (cost < best) {
        best = cost;
        choice = { table, ...joint };
      }
    }
    if (choice === undefined) {
      p.home = 'dense';
    } else if (choice.table === undefined) {
      p.offset = 0;
      p.home = { ids: p.pattern, patterns: p.patterns, features: f, members: [p] };
      tables.push(p.home);
    } else {
      const { table } = choice;
      p.offset = table.features;
      p.home = table;
      table.ids = choice.ids!;
      table.patterns = choice.patterns!;
      table.features += f;
      table.members.push(p);
    }
  }
  return tables;
}

type DenseLayout = {
  /** A multiple of 4. */
  columns: number;
  /** Blocks of eight columns (the last perhaps four), each n x width unit-major. */
  matrix: Float64Array;
  /** Per statistic (by index; only the dense ones), the sums unpack() fills in. */
  sums: Float64Array[];
  /** Spreads the columns' sums over the statistics' sums. */
  unpack: (columnSums: Float64Array) => void;
};

type Lane = { values: Float64Array; bits: number; targets: [sums: Float64Array, feature: number][]; column: number; scale: number };

/**
 * The dense statistics' features as columns: a float64 column for each feature with amounts that
 * are not whole numbers >= 0, and the others packed into shared columns (first fit, widest first),
 * each in a lane of as many bits as its largest possible sum needs. Features with the same amount
 * for every unit (relation alpha's marginals and Fleiss' totals) are stored once.
 */
function denseLayout(n: number, prepared: Prepared[]): DenseLayout {
  const sums = prepared.map((p) => (p.home === 'dense' ? new Float64Array(p.linear.features) : new Float64Array(0)));
  const lanes: Lane[] = [];
  const floats: Lane[] = [];
  const byHash = new Map<number, Lane[]>();
  prepared.forEach((p, j) => {
    if (p.home !== 'dense') return;
    const features = p.linear.features;
    const columns = Array.from({ length: features }, () => new Float64Array(n));
    const { start, feature, amount } = p.rows;
    for (let u = 0; u < n; u++) {
      for (let e = start[u]!; e < start[u + 1]!; e++) columns[feature[e]!]![u] = amount[e]!;
    }
    for (let f = 0; f < features; f++) {
      const max = p.integral[f]!;
      if (max === 0) continue; // never anything but 0
      const values = columns[f]!;
      const hash = hashValues(values);
      const same = byHash.get(hash)?.find((lane) => equalValues(lane.values, values));
      if (same !== undefined) {
        same.targets.push([sums[j]!, f]);
        continue;
      }
      const bits = max < 0 ? EXACT_BITS + 1 : bitsFor(n, max);
      const lane: Lane = { values, bits, targets: [[sums[j]!, f]], column: -1, scale: 1 };
      (bits > EXACT_BITS ? floats : lanes).push(lane);
      const list = byHash.get(hash);
      if (list === undefined) byHash.set(hash, [lane]);
      else list.push(lane);
    }
  });

  let columns = 0;
  for (const lane of floats) lane.column = columns++;
  const used: number[] = [];
  const first = columns;
  for (const lane of [...lanes].sort((a, b) => b.bits - a.bits)) {
    let c = used.findIndex((bits) => bits + lane.bits <= EXACT_BITS);
    if (c === -1) c = used.push(0) - 1;
    lane.column = first + c;
    lane.scale = 2 ** used[c]!;
    used[c]! += lane.bits;
  }
  columns += used.length;
  // Blocks of eight columns (the last perhaps four), each unit-major: one pass streams one block.
  columns = Math.ceil(columns / 4) * 4;

  const matrix = new Float64Array(n * columns);
  for (const lane of [...floats, ...lanes]) {
    const { values, column, scale } = lane;
    const { at, width } = blockOf(column, columns, n);
    for (let u = 0; u < n; u++) if (values[u] !== 0) matrix[at + width * u]! += values[u]! * scale;
  }
  // Unpacking reads the highest lane of a column first.
  const order = [...floats, ...lanes].sort((a, b) => a.column - b.column || b.scale - a.scale);
  const unpack = (columnSums: Float64Array): void => {
    let column = -1;
    let rest = 0;
    for (const lane of order) {
      if (lane.column !== column) {
        column = lane.column;
        rest = columnSums[column]!;
      }
      let value: number;
      if (lane.bits > EXACT_BITS) value = rest;
      else {
        value = Math.floor(rest / lane.scale);
        rest -= value * lane.scale;
      }
      for (const [into, f] of lane.targets) into[f] = value;
    }
  };
  return { columns, matrix, sums, unpack };
}

function hashValues(values: Float64Array): number {
  let h = 0x811c9dc5;
  for (let u = 0; u < values.length; u++) {
    hashBits[0] = values[u]!;
    h = Math.imul(h ^ hashWords[0]!, 0x01000193);
    h = Math.imul(h ^ hashWords[1]!, 0x01000193);
  }
  return h;
}

function equalValues(a: Float64Array, b: Float64Array): boolean {
  for (let u = 0; u < a.length; u++) if (a[u] !== b[u]) return false;
  return true;
}

/** Joint pattern of two numberings (0 stays 0 when both are 0); undefined once `limit` is reached. */
function jointIds(n: number, a: Int32Array, aCount: number, b: Int32Array, bCount: number, limit: number): { ids: Int32Array; patterns: number } | undefined {
  const ids = new Int32Array(n);
  const stride = bCount + 1;
  let patterns = 0;
  if ((aCount + 1) * stride <= 1 << 18) {
    const seen = new Int32Array((aCount + 1) * stride);
    for (let u = 0; u < n; u++) {
      const key = a[u]! * stride + b[u]!;
      if (key === 0) continue;
      let id = seen[key]!;
      if (id === 0) {
        id = seen[key] = ++patterns;
        if (patterns >= limit) return undefined;
      }
      ids[u] = id;
    }
  } else {
    const seen = new Map<number, number>();
    for (let u = 0; u < n; u++) {
      const key = a[u]! * stride + b[u]!;
      if (key === 0) continue;
      let id = seen.get(key);
      if (id === undefined) {
        id = ++patterns;
        seen.set(key, id);
        if (patterns >= limit) return undefined;
      }
      ids[u] = id;
    }
  }
  return { ids, patterns };
}

/** Row-major (patterns + 1) x features: each joint pattern's amounts, row 0 empty. */
function tableMatrix(table: Table): Float64Array {
  const { ids, features, members } = table;
  const matrix = new Float64Array((table.patterns + 1) * features);
  const filled = new Uint8Array(table.patterns + 1);
  for (let u = 0; u < ids.length; u++) {
    const id = ids[u]!;
    if (id === 0 || filled[id] === 1) continue;
    filled[id] = 1;
    for (const member of members) {
      const { start, feature, amount } = member.rows;
      for (let e = start[u]!; e < start[u + 1]!; e++) matrix[id * features + member.offset + feature[e]!] = amount[e]!;
    }
  }
  return matrix;
}
