import { CoincidenceUnits } from './coincidence.ts';
import type { BootstrapOptions, Estimate, PointValue } from './estimate.ts';
import { FleissUnits } from './fleiss.ts';
import { estimatePlan, type Plan, runAlone } from './plan.ts';
import { NameIndex } from './names.ts';
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
  return { fleissKappa: pooledFleiss(read).point.value, alpha: pooledAlpha(read).point.value };
}

export type RelationPairInput = {
  /**
   * Each annotator with the components it marked (ids that name the same span for every
   * annotator, e.g. its offsets) and its relations, whose ends must be among its own components.
   */
  annotators: { id: string; components: string[]; relations: [source: string, target: string, type: string][] }[];
};

/** relationPairParts: the parts among all annotators and among each pair of them. */
export type RelationPairParts = {
  all: RelationParts;
  /** Every pair a < b in the order of `annotators`. */
  pairs: { a: string; b: string; parts: RelationParts }[];
};

/** One passage's relation items among its annotators, for the pooled relation statistics. */
export function relationAgreementParts(input: RelationInput): RelationParts {
  return fastRelationParts(input) ?? checkedRelationParts(input);
}

/**
 * The relation parts among all annotators and among every pair, from one reading: a group's items
 * are the ordered pairs of distinct components that everyone in the group marked, and a relation
 * with an end someone in the group did not mark is no item of that group. So `all` equals
 * relationAgreementParts with the components every annotator marked and the relations between
 * them, and each pair's parts the same for just those two. Checks: ids unique, components not
 * repeated within an annotator, relations between two distinct components of the annotator's own,
 * `none` reserved, one type per ordered pair.
 */
export function relationPairParts(input: RelationPairInput): RelationPairParts {
  return fastPairParts(input) ?? explainPairInput(input);
}

// Scratch space reused from call to call: each relation read into numbers.
let relationItem = new Float64Array(64);
let relationAnnotator = new Int32Array(64);
let relationType = new Int32Array(64);
let relationPosition = new Int32Array(64);
let typeCount = new Int32Array(16);
let typeSeen = new Int32Array(16);
let cells = new Float64Array(256);
let markedScratch = new Int32Array(64);

function fitRelations(n: number): void {
  if (relationItem.length >= n) return;
  // Grown while relations are read: keep those read so far.
  const size = Math.max(n, 2 * relationItem.length);
  const grow = <T extends Int32Array | Float64Array>(old: T, bigger: T): T => {
    bigger.set(old);
    return bigger;
  };
  relationItem = grow(relationItem, new Float64Array(size));
  relationAnnotator = grow(relationAnnotator, new Int32Array(size));
  relationType = grow(relationType, new Int32Array(size));
  relationPosition = grow(relationPosition, new Int32Array(size));
}

/** Reads one annotator's relations; false when one of them fails a check (the slow path explains). */
function readRelations(
  relations: unknown,
  a: number,
  components: NameIndex,
  marked: Int32Array | undefined,
  width: number,
  types: NameIndex,
  at: number,
): number {
  if (!Array.isArray(relations)) return -1;
  fitRelations(at + relations.length);
  for (let r = 0; r < relations.length; r++) {
    const relation: unknown = relations[r];
    if (!Array.isArray(relation) || relation.length !== 3) return -1;
    const source: unknown = relation[0];
    const target: unknown = relation[1];
    const type: unknown = relation[2];
    if (typeof source !== 'string' || typeof target !== 'string' || typeof type !== 'string' || type === NO_RELATION) return -1;
    const s = components.get(source);
    const t = components.get(target);
    if (s === -1 || t === -1 || s === t) return -1;
    if (marked !== undefined && ((marked[s]! >>> a) & (marked[t]! >>> a) & 1) === 0) return -1;
    let k = types.get(type);
    if (k === -1) k = types.add(type);
    relationItem[at] = s * width + t;
    relationAnnotator[at] = a;
    relationType[at] = k;
    relationPosition[at] = at;
    at++;
  }
  return at;
}

/**
 * Sorts the n relations by item, then annotator, then input order; false when an annotator gives
 * one item two types. Repeats with the same type are marked by relationPosition -1.
 */
function sortRelations(n: number): boolean {
  if (n <= 64) {
    for (let i = 1; i < n; i++) {
      const item = relationItem[i]!;
      const annotator = relationAnnotator[i]!;
      const type = relationType[i]!;
      const position = relationPosition[i]!;
      let j = i - 1;
      while (j >= 0 && (relationItem[j]! > item || (relationItem[j]! === item && relationAnnotator[j]! > annotator))) {
        relationItem[j + 1] = relationItem[j]!;
        relationAnnotator[j + 1] = relationAnnotator[j]!;
        relationType[j + 1] = relationType[j]!;
        relationPosition[j + 1] = relationPosition[j]!;
        j--;
      }
      relationItem[j + 1] = item;
      relationAnnotator[j + 1] = annotator;
      relationType[j + 1] = type;
      relationPosition[j + 1] = position;
    }
  } else {
    const ids = Array.from({ length: n }, (_, i) => i);
    ids.sort((x, y) => relationItem[x]! - relationItem[y]! || relationAnnotator[x]! - relationAnnotator[y]! || x - y);
    const items = ids.map((i) => relationItem[i]!);
    const annotators = ids.map((i) => relationAnnotator[i]!);
    const types = ids.map((i) => relationType[i]!);
    relationItem.set(items);
    relationAnnotator.set(annotators);
    relationType.set(types);
  }
  for (let i = 0; i < n; i++) relationPosition[i] = i;
  for (let i = 1; i < n; i++) {
    if (relationItem[i] !== relationItem[i - 1] || relationAnnotator[i] !== relationAnnotator[i - 1]) continue;
    if (relationType[i] !== relationType[i - 1]) return false;
    relationPosition[i] = -1;
  }
  return true;
}

/**
 * The parts of one group of m annotators over n sorted relations: the annotators whose bit is set
 * in `mask` (everyone when `marked` is undefined), their items `items` ordered pairs of components,
 * an item counted when everyone in it marked both its ends (`marked[component]`, one bit per annotator).
 */
function groupParts(n: number, m: number, items: number, mask: number, marked: Int32Array | undefined, width: number, types: string[]): RelationParts {
  const pairs: Record<string, Record<string, number>> = {};
  if (m < 2 || items === 0) return { annotators: m, items, pairs };
  const t = types.length + 1; // label 0 is none
  groupCells(n, m, items, mask, marked, width, t);
  for (let a = 0; a < t; a++) {
    let row: Record<string, number> | undefined;
    for (let b = 0; b < t; b++) {
      const amount = cells[a * t + b]!;
      if (amount === 0) continue;
      row ??= pairs[a === 0 ? NO_RELATION : types[a - 1]!] = {};
      row[b === 0 ? NO_RELATION : types[b - 1]!] = amount;
    }
  }
  return { annotators: m, items, pairs };
}

/** groupParts' pairs as a (t x t) table in `cells` (label 0 is none, t - 1 types); m >= 2, items > 0. */
function groupCells(n: number, m: number, items: number, mask: number, marked: Int32Array | undefined, width: number, t: number): void {
  if (cells.length < t * t) cells = new Float64Array(2 * t * t);
  cells.fill(0, 0, t * t);
  if (typeCount.length < t) {
    typeCount = new Int32Array(2 * t);
    typeSeen = new Int32Array(2 * t);
  }
  let touched = 0;
  for (let i = 0; i < n; ) {
    const item = relationItem[i]!;
    let j = i;
    while (j < n && relationItem[j] === item) j++;
    if (marked === undefined || (marked[item % width]! & marked[Math.floor(item / width)]! & mask) === mask) {
      let seen = 0;
      for (let r = i; r < j; r++) {
        if (relationPosition[r] === -1 || (marked !== undefined && ((mask >>> relationAnnotator[r]!) & 1) === 0)) continue;
        const k = relationType[r]! + 1;
        if (typeCount[k] === 0) typeSeen[seen++] = k;
        typeCount[k]!++;
      }
      if (seen > 0) {
        touched++;
        let related = 0;
        for (let x = 0; x < seen; x++) related += typeCount[typeSeen[x]!]!;
        typeSeen[seen] = 0;
        typeCount[0] = m - related;
        for (let x = 0; x <= seen; x++) {
          const a = typeSeen[x]!;
          const na = typeCount[a]!;
          for (let y = 0; y <= seen; y++) {
            const b = typeSeen[y]!;
            cells[a * t + b]! += a === b ? na * (na - 1) : na * typeCount[b]!;
          }
        }
        for (let x = 0; x <= seen; x++) typeCount[typeSeen[x]!] = 0;
      }
    }
    i = j;
  }
  cells[0]! += (items - touched) * m * (m - 1);
}

/** relationAgreementParts on input that passes every check; undefined when one fails. */
function fastRelationParts(input: RelationInput): RelationParts | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const list: unknown = input.components;
  const annotators: unknown = input.annotators;
  if (!Array.isArray(list) || !Array.isArray(annotators)) return undefined;
  const components = new NameIndex();
  for (const id of list) {
    if (typeof id !== 'string' || components.get(id) !== -1) return undefined;
    components.add(id);
  }
  const c = list.length;
  const ids = new NameIndex();
  const types = new NameIndex();
  let n = 0;
  for (let a = 0; a < annotators.length; a++) {
    const annotator: unknown = annotators[a];
    if (annotator === null || typeof annotator !== 'object') return undefined;
    const { id, relations } = annotator as { id: unknown; relations: unknown };
    if (typeof id !== 'string' || ids.get(id) !== -1) return undefined;
    ids.add(id);
    n = readRelations(relations, a, components, undefined, c, types, n);
    if (n === -1) return undefined;
  }
  if (!sortRelations(n)) return undefined;
  return groupParts(n, annotators.length, c * (c - 1), -1, undefined, c, types.names);
}

/** relationPairParts on input that passes every check; undefined when one fails. */
function fastPairParts(input: RelationPairInput): RelationPairParts | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const annotators: unknown = input.annotators;
  if (!Array.isArray(annotators) || annotators.length > 30) return undefined;
  const m = annotators.length;
  const ids = new NameIndex();
  const components = new NameIndex();
  // marked[component]: bit a set when annotator a marked it.
  let marked = markedScratch;
  marked.fill(0);
  for (let a = 0; a < m; a++) {
    const annotator: unknown = annotators[a];
    if (annotator === null || typeof annotator !== 'object') return undefined;
    const { id, components: own } = annotator as { id: unknown; components: unknown };
    if (typeof id !== 'string' || ids.get(id) !== -1 || !Array.isArray(own)) return undefined;
    ids.add(id);
    for (const component of own) {
      if (typeof component !== 'string') return undefined;
      let k = components.get(component);
      if (k === -1) {
        k = components.add(component);
        if (k >= marked.length) {
          const bigger = new Int32Array(2 * marked.length);
          bigger.set(marked);
          marked = markedScratch = bigger;
        }
      }
      if ((marked[k]! & (1 << a)) !== 0) return undefined;
      marked[k]! |= 1 << a;
    }
  }
  const width = components.names.length;
  const types = new NameIndex();
  let n = 0;
  for (let a = 0; a < m; a++) {
    n = readRelations((annotators[a] as { relations: unknown }).relations, a, components, marked, width, types, n);
    if (n === -1) return undefined;
  }
  if (!sortRelations(n)) return undefined;
  return pairPartsOf(n, ids.names, marked, width, types.names);
}

/**
 * relationPairParts for relations already read into numbers (report/passage-arrays reads a
 * passage's sets straight into arrays), written into numbers, no objects. Components are
 * 0 .. width - 1; `marked[k]` has bit a set when annotator a (an index into `annotators`, at most
 * 30, names distinct) marked component k. Relation r: annotator `annotator[r]` relates component
 * `source[r]` to `target[r]` (two distinct components that annotator marked) with type `type[r]`
 * (an index into `types`, none of them `none`); an annotator relates an ordered pair of components
 * at most once. With t = types.length + 1 labels (0 is none, then
 * the types), group g (0: all annotators; 1 + p: pair p, a < b in annotator order) gets its items
 * at into[g * (1 + t * t)] and then its (t x t) pairs table, zeros for the cells
 * RelationParts.pairs leaves out.
 */
export function relationPairCellsOf(
  relations: { count: number; annotator: Int32Array; source: Int32Array; target: Int32Array; type: Int32Array },
  annotators: string[],
  marked: Int32Array,
  width: number,
  types: string[],
  into: Float64Array,
): void {
  const { count, annotator, source, target, type } = relations;
  fitRelations(count);
  for (let r = 0; r < count; r++) {
    relationItem[r] = source[r]! * width + target[r]!;
    relationAnnotator[r] = annotator[r]!;
    relationType[r] = type[r]!;
    relationPosition[r] = r;
  }
  sortRelations(count);
  const m = annotators.length;
  const t = types.length + 1;
  const stride = 1 + t * t;
  const group = (g: number, members: number, mask: number): void => {
    let c = 0;
    for (let k = 0; k < width; k++) if ((marked[k]! & mask) === mask) c++;
    const items = c * (c - 1);
    into[g * stride] = items;
    if (members < 2 || items === 0) {
      into.fill(0, g * stride + 1, (g + 1) * stride);
      return;
    }
    groupCells(count, members, items, mask, marked, width, t);
    for (let x = 0; x < t * t; x++) into[g * stride + 1 + x] = cells[x]!;
  };
  group(0, m, (1 << m) - 1);
  let g = 1;
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) group(g++, 2, (1 << a) | (1 << b));
  }
}

/** The parts among all annotators and each pair, from the n sorted relations. */
function pairPartsOf(n: number, annotators: string[], marked: Int32Array, width: number, types: string[]): RelationPairParts {
  const m = annotators.length;
  const all = groupOf(n, m, (1 << m) - 1, marked, width, types);
  const pairs: RelationPairParts['pairs'] = [];
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) pairs.push({ a: annotators[a]!, b: annotators[b]!, parts: groupOf(n, 2, (1 << a) | (1 << b), marked, width, types) });
  }
  return { all, pairs };
}

function groupOf(n: number, m: number, mask: number, marked: Int32Array, width: number, types: string[]): RelationParts {
  let c = 0;
  for (let k = 0; k < width; k++) if ((marked[k]! & mask) === mask) c++;
  return groupParts(n, m, c * (c - 1), mask, marked, width, types);
}

/** The checks of relationPairParts with their messages, for input the fast path turned down. */
function explainPairInput(input: RelationPairInput): never {
  if (input === null || typeof input !== 'object') throw new TypeError(`relation pair input must be an object, got ${describe(input)}`);
  const annotators = requireArray(input.annotators, 'relation pair input: annotators');
  if (annotators.length > 30) throw new RangeError(`relation pair input: ${annotators.length} annotators; at most 30`);
  const ids = new Set<string>();
  annotators.forEach((annotator, a) => {
    const where = `relation pair input: annotators[${a}]`;
    if (annotator === null || typeof annotator !== 'object') throw new TypeError(`${where} must be an object, got ${describe(annotator)}`);
    const id = requireString(annotator.id, `${where}.id`);
    if (ids.has(id)) throw new RangeError(`${where} repeats the annotator ${describe(id)}`);
    ids.add(id);
    const own = new Set<string>();
    requireArray(annotator.components, `${where}.components`).forEach((component, i) => {
      requireString(component, `${where}.components[${i}]`);
      if (own.has(component)) throw new RangeError(`${where}.components[${i}] repeats the component ${describe(component)}`);
      own.add(component);
    });
    const given = new Map<string, string>();
    requireArray(annotator.relations, `${where}.relations`).forEach((relation, r) => {
      const at = `${where}.relations[${r}]`;
      if (!Array.isArray(relation) || relation.length !== 3) throw new TypeError(`${at} must be [source, target, type], got ${describe(relation)}`);
      const [source, target, type] = relation;
      requireString(source, `${at}[0]`);
      requireString(target, `${at}[1]`);
      requireString(type, `${at}[2]`);
      if (!own.has(source)) throw new RangeError(`${at}: source ${describe(source)} is not one of the annotator's components`);
      if (!own.has(target)) throw new RangeError(`${at}: target ${describe(target)} is not one of the annotator's components`);
      if (source === target) throw new RangeError(`${at}: relates ${describe(source)} to itself; items are pairs of distinct components`);
      if (type === NO_RELATION) throw new RangeError(`${at}: the type ${describe(NO_RELATION)} is reserved for unrelated pairs`);
      const key = JSON.stringify([source, target]);
      const previous = given.get(key);
      if (previous !== undefined && previous !== type) {
        throw new RangeError(`${at}: annotator ${describe(id)} relates ${describe(source)} to ${describe(target)} twice, as ${describe(previous)} and ${describe(type)}`);
      }
      given.set(key, type);
    });
  });
  throw new Error('relation pair input: rejected without a reason (a bug in @warrant/agreement)');
}

/**
 * relationAgreementParts with every check spelled out: the path for input the fast path turned
 * down, so a bad input gets the message naming what is wrong (and a good one the same parts).
 */
function checkedRelationParts(input: RelationInput): RelationParts {
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

/** relationAlphaPlan from parts already read into cells (the report builds them from its arrays). */
export function relationAlphaCellsPlan(read: RelationCells, sources: number): Plan<Estimate> {
  const { units, point } = pooledAlpha(read);
  return estimatePlan(point, units.linear(), read.contributing, sources);
}

/** relationFleissPlan from parts already read into cells. */
export function relationFleissCellsPlan(read: RelationCells, sources: number): Plan<Estimate> {
  const { units, point } = pooledFleiss(read);
  return estimatePlan(point, units.linear(), read.contributing, sources);
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
  const { units, point } = pooledFleiss(read);
  return estimatePlan(point, units.linear(), read.contributing, parts.length);
}

/**
 * The parts checked and reduced to numbers: labels in sorted order, and for each passage with
 * items and two annotators (`contributing`, by index) its cells (a, b, amount), both orders.
 */
export type RelationCells = {
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

function pooledAlpha(read: RelationCells): { units: CoincidenceUnits; point: PointValue } {
  const k = read.labels;
  const units = new CoincidenceUnits('nominal', new Float64Array(k));
  const totals = new Float64Array(k);
  let most = 0;
  for (let p = 0; p < read.contributing.length; p++) most = Math.max(most, read.cellStart[p + 1]! - read.cellStart[p]!);
  const cellA = new Int32Array(most);
  const cellB = new Int32Array(most);
  const cellAmount = new Float64Array(most);
  const marginValue = new Int32Array(k);
  const marginAmount = new Float64Array(k);
  for (let p = 0; p < read.contributing.length; p++) {
    const m = read.annotators[p]!;
    let cells = 0;
    totals.fill(0);
    for (let c = read.cellStart[p]!; c < read.cellStart[p + 1]!; c++) {
      const a = read.cellA[c]!;
      const b = read.cellB[c]!;
      totals[a]! += read.cellAmount[c]!;
      if (a < b) {
        cellA[cells] = a;
        cellB[cells] = b;
        cellAmount[cells] = read.cellAmount[c]!;
        cells++;
      }
    }
    // Each of a's judgements pairs with the m - 1 other annotators' judgements of its item.
    let margins = 0;
    for (let a = 0; a < k; a++) {
      const total = totals[a]!;
      if (total === 0) continue;
      marginValue[margins] = a;
      marginAmount[margins] = total / (m - 1);
      margins++;
    }
    units.addArrays(cells, cellA, cellB, cellAmount, Math.max(m - 1, 1), margins, marginValue, marginAmount);
  }
  return { units, point: pointOf(units.evaluate(), read) };
}

function pooledFleiss(read: RelationCells): { units: FleissUnits; point: PointValue } {
  // The passages with items and two annotators are exactly the contributing ones.
  let raters = -1;
  for (let p = 0; p < read.contributing.length; p++) {
    const annotators = read.annotators[p]!;
    if (raters === -1) raters = annotators;
    else if (annotators !== raters) {
      throw new RangeError(`relation parts[${read.contributing[p]}] has ${annotators} annotators, an earlier passage ${raters}; Fleiss' kappa needs the same number for every item`);
    }
  }
  const k = read.labels;
  const units = new FleissUnits(k, raters === -1 ? 2 : raters);
  const totals = new Float64Array(k);
  const categories = new Int32Array(k);
  const counts = new Float64Array(k);
  for (let p = 0; p < read.contributing.length; p++) {
    const m = read.annotators[p]!;
    const items = read.itemCounts[p]!;
    let agree = 0;
    totals.fill(0);
    for (let c = read.cellStart[p]!; c < read.cellStart[p + 1]!; c++) {
      const a = read.cellA[c]!;
      totals[a]! += read.cellAmount[c]!;
      if (a === read.cellB[c]) agree += read.cellAmount[c]!;
    }
    let listed = 0;
    for (let a = 0; a < k; a++) {
      const total = totals[a]!;
      if (total === 0) continue;
      categories[listed] = a;
      counts[listed] = total / (m - 1);
      listed++;
    }
    units.addArrays(agree, items * m * (m - 1), items * m, listed, categories, counts);
  }
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
function readParts(parts: RelationParts[]): RelationCells {
  requireArray(parts, 'relation parts');
  let items = false;
  let paired = false;
  const labelIds = new NameIndex();
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
      if (ia === -1) ia = labelIds.add(a);
      const columns = Object.keys(row);
      if (columns.length > 0 && part.annotators < 2) throw new RangeError(`relation parts[${i}] has pairs but fewer than two annotators`);
      for (const b of columns) {
        const amount = row[b];
        if (!isCount(amount)) requireCount(amount, `relation parts[${i}].pairs[${JSON.stringify(a)}][${JSON.stringify(b)}]`);
        let ib = labelIds.get(b);
        if (ib === -1) ib = labelIds.add(b);
        cells.push(ia, ib, amount as number);
      }
    }
    // Symmetric: every (a, b, amount) has its (b, a, amount).
    if (labelIds.names.length > width) {
      width = Math.max(labelIds.names.length, 2 * width);
      mirror = width <= 1024 ? new Float64Array(width * width).fill(Number.NaN) : new Float64Array(0);
    }
    for (let c = first; c < cells.length; c++) {
      if (mirror.length > 0) mirror[cells.a[c]! * width + cells.b[c]!] = cells.amount[c]!;
    }
    const names = mirror.length > 0 || cells.length === first ? undefined : labelIds.names;
    for (let c = first; c < cells.length; c++) {
      const a = cells.a[c]!;
      const b = cells.b[c]!;
      const other = names === undefined ? mirror[b * width + a] : pairs[names[b]!]?.[names[a]!];
      if (other !== cells.amount[c]) {
        const name = (id: number): string => JSON.stringify(labelIds.names[id]);
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
  const sorted = [...labelIds.names].sort();
  const rank = new Int32Array(sorted.length);
  sorted.forEach((label, r) => (rank[labelIds.get(label)] = r));
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
