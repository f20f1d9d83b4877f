/**
 * Axes for coefficient charts. Agreement lives between -1 and 1 and mostly between 0 and 1: the
 * axis runs from 0 (or lower, in quarters, when something is negative) to 1, so bars of different
 * charts compare at a glance.
 */
export interface Axis {
  min: number;
  max: number;
  ticks: number[];
}

export function coefficientAxis(values: readonly (number | null)[]): Axis {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  const lowest = known.length > 0 ? Math.min(...known) : 0;
  const min = lowest < 0 ? Math.max(-1, Math.floor(lowest * 4) / 4) : 0;
  const step = 1 - min > 1 ? 0.5 : 0.25;
  const ticks: number[] = [];
  for (let tick = 1; tick >= min - 1e-9; tick -= step) ticks.unshift(Math.round(tick * 100) / 100);
  if (!ticks.includes(0)) ticks.push(0);
  return { min, max: 1, ticks: ticks.sort((a, b) => a - b) };
}

/** A value's position on [0, length] along an axis (clamped to the axis). */
export function position(axis: Axis, value: number, length: number): number {
  const clamped = Math.min(axis.max, Math.max(axis.min, value));
  return ((clamped - axis.min) / (axis.max - axis.min)) * length;
}

/** A count axis for stacked bars: 0 to a round maximum, with about four ticks. */
export function countAxis(maximum: number): Axis {
  if (maximum <= 0) return { min: 0, max: 1, ticks: [0, 1] };
  const raw = maximum / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const wholeStep = Math.max(1, Math.round(step));
  const max = Math.ceil(maximum / wholeStep) * wholeStep;
  const ticks: number[] = [];
  for (let tick = 0; tick <= max; tick += wholeStep) ticks.push(tick);
  return { min: 0, max, ticks };
}
