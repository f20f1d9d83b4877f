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

type Segment = { start: number; end: number; index: number };

export function unitizingParts(input: UnitizingInput): UnitizingParts {
  if (input === null || typeof input !== 'object') throw new TypeError(`unitizing input must be an object, got ${describe(input)}`);
  const begin = requireInteger(input.begin, 'unitizing input: begin');
  const end = requireInteger(input.end, 'unitizing input: end');
  if (end <= begin) throw new RangeError(`unitizing input: the continuum's end (${end}) must be greater than its begin (${begin})`);
  const length = end - begin;
  requireArray(input.units, 'unitizing input: units');

  const coderIndex = new Map<string, number>();
  const listed = input.coders !== undefined;
  if (listed) {
    requireArray(input.coders, 'unitizing input: coders').forEach((coder, i) => {
      requireString(coder, `unitizing input: coders[${i}]`);
      if (coderIndex.has(coder)) throw new RangeError(`unitizing input: coders[${i}] repeats the coder ${describe(coder)}`);
      coderIndex.set(coder, coderIndex.size);
    });
  }

  const byLabel = new Map<string, Segment[][]>();
  input.units.forEach((unit, i) => {
    const where = `unitizing input: units[${i}]`;
    if (unit === null || typeof unit !== 'object') throw new TypeError(`${where} must be an object, got ${describe(unit)}`);
    const coder = requireString(unit.coder, `${where}.coder`);
    const label = requireString(unit.label, `${where}.label`);
    const start = requireInteger(unit.start, `${where}.start`);
    const stop = requireInteger(unit.end, `${where}.end`);
    if (stop <= start) throw new RangeError(`${where}: end (${stop}) must be greater than start (${start})`);
    if (start < begin || stop > end) {
      throw new RangeError(`${where}: [${start}, ${stop}) lies outside the continuum [${begin}, ${end})`);
    }
    let c = coderIndex.get(coder);
    if (c === undefined) {
      if (listed) throw new RangeError(`${where}: coder ${describe(coder)} is not in coders`);
      c = coderIndex.size;
      coderIndex.set(coder, c);
    }
    let perCoder = byLabel.get(label);
    if (perCoder === undefined) byLabel.set(label, (perCoder = []));
    while (perCoder.length <= c) perCoder.push([]);
    perCoder[c]!.push({ start: start - begin, end: stop - begin, index: i });
  });

  const coders = coderIndex.size;
  const names = [...coderIndex.keys()];
  const perLabel: Record<string, LabelDisagreement> = {};
  for (const label of [...byLabel.keys()].sort()) {
    const perCoder = byLabel.get(label)!;
    while (perCoder.length < coders) perCoder.push([]);
    perCoder.forEach((segments, c) => {
      segments.sort((a, b) => a.start - b.start || a.end - b.end);
      for (let s = 1; s < segments.length; s++) {
        const previous = segments[s - 1]!;
        const current = segments[s]!;
        if (current.start < previous.end) {
          throw new RangeError(
            `unitizing input: units[${previous.index}] and units[${current.index}] overlap: coder ${describe(names[c])} marked [${previous.start + begin}, ${previous.end + begin}) and [${current.start + begin}, ${current.end + begin}) as ${describe(label)}; one coder's units of one label must not overlap`,
          );
        }
      }
    });
    perLabel[label] =
      coders < 2
        ? { observed: Number.NaN, expected: Number.NaN }
        : { observed: observedDisagreement(perCoder, length), expected: expectedDisagreement(perCoder, length) };
  }
  return { length, coders, perLabel };
}

function observedDisagreement(perCoder: Segment[][], length: number): number {
  const r = perCoder.length;
  let sum = 0;
  for (let a = 0; a < r; a++) {
    for (let b = a + 1; b < r; b++) sum += pairDistance(perCoder[a]!, perCoder[b]!);
  }
  return (2 * sum) / (r * (r - 1) * length * length);
}

/**
 * DKPro's walk over two coders' segments, in closed form: overlapping units add the squared
 * differences of their starts and of their ends; a unit the other coder left entirely in a gap
 * adds its squared length; a unit that only partly meets a gap adds nothing for that gap.
 * All terms are integers, so the sum is exact.
 */
function pairDistance(first: Segment[], second: Segment[]): number {
  let sum = 0;
  const secondMatched = new Uint8Array(second.length);
  let from = 0;
  for (const a of first) {
    while (from < second.length && second[from]!.end <= a.start) from++;
    let matched = false;
    for (let j = from; j < second.length && second[j]!.start < a.end; j++) {
      const b = second[j]!;
      sum += (a.start - b.start) ** 2 + (a.end - b.end) ** 2;
      matched = true;
      secondMatched[j] = 1;
    }
    if (!matched) sum += (a.end - a.start) ** 2;
  }
  second.forEach((b, j) => {
    if (secondMatched[j] === 0) sum += (b.end - b.start) ** 2;
  });
  return sum;
}

/**
 * Krippendorff's expected disagreement over all ways of placing the observed units in the gaps,
 * as DKPro computes it:
 *   D_e = (2 / L) * sum_u [ (N - 1) l(l-1)(2l-1)/3 + l^2 sum_{gaps g >= l} (g - l + 1) ]
 *         / (R L (R L - 1) - sum_u l(l-1))
 * over the N units u of the label (all coders), l their lengths, and every coder's gaps.
 */
function expectedDisagreement(perCoder: Segment[][], length: number): number {
  const r = perCoder.length;
  const lengths: number[] = [];
  const gaps: number[] = [];
  for (const segments of perCoder) {
    let at = 0;
    for (const s of segments) {
      if (s.start > at) gaps.push(s.start - at);
      lengths.push(s.end - s.start);
      at = s.end;
    }
    if (length > at) gaps.push(length - at);
  }
  gaps.sort((a, b) => a - b);
  // Suffix sums: gaps at or after index i, and their total length.
  const gapTotal = new Float64Array(gaps.length + 1);
  for (let i = gaps.length - 1; i >= 0; i--) gapTotal[i] = gapTotal[i + 1]! + gaps[i]!;

  const n = lengths.length;
  let numerator = 0;
  let squaredLengths = 0;
  for (const l of lengths) {
    const first = lowerBound(gaps, l);
    const fitting = gaps.length - first;
    const placements = gapTotal[first]! - (l - 1) * fitting;
    numerator += ((n - 1) * (l * (l - 1) * (2 * l - 1))) / 3 + l * l * placements;
    squaredLengths += l * (l - 1);
  }
  return (numerator * 2) / length / (r * length * (r * length - 1) - squaredLengths);
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
