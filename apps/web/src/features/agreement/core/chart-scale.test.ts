import { describe, expect, it } from 'vitest';
import { coefficientAxis, countAxis, position } from './chart-scale.ts';

describe('coefficientAxis', () => {
  it('runs from 0 to 1 in quarters when nothing is negative or known', () => {
    expect(coefficientAxis([0.4, null, 0.9])).toEqual({ min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
    expect(coefficientAxis([])).toEqual({ min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
  });

  it('reaches below 0 in quarters, never past -1, and keeps a tick at 0', () => {
    expect(coefficientAxis([-0.1, 0.5]).min).toBe(-0.25);
    expect(coefficientAxis([-0.1, 0.5]).ticks).toContain(0);
    expect(coefficientAxis([-7]).min).toBe(-1);
    expect(coefficientAxis([-0.6])).toEqual({ min: -0.75, max: 1, ticks: [-0.5, 0, 0.5, 1] });
  });
});

describe('position', () => {
  it('maps the axis onto a length and clamps', () => {
    const axis = { min: -0.5, max: 1, ticks: [] };
    expect(position(axis, -0.5, 300)).toBe(0);
    expect(position(axis, 1, 300)).toBe(300);
    expect(position(axis, 0, 300)).toBe(100);
    expect(position(axis, 2, 300)).toBe(300);
  });
});

describe('countAxis', () => {
  it('rounds the maximum up to a whole step', () => {
    expect(countAxis(7)).toEqual({ min: 0, max: 8, ticks: [0, 2, 4, 6, 8] });
    expect(countAxis(230)).toEqual({ min: 0, max: 300, ticks: [0, 100, 200, 300] });
    expect(countAxis(0)).toEqual({ min: 0, max: 1, ticks: [0, 1] });
    expect(countAxis(1)).toEqual({ min: 0, max: 1, ticks: [0, 1] });
  });
});
