import type { PassagePart } from './report.ts';

/**
 * Passage parts packed for another thread: their numbers in two typed arrays (transferable, so
 * they cross without a copy) and the few names of each in one JSON string. Structured-cloning the
 * parts themselves would copy tens of thousands of small objects and typed arrays one by one.
 */
export interface PackedParts {
  /** Per part: [passageId, week, coders, categories, labels, types, spanCount, matchedSpans, length]. */
  names: string;
  /** Per part, in turn: unitizing, then relations. */
  floats: Float64Array;
  /** Per part, in turn: spans, then counts. */
  ints: Int32Array;
  /** Per part: the lengths of unitizing, relations, spans and counts. */
  sizes: Int32Array;
}

type Names = [string, string, string[], (string | null)[], string[], string[], number, number, number];

export function packParts(parts: PassagePart[]): PackedParts {
  const sizes = new Int32Array(parts.length * 4);
  let floatCount = 0;
  let intCount = 0;
  parts.forEach((part, i) => {
    sizes[i * 4] = part.unitizing.length;
    sizes[i * 4 + 1] = part.relations.length;
    sizes[i * 4 + 2] = part.spans.length;
    sizes[i * 4 + 3] = part.counts.length;
    floatCount += part.unitizing.length + part.relations.length;
    intCount += part.spans.length + part.counts.length;
  });
  const floats = new Float64Array(floatCount);
  const ints = new Int32Array(intCount);
  const names: Names[] = [];
  let f = 0;
  let n = 0;
  for (const part of parts) {
    floats.set(part.unitizing, f);
    f += part.unitizing.length;
    floats.set(part.relations, f);
    f += part.relations.length;
    ints.set(part.spans, n);
    n += part.spans.length;
    ints.set(part.counts, n);
    n += part.counts.length;
    names.push([part.passageId, part.week, part.coders, part.categories, part.labels, part.types, part.spanCount, part.matchedSpans, part.length]);
  }
  return { names: JSON.stringify(names), floats, ints, sizes };
}

/** The parts back, their arrays views into the packed ones (no copy); numbers the same to the bit. */
export function unpackParts(packed: PackedParts): PassagePart[] {
  const names = JSON.parse(packed.names) as Names[];
  const { floats, ints, sizes } = packed;
  const parts: PassagePart[] = [];
  let f = 0;
  let n = 0;
  names.forEach(([passageId, week, coders, categories, labels, types, spanCount, matchedSpans, length], i) => {
    const unitizing = floats.subarray(f, (f += sizes[i * 4] as number));
    const relations = floats.subarray(f, (f += sizes[i * 4 + 1] as number));
    const spans = ints.subarray(n, (n += sizes[i * 4 + 2] as number));
    const counts = ints.subarray(n, (n += sizes[i * 4 + 3] as number));
    parts.push({ passageId, week, coders, categories, spanCount, matchedSpans, length, labels, spans, unitizing, types, relations, counts });
  });
  return parts;
}
