import type { Relation } from '@warrant/domain';

export interface RelationOrderProblem {
  index: number;
  /** `id` when the problem is the relation's id. */
  field?: 'id';
  message: string;
}

/**
 * Relations in an order where a relation comes after the relation it targets (undercuts), so they
 * can be added one by one through the domain's applyOp. A repeated id or a cycle of relations
 * targeting each other is a problem; those relations are left out of the order.
 */
export function relationOrder<T extends Relation>(relations: readonly T[]): { ordered: { relation: T; index: number }[]; problems: RelationOrderProblem[] } {
  const problems: RelationOrderProblem[] = [];
  const byId = new Map<string, { relation: T; index: number }>();
  relations.forEach((relation, index) => {
    // A second relation with the same id would never be checked, and would still be stored.
    if (byId.has(relation.id)) problems.push({ index, field: 'id', message: `id '${relation.id}' is used twice` });
    else byId.set(relation.id, { relation, index });
  });
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: { relation: T; index: number }[] = [];
  const visit = (entry: { relation: T; index: number }): boolean => {
    if (done.has(entry.relation.id)) return true;
    if (visiting.has(entry.relation.id)) return false;
    visiting.add(entry.relation.id);
    const target = byId.get(entry.relation.target);
    const acyclic = target ? visit(target) : true;
    visiting.delete(entry.relation.id);
    if (!acyclic) {
      if (!problems.some((p) => p.index === entry.index)) problems.push({ index: entry.index, message: 'relations target each other in a cycle' });
      return false;
    }
    done.add(entry.relation.id);
    ordered.push(entry);
    return true;
  };
  for (const entry of byId.values()) visit(entry);
  return { ordered, problems };
}
