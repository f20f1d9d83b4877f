import { expect } from 'vitest';
import {
  parsePassages,
  type PassageFormat,
  type PassageParseOptions,
  type PassageParseResult,
} from '../src/index.ts';

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export const concatBytes = (...parts: (string | number[] | Uint8Array)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...utf8(part)] : [...part])));

/** Yields `bytes` in chunks of the given sizes, cycling through them. */
export async function* chunked(bytes: Uint8Array, sizes: readonly number[] = [bytes.length || 1]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let k = 0; at < bytes.length; k++) {
    const size = sizes[k % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** Deterministic chunk sizes from 1 to `max`, so a failure names the same split every run. */
export function randomSizes(seed: number, count = 64, max = 17): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return 1 + (((t ^ (t >>> 14)) >>> 0) % max);
  });
}

export function parseBytes(
  input: string | Uint8Array,
  format: PassageFormat,
  options?: PassageParseOptions,
  sizes?: readonly number[],
): Promise<PassageParseResult> {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  return parsePassages(chunked(bytes, sizes), format, options);
}

/**
 * Parses the input whole, in 1-byte chunks and in several random chunkings, checks that
 * every way gives the same result, and returns it.
 */
export async function parse(
  input: string | Uint8Array,
  format: PassageFormat,
  options?: PassageParseOptions,
): Promise<PassageParseResult> {
  const whole = await parseBytes(input, format, options);
  for (const sizes of [[1], [2], [3], randomSizes(1), randomSizes(2, 64, 100), randomSizes(3, 64, 5)]) {
    const split = await parseBytes(input, format, options, sizes);
    expect(split, `chunk sizes ${sizes.slice(0, 8).join(',')}...`).toEqual(whole);
  }
  return whole;
}
