import { memo, type CSSProperties } from 'react';
import type { Block } from '../core/blocks.ts';
import type { BlockLayout, Segment } from '../core/segments.ts';

/** Vertical room per lane of span bands under a line, in pixels. */
export const LANE_GAP = 5;
const BAND = 3;
const BAND_STRONG = 5;

export interface SpanLook {
  color: string;
  /** Text colour that reads on `color`. */
  ink: string;
  tag: string;
  name: string;
}

export interface BlockViewProps {
  block: Block;
  text: string;
  layout: BlockLayout;
  /** By label key. */
  looks: ReadonlyMap<string, SpanLook>;
  /** Span ids to draw strongly (the hovered chain); null when nothing is hovered. */
  emphasis: ReadonlySet<string> | null;
  selectedSpanId: string | null;
  /** The selected span's edges, when they are in this block: drag handles are drawn there. */
  handles: { start: number | null; end: number | null } | null;
  linkSourceId: string | null;
  linkCandidateId: string | null;
}

function bandColor(look: SpanLook | undefined, dim: boolean): string {
  const color = look?.color ?? '#888888';
  return dim ? `${color}66` : color;
}

function segmentStyle(segment: Segment, lanes: number, props: BlockViewProps): CSSProperties | undefined {
  if (segment.bands.length === 0) return lanes > 0 ? { paddingBottom: lanes * LANE_GAP } : undefined;
  const images: string[] = [];
  const sizes: string[] = [];
  const positions: string[] = [];
  for (const band of segment.bands) {
    const strong = props.emphasis?.has(band.spanId) ?? false;
    const dim = props.emphasis !== null && !strong;
    const color = bandColor(props.looks.get(band.label), dim);
    const thickness = strong || band.spanId === props.selectedSpanId ? BAND_STRONG : BAND;
    images.push(`linear-gradient(${color}, ${color})`);
    sizes.push(`100% ${thickness}px`);
    positions.push(`0 calc(100% - ${(lanes - 1 - band.lane) * LANE_GAP + (BAND_STRONG - thickness)}px)`);
  }
  return {
    backgroundImage: images.join(', '),
    backgroundSize: sizes.join(', '),
    backgroundPosition: positions.join(', '),
    backgroundRepeat: 'no-repeat',
    paddingBottom: lanes * LANE_GAP,
  };
}

function segmentClass(segment: Segment, props: BlockViewProps): string {
  let className = 'seg';
  if (segment.selected) className += ' seg--selected-text';
  for (const band of segment.bands) {
    if (band.spanId === props.selectedSpanId) className += ' seg--selected-span';
    if (band.spanId === props.linkSourceId) className += ' seg--link-source';
    if (band.spanId === props.linkCandidateId) className += ' seg--link-target';
  }
  return className;
}

/** One block of the passage: its segments with stacked bands, label tags and the caret. */
export const BlockView = memo(function BlockView(props: BlockViewProps) {
  const { block, text, layout, looks } = props;
  const lineHeight = `calc(1.3em + ${2 * layout.lanes * LANE_GAP + 8}px)`;
  return (
    <div
      className={block.start === block.textEnd ? 'block block--empty' : 'block'}
      data-index={block.index}
      data-block-start={block.start}
      data-block-end={block.textEnd}
      style={{ lineHeight }}
    >
      {layout.segments.map((segment) => (
        <span
          key={segment.start}
          className={segmentClass(segment, props)}
          data-s={segment.start}
          data-e={segment.end}
          data-spans={segment.bands.length > 0 ? segment.bands.map((b) => b.spanId).join(' ') : undefined}
          data-starts={segment.starts.length > 0 ? segment.starts.map((s) => s.spanId).join(' ') : undefined}
          style={segmentStyle(segment, layout.lanes, props)}
        >
          {segment.caretBefore ? <span className="caret" data-decor aria-hidden="true" /> : null}
          {props.handles?.start === segment.start ? <span className="handle handle--start" data-decor data-handle="start" aria-hidden="true" /> : null}
          {segment.starts.map(({ spanId, label }) => {
            const look = looks.get(label);
            return (
              <span key={spanId} className="tag" data-decor aria-hidden="true" style={{ backgroundColor: look?.color, color: look?.ink }} title={look?.name}>
                {look?.tag ?? '?'}
              </span>
            );
          })}
          {text.slice(segment.start, segment.end)}
          {props.handles?.end === segment.end ? <span className="handle handle--end" data-decor data-handle="end" aria-hidden="true" /> : null}
        </span>
      ))}
      {layout.caretAtEnd ? <span className="caret" data-decor aria-hidden="true" /> : null}
    </div>
  );
});
