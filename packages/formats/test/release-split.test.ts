import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPLIT_RATIOS, splitAt, splitOf, splitPoint, validateSplitRatios, type ReleaseSplit, type SplitRatios } from '../src/release/split.ts';

const IDS = Array.from({ length: 10_000 }, (_, i) => `passage-${i}`);

function shares(ids: readonly string[], ratios?: SplitRatios, seed?: string): Record<ReleaseSplit, number> {
  const count: Record<ReleaseSplit, number> = { train: 0, dev: 0, test: 0 };
  for (const id of ids) count[splitOf(id, { ratios, seed })] += 1;
  return { train: count.train / ids.length, dev: count.dev / ids.length, test: count.test / ids.length };
}

describe('splitPoint', () => {
  it('is the first 48 bits of SHA-256(seed NUL id) as a fraction', () => {
    const hex = createHash('sha256').update('\u0000ru-1', 'utf8').digest('hex').slice(0, 12);
    expect(hex).toBe('0173dc25a551');
    expect(splitPoint('ru-1')).toBe(0x0173dc25a551 / 2 ** 48);
    expect(splitPoint('ru-1')).toBe(0.005674132529126297);
  });

  it('hashes the id as UTF-8 and separates seed from id', () => {
    const hex = createHash('sha256').update(Buffer.from('s\u0000Дебаты-😀', 'utf8')).digest('hex').slice(0, 12);
    expect(splitPoint('Дебаты-😀', 's')).toBe(Number.parseInt(hex, 16) / 2 ** 48);
    // Without the separator, seed 'ab' + id 'c' and seed 'a' + id 'bc' would hash the same.
    expect(splitPoint('c', 'ab')).not.toBe(splitPoint('bc', 'a'));
  });
});

describe('splitOf', () => {
  it('gives the same, pinned assignment on every run', () => {
    const ids = ['ru-1', 'micro_b002', 'passage-😀', 'Дебаты-7', 'p2', 'p3', 'p4', 'p9', 'p10'];
    expect(ids.map((id) => splitOf(id))).toEqual(['train', 'train', 'train', 'train', 'train', 'dev', 'test', 'train', 'dev']);
    expect(ids.map((id) => splitOf(id, { seed: 'release-2' }))).toEqual(['train', 'train', 'test', 'train', 'dev', 'train', 'train', 'test', 'train']);
  });

  it('does not depend on which passages come with it, or their order', () => {
    const forward = new Map(IDS.slice(0, 500).map((id) => [id, splitOf(id)]));
    const reversed = [...IDS.slice(0, 500)].reverse();
    const backward = new Map([...reversed, 'another', 'one more'].map((id) => [id, splitOf(id)]));
    for (const [id, split] of forward) expect(backward.get(id)).toBe(split);
  });

  it('gives shares close to the ratios on 10,000 ids', () => {
    const def = shares(IDS);
    expect(def.train).toBeGreaterThan(0.79);
    expect(def.train).toBeLessThan(0.81);
    expect(def.dev).toBeGreaterThan(0.09);
    expect(def.dev).toBeLessThan(0.11);
    expect(def.test).toBeGreaterThan(0.09);
    expect(def.test).toBeLessThan(0.11);
    expect(def.train + def.dev + def.test).toBe(1);

    const even = shares(IDS, { train: 0.5, dev: 0.25, test: 0.25 });
    expect(Math.abs(even.train - 0.5)).toBeLessThan(0.015);
    expect(Math.abs(even.dev - 0.25)).toBeLessThan(0.015);
    expect(Math.abs(even.test - 0.25)).toBeLessThan(0.015);
  });

  it('gives nothing to a split with a zero ratio', () => {
    expect(shares(IDS, { train: 0.9, dev: 0.1, test: 0 }).test).toBe(0);
    expect(shares(IDS, { train: 0, dev: 0.5, test: 0.5 }).train).toBe(0);
    expect(shares(IDS, { train: 0.7, dev: 0, test: 0.3 }).dev).toBe(0);
    expect(shares(IDS, { train: 1, dev: 0, test: 0 })).toEqual({ train: 1, dev: 0, test: 0 });
    expect(shares(IDS, { train: 0, dev: 0, test: 1 })).toEqual({ train: 0, dev: 0, test: 1 });
  });

  it('changes the assignment when the seed changes, and only then', () => {
    const ids = IDS.slice(0, 2000);
    const base = ids.map((id) => splitOf(id, { seed: 'v1' }));
    expect(ids.map((id) => splitOf(id, { seed: 'v1' }))).toEqual(base);
    const moved = ids.filter((id, i) => splitOf(id, { seed: 'v2' }) !== base[i]).length / ids.length;
    // Independent draws differ with probability 1 - (0.8² + 0.1² + 0.1²) = 0.34.
    expect(moved).toBeGreaterThan(0.28);
    expect(moved).toBeLessThan(0.4);
    expect(ids.map((id) => splitOf(id, { seed: '' }))).toEqual(ids.map((id) => splitOf(id)));
  });

  it('uses 0.8 / 0.1 / 0.1 by default', () => {
    expect(DEFAULT_SPLIT_RATIOS).toEqual({ train: 0.8, dev: 0.1, test: 0.1 });
    expect(IDS.slice(0, 300).map((id) => splitOf(id))).toEqual(IDS.slice(0, 300).map((id) => splitOf(id, { ratios: { train: 0.8, dev: 0.1, test: 0.1 } })));
  });
});

describe('splitAt', () => {
  it('lays the ratios out on [0, 1) in the order train, dev, test', () => {
    const ratios = { train: 0.5, dev: 0.25, test: 0.25 };
    expect([0, 0.4999, 0.5, 0.7499, 0.75, 0.9999999].map((point) => splitAt(point, ratios))).toEqual(['train', 'train', 'dev', 'dev', 'test', 'test']);
    expect(splitAt(0.85)).toBe('dev');
    expect(splitAt(0.9)).toBe('test');
  });

  it('gives the rounding remainder to the last split with a share, never to a zero one', () => {
    // train + dev is 1 - 1e-10: a point above it would fall in test without the rule.
    expect(splitAt(1 - 1e-12, { train: 0.5, dev: 0.5 - 1e-10, test: 0 })).toBe('dev');
    expect(splitAt(1 - 1e-12, { train: 1 - 1e-10, dev: 0, test: 0 })).toBe('train');
    expect(splitAt(1 - 1e-12, { train: 0.5, dev: 0, test: 0.5 - 1e-10 })).toBe('test');
    expect(splitAt(0, { train: 0, dev: 0, test: 1 })).toBe('test');
    expect(splitAt(0, { train: 0, dev: 1, test: 0 })).toBe('dev');
  });
});

describe('validateSplitRatios', () => {
  it('refuses negative, non-numeric and non-finite ratios, naming the split', () => {
    expect(() => splitOf('a', { ratios: { train: 1.1, dev: -0.1, test: 0 } })).toThrow(new RangeError("split ratio 'dev' must be a non-negative number, not -0.1"));
    expect(() => validateSplitRatios({ train: Number.NaN, dev: 0.5, test: 0.5 })).toThrow("split ratio 'train' must be a non-negative number, not NaN");
    expect(() => validateSplitRatios({ train: 0.5, dev: 0.5, test: Number.POSITIVE_INFINITY })).toThrow("split ratio 'test'");
    expect(() => validateSplitRatios({ train: 0.5, dev: 0.5 } as SplitRatios)).toThrow("split ratio 'test' must be a non-negative number, not undefined");
  });

  it('refuses ratios that do not add up to 1 within 1e-9', () => {
    expect(() => splitOf('a', { ratios: { train: 0.8, dev: 0.1, test: 0 } })).toThrow(new RangeError('split ratios must add up to 1, not 0.9 (train 0.8 + dev 0.1 + test 0)'));
    expect(() => validateSplitRatios({ train: 0.8, dev: 0.2, test: 0.1 })).toThrow(RangeError);
    expect(() => validateSplitRatios({ train: 0.5, dev: 0.5, test: 2e-9 })).toThrow(RangeError);
    expect(() => validateSplitRatios({ train: 0.5, dev: 0.5, test: 5e-10 })).not.toThrow();
    expect(() => validateSplitRatios({ train: 0.7, dev: 0.2, test: 0.1 })).not.toThrow();
    expect(() => validateSplitRatios({ train: 1 / 3, dev: 1 / 3, test: 1 / 3 })).not.toThrow();
  });
});
