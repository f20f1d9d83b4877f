import { Graph, layout } from '@dagrejs/dagre';
import type { LabelScheme, Relation, Span } from '@warrant/domain';

export interface GraphNode {
  id: string;
  /** A span, or a relation that an undercut aims at (drawn as a small diamond on its edge). */
  kind: 'span' | 'relation';
  x: number;
  y: number;
  width: number;
  height: number;
  label: string;
  text: string;
}

export interface GraphEdge {
  id: string;
  type: string;
  points: { x: number; y: number }[];
}

export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
  /** Spans left out because the graph was too large to lay out readably. */
  omitted: number;
}

export const MAX_GRAPH_NODES = 250;
const NODE_WIDTH = 170;
const NODE_HEIGHT = 44;

function excerpt(text: string, span: Span, max = 48): string {
  const points = Array.from(text.slice(span.start, span.end).replace(/\s+/g, ' '));
  return points.length > max ? `${points.slice(0, max).join('')}…` : points.join('');
}

/**
 * The reasoning structure as a layered DAG: premises at the bottom, the conclusion on top
 * (edges point from a reason to what it supports or attacks). Only spans that take part in
 * relations, plus `focus`; limited to `MAX_GRAPH_NODES` around `focus` when larger.
 */
export function layoutGraph(
  text: string,
  spans: ReadonlyMap<string, Span>,
  relations: readonly Relation[],
  scheme: LabelScheme,
  focus: { spanIds: ReadonlySet<string> } | null,
): GraphLayout {
  const targetsRelation = new Set(scheme.relationTypes.filter((t) => t.target === 'relation').map((t) => t.key));
  const involved = new Set<string>();
  for (const relation of relations) {
    if (spans.has(relation.source)) involved.add(relation.source);
    if (!targetsRelation.has(relation.type) && spans.has(relation.target)) involved.add(relation.target);
  }
  for (const id of focus?.spanIds ?? []) if (spans.has(id)) involved.add(id);
  let chosen = [...involved];
  let omitted = 0;
  if (chosen.length > MAX_GRAPH_NODES) {
    const preferred = focus ? chosen.filter((id) => focus.spanIds.has(id)) : [];
    const rest = chosen.filter((id) => !focus?.spanIds.has(id)).sort((a, b) => (spans.get(a)?.start ?? 0) - (spans.get(b)?.start ?? 0));
    const keep = [...preferred, ...rest].slice(0, MAX_GRAPH_NODES);
    omitted = chosen.length - keep.length;
    chosen = keep;
  }
  const kept = new Set(chosen);
  const graph = new Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'BT', nodesep: 24, ranksep: 48, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of chosen) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });

  const relationById = new Map(relations.map((r) => [r.id, r]));
  const undercutTargets = new Set(relations.filter((r) => targetsRelation.has(r.type)).map((r) => r.target));
  const drawnRelations = new Set<string>();
  for (const relation of relations) {
    if (targetsRelation.has(relation.type)) continue;
    if (!kept.has(relation.source) || !kept.has(relation.target)) continue;
    drawnRelations.add(relation.id);
    if (undercutTargets.has(relation.id)) {
      const mid = `rel:${relation.id}`;
      graph.setNode(mid, { width: 14, height: 14 });
      graph.setEdge(relation.source, mid, { type: relation.type, id: `${relation.id}:a` }, `${relation.id}:a`);
      graph.setEdge(mid, relation.target, { type: relation.type, id: `${relation.id}:b` }, `${relation.id}:b`);
    } else {
      graph.setEdge(relation.source, relation.target, { type: relation.type, id: relation.id }, relation.id);
    }
  }
  // Undercuts aimed at relations that are drawn (possibly other undercuts, in rounds).
  let progress = true;
  while (progress) {
    progress = false;
    for (const relation of relations) {
      if (!targetsRelation.has(relation.type) || drawnRelations.has(relation.id)) continue;
      const target = relationById.get(relation.target);
      if (!target || !drawnRelations.has(target.id) || !kept.has(relation.source)) continue;
      const targetNode = `rel:${target.id}`;
      if (!graph.hasNode(targetNode)) graph.setNode(targetNode, { width: 14, height: 14 });
      graph.setEdge(relation.source, targetNode, { type: relation.type, id: relation.id }, relation.id);
      drawnRelations.add(relation.id);
      progress = true;
    }
  }
  layout(graph);

  const nodes: GraphNode[] = graph.nodes().map((id) => {
    const node = graph.node(id);
    const span = spans.get(id);
    return {
      id: id.startsWith('rel:') ? id.slice(4) : id,
      kind: id.startsWith('rel:') ? 'relation' : 'span',
      x: node.x ?? 0,
      y: node.y ?? 0,
      width: node.width ?? 0,
      height: node.height ?? 0,
      label: span?.label ?? '',
      text: span ? excerpt(text, span) : '',
    };
  });
  const edges: GraphEdge[] = graph.edges().map((e) => {
    const edge = graph.edge(e) as { points?: { x: number; y: number }[]; type?: string; id?: string };
    return { id: edge.id ?? e.name ?? `${e.v}-${e.w}`, type: edge.type ?? '', points: edge.points ?? [] };
  });
  const info = graph.graph();
  return { nodes, edges, width: info.width ?? 0, height: info.height ?? 0, omitted };
}
