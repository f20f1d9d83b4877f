import { assignLanes } from '../../../lib/lanes.ts';

/** A span as one column draws it. */
export interface MarkedSpan {
  id: string;
  label: string;
  start: number;
  end: number;
  /** Not every annotator marked it (annotator columns only). */
  disputed: boolean;
  /** The comparison item it stands for, to highlight it from the item list. */
  key: string | null;
}

export interface Band {
  span: MarkedSpan;
  /** 0 is the band nearest the text. */
  lane: number;
}

/** A run of text covered by the same spans: one element in the DOM, with `data-s`/`data-e`. */
export interface TextSegment {
  start: number;
  end: number;
  bands: Band[];
  /** Spans whose first character is here (their label tag is drawn at this segment). */
  starts: MarkedSpan[];
}

/** Cuts [0, length) wherever a span begins or ends; the segments cover the text exactly, in order. */
export function segmentText(length: number, spans: readonly MarkedSpan[]): { segments: TextSegment[]; lanes: number } {
  const inside = spans.filter((span) => span.start >= 0 && span.end <= length && span.start < span.end);
  const lanes = assignLanes(inside);
  const cuts = new Set<number>([0, length]);
  for (const span of inside) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: TextSegment[] = [];
  let laneCount = 0;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    const bands: Band[] = [];
    const starts: MarkedSpan[] = [];
    for (const span of inside) {
      if (span.start <= start && span.end >= end) {
        const lane = lanes.get(span.id) ?? 0;
        bands.push({ span, lane });
        laneCount = Math.max(laneCount, lane + 1);
      }
      if (span.start === start) starts.push(span);
    }
    bands.sort((a, b) => a.lane - b.lane);
    segments.push({ start, end, bands, starts });
  }
  return { segments, lanes: laneCount };
}
