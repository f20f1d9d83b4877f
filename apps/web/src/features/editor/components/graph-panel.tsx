import type { LabelScheme } from '@warrant/domain';
import { useDeferredValue, useMemo, useSyncExternalStore } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';
import { MAX_GRAPH_NODES, layoutGraph } from '../core/graph-layout.ts';
import { dashedTypes } from '../core/arcs.ts';
import type { EditorSession } from '../core/session.ts';
import { useEditorStore } from '../stores/editor-store.ts';

function involvedSpanCount(session: EditorSession): number {
  const ids = new Set<string>();
  for (const relation of session.state.relations.values()) {
    ids.add(relation.source);
    if (session.state.spans.has(relation.target)) ids.add(relation.target);
  }
  return ids.size;
}

function path(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
}

/** The reasoning structure, laid out automatically; a node click shows its span in the text. */
export function GraphPanel({
  session,
  scheme,
  focus,
  onShowSpan,
}: {
  session: EditorSession;
  scheme: LabelScheme;
  focus: { spanIds: ReadonlySet<string> } | null;
  onShowSpan: (spanId: string) => void;
}) {
  const t = useT();
  const version = useSyncExternalStore(session.subscribe, session.getVersion);
  // The layout follows edits at low priority: typing and selecting never wait for dagre.
  const layoutVersion = useDeferredValue(version);
  const selectedSpanId = useEditorStore((s) => s.selectedSpanId);
  // The selection only changes the picture when the graph is too large to show whole; otherwise
  // the selected node is just highlighted, without a new layout.
  const tooLarge = useMemo(() => involvedSpanCount(session) > MAX_GRAPH_NODES, [session, layoutVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  const layoutFocus = tooLarge ? focus : null;
  const graph = useMemo(
    () => layoutGraph(session.text, session.state.spans, [...session.state.relations.values()], scheme, layoutFocus),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [session, scheme, layoutVersion, layoutFocus],
  );
  const colors = new Map(scheme.spanLabels.map((l) => [l.key, l.color]));
  const typeColors = new Map(scheme.relationTypes.map((r) => [r.key, r.color]));
  const labelNames = new Map(scheme.spanLabels.map((l) => [l.key, l.name]));
  const dashed = dashedTypes(scheme);
  if (graph.nodes.length === 0) return <p className="muted">{t('editor.graph.empty')}</p>;
  return (
    <div className="graph-panel">
      {graph.omitted > 0 ? <p className="muted">{t('editor.graph.omitted', { count: graph.omitted })}</p> : null}
      <svg
        className="graph"
        viewBox={`0 0 ${Math.max(graph.width, 10)} ${Math.max(graph.height, 10)}`}
        width={graph.width}
        height={graph.height}
        role="img"
        aria-label={t('editor.graph.title')}
      >
        <defs>
          {scheme.relationTypes.map((type) => (
            <marker key={type.key} id={`g-arrow-${type.key}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M 0 0 L 10 5 L 0 10 z" fill={type.color} />
            </marker>
          ))}
        </defs>
        {graph.edges.map((edge) => (
          <path
            key={edge.id}
            d={path(edge.points)}
            fill="none"
            stroke={typeColors.get(edge.type) ?? '#777'}
            strokeWidth={1.6}
            strokeDasharray={dashed.has(edge.type) ? '5 3' : undefined}
            markerEnd={edge.id.endsWith(':a') ? undefined : `url(#g-arrow-${edge.type})`}
          />
        ))}
        {graph.nodes.map((node) =>
          node.kind === 'relation' ? (
            <rect
              key={`rel-${node.id}`}
              x={node.x - 6}
              y={node.y - 6}
              width={12}
              height={12}
              transform={`rotate(45 ${node.x} ${node.y})`}
              className="graph__relation"
            />
          ) : (
            <g
              key={node.id}
              className={`graph__node${node.id === selectedSpanId ? ' graph__node--selected' : ''}`}
              role="button"
              tabIndex={0}
              aria-label={`${labelNames.get(node.label) ?? node.label}: ${node.text}`}
              onClick={() => onShowSpan(node.id)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onShowSpan(node.id);
                }
              }}
            >
              <rect x={node.x - node.width / 2} y={node.y - node.height / 2} width={node.width} height={node.height} rx={5} className="graph__box" />
              <rect x={node.x - node.width / 2} y={node.y - node.height / 2} width={6} height={node.height} rx={2} fill={colors.get(node.label) ?? '#999'} />
              <text x={node.x - node.width / 2 + 12} y={node.y - 5} className="graph__label">
                {labelNames.get(node.label) ?? node.label}
              </text>
              <text x={node.x - node.width / 2 + 12} y={node.y + 12} className="graph__text">
                {node.text.length > 26 ? `${Array.from(node.text).slice(0, 26).join('')}…` : node.text}
              </text>
            </g>
          ),
        )}
      </svg>
    </div>
  );
}
