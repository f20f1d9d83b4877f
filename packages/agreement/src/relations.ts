import { CoincidenceUnits } from './coincidence.ts';
import type { BootstrapOptions, Estimate, PointValue } from './estimate.ts';
import { FleissUnits } from './fleiss.ts';
import { estimatePlan, type Plan, runAlone } from './plan.ts';
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
  const read = readParts([parts]);
  return { fleissKappa: pooledFleiss([parts], read).point.value, alpha: pooledAlpha(read).point.value };
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
  return runAlone(relationAlphaPlan(parts), opts);
}

/**
 * Fleiss' kappa over the relation items of many passages; bootstrap over passages. Every passage
 * with items must have the same number of annotators (Fleiss' requirement); a RangeError otherwise.
 */
export function pooledRelationFleissKappa(parts: RelationParts[], opts?: BootstrapOptions): Estimate {
  return runAlone(relationFleissPlan(parts), opts);
}

/** Pooled relation alpha for the resampler: one item per passage with items and two annotators. */
export function relationAlphaPlan(parts: RelationParts[]): Plan<Estimate> {
  const read = readParts(parts);
  const { units, point } = pooledAlpha(read);
  return estimatePlan(point, units.linear(), read.contributing, parts.length);
}

/** Pooled relation Fleiss' kappa for the resampler: one item per passage with items and two annotators. */
export function relationFleissPlan(parts: RelationParts[]): Plan<Estimate> {
  const read = readParts(parts);
  const { units, point } = pooledFleiss(parts, read);
  return estimatePlan(point, units.linear(), read.contributing, parts.length);
}

/**
 * The parts checked and reduced to numbers: labels in sorted order, and for each passage with
 * items and two annotators (`contributing`, by index) its cells (a, b, amount), both orders.
 */
type ReadParts = {
  labels: number;
  items: boolean;
  paired: boolean;
  contributing: Int32Array;
  annotators: Int32Array;
  itemCounts: Float64Array;
  cellStart: Int32Array;
  cellA: Int32Array;
  cellB: Int32Array;
  cellAmount: Float64Array;
};

function pooledAlpha(read: ReadParts): { units: CoincidenceUnits; point: PointValue } {
  const units = new CoincidenceUnits('nominal', new Float64Array(read.labels));
  const totals = new Float64Array(read.labels);
  const cells: [number, number, number][] = [];
  const margins: [number, number][] = [];
  read.contributing.forEach((_, p) => {
    const m = read.annotators[p]!;
    cells.length = 0;
    margins.length = 0;
    totals.fill(0);
    for (let c = read.cellStart[p]!; c < read.cellStart[p + 1]!; c++) {
      const a = read.cellA[c]!;
      const b = read.cellB[c]!;
      totals[a]! += read.cellAmount[c]!;
      if (a < b) cells.push([a, b, read.cellAmount[c]!]);
    }
    // Each of a's judgements pairs with the m - 1 other annotators' judgements of its item.
    totals.forEach((total, a) => {
      if (total !== 0) margins.push([a, total / (m - 1)]);
    });
    units.addUnit(cells, Math.max(m - 1, 1), margins);
  });
  return { units, point: pointOf(units.evaluate(), read) };
}

function pooledFleiss(parts: RelationParts[], read: ReadParts): { units: FleissUnits; point: PointValue } {
  let raters = -1;
  parts.forEach((part, i) => {
    if (part.items === 0 || part.annotators < 2) return;
    if (raters === -1) raters = part.annotators;
    else if (part.annotators !== raters) {
      throw new RangeError(`relation parts[${i}] has ${part.annotators} annotators, an earlier passage ${raters}; Fleiss' kappa needs the same number for every item`);
    }
  });
  const units = new FleissUnits(read.labels, raters === -1 ? 2 : raters);
  const totals = new Float64Array(read.labels);
  const list: [number, number][] = [];
  read.contributing.forEach((_, p) => {
    const m = read.annotators[p]!;
    const items = read.itemCounts[p]!;
    let agree = 0;
    totals.fill(0);
    for (let c = read.cellStart[p]!; c < read.cellStart[p + 1]!; c++) {
      const a = read.cellA[c]!;
      totals[a]! += read.cellAmount[c]!;
      if (a === read.cellB[c]) agree += read.cellAmount[c]!;
    }
    list.length = 0;
    totals.forEach((total, a) => {
      if (total !== 0) list.push([a, total / (m - 1)]);
    });
    units.add(agree, items * m * (m - 1), items * m, list);
  });
  return { units, point: pointOf(units.evaluate(), read) };
}

function pointOf(point: PointValue, checked: { items: boolean; paired: boolean }): PointValue {
  if (!Number.isNaN(point.value)) return { value: point.value };
  if (!checked.items) return { value: Number.NaN, reason: 'nothing-to-compare' };
  if (!checked.paired) return { value: Number.NaN, reason: 'too-few-coders' };
  return { value: Number.NaN, reason: point.reason ?? 'nothing-to-compare' };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** Checks every part (error messages name the part and cell) and reads it into numbers. */
function readParts(parts: RelationParts[]): ReadParts {
  requireArray(parts, 'relation parts');
  let items = false;
  let paired = false;
  const labelIds = new Map<string, number>();
  const contributing: number[] = [];
  const cellStart: number[] = [0];
  const cells = new Cells();
  // mirror[a * width + b]: the amount of cell (a, b) in the passage being read, NaN when absent.
  let width = 0;
  let mirror = new Float64Array(0);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === null || typeof part !== 'object') throw new TypeError(`relation parts[${i}] must be relationAgreementParts output, got ${describe(part)}`);
    if (!isCount(part.annotators)) requireCount(part.annotators, `relation parts[${i}].annotators`);
    if (!isCount(part.items)) requireCount(part.items, `relation parts[${i}].items`);
    const pairs = part.pairs;
    if (pairs === null || typeof pairs !== 'object') throw new TypeError(`relation parts[${i}].pairs must be an object`);
    const counted = part.items > 0 && part.annotators >= 2;
    if (part.items > 0) items = true;
    if (counted) paired = true;
    const first = cells.length;
    for (const a of Object.keys(pairs)) {
      const row = pairs[a]!;
      let ia = labelIds.get(a);
      if (ia === undefined) labelIds.set(a, (ia = labelIds.size));
      const columns = Object.keys(row);
      if (columns.length > 0 && part.annotators < 2) throw new RangeError(`relation parts[${i}] has pairs but fewer than two annotators`);
      for (const b of columns) {
        const amount = row[b];
        if (!isCount(amount)) requireCount(amount, `relation parts[${i}].pairs[${JSON.stringify(a)}][${JSON.stringify(b)}]`);
        let ib = labelIds.get(b);
        if (ib === undefined) labelIds.set(b, (ib = labelIds.size));
        cells.push(ia, ib, amount as number);
      }
    }
    // Symmetric: every (a, b, amount) has its (b, a, amount).
    if (labelIds.size > width) {
      width = Math.max(labelIds.size, 2 * width);
      mirror = width <= 1024 ? new Float64Array(width * width).fill(Number.NaN) : new Float64Array(0);
    }
    for (let c = first; c < cells.length; c++) {
      if (mirror.length > 0) mirror[cells.a[c]! * width + cells.b[c]!] = cells.amount[c]!;
    }
    const names = mirror.length > 0 || cells.length === first ? undefined : [...labelIds.keys()];
    for (let c = first; c < cells.length; c++) {
      const a = cells.a[c]!;
      const b = cells.b[c]!;
      const other = names === undefined ? mirror[b * width + a] : pairs[names[b]!]?.[names[a]!];
      if (other !== cells.amount[c]) {
        const name = (id: number): string => JSON.stringify([...labelIds.keys()][id]);
        throw new RangeError(`relation parts[${i}].pairs is not symmetric at ${name(a)}, ${name(b)}`);
      }
    }
    for (let c = first; c < cells.length; c++) {
      if (mirror.length > 0) mirror[cells.a[c]! * width + cells.b[c]!] = Number.NaN;
    }
    if (counted) {
      contributing.push(i);
      cellStart.push(cells.length);
    } else {
      // Their labels still count, as they always have (they only add empty marginals).
      cells.length = first;
    }
  }
  // Labels in sorted order, whatever order they came in.
  const sorted = [...labelIds.keys()].sort();
  const rank = new Int32Array(sorted.length);
  sorted.forEach((label, r) => (rank[labelIds.get(label)!] = r));
  return {
    labels: sorted.length,
    items,
    paired,
    contributing: Int32Array.from(contributing),
    annotators: Int32Array.from(contributing.map((i) => parts[i]!.annotators)),
    itemCounts: Float64Array.from(contributing.map((i) => parts[i]!.items)),
    cellStart: Int32Array.from(cellStart),
    cellA: cells.a.slice(0, cells.length).map((id) => rank[id]!),
    cellB: cells.b.slice(0, cells.length).map((id) => rank[id]!),
    cellAmount: cells.amount.slice(0, cells.length),
  };
}

/** Cells (a, b, amount) in growing typed arrays. */
class Cells {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  amount = new Float64Array(1024);
  length = 0;

  push(a: number, b: number, amount: number): void {
    if (this.length === this.a.length) {
      const grow = <T extends Int32Array | Float64Array>(array: T, make: (n: number) => T): T => {
        const bigger = make(array.length * 2);
        bigger.set(array);
        return bigger;
      };
      this.a = grow(this.a, (n) => new Int32Array(n));
      this.b = grow(this.b, (n) => new Int32Array(n));
      this.amount = grow(this.amount, (n) => new Float64Array(n));
    }
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.amount[this.length] = amount;
    this.length++;
  }
}
