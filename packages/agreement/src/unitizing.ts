import { NameIndex } from './names.ts';
import { describe, requireArray, requireInteger, requireString } from './validate.ts';

export type UnitizingUnit = { coder: string; label: string; start: number; end: number };

export type UnitizingInput = {
  /** The continuum is [begin, end); units are half-open [start, end) within it. */
  begin: number;
  end: number;
  units: UnitizingUnit[];
  /**
   * Every coder who worked on the continuum. Without it the coders are those named in `units`, so a
   * coder who marked nothing would silently drop out instead of disagreeing with those who did.
   */
  coders?: string[];
};

export type LabelDisagreement = {
  /** Observed disagreement D_o of this label. */
  observed: number;
  /** Expected disagreement D_e of this label. */
  expected: number;
};

/** What alpha_U needs from one continuum, so that several can be pooled (pooledUnitizingAlpha). */
export type UnitizingParts = {
  /** Continuum length L = end - begin. */
  length: number;
  coders: number;
  /** Labels that occur in the continuum; D_o and D_e are NaN when there are fewer than two coders. */
  perLabel: Record<string, LabelDisagreement>;
};

/** unitizingPairParts: the parts among all coders and among each pair of them. */
export type UnitizingPairParts = {
  all: UnitizingParts;
  /** Every pair a < b, in the order of `coders` when given, else of the sorted coder names. */
  pairs: { a: string; b: string; parts: UnitizingParts }[];
};

export type UnitizingResult = {
  /** 1 - mean(D_o) / mean(D_e) over the labels (DKPro Agreement, INCEpTION). */
  overall: number;
  perLabel: Record<string, LabelDisagreement & { alpha: number }>;
};

/**
 * Krippendorff's alpha_U (1995/2004) over one continuum, as DKPro Agreement's
 * KrippendorffAlphaUnitizingAgreement computes it: per label, the rest of the continuum is gap.
 */
export function unitizingAlpha(input: UnitizingInput): UnitizingResult {
  const parts = unitizingParts(input);
  const perLabel: UnitizingResult['perLabel'] = {};
  let observed = 0;
  let expected = 0;
  for (const label of Object.keys(parts.perLabel).sort()) {
    const d = parts.perLabel[label]!;
    perLabel[label] = { alpha: alphaOf(d.observed, d.expected), observed: d.observed, expected: d.expected };
    observed += d.observed;
    expected += d.expected;
  }
  // The mean's 1/|labels| cancels; the plain sums keep this bit-identical to the pooled figure.
  return { overall: alphaOf(observed, expected), perLabel };
}

/** alpha = 1 - D_o / D_e; NaN when there is no expected disagreement to correct for. */
export function alphaOf(observed: number, expected: number): number {
  return expected > 0 ? 1 - observed / expected : Number.NaN;
}

/** One continuum's parts among all its coders, for pooledUnitizingAlpha. */
export function unitizingParts(input: UnitizingInput): UnitizingParts {
  return computeParts(input, false).all;
}

/**
 * The parts among all coders and among every pair of them, from one reading of the input: each
 * pair's parts equal `unitizingParts` of just that pair's units with `coders: [a, b]`, to the
 * last bit. Pairs in the order of `input.coders` when given, else of the sorted coder names.
 */
export function unitizingPairParts(input: UnitizingInput): UnitizingPairParts {
  return computeParts(input, true);
}

// Scratch space reused from call to call (the report calls these 10,000s of times on tens of
// units each): the units read into numbers, grouped by label and coder.
let unitCoder = new Int32Array(64);
let unitLabel = new Int32Array(64);
let unitStart = new Float64Array(64);
let unitEnd = new Float64Array(64);
/** Segments of bucket k = labelRank * coders + coder are [bucketFirst[k], bucketFirst[k + 1]). */
let bucketFirst = new Int32Array(64);
let segStart = new Float64Array(64);
let segEnd = new Float64Array(64);
let segIndex = new Int32Array(64);
/** Per coder, its gaps of the label in ascending order, then one slot: suffix totals alongside. */
let gapValue = new Float64Array(64);
let gapSuffix = new Float64Array(64);
let gapFirst = new Int32Array(16);
/** placements[c * n + u]: sum over coder c's gaps g >= l_u of (g - l_u + 1), for the label's n units. */
let placements = new Float64Array(64);
/** pairSum[a * coders + b]: the pair's summed squared differences (an integer) for the label. */
let pairSum = new Float64Array(16);
let matched = new Uint8Array(64);
const pairMembers = new Int32Array(2);
let labelRank = new Int32Array(16);
let allMembers = new Int32Array(16);

function fit(n: number): void {
  if (unitCoder.length >= n) return;
  const size = Math.max(n, 2 * unitCoder.length);
  unitCoder = new Int32Array(size);
  unitLabel = new Int32Array(size);
  unitStart = new Float64Array(size);
  unitEnd = new Float64Array(size);
  segStart = new Float64Array(size);
  segEnd = new Float64Array(size);
  segIndex = new Int32Array(size);
  matched = new Uint8Array(size);
}

/** The checks of one unit with their messages, for a unit the fast check rejected. */
function explainUnit(unit: unknown, i: number, begin: number, end: number): never {
  const where = `unitizing input: units[${i}]`;
  if (unit === null || typeof unit !== 'object') throw new TypeError(`${where} must be an object, got ${describe(unit)}`);
  const u = unit as Record<string, unknown>;
  requireString(u.coder, `${where}.coder`);
  requireString(u.label, `${where}.label`);
  const start = requireInteger(u.start, `${where}.start`);
  const stop = requireInteger(u.end, `${where}.end`);
  if (stop <= start) throw new RangeError(`${where}: end (${stop}) must be greater than start (${start})`);
  throw new RangeError(`${where}: [${start}, ${stop}) lies outside the continuum [${begin}, ${end})`);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function computeParts(input: UnitizingInput, withPairs: boolean): UnitizingPairParts {
  if (input === null || typeof input !== 'object') throw new TypeError(`unitizing input must be an object, got ${describe(input)}`);
  const begin = isInteger(input.begin) ? input.begin : requireInteger(input.begin, 'unitizing input: begin');
  const end = isInteger(input.end) ? input.end : requireInteger(input.end, 'unitizing input: end');
  if (end <= begin) throw new RangeError(`unitizing input: the continuum's end (${end}) must be greater than its begin (${begin})`);
  const length = end - begin;
  const units: UnitizingUnit[] = Array.isArray(input.units) ? input.units : requireArray(input.units, 'unitizing input: units');

  const coderIndex = new NameIndex();
  const listed = input.coders !== undefined;
  if (listed) {
    const list: string[] = Array.isArray(input.coders) ? input.coders : requireArray(input.coders, 'unitizing input: coders');
    for (let i = 0; i < list.length; i++) {
      const coder = list[i]!;
      if (typeof coder !== 'string') requireString(coder, `unitizing input: coders[${i}]`);
      if (coderIndex.get(coder) !== -1) throw new RangeError(`unitizing input: coders[${i}] repeats the coder ${describe(coder)}`);
      coderIndex.add(coder);
    }
  }

  // Read and check every unit.
  const count = units.length;
  fit(count);
  const labelIndex = new NameIndex();
  for (let i = 0; i < count; i++) {
    const unit: UnitizingUnit = units[i]!;
    if (unit === null || typeof unit !== 'object') explainUnit(unit, i, begin, end);
    const { coder, label, start, end: stop } = unit;
    if (!(typeof coder === 'string' && typeof label === 'string' && isInteger(start) && isInteger(stop) && start < stop && start >= begin && stop <= end)) {
      explainUnit(unit, i, begin, end);
    }
    let c = coderIndex.get(coder);
    if (c === -1) {
      if (listed) throw new RangeError(`unitizing input: units[${i}]: coder ${describe(coder)} is not in coders`);
      c = coderIndex.add(coder);
    }
    let l = labelIndex.get(label);
    if (l === -1) l = labelIndex.add(label);
    unitCoder[i] = c;
    unitLabel[i] = l;
    unitStart[i] = start - begin;
    unitEnd[i] = stop - begin;
  }

  return partsOfUnits(count, begin, length, coderIndex.names, labelIndex, !listed, withPairs);
}

/**
 * unitizingPairParts for units already read into numbers (report/passage-arrays reads a passage's
 * sets straight into arrays), written into numbers, no objects. Unit i is coder `coder[i]` (an
 * index into `coders`, names distinct) marking [start[i], end[i]) as label `label[i]` (an index
 * into `labels`, names distinct, each used by some unit). The units must be valid: whole numbers,
 * 0 <= start < end <= length, and one coder's units of one label must not overlap. With L labels, group g (0: all coders; 1 + p:
 * pair p, pairs in the order of `coders`) and label rank r (labels sorted) get D_o at
 * into[(g * L + r) * 2] and D_e after it; a label a pair's part would not list is left as it was.
 */
export function unitizingPairColumnsOf(
  units: { count: number; coder: Int32Array; label: Int32Array; start: Int32Array; end: Int32Array },
  length: number,
  coders: string[],
  labels: string[],
  into: Float64Array,
): void {
  const { count, coder, label, start, end } = units;
  fit(count);
  for (let i = 0; i < count; i++) {
    unitCoder[i] = coder[i]!;
    unitLabel[i] = label[i]!;
    unitStart[i] = start[i]!;
    unitEnd[i] = end[i]!;
  }
  const labelIndex = new NameIndex();
  for (const name of labels) labelIndex.add(name);
  partsOfUnits(count, 0, length, coders, labelIndex, false, true, into);
}

/** The parts from the `count` units in unitCoder, unitLabel, unitStart and unitEnd (offsets from `begin`). */
function partsOfUnits(
  count: number,
  begin: number,
  length: number,
  names: string[],
  labelIndex: NameIndex,
  sortPairs: boolean,
  withPairs: boolean,
  into?: Float64Array,
): UnitizingPairParts {
  const coders = names.length;
  const labels = [...labelIndex.names].sort();
  if (labelRank.length < labels.length) labelRank = new Int32Array(2 * labels.length);
  const rank = labelRank;
  for (let r = 0; r < labels.length; r++) rank[labelIndex.get(labels[r]!)] = r;

  // Group by (label, coder), each group in order of start (stable: input order on ties).
  const buckets = labels.length * coders;
  if (bucketFirst.length < buckets + 1) bucketFirst = new Int32Array(Math.max(buckets + 1, 2 * bucketFirst.length));
  bucketFirst.fill(0, 0, buckets + 1);
  for (let i = 0; i < count; i++) bucketFirst[rank[unitLabel[i]!]! * coders + unitCoder[i]! + 1]!++;
  for (let k = 0; k < buckets; k++) bucketFirst[k + 1]! += bucketFirst[k]!;
  // bucketFirst[k] is used as the fill position of bucket k and restored afterwards.
  for (let i = 0; i < count; i++) {
    const k = rank[unitLabel[i]!]! * coders + unitCoder[i]!;
    const at = bucketFirst[k]!++;
    segStart[at] = unitStart[i]!;
    segEnd[at] = unitEnd[i]!;
    segIndex[at] = i;
  }
  for (let k = buckets; k > 0; k--) bucketFirst[k] = bucketFirst[k - 1]!;
  bucketFirst[0] = 0;
  for (let r = 0; r < labels.length; r++) {
    for (let c = 0; c < coders; c++) {
      const k = r * coders + c;
      const from = bucketFirst[k]!;
      const to = bucketFirst[k + 1]!;
      sortSegments(from, to);
      for (let s = from + 1; s < to; s++) {
        if (segStart[s]! < segEnd[s - 1]!) {
          throw new RangeError(
            `unitizing input: units[${segIndex[s - 1]}] and units[${segIndex[s]}] overlap: coder ${describe(names[c])} marked [${segStart[s - 1]! + begin}, ${segEnd[s - 1]! + begin}) and [${segStart[s]! + begin}, ${segEnd[s]! + begin}) as ${describe(labels[r])}; one coder's units of one label must not overlap`,
          );
        }
      }
    }
  }

  // Pairs of coder indices, a before b in the order asked for.
  const pairs: UnitizingPairParts['pairs'] = [];
  const order: number[] = [];
  if (withPairs) {
    for (let c = 0; c < coders; c++) order.push(c);
    if (sortPairs) order.sort((x, y) => (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : 0));
    for (let i = 0; i < coders; i++) {
      for (let j = i + 1; j < coders; j++) if (into === undefined) pairs.push({ a: names[order[i]!]!, b: names[order[j]!]!, parts: { length, coders: 2, perLabel: {} } });
    }
  }

  const all: UnitizingParts = { length, coders, perLabel: {} };
  if (coders < 2) {
    if (into !== undefined) into.fill(Number.NaN, 0, 2 * labels.length);
    else for (const label of labels) all.perLabel[label] = { observed: Number.NaN, expected: Number.NaN };
    return { all, pairs };
  }
  if (allMembers.length < coders) allMembers = new Int32Array(2 * coders);
  for (let c = 0; c < coders; c++) allMembers[c] = c;
  if (pairSum.length < coders * coders) pairSum = new Float64Array(2 * coders * coders);
  if (gapFirst.length < coders + 1) gapFirst = new Int32Array(2 * coders + 2);
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r]!;
    const base = r * coders;
    const first = bucketFirst[base]!;
    const n = bucketFirst[base + coders]! - first;
    prepareGaps(base, coders, length);
    preparePlacements(base, coders, n);
    let sum = 0;
    for (let a = 0; a < coders; a++) {
      for (let b = a + 1; b < coders; b++) {
        const d = pairDistance(bucketFirst[base + a]!, bucketFirst[base + a + 1]!, bucketFirst[base + b]!, bucketFirst[base + b + 1]!);
        pairSum[a * coders + b] = d;
        sum += d;
      }
    }
    const observed = (2 * sum) / (coders * (coders - 1) * length * length);
    const expected = expectedOf(allMembers, coders, base, n, length);
    if (into !== undefined) {
      into[2 * r] = observed;
      into[2 * r + 1] = expected;
    } else all.perLabel[label] = { observed, expected };
    if (!withPairs) continue;
    let p = 0;
    for (let i = 0; i < coders; i++) {
      for (let j = i + 1; j < coders; j++, p++) {
        const a = order[i]!;
        const b = order[j]!;
        if (bucketFirst[base + a]! === bucketFirst[base + a + 1]! && bucketFirst[base + b]! === bucketFirst[base + b + 1]!) continue;
        pairMembers[0] = a;
        pairMembers[1] = b;
        const d = pairSum[Math.min(a, b) * coders + Math.max(a, b)]!;
        const pairObserved = (2 * d) / (2 * (2 - 1) * length * length);
        const pairExpected = expectedOf(pairMembers, 2, base, n, length);
        if (into !== undefined) {
          const at = ((1 + p) * labels.length + r) * 2;
          into[at] = pairObserved;
          into[at + 1] = pairExpected;
        } else pairs[p]!.parts.perLabel[label] = { observed: pairObserved, expected: pairExpected };
      }
    }
  }
  return { all, pairs };
}

/** Sorts segments [from, to) by start, then end; stable. */
function sortSegments(from: number, to: number): void {
  if (to - from <= 32) {
    for (let s = from + 1; s < to; s++) {
      const start = segStart[s]!;
      const stop = segEnd[s]!;
      const index = segIndex[s]!;
      let t = s - 1;
      while (t >= from && (segStart[t]! > start || (segStart[t]! === start && segEnd[t]! > stop))) {
        segStart[t + 1] = segStart[t]!;
        segEnd[t + 1] = segEnd[t]!;
        segIndex[t + 1] = segIndex[t]!;
        t--;
      }
      segStart[t + 1] = start;
      segEnd[t + 1] = stop;
      segIndex[t + 1] = index;
    }
    return;
  }
  const ids = Array.from({ length: to - from }, (_, i) => from + i);
  ids.sort((x, y) => segStart[x]! - segStart[y]! || segEnd[x]! - segEnd[y]!);
  const starts = ids.map((i) => segStart[i]!);
  const ends = ids.map((i) => segEnd[i]!);
  const indices = ids.map((i) => segIndex[i]!);
  segStart.set(starts, from);
  segEnd.set(ends, from);
  segIndex.set(indices, from);
}

/** Each coder's gaps of the label (bucket base + c), ascending, with suffix totals. */
function prepareGaps(base: number, coders: number, length: number): void {
  const needed = bucketFirst[base + coders]! - bucketFirst[base]! + 2 * coders;
  if (gapValue.length < needed) {
    gapValue = new Float64Array(2 * needed);
    gapSuffix = new Float64Array(2 * needed);
  }
  let g = 0;
  for (let c = 0; c < coders; c++) {
    gapFirst[c] = g;
    let at = 0;
    for (let s = bucketFirst[base + c]!; s < bucketFirst[base + c + 1]!; s++) {
      if (segStart[s]! > at) gapValue[g++] = segStart[s]! - at;
      at = segEnd[s]!;
    }
    if (length > at) gapValue[g++] = length - at;
    const from = gapFirst[c]!;
    if (g - from <= 32) {
      for (let i = from + 1; i < g; i++) {
        const v = gapValue[i]!;
        let j = i - 1;
        while (j >= from && gapValue[j]! > v) {
          gapValue[j + 1] = gapValue[j]!;
          j--;
        }
        gapValue[j + 1] = v;
      }
    } else {
      gapValue.subarray(from, g).sort();
    }
    // Integer sums: exact, whatever the order.
    gapSuffix[g] = 0;
    for (let i = g - 1; i >= from; i--) gapSuffix[i] = gapSuffix[i + 1]! + gapValue[i]!;
    g++; // the suffix slot
  }
  gapFirst[coders] = g;
}

/** placements[c * n + u] for every coder c and each of the label's n units u. */
function preparePlacements(base: number, coders: number, n: number): void {
  if (placements.length < coders * n) placements = new Float64Array(2 * coders * n);
  const first = bucketFirst[base]!;
  for (let c = 0; c < coders; c++) {
    const from = gapFirst[c]!;
    const to = gapFirst[c + 1]! - 1; // without the suffix slot
    for (let u = 0; u < n; u++) {
      const l = segEnd[first + u]! - segStart[first + u]!;
      // The first gap >= l: a walk down from the largest for a few gaps, else a binary search.
      let lo = to;
      if (to - from <= 16) {
        while (lo > from && gapValue[lo - 1]! >= l) lo--;
      } else {
        lo = from;
        let hi = to;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (gapValue[mid]! < l) lo = mid + 1;
          else hi = mid;
        }
      }
      placements[c * n + u] = gapSuffix[lo]! - (l - 1) * (to - lo);
    }
  }
}

/**
 * Krippendorff's expected disagreement over all ways of placing the observed units in the gaps,
 * as DKPro computes it:
 *   D_e = (2 / L) * sum_u [ (N - 1) l(l-1)(2l-1)/3 + l^2 sum_{gaps g >= l} (g - l + 1) ]
 *         / (R L (R L - 1) - sum_u l(l-1))
 * over the N units u of the label (the members' units, in member order, each member's by start),
 * l their lengths, and the members' gaps. The placements are exact integers (summed per coder).
 */
function expectedOf(members: Int32Array, r: number, base: number, n: number, length: number): number {
  const first = bucketFirst[base]!;
  let units = 0;
  for (let m = 0; m < r; m++) units += bucketFirst[base + members[m]! + 1]! - bucketFirst[base + members[m]!]!;
  let numerator = 0;
  let squaredLengths = 0;
  for (let m = 0; m < r; m++) {
    const c = members[m]!;
    for (let s = bucketFirst[base + c]!; s < bucketFirst[base + c + 1]!; s++) {
      const l = segEnd[s]! - segStart[s]!;
      let placed = 0;
      for (let k = 0; k < r; k++) placed += placements[members[k]! * n + (s - first)]!;
      numerator += ((units - 1) * (l * (l - 1) * (2 * l - 1))) / 3 + l * l * placed;
      squaredLengths += l * (l - 1);
    }
  }
  return (numerator * 2) / length / (r * length * (r * length - 1) - squaredLengths);
}

/**
 * DKPro's walk over two coders' segments, in closed form: overlapping units add the squared
 * differences of their starts and of their ends; a unit the other coder left entirely in a gap
 * adds its squared length; a unit that only partly meets a gap adds nothing for that gap.
 * All terms are integers, so the sum is exact (and symmetric in the two coders).
 */
function pairDistance(a0: number, a1: number, b0: number, b1: number): number {
  let sum = 0;
  matched.fill(0, 0, b1 - b0);
  let from = b0;
  for (let i = a0; i < a1; i++) {
    const start = segStart[i]!;
    const stop = segEnd[i]!;
    while (from < b1 && segEnd[from]! <= start) from++;
    let hit = false;
    for (let j = from; j < b1 && segStart[j]! < stop; j++) {
      sum += (start - segStart[j]!) ** 2 + (stop - segEnd[j]!) ** 2;
      hit = true;
      matched[j - b0] = 1;
    }
    if (!hit) sum += (stop - start) ** 2;
  }
  for (let j = b0; j < b1; j++) {
    if (matched[j - b0] === 0) sum += (segEnd[j]! - segStart[j]!) ** 2;
  }
  return sum;
}
