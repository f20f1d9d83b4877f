import { NO_RELATION } from '../relations.ts';
import { NameIndex } from '../names.ts';
import type { LoadedPassage, LoadedSet } from './passage-data.ts';

/**
 * One passage's sets read into numbers, for passagePart: what prepare() and the measures' own
 * readers derive from strings and objects (labels, `start:end` component names, span ids), done
 * once per passage with label, component and type indices. A report reads tens of thousands of
 * sets: allocation and string keys were most of its per-passage time.
 *
 * Spans of set s are [setFirst[s], setFirst[s + 1]) in the set's own order; units, components
 * and relations are numbered exactly as unitsForUnitizing, relationInput and the measures number
 * them, so the measures' results are the same to the last bit. Only input that passes every check
 * of the measures is read (readPassage answers undefined otherwise, and the caller takes the
 * checked path, which reports the problem as before).
 */
export interface PassageArrays {
  /** Continuum length: max(passage length, 1). */
  length: number;
  coders: string[];
  /** Labels in order of first appearance over the sets' spans (spansByLabel's order). */
  labels: string[];
  /** Spans per label, by label index. */
  labelSpans: Int32Array;
  /** The labels sorted, and each label's place among them (its rank), by label index. */
  sortedLabels: string[];
  labelRank: Int32Array;
  setFirst: Int32Array;
  spanLabel: Int32Array;
  spanStart: Int32Array;
  spanEnd: Int32Array;
  units: { count: number; coder: Int32Array; label: Int32Array; start: Int32Array; end: Int32Array };
  /** Distinct offsets over all sets; bit s of marked[k] set when set s marked component k. */
  components: number;
  marked: Int32Array;
  relations: { count: number; annotator: Int32Array; source: Int32Array; target: Int32Array; type: Int32Array };
  types: string[];
}

// Scratch reused passage after passage (grown as needed): a report reads one passage at a time.
let setFirst = new Int32Array(32);
let spanLabel = new Int32Array(256);
let spanStart = new Int32Array(256);
let spanEnd = new Int32Array(256);
/** Per set, its spans' indices sorted by label, start, end. */
let order = new Int32Array(256);
let spanComponent = new Int32Array(256);
let unitCoder = new Int32Array(256);
let unitLabel = new Int32Array(256);
let unitStart = new Int32Array(256);
let unitEnd = new Int32Array(256);
let componentStart = new Int32Array(256);
let componentEnd = new Int32Array(256);
let marked = new Int32Array(256);
let relationAnnotator = new Int32Array(128);
let relationSource = new Int32Array(128);
let relationTarget = new Int32Array(128);
let relationType = new Int32Array(128);
let labelSpans = new Int32Array(16);
let labelRank = new Int32Array(16);
let used = new Uint8Array(64);
let referenceHit = new Uint8Array(64);

/** Offsets past this are read by the checked path (they would not fit the Int32Arrays). */
const LARGEST = 2 ** 30;

function spansFit(n: number): void {
  if (spanLabel.length >= n) return;
  const size = Math.max(n, 2 * spanLabel.length);
  spanLabel = new Int32Array(size);
  spanStart = new Int32Array(size);
  spanEnd = new Int32Array(size);
  order = new Int32Array(size);
  spanComponent = new Int32Array(size);
  unitCoder = new Int32Array(size);
  unitLabel = new Int32Array(size);
  unitStart = new Int32Array(size);
  unitEnd = new Int32Array(size);
  componentStart = new Int32Array(size);
  componentEnd = new Int32Array(size);
  marked = new Int32Array(size);
  used = new Uint8Array(size);
  referenceHit = new Uint8Array(size);
}

function relationsFit(n: number): void {
  if (relationAnnotator.length >= n) return;
  const size = Math.max(n, 2 * relationAnnotator.length);
  const grow = (old: Int32Array): Int32Array<ArrayBuffer> => {
    const bigger = new Int32Array(size);
    bigger.set(old);
    return bigger;
  };
  relationAnnotator = grow(relationAnnotator);
  relationSource = grow(relationSource);
  relationTarget = grow(relationTarget);
  relationType = grow(relationType);
}

/** Sorts order[from, to) by label rank, start, end (insertion sort: a set holds tens of spans). */
function sortSpans(from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const x = order[i]!;
    const rank = labelRank[spanLabel[x]!]!;
    const start = spanStart[x]!;
    const end = spanEnd[x]!;
    let j = i - 1;
    for (; j >= from; j--) {
      const y = order[j]!;
      const other = labelRank[spanLabel[y]!]!;
      if (other < rank || (other === rank && (spanStart[y]! < start || (spanStart[y]! === start && spanEnd[y]! <= end)))) break;
      order[j + 1] = y;
    }
    order[j + 1] = x;
  }
}

/** The component of span id `id` in set s: the last span with that id in sorted order, or -1. */
function componentOfId(spans: LoadedSet['spans'], from: number, to: number, id: string, byId: Map<string, number> | undefined): number {
  if (byId !== undefined) return byId.get(id) ?? -1;
  for (let k = to - 1; k >= from; k--) {
    const x = order[k]!;
    if (spans[x - from]!.id === id) return spanComponent[x]!;
  }
  return -1;
}

function isOffset(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= limit;
}

/** Set s's relations read after the `at` read so far; -1 when one would fail a check. */
function readRelations(set: LoadedSet, s: number, types: NameIndex, at: number): number {
  const spans = set.spans;
  const list = set.relations;
  const from = setFirst[s]!;
  const to = setFirst[s + 1]!;
  let byId: Map<string, number> | undefined;
  if (to - from > 32) {
    byId = new Map();
    for (let k = from; k < to; k++) byId.set(spans[order[k]! - from]!.id, spanComponent[order[k]!]!);
  }
  relationsFit(at + list.length);
  const first = at;
  for (let i = 0; i < list.length; i++) {
    const relation = list[i];
    if (relation === null || typeof relation !== 'object') return -1;
    const source = componentOfId(spans, from, to, relation.source, byId);
    const target = componentOfId(spans, from, to, relation.target, byId);
    if (source === -1 || target === -1 || source === target) continue;
    let repeated = false;
    for (let r = first; r < at && !repeated; r++) repeated = relationSource[r] === source && relationTarget[r] === target;
    if (repeated) continue;
    const type = relation.type;
    if (typeof type !== 'string' || type === NO_RELATION) return -1;
    let t = types.get(type);
    if (t === -1) t = types.add(type);
    relationAnnotator[at] = s;
    relationSource[at] = source;
    relationTarget[at] = target;
    relationType[at] = t;
    at++;
  }
  return at;
}

/** The passage read into numbers; undefined when any of it would fail a measure's checks. */
export function readPassage(passage: LoadedPassage): PassageArrays | undefined {
  const sets = passage.sets;
  const m = sets.length;
  if (m < 2 || m > 30 || !Number.isInteger(passage.length)) return undefined;
  const length = Math.max(passage.length, 1);
  if (length > LARGEST) return undefined;
  const coders: string[] = [];
  let spanCount = 0;
  for (let s = 0; s < m; s++) {
    const set = sets[s]!;
    if (typeof set.userId !== 'string' || coders.includes(set.userId)) return undefined;
    coders.push(set.userId);
    if (!Array.isArray(set.spans) || !Array.isArray(set.relations)) return undefined;
    spanCount += set.spans.length;
  }
  spansFit(spanCount);
  if (setFirst.length < m + 1) setFirst = new Int32Array(2 * (m + 1));

  // Spans, labels in order of first appearance.
  const labels = new NameIndex();
  let at = 0;
  for (let s = 0; s < m; s++) {
    setFirst[s] = at;
    for (const span of sets[s]!.spans) {
      if (span === null || typeof span !== 'object') return undefined;
      const { label, start, end } = span;
      if (typeof label !== 'string' || !isOffset(start, length) || !isOffset(end, length) || start >= end) return undefined;
      let l = labels.get(label);
      if (l === -1) {
        l = labels.add(label);
        if (labelSpans.length <= l) {
          const bigger = new Int32Array(2 * (l + 1));
          bigger.set(labelSpans);
          labelSpans = bigger;
          labelRank = new Int32Array(2 * (l + 1));
        }
        labelSpans[l] = 0;
      }
      labelSpans[l]!++;
      spanLabel[at] = l;
      spanStart[at] = start;
      spanEnd[at] = end;
      at++;
    }
  }
  setFirst[m] = at;
  const labelNames = labels.names;
  const byName = labelNames.map((_, i) => i).sort((x, y) => (labelNames[x]! < labelNames[y]! ? -1 : labelNames[x]! > labelNames[y]! ? 1 : 0));
  for (let r = 0; r < byName.length; r++) labelRank[byName[r]!] = r;
  const sortedLabels = byName.map((l) => labelNames[l]!);

  // Per set: spans by label then start (prepare's order); units with overlaps within a label
  // merged; components (distinct offsets, numbered in order of first appearance over the sets).
  let units = 0;
  let components = 0;
  for (let s = 0; s < m; s++) {
    const from = setFirst[s]!;
    const to = setFirst[s + 1]!;
    for (let i = from; i < to; i++) order[i] = i;
    sortSpans(from, to);
    const bit = 1 << s;
    let current = -1;
    for (let k = from; k < to; k++) {
      const x = order[k]!;
      const label = spanLabel[x]!;
      const start = spanStart[x]!;
      const end = spanEnd[x]!;
      if (current !== -1 && unitLabel[current] === label && start <= unitEnd[current]!) {
        if (end > unitEnd[current]!) unitEnd[current] = end;
      } else {
        current = units++;
        unitCoder[current] = s;
        unitLabel[current] = label;
        unitStart[current] = start;
        unitEnd[current] = end;
      }
      let c = -1;
      for (let j = components - 1; j >= 0; j--) {
        if (componentStart[j] === start && componentEnd[j] === end) {
          c = j;
          break;
        }
      }
      if (c === -1) {
        c = components++;
        componentStart[c] = start;
        componentEnd[c] = end;
        marked[c] = 0;
      }
      marked[c]! |= bit;
      spanComponent[x] = c;
    }
  }

  // Relations between two distinct components of the set's own, the first per ordered pair.
  const types = new NameIndex();
  let relations = 0;
  for (let s = 0; s < m; s++) {
    relations = readRelations(sets[s]!, s, types, relations);
    if (relations === -1) return undefined;
  }

  return {
    length,
    coders,
    labels: labelNames,
    labelSpans,
    sortedLabels,
    labelRank,
    setFirst,
    spanLabel,
    spanStart,
    spanEnd,
    units: { count: units, coder: unitCoder, label: unitLabel, start: unitStart, end: unitEnd },
    components,
    marked,
    relations: { count: relations, annotator: relationAnnotator, source: relationSource, target: relationTarget, type: relationType },
    types: types.names,
  };
}

/**
 * spanCounts(sets[a].spans, sets[b].spans) in numbers: label l's counts (reference, candidate, exact, referenceOverlapped,
 * candidateOverlapped) added at into[at + 5 * rank(l)], for every label the passage has.
 */
export function pairSpanCountsInto(read: PassageArrays, a: number, b: number, into: Int32Array, at: number): void {
  const r0 = setFirst[a]!;
  const r1 = setFirst[a + 1]!;
  const c0 = setFirst[b]!;
  const c1 = setFirst[b + 1]!;
  const rank = read.labelRank;
  used.fill(0, 0, r1 - r0);
  referenceHit.fill(0, 0, r1 - r0);
  for (let i = r0; i < r1; i++) into[at + 5 * rank[spanLabel[i]!]!]! += 1;
  for (let j = c0; j < c1; j++) {
    const label = spanLabel[j]!;
    const start = spanStart[j]!;
    const end = spanEnd[j]!;
    const k = at + 5 * rank[label]!;
    into[k + 1]! += 1;
    let overlapped = false;
    let matched = false;
    for (let i = r0; i < r1; i++) {
      if (spanLabel[i] !== label || spanStart[i]! >= end || start >= spanEnd[i]!) continue;
      overlapped = true;
      referenceHit[i - r0] = 1;
      if (!matched && used[i - r0] === 0 && spanStart[i] === start && spanEnd[i] === end) {
        used[i - r0] = 1;
        matched = true;
      }
    }
    if (overlapped) into[k + 4]! += 1;
    if (matched) into[k + 2]! += 1;
  }
  for (let i = r0; i < r1; i++) {
    if (referenceHit[i - r0] === 1) into[at + 5 * rank[spanLabel[i]!]! + 3]! += 1;
  }
}

/** How many components every set marked (sharedOffsets). */
export function sharedComponents(read: PassageArrays): number {
  const all = (1 << read.coders.length) - 1;
  let count = 0;
  for (let k = 0; k < read.components; k++) if ((read.marked[k]! & all) === all) count++;
  return count;
}
