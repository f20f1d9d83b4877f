/**
 * Structural warnings on an argument graph (docs/editor.md): cycles, unconnected spans, no or
 * several conclusions, relations the scheme does not allow; and chains (everything connected to a
 * span), which the editor highlights. Warnings advise; they never block a save.
 */
import type { Relation, Span } from './model.ts';
import type { LabelScheme } from './scheme.ts';

export type StructureWarning =
  | { kind: 'cycle'; spanIds: string[]; relationIds: string[] }
  | { kind: 'unconnected-span'; spanId: string }
  | { kind: 'no-conclusion' }
  | { kind: 'several-conclusions'; spanIds: string[] }
  | {
      kind: 'relation-not-allowed';
      relationId: string;
      reason: 'unknown-type' | 'wrong-target' | 'missing-endpoint' | 'source-label' | 'target-label';
    };

export type StructureWarningKind = StructureWarning['kind'];

/** The order in which analyzeStructure lists warnings of different kinds. */
export const STRUCTURE_WARNING_KINDS = [
  'cycle',
  'unconnected-span',
  'no-conclusion',
  'several-conclusions',
  'relation-not-allowed',
] as const satisfies readonly StructureWarningKind[];

export interface StructureOptions {
  /** The span label key of conclusions; 'conclusion' by default. */
  conclusionLabel?: string;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function firstId(warning: StructureWarning): string {
  switch (warning.kind) {
    case 'cycle':
    case 'several-conclusions':
      return warning.spanIds[0] ?? '';
    case 'unconnected-span':
      return warning.spanId;
    case 'relation-not-allowed':
      return warning.relationId;
    case 'no-conclusion':
      return '';
  }
}

interface Edge {
  to: string;
  relationId: string;
}

/** Strongly connected components (Tarjan), iteratively: a long chain of supports must not overflow the stack. */
function stronglyConnected(nodes: readonly string[], edges: Map<string, Edge[]>): string[][] {
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const root of nodes) {
    if (indexOf.has(root)) continue;
    const work: { node: string; edge: number }[] = [{ node: root, edge: 0 }];
    indexOf.set(root, next);
    low.set(root, next);
    next += 1;
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; edge: number };
      const out = edges.get(frame.node) ?? [];
      if (frame.edge < out.length) {
        const { to } = out[frame.edge] as Edge;
        frame.edge += 1;
        if (!indexOf.has(to)) {
          indexOf.set(to, next);
          low.set(to, next);
          next += 1;
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, indexOf.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === indexOf.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/**
 * Warnings, sorted by kind (STRUCTURE_WARNING_KINDS) and then by their first id; id lists inside a
 * warning are sorted. Nothing is reported for a passage with no spans.
 *
 * - cycle: a strongly connected component of more than one span, or a span related to itself, over
 *   the relations of span-target types (supports, attacks) between existing spans; relationIds are
 *   the relations inside the component.
 * - unconnected-span: neither the source nor the target of any relation (the source of an undercut
 *   is connected).
 * - no-conclusion / several-conclusions: spans labelled `conclusionLabel`; skipped when the scheme
 *   has no such label.
 * - relation-not-allowed: 'unknown-type' (type not in the scheme), 'missing-endpoint' (no span with
 *   the source id, or no span/relation with the target id), 'wrong-target' (a span-target type aimed
 *   at a relation, or a relation-target type aimed at a span), 'source-label' / 'target-label' (the
 *   type lists the span labels it may come from or go to, and this span's label is not among them).
 *   One reason per relation, in that order.
 */
export function analyzeStructure(
  spans: Iterable<Span>,
  relations: Iterable<Relation>,
  scheme: LabelScheme,
  options: StructureOptions = {},
): StructureWarning[] {
  const spanList = [...spans];
  if (spanList.length === 0) return [];
  const relationList = [...relations];
  const spanIds = new Set(spanList.map((s) => s.id));
  const labelOf = new Map(spanList.map((s) => [s.id, s.label]));
  const relationIds = new Set(relationList.map((r) => r.id));
  const types = new Map(scheme.relationTypes.map((t) => [t.key, t]));
  const warnings: StructureWarning[] = [];

  const connected = new Set<string>();
  const edges = new Map<string, Edge[]>();
  for (const relation of relationList) {
    connected.add(relation.source);
    connected.add(relation.target);
    const type = types.get(relation.type);
    let reason: 'unknown-type' | 'wrong-target' | 'missing-endpoint' | 'source-label' | 'target-label' | null = null;
    if (!type) {
      reason = 'unknown-type';
    } else if (!spanIds.has(relation.source)) {
      reason = 'missing-endpoint';
    } else if (type.target === 'span') {
      if (relationIds.has(relation.target)) reason = 'wrong-target';
      else if (!spanIds.has(relation.target)) reason = 'missing-endpoint';
    } else if (spanIds.has(relation.target)) {
      reason = 'wrong-target';
    } else if (!relationIds.has(relation.target)) {
      reason = 'missing-endpoint';
    }
    // A relation between labels the type does not list is still part of the structure (cycles).
    let labelReason: 'source-label' | 'target-label' | null = null;
    if (!reason && type?.sources?.length && !type.sources.includes(labelOf.get(relation.source) ?? '')) labelReason = 'source-label';
    if (!reason && !labelReason && type?.target === 'span' && type.targets?.length && !type.targets.includes(labelOf.get(relation.target) ?? '')) {
      labelReason = 'target-label';
    }
    if (labelReason) warnings.push({ kind: 'relation-not-allowed', relationId: relation.id, reason: labelReason });
    if (reason) {
      warnings.push({ kind: 'relation-not-allowed', relationId: relation.id, reason });
    } else if (type?.target === 'span') {
      const out = edges.get(relation.source);
      const edge = { to: relation.target, relationId: relation.id };
      if (out) out.push(edge);
      else edges.set(relation.source, [edge]);
    }
  }

  const nodes = [...spanIds].sort(compareIds);
  for (const out of edges.values()) out.sort((a, b) => compareIds(a.to, b.to) || compareIds(a.relationId, b.relationId));
  for (const component of stronglyConnected(nodes, edges)) {
    const members = new Set(component);
    const inside: string[] = [];
    for (const node of component) {
      for (const edge of edges.get(node) ?? []) if (members.has(edge.to)) inside.push(edge.relationId);
    }
    if (component.length > 1 || inside.length > 0) {
      warnings.push({ kind: 'cycle', spanIds: component.sort(compareIds), relationIds: inside.sort(compareIds) });
    }
  }

  for (const id of nodes) if (!connected.has(id)) warnings.push({ kind: 'unconnected-span', spanId: id });

  const conclusionLabel = options.conclusionLabel ?? 'conclusion';
  if (scheme.spanLabels.some((l) => l.key === conclusionLabel)) {
    const conclusions = spanList.filter((s) => s.label === conclusionLabel).map((s) => s.id);
    if (conclusions.length === 0) warnings.push({ kind: 'no-conclusion' });
    if (conclusions.length > 1) warnings.push({ kind: 'several-conclusions', spanIds: conclusions.sort(compareIds) });
  }

  const rank = (w: StructureWarning) => STRUCTURE_WARNING_KINDS.indexOf(w.kind);
  return warnings.sort((a, b) => rank(a) - rank(b) || compareIds(firstId(a), firstId(b)));
}

/**
 * Everything connected to a span, ignoring direction: a relation connects its source and target
 * spans, and an undercut connects its source span with the relation it targets (and so with that
 * relation's endpoints and with other undercuts of it). The span itself is always included. A
 * target counts as a relation when the scheme says the type targets relations or when it is the id
 * of one of `relations`; a relation-target whose relation is absent connects nothing.
 */
export function chainOf(spanId: string, relations: Iterable<Relation>, scheme: LabelScheme): { spanIds: Set<string>; relationIds: Set<string> } {
  const relationById = new Map<string, Relation>();
  for (const relation of relations) relationById.set(relation.id, relation);
  const targetsRelation = new Set(scheme.relationTypes.filter((t) => t.target === 'relation').map((t) => t.key));
  const isRelationTarget = (r: Relation) => relationById.has(r.target) || targetsRelation.has(r.type);

  // Relation ids by the span or relation they touch (as source, or as target).
  const touching = new Map<string, string[]>();
  const touch = (id: string, relationId: string) => {
    const list = touching.get(id);
    if (list) list.push(relationId);
    else touching.set(id, [relationId]);
  };
  for (const r of relationById.values()) {
    touch(`s:${r.source}`, r.id);
    if (!isRelationTarget(r)) touch(`s:${r.target}`, r.id);
    else if (relationById.has(r.target)) touch(`r:${r.target}`, r.id);
  }

  const spanIds = new Set<string>([spanId]);
  const relationIds = new Set<string>();
  const queue: string[] = [`s:${spanId}`];
  const visitRelation = (id: string) => {
    if (relationIds.has(id)) return;
    relationIds.add(id);
    queue.push(`r:${id}`);
  };
  const visitSpan = (id: string) => {
    if (spanIds.has(id)) return;
    spanIds.add(id);
    queue.push(`s:${id}`);
  };
  while (queue.length > 0) {
    const node = queue.pop() as string;
    for (const id of touching.get(node) ?? []) visitRelation(id);
    if (node.startsWith('r:')) {
      const relation = relationById.get(node.slice(2)) as Relation;
      visitSpan(relation.source);
      if (!isRelationTarget(relation)) visitSpan(relation.target);
      else if (relationById.has(relation.target)) visitRelation(relation.target);
    }
  }
  return { spanIds, relationIds };
}
