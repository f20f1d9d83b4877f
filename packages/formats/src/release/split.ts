import { createHash } from 'node:crypto';

/**
 * Deterministic train/dev/test splits of a release: a passage's split depends only on its id and
 * the seed, never on which other passages are in the release or the order they come in, so every
 * record of a passage (each annotator's, gold) lands in the same split and a later release with
 * the same seed keeps each passage where it was.
 */

export type ReleaseSplit = 'train' | 'dev' | 'test';

/** The splits in the order their shares are laid out on [0, 1). */
export const RELEASE_SPLITS: readonly ReleaseSplit[] = ['train', 'dev', 'test'];

export interface SplitRatios {
  train: number;
  dev: number;
  test: number;
}

export const DEFAULT_SPLIT_RATIOS: Readonly<SplitRatios> = Object.freeze({ train: 0.8, dev: 0.1, test: 0.1 });

export interface SplitOptions {
  /** Mixed into the hash: another seed gives another assignment. '' by default. */
  seed?: string;
  /** Shares of the passages; non-negative, adding up to 1. DEFAULT_SPLIT_RATIOS by default. */
  ratios?: SplitRatios;
}

/** Throws a RangeError naming the problem when `ratios` are not non-negative shares adding up to 1. */
export function validateSplitRatios(ratios: SplitRatios): void {
  for (const split of RELEASE_SPLITS) {
    const ratio = ratios[split];
    if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0) {
      throw new RangeError(`split ratio '${split}' must be a non-negative number, not ${String(ratio)}`);
    }
  }
  const sum = ratios.train + ratios.dev + ratios.test;
  if (Math.abs(sum - 1) > 1e-9) {
    throw new RangeError(`split ratios must add up to 1, not ${sum} (train ${ratios.train} + dev ${ratios.dev} + test ${ratios.test})`);
  }
}

/**
 * Where a passage falls on [0, 1): the first 48 bits of SHA-256(`${seed}\u0000${passageId}`, UTF-8)
 * as a fraction. 48 bits fit a double exactly, so the fraction is the same on every platform.
 */
export function splitPoint(passageId: string, seed = ''): number {
  const digest = createHash('sha256').update(`${seed}\u0000${passageId}`, 'utf8').digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The split a point of [0, 1) falls in: train below `train`, dev below `train + dev`, else test.
 * A split with a zero ratio never gets a point, even when the ratios add up to 1 only within
 * rounding: the last split with a share takes the remainder.
 */
export function splitAt(point: number, ratios: SplitRatios = DEFAULT_SPLIT_RATIOS): ReleaseSplit {
  validateSplitRatios(ratios);
  let cumulative = 0;
  let last: ReleaseSplit = 'train';
  for (const split of RELEASE_SPLITS) {
    const ratio = ratios[split];
    if (ratio === 0) continue;
    cumulative += ratio;
    last = split;
    if (point < cumulative) return split;
  }
  return last;
}

/** The split of a passage: splitAt(splitPoint(passageId, seed), ratios). */
export function splitOf(passageId: string, options: SplitOptions = {}): ReleaseSplit {
  return splitAt(splitPoint(passageId, options.seed ?? ''), options.ratios ?? DEFAULT_SPLIT_RATIOS);
}
