import type { Span } from '@warrant/domain';
import { describe, expect, it } from 'vitest';
import { assignLanes } from '../../../lib/lanes.ts';
import { layoutBlock } from './segments.ts';

const span = (id: string, start: number, end: number, label = 'premise'): Span => ({ id, label, start, end, note: null });
const block = { index: 0, start: 0, textEnd: 20, end: 21 };
const none = { selection: null, caret: null };

describe('lanes and segments', () => {
  it('gives overlapping and nested spans distinct lanes, and reuses a lane once free', () => {
    const lanes = assignLanes([span('outer', 0, 20), span('inner', 5, 10), span('crossing', 8, 15), span('later', 16, 19)]);
    expect(lanes.get('outer')).toBe(0);
    expect(lanes.get('inner')).toBe(1);
    expect(lanes.get('crossing')).toBe(2);
    expect(lanes.get('later')).toBe(1);
  });

  it('cuts the block where spans start and end, each segment listing its spans by lane', () => {
    const layout = layoutBlock(block, [span('a', 2, 8), span('b', 5, 12, 'conclusion')], none);
    expect(layout.segments.map((s) => [s.start, s.end, s.bands.map((b) => `${b.spanId}@${b.lane}`)])).toEqual([
      [0, 2, []],
      [2, 5, ['a@0']],
      [5, 8, ['a@0', 'b@1']],
      [8, 12, ['b@1']],
      [12, 20, []],
    ]);
    expect(layout.lanes).toBe(2);
    expect(layout.segments.find((s) => s.start === 5)?.starts).toEqual([{ spanId: 'b', label: 'conclusion' }]);
  });

  it('clips spans that run into other blocks, without a tag where they do not start', () => {
    const layout = layoutBlock({ index: 1, start: 10, textEnd: 20, end: 20 }, [span('long', 0, 15)], none);
    expect(layout.segments[0]).toMatchObject({ start: 10, end: 15, starts: [] });
  });

  it('marks the selection and places the caret', () => {
    const layout = layoutBlock(block, [], { selection: { start: 3, end: 7 }, caret: 7 });
    expect(layout.segments.map((s) => [s.start, s.end, s.selected, s.caretBefore])).toEqual([
      [0, 3, false, false],
      [3, 7, true, false],
      [7, 20, false, true],
    ]);
    expect(layoutBlock(block, [], { selection: null, caret: 20 }).caretAtEnd).toBe(true);
  });
});
