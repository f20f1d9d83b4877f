import type { LabelScheme, Relation } from '@warrant/domain';
import { useLayoutEffect, useState, type RefObject } from 'react';
import { arcBetween, arcToPoint, dashedTypes, type Anchor, type ArcShape } from '../core/arcs.ts';

export interface RelationLayerProps {
  contentRef: RefObject<HTMLDivElement | null>;
  relations: readonly Relation[];
  scheme: LabelScheme;
  /** Changes whenever what is rendered may have moved (edits, scrolling into new blocks, resizing). */
  layoutKey: string;
  hiddenTypes: readonly string[];
  emphasis: ReadonlySet<string> | null;
  selectedRelationId: string | null;
  /** While choosing what an undercut attacks: the relation Enter would pick. */
  candidateRelationId: string | null;
  /** Relations can be picked (undercut targets) or selected by clicking. */
  onPick: (relationId: string) => void;
  typeName: (key: string) => string;
}

interface DrawnArc {
  relation: Relation;
  shape: ArcShape;
  color: string;
  dashed: boolean;
}

/** Where each rendered span begins (its label tag), in the text layer's coordinates. */
function measureAnchors(content: HTMLElement): Map<string, Anchor> {
  const base = content.getBoundingClientRect();
  const anchors = new Map<string, Anchor>();
  for (const element of content.querySelectorAll<HTMLElement>('[data-starts]')) {
    const ids = element.dataset.starts?.split(' ') ?? [];
    const rects = element.getClientRects();
    const first = rects[0];
    if (!first) continue;
    ids.forEach((id, i) => {
      if (!anchors.has(id)) anchors.set(id, { x: first.left - base.left + 6 + i * 4, y: first.top - base.top + 2 });
    });
  }
  return anchors;
}

/**
 * Relations as arcs above the text: source to target span, undercuts to the middle of the arc
 * they attack. Only relations whose ends are rendered are drawn (the graph panel shows all).
 */
export function RelationLayer(props: RelationLayerProps) {
  const { contentRef, relations, scheme, layoutKey, hiddenTypes } = props;
  const [arcs, setArcs] = useState<DrawnArc[]>([]);
  const [size, setSize] = useState({ width: 0, height: 0 });

  useLayoutEffect(() => {
    const content = contentRef.current;
    if (!content) return;
    const frame = requestAnimationFrame(() => {
      const anchors = measureAnchors(content);
      const types = new Map(scheme.relationTypes.map((t) => [t.key, t]));
      const dashed = dashedTypes(scheme);
      const drawn = new Map<string, DrawnArc>();
      const pending: Relation[] = [];
      for (const relation of relations) {
        const type = types.get(relation.type);
        if (!type || hiddenTypes.includes(relation.type)) continue;
        if (type.target === 'relation') {
          pending.push(relation);
          continue;
        }
        const from = anchors.get(relation.source);
        const to = anchors.get(relation.target);
        if (!from || !to) continue;
        drawn.set(relation.id, { relation, shape: arcBetween(from, to), color: type.color, dashed: dashed.has(relation.type) });
      }
      // Undercuts aim at arcs, which may themselves be undercuts: resolve in rounds.
      for (let round = 0; round < 4 && pending.length > 0; round += 1) {
        for (let i = pending.length - 1; i >= 0; i -= 1) {
          const relation = pending[i] as Relation;
          const target = drawn.get(relation.target);
          const from = anchors.get(relation.source);
          if (!target || !from) continue;
          const type = types.get(relation.type);
          drawn.set(relation.id, { relation, shape: arcToPoint(from, target.shape.mid), color: type?.color ?? '#666', dashed: true });
          pending.splice(i, 1);
        }
      }
      setArcs([...drawn.values()]);
      setSize({ width: content.scrollWidth, height: content.scrollHeight });
    });
    return () => cancelAnimationFrame(frame);
  }, [contentRef, relations, scheme, layoutKey, hiddenTypes]);

  return (
    <svg className="relation-layer" width={size.width} height={size.height} aria-hidden="true">
      <defs>
        {scheme.relationTypes.map((type) => (
          <marker
            key={type.key}
            id={`arrow-${type.key}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill={type.color} />
          </marker>
        ))}
      </defs>
      {arcs.map(({ relation, shape, color, dashed }) => {
        const strong = props.emphasis?.has(relation.id) ?? false;
        const dim = props.emphasis !== null && !strong;
        const selected = relation.id === props.selectedRelationId;
        const candidate = relation.id === props.candidateRelationId;
        return (
          <g
            key={relation.id}
            className={`arc${selected ? ' arc--selected' : ''}${candidate ? ' arc--candidate' : ''}${dim && !candidate ? ' arc--dim' : ''}`}
            data-relation={relation.id}
          >
            <path
              className="arc__hit"
              d={shape.d}
              onClick={(event) => {
                event.stopPropagation();
                props.onPick(relation.id);
              }}
            >
              <title>{props.typeName(relation.type)}</title>
            </path>
            <path
              className="arc__line"
              d={shape.d}
              stroke={color}
              strokeWidth={candidate ? 3.5 : selected || strong ? 2.5 : 1.5}
              strokeDasharray={dashed ? '5 3' : undefined}
              markerEnd={`url(#arrow-${relation.type})`}
            />
          </g>
        );
      })}
    </svg>
  );
}
