import { unitWeights, withInterval } from './bootstrap.ts';
import { CoincidenceUnits } from './coincidence.ts';
import type { BootstrapOptions, Estimate, PointValue } from './estimate.ts';
import { FleissUnits } from './fleiss.ts';
import { describe, requireArray, requireCount, requireString } from './validate.ts';

/** The item label of an ordered pair of components that an annotator did not relate. */
export const NO_RELATION = 'none';

export type RelationInput = {
  /** Ids of the components (spans) every annotator marked: the relations' possible ends. */
  components: string[];
  annotators: { id: string; relations: [source: string, target: string, type: string][] }[];
};

/**
 * One passage's relation items reduced to what pooling needs. `pairs[a][b]` counts ordered pairs
 * of judgements by two different annotators on the same item, one saying a and the other b
 * (`none` included): Krippendorff's coincidences times (annotators - 1). Integers, symmetric.
 */
export type RelationParts = {
  annotators: number;
  /** Ordered pairs of distinct components. */
  items: number;
  pairs: Record<string, Record<string, number>>;
};

/**
 * Agreement on relations by the procedure of the Argument Annotated Essays corpus (Stab &
 * Gurevych): every ordered pair of distinct components is an item, labelled with its relation
 * type or `none`; Fleiss' kappa and nominal Krippendorff's alpha over those items.
 */
export function relationAgreement(input: RelationInput): { fleissKappa: number; alpha: number } {
  const parts = relationAgreementParts(input);
  return { fleissKappa: pooledFleiss([parts]).point.value, alpha: pooledAlpha([parts]).point.value };
}

export function relationAgreementParts(input: RelationInput): RelationParts {
  if (input === null || typeof input !== 'object') throw new TypeError(`relation input must be an object, got ${describe(input)}`);
  const componentIndex = new Map<string, number>();
  requireArray(input.components, 'relation input: components').forEach((id, i) => {
    requireString(id, `relation input: components[${i}]`);
    if (componentIndex.has(id)) throw new RangeError(`relation input: components[${i}] repeats the component ${describe(id)}`);
    componentIndex.set(id, i);
  });
  const c = componentIndex.size;
  const items = c * (c - 1);
  const annotators = requireArray(input.annotators, 'relation input: annotators');
  const m = annotators.length;

  // Only items somebody related are visited; all the others are unanimous `none`.
  const touched = new Map<number, Map<string, number>>();
  const ids = new Set<string>();
  input.annotators.forEach((annotator, a) => {
    const where = `relation input: annotators[${a}]`;
    if (annotator === null || typeof annotator !== 'object') throw new TypeError(`${where} must be an object, got ${describe(annotator)}`);
    const id = requireString(annotator.id, `${where}.id`);
    if (ids.has(id)) throw new RangeError(`${where} repeats the annotator ${describe(id)}`);
    ids.add(id);
    const own = new Map<number, string>();
    requireArray(annotator.relations, `${where}.relations`).forEach((relation, r) => {
      const at = `${where}.relations[${r}]`;
      if (!Array.isArray(relation) || relation.length !== 3) throw new TypeError(`${at} must be [source, target, type], got ${describe(relation)}`);
      const [source, target, type] = relation;
      const s = componentIndex.get(requireString(source, `${at}[0]`));
      const t = componentIndex.get(requireString(target, `${at}[1]`));
      requireString(type, `${at}[2]`);
      if (s === undefined) throw new RangeError(`${at}: source ${describe(source)} is not one of the components`);
      if (t === undefined) throw new RangeError(`${at}: target ${describe(target)} is not one of the components`);
      if (s === t) throw new RangeError(`${at}: relates ${describe(source)} to itself; items are pairs of distinct components`);
      if (type === NO_RELATION) throw new RangeError(`${at}: the type ${describe(NO_RELATION)} is reserved for unrelated pairs`);
      const item = s * c + t;
      const previous = own.get(item);
      if (previous === type) return;
      if (previous !== undefined) {
        throw new RangeError(`${at}: annotator ${describe(id)} relates ${describe(source)} to ${describe(target)} twice, as ${describe(previous)} and ${describe(type)}`);
      }
      own.set(item, type);
      let counts = touched.get(item);
      if (counts === undefined) touched.set(item, (counts = new Map()));
      counts.set(type, (counts.get(type) ?? 0) + 1);
    });
  });

  const pairs: Record<string, Record<string, number>> = {};
  const add = (a: string, b: string, amount: number): void => {
    if (amount === 0) return;
    const row = (pairs[a] ??= {});
    row[b] = (row[b] ?? 0) + amount;
  };
  if (m >= 2 && items > 0) {
    add(NO_RELATION, NO_RELATION, (items - touched.size) * m * (m - 1));
    for (const counts of touched.values()) {
      let related = 0;
      for (const n of counts.values()) related += n;
      const labels: [string, number][] = [...counts, [NO_RELATION, m - related]];
      for (const [a, na] of labels) {
        for (const [b, nb] of labels) add(a, b, a === b ? na * (na - 1) : na * nb);
      }
    }
  }
  return { annotators: m, items, pairs };
}

/** Nominal alpha over the relation items of many passages, coincidences pooled; bootstrap over passages. */
export function pooledRelationAlpha(parts: RelationParts[], opts?: BootstrapOptions): Estimate {
  const { units, point } = pooledAlpha(parts);
  return withInterval(point, units.unitCount, (weights) => units.evaluate(weights).value, opts);
}

/**
 * Fleiss' kappa over the relation items of many passages; bootstrap over passages. Every passage
 * with items must have the same number of annotators (Fleiss' requirement); a RangeError otherwise.
 */
export function pooledRelationFleissKappa(parts: RelationParts[], opts?: BootstrapOptions): Estimate {
  const { units, point } = pooledFleiss(parts);
  return withInterval(point, units.unitCount, (weights) => units.evaluate(weights).value, opts);
}

function pooledAlpha(parts: RelationParts[]): { units: CoincidenceUnits; point: PointValue } {
  const checked = checkParts(parts);
  const index = labelIndex(parts);
  const units = new CoincidenceUnits('nominal', new Float64Array(index.size));
  for (const part of contributing(parts)) {
    const cells: [number, number, number][] = [];
    const margins: [number, number][] = [];
    for (const [a, row] of Object.entries(part.pairs)) {
      let total = 0;
      for (const [b, amount] of Object.entries(row)) {
        total += amount;
        const ia = index.get(a)!;
        const ib = index.get(b)!;
        if (ia < ib) cells.push([ia, ib, amount]);
      }
      // Each of a's judgements pairs with the m - 1 other annotators' judgements of its item.
      margins.push([index.get(a)!, total / (part.annotators - 1)]);
    }
    units.addUnit(cells, Math.max(part.annotators - 1, 1), margins);
  }
  return { units, point: pointOf(units.evaluate(unitWeights(units.unitCount)), checked) };
}

function pooledFleiss(parts: RelationParts[]): { units: FleissUnits; point: PointValue } {
  const checked = checkParts(parts);
  let raters = -1;
  parts.forEach((part, i) => {
    if (part.items === 0 || part.annotators < 2) return;
    if (raters === -1) raters = part.annotators;
    else if (part.annotators !== raters) {
      throw new RangeError(`relation parts[${i}] has ${part.annotators} annotators, an earlier passage ${raters}; Fleiss' kappa needs the same number for every item`);
    }
  });
  const index = labelIndex(parts);
  const units = new FleissUnits(index.size, raters === -1 ? 2 : raters);
  for (const part of contributing(parts)) {
    const m = part.annotators;
    let agree = 0;
    const totals: [number, number][] = [];
    for (const [a, row] of Object.entries(part.pairs)) {
      let total = 0;
      for (const [b, amount] of Object.entries(row)) {
        total += amount;
        if (a === b) agree += amount;
      }
      totals.push([index.get(a)!, total / (m - 1)]);
    }
    units.add(agree, part.items * m * (m - 1), part.items * m, totals);
  }
  return { units, point: pointOf(units.evaluate(unitWeights(units.unitCount)), checked) };
}

/** Passages with at least one item judged by two annotators; only these are resampled. */
function contributing(parts: RelationParts[]): RelationParts[] {
  return parts.filter((part) => part.items > 0 && part.annotators >= 2);
}

function pointOf(point: PointValue, checked: { items: boolean; paired: boolean }): PointValue {
  if (!Number.isNaN(point.value)) return { value: point.value };
  if (!checked.items) return { value: Number.NaN, reason: 'nothing-to-compare' };
  if (!checked.paired) return { value: Number.NaN, reason: 'too-few-coders' };
  return { value: Number.NaN, reason: point.reason ?? 'nothing-to-compare' };
}

function labelIndex(parts: RelationParts[]): Map<string, number> {
  const labels = new Set<string>();
  for (const part of parts) for (const label of Object.keys(part.pairs)) labels.add(label);
  return new Map([...labels].sort().map((label, i) => [label, i]));
}

function checkParts(parts: RelationParts[]): { items: boolean; paired: boolean } {
  requireArray(parts, 'relation parts');
  let items = false;
  let paired = false;
  parts.forEach((part, i) => {
    const where = `relation parts[${i}]`;
    if (part === null || typeof part !== 'object') throw new TypeError(`${where} must be relationAgreementParts output, got ${describe(part)}`);
    requireCount(part.annotators, `${where}.annotators`);
    requireCount(part.items, `${where}.items`);
    if (part.pairs === null || typeof part.pairs !== 'object') throw new TypeError(`${where}.pairs must be an object`);
    if (part.items > 0) items = true;
    if (part.items > 0 && part.annotators >= 2) paired = true;
    for (const [a, row] of Object.entries(part.pairs)) {
      for (const [b, amount] of Object.entries(row)) {
        requireCount(amount, `${where}.pairs[${JSON.stringify(a)}][${JSON.stringify(b)}]`);
        if (part.pairs[b]?.[a] !== amount) throw new RangeError(`${where}.pairs is not symmetric at ${JSON.stringify(a)}, ${JSON.stringify(b)}`);
      }
      if (Object.keys(row).length > 0 && part.annotators < 2) throw new RangeError(`${where} has pairs but fewer than two annotators`);
    }
  });
  return { items, paired };
}
