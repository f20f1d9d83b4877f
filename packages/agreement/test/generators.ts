import { mulberry32 } from '../../../test-support/prng.ts';
import type { ReliabilityValue, Span, UnitizingInput } from '../src/index.ts';

export type Random = { next: () => number; int: (n: number) => number; pick: <T>(items: readonly T[]) => T; shuffle: <T>(items: T[]) => T[] };

/** Seeded helpers, so a failing case can be replayed from the seed in its name. */
export function seeded(seed: number): Random {
  const next = mulberry32(seed);
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
  };
}

export const SEEDS = Array.from({ length: 25 }, (_, i) => i + 1);

/** Coders agree with a hidden truth most of the time; some cells are missing. */
export function reliabilityMatrix(random: Random, coders: number, units: number, values: readonly ReliabilityValue[], missing = 0.15): ReliabilityValue[][] {
  const truth = Array.from({ length: units }, () => random.pick(values));
  return Array.from({ length: coders }, () =>
    truth.map((t) => (random.next() < missing ? null : random.next() < 0.7 ? t : random.pick(values))),
  );
}

/** Non-overlapping units per coder and label on [begin, begin + length). */
export function unitizingInput(random: Random, coders: readonly string[], labels: readonly string[], length = 120, begin = 0): UnitizingInput {
  const units: UnitizingInput['units'] = [];
  for (const coder of coders) {
    for (const label of labels) {
      let at = random.int(10);
      while (at < length - 2) {
        const size = 1 + random.int(15);
        if (at + size > length) break;
        if (random.next() < 0.6) units.push({ coder, label, start: begin + at, end: begin + at + size });
        at += size + random.int(12);
      }
    }
  }
  return { begin, end: begin + length, units: random.shuffle(units), coders: [...coders] };
}

export function spans(random: Random, count: number, labels: readonly string[], length = 80): Span[] {
  return Array.from({ length: count }, () => {
    const start = random.int(length);
    return { start, end: start + 1 + random.int(10), label: random.pick(labels) };
  });
}
