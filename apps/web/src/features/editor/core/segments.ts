import type { Span } from '@warrant/domain';
import type { Block } from './blocks.ts';
import { assignLanes } from '../../../lib/lanes.ts';

/** One span's band under a segment. */
export interface Band {
  spanId: string;
  label: string;
  /** 0 is the band nearest the text. */
  lane: number;
}

/** A run of text covered by the same spans: the unit the DOM renders (one element each). */
export interface Segment {
  start: number;
  end: number;
  bands: Band[];
  /** Spans whose first character is here (their label tag is drawn at this segment). */
  starts: { spanId: string; label: string }[];
  selected: boolean;
  caretBefore: boolean;
}

export interface BlockLayout {
  segments: Segment[];
  /** Every span drawn in the block. */
  spanIds: ReadonlySet<string>;
  /** How many lanes the block needs under its lines. */
  lanes: number;
  /** The caret sits after the block's last character. */
  caretAtEnd: boolean;
}

export interface Marks {
  selection: { start: number; end: number } | null;
  caret: number | null;
}

/** Cuts a block's text where spans, the selection and the caret begin or end. */
export function layoutBlock(block: Block, spans: readonly Span[], marks: Marks): BlockLayout {
  const from = block.start;
  const to = block.textEnd;
  const lanes = assignLanes(spans);
  const cuts = new Set<number>([from, to]);
  for (const span of spans) {
    if (span.start > from && span.start < to) cuts.add(span.start);
    if (span.end > from && span.end < to) cuts.add(span.end);
  }
  const selection = marks.selection && marks.selection.end > marks.selection.start ? marks.selection : null;
  if (selection) {
    if (selection.start > from && selection.start < to) cuts.add(selection.start);
    if (selection.end > from && selection.end < to) cuts.add(selection.end);
  }
  const caret = marks.caret;
  if (caret !== null && caret > from && caret < to) cuts.add(caret);
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let laneCount = 0;
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    if (end <= start) continue;
    const bands: Band[] = [];
    const starts: { spanId: string; label: string }[] = [];
    for (const span of spans) {
      if (span.start <= start && span.end >= end) {
        const lane = lanes.get(span.id) ?? 0;
        bands.push({ spanId: span.id, label: span.label, lane });
        laneCount = Math.max(laneCount, lane + 1);
      }
      if (span.start === start) starts.push({ spanId: span.id, label: span.label });
    }
    bands.sort((a, b) => a.lane - b.lane);
    segments.push({
      start,
      end,
      bands,
      starts,
      selected: selection !== null && start >= selection.start && end <= selection.end,
      caretBefore: caret === start,
    });
  }
  return { segments, spanIds: new Set(spans.map((span) => span.id)), lanes: laneCount, caretAtEnd: caret !== null && caret === to };
}
