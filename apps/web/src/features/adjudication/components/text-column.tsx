import { memo, type CSSProperties, type Ref } from 'react';
import { lookOf, type LabelLook } from '../core/looks.ts';
import { segmentText, type TextSegment, type MarkedSpan } from '../core/text-segments.ts';

const LANE_GAP = 5;
const BAND = 3;

export interface TextColumnProps {
  text: string;
  spans: readonly MarkedSpan[];
  looks: Map<string, LabelLook>;
  /** Comparison keys to highlight (the item the lead is pointing at). */
  activeKeys: ReadonlySet<string>;
  rootRef?: Ref<HTMLDivElement>;
  label: string;
}

function segmentStyle(segment: TextSegment, lanes: number, looks: Map<string, LabelLook>): CSSProperties | undefined {
  if (segment.bands.length === 0) return lanes > 0 ? { paddingBottom: lanes * LANE_GAP } : undefined;
  const images: string[] = [];
  const sizes: string[] = [];
  const positions: string[] = [];
  for (const band of segment.bands) {
    const color = lookOf(looks, band.span.label).color;
    // Spans not every annotator marked are drawn dashed (and the text tinted, see the CSS).
    images.push(band.span.disputed ? `repeating-linear-gradient(90deg, ${color} 0 6px, transparent 6px 9px)` : `linear-gradient(${color}, ${color})`);
    sizes.push(`100% ${BAND}px`);
    positions.push(`0 calc(100% - ${(lanes - 1 - band.lane) * LANE_GAP}px)`);
  }
  return {
    backgroundImage: images.join(', '),
    backgroundSize: sizes.join(', '),
    backgroundPosition: positions.join(', '),
    backgroundRepeat: 'no-repeat',
    paddingBottom: lanes * LANE_GAP,
  };
}

function segmentClass(segment: TextSegment, activeKeys: ReadonlySet<string>): string {
  let className = 'cmp-seg';
  if (segment.bands.some((band) => band.span.disputed)) className += ' cmp-seg--disputed';
  if (segment.bands.some((band) => band.span.key !== null && activeKeys.has(band.span.key))) className += ' cmp-seg--active';
  return className;
}

/**
 * One column of the side-by-side view: the passage text exactly as stored, cut into segments that
 * each hold `text.slice(data-s, data-e)` as a single text node, so a DOM selection maps back to
 * UTF-16 offsets (core/dom-offsets.ts). Label tags are decorations, outside the text.
 */
export const TextColumn = memo(function TextColumn({ text, spans, looks, activeKeys, rootRef, label }: TextColumnProps) {
  const { segments, lanes } = segmentText(text.length, spans);
  return (
    <div
      ref={rootRef}
      className="cmp-text"
      data-length={text.length}
      style={{ lineHeight: `calc(1.35em + ${2 * lanes * LANE_GAP + 8}px)` }}
      aria-label={label}
      role="group"
    >
      {segments.map((segment) => (
        <span key={segment.start} className={segmentClass(segment, activeKeys)} data-s={segment.start} data-e={segment.end} style={segmentStyle(segment, lanes, looks)}>
          {segment.starts.map((span) => {
            const look = lookOf(looks, span.label);
            return (
              <span key={span.id} className="cmp-tag" data-decor="" aria-hidden="true" style={{ backgroundColor: look.color, color: look.ink }} title={look.name}>
                {look.tag}
              </span>
            );
          })}
          {text.slice(segment.start, segment.end)}
        </span>
      ))}
    </div>
  );
});
