/**
 * Chains: for each conclusion, the argumentative structure below it (docs/semantic-dataset.md,
 * "chains"). Derived data: recomputed from spans and relations on every export, never imported.
 */

export interface ChainOptions {
  /** Label of the spans that get a chain; 'conclusion' by default (DEFAULT_SCHEME). */
  conclusionLabel?: string;
  /**
   * Relation types that make up the structure; by default `supports`, `attacks` and `undercuts`
   * (DEFAULT_SCHEME). A relation of another type (a `same-as`, say) never enters a chain.
   */
  relationTypes?: readonly string[];
}

export interface SemanticChain {
  /** The conclusion's span id. */
  conclusion: string;
  /** The largest level of a span in the chain: 0 when nothing supports or attacks the conclusion. */
  depth: number;
  /** Span ids below the conclusion (the conclusion itself is not listed), in record order. */
  spans: string[];
  /** Relation ids of the chain, in record order. */
  relations: string[];
}

export const DEFAULT_CHAIN_RELATION_TYPES: readonly string[] = ['supports', 'attacks', 'undercuts'];

/**
 * One chain per span labelled `conclusionLabel`, in the order of `spans`.
 *
 * Walking down from the conclusion (level 0): a relation of a chain type whose target is a span of
 * the chain joins it at that span's level + 1, and brings its source span in at that level; a
 * relation whose target is a relation of the chain (an undercut) joins it at that relation's
 * level + 1, and brings its source span in at that level. A span's level is the smallest it is
 * reached at (breadth first), so cycles end. A target that is the id of a relation of the record is
 * a relation; any other target is a span. Relations whose source is not a span of the record
 * are ignored.
 */
export function deriveChains(
  spans: readonly { id: string; label: string }[],
  relations: readonly { id: string; type: string; source: string; target: string }[],
  options: ChainOptions = {},
): SemanticChain[] {
  const conclusionLabel = options.conclusionLabel ?? 'conclusion';
  const types = new Set(options.relationTypes ?? DEFAULT_CHAIN_RELATION_TYPES);
  const spanOrder = new Map(spans.map((s, i) => [s.id, i]));
  const relationOrder = new Map(relations.map((r, i) => [r.id, i]));

  // Relations by what they point at: `s:<span id>` or `r:<relation id>`.
  const into = new Map<string, { id: string; source: string }[]>();
  for (const r of relations) {
    if (!types.has(r.type) || !spanOrder.has(r.source)) continue;
    const key = relationOrder.has(r.target) ? `r:${r.target}` : `s:${r.target}`;
    const list = into.get(key);
    if (list) list.push(r);
    else into.set(key, [r]);
  }

  const chains: SemanticChain[] = [];
  for (const conclusion of spans) {
    if (conclusion.label !== conclusionLabel) continue;
    const spanLevel = new Map<string, number>([[conclusion.id, 0]]);
    const relationLevel = new Map<string, number>();
    let frontier: string[] = [`s:${conclusion.id}`];
    for (let level = 1; frontier.length > 0; level += 1) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const r of into.get(node) ?? []) {
          if (relationLevel.has(r.id)) continue;
          relationLevel.set(r.id, level);
          next.push(`r:${r.id}`);
          if (!spanLevel.has(r.source)) {
            spanLevel.set(r.source, level);
            next.push(`s:${r.source}`);
          }
        }
      }
      frontier = next;
    }
    spanLevel.delete(conclusion.id);
    const byOrder = (order: Map<string, number>) => (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
    chains.push({
      conclusion: conclusion.id,
      depth: Math.max(0, ...spanLevel.values()),
      spans: [...spanLevel.keys()].sort(byOrder(spanOrder)),
      relations: [...relationLevel.keys()].sort(byOrder(relationOrder)),
    });
  }
  return chains;
}
