import { textColorOn } from '../../../lib/text-color.ts';

/**
 * The heatmap's colours: agreement from 0 (paper) to 1 (deep blue), and below 0 (worse than
 * chance, which kappa and alpha can be) towards red, so a negative cell never passes for a weak
 * positive one. Undefined values get no colour at all: the heatmap hatches them.
 */
const STOPS: readonly (readonly [number, string])[] = [
  [-1, '#b5452f'],
  [0, '#f3efe7'],
  [0.5, '#a9c3d9'],
  [0.8, '#4f7fa8'],
  [1, '#1d4469'],
];

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function hex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** The colour of a coefficient; values outside [-1, 1] take the nearest end. */
export function colorFor(value: number): string {
  const v = Math.min(1, Math.max(-1, value));
  for (let i = 1; i < STOPS.length; i += 1) {
    const [to, toColor] = STOPS[i] as readonly [number, string];
    const [from, fromColor] = STOPS[i - 1] as readonly [number, string];
    if (v <= to) {
      const share = to === from ? 0 : (v - from) / (to - from);
      const a = channels(fromColor);
      const b = channels(toColor);
      return hex([a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share, a[2] + (b[2] - a[2]) * share]);
    }
  }
  return STOPS[STOPS.length - 1]?.[1] ?? '#000000';
}

/** Black or white, whichever reads better on a value's colour. */
export function inkFor(value: number): '#000000' | '#ffffff' {
  return textColorOn(colorFor(value));
}

/** The legend's steps from 0 to 1 (the part of the scale most figures fall in). */
export function legendSteps(count = 10): { from: number; to: number; color: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const from = i / count;
    const to = (i + 1) / count;
    return { from, to, color: colorFor((from + to) / 2) };
  });
}

/** The swatch for "below 0" in the legend. */
export const BELOW_ZERO_COLOR = colorFor(-0.5);
