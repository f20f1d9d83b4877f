/**
 * What the agreement figures are computed from: the submitted sets of passages, reduced to what
 * agreement needs. Pure (no database): the service loads these, the report functions read them.
 * Offsets are UTF-16 code units, half-open, as stored.
 */

export interface LoadedSpan {
  id: string;
  label: string;
  start: number;
  end: number;
}

export interface LoadedRelation {
  id: string;
  type: string;
  source: string;
  target: string;
}

export interface LoadedSet {
  userId: string;
  category: string | null;
  submittedAt: number;
  spans: LoadedSpan[];
  relations: LoadedRelation[];
  /** Derived once from the spans by the measures (see prepare); never set by loaders. */
  prepared?: Prepared;
}

export interface LoadedPassage {
  id: string;
  externalId: string;
  /** Length in UTF-16 code units: the unitizing continuum is [0, length). */
  length: number;
  /** In user id order, one per annotator. */
  sets: LoadedSet[];
}

/** Identical offsets and label make the same span across annotators. */
export function spanKey(span: { start: number; end: number; label: string }): string {
  return `${span.start}:${span.end}:${span.label}`;
}

/** Identical offsets, whatever the label: the ends relation agreement is measured over. */
export function offsetKey(span: { start: number; end: number }): string {
  return `${span.start}:${span.end}`;
}

/**
 * Each relation of a set as a key that does not depend on the annotator's ids:
 * `type(sourceKey>targetKey)`, where a relation-target (undercut) uses its target's key.
 * Relations whose ends are missing (filtered out) are left out.
 */
export function relationKeys(set: Pick<LoadedSet, 'spans' | 'relations'>, keyOfSpan: (span: LoadedSpan) => string = spanKey): Map<string, string> {
  const spanKeys = new Map(set.spans.map((span) => [span.id, keyOfSpan(span)]));
  const byId = new Map(set.relations.map((relation) => [relation.id, relation]));
  const keys = new Map<string, string>();
  const resolving = new Set<string>();
  const keyOf = (id: string): string | undefined => {
    const done = keys.get(id);
    if (done !== undefined) return done;
    const relation = byId.get(id);
    if (!relation || resolving.has(id)) return undefined;
    resolving.add(id);
    const source = spanKeys.get(relation.source);
    const target = spanKeys.get(relation.target) ?? keyOf(relation.target);
    resolving.delete(id);
    if (source === undefined || target === undefined) return undefined;
    const key = `${relation.type}(${source}>${target})`;
    keys.set(id, key);
    return key;
  };
  for (const relation of set.relations) keyOf(relation.id);
  return keys;
}

/** Span matching counts of one candidate set against one reference set, per label. */
export interface SpanCounts {
  reference: number;
  candidate: number;
  /** One-to-one matches with the same start, end and label. */
  exact: number;
  /** Reference spans sharing a character with a candidate span of the same label. */
  referenceOverlapped: number;
  /** Candidate spans sharing a character with a reference span of the same label. */
  candidateOverlapped: number;
}

export const zeroCounts = (): SpanCounts => ({ reference: 0, candidate: 0, exact: 0, referenceOverlapped: 0, candidateOverlapped: 0 });

export function addCounts(into: SpanCounts, add: SpanCounts, swap = false): void {
  into.reference += swap ? add.candidate : add.reference;
  into.candidate += swap ? add.reference : add.candidate;
  into.exact += add.exact;
  into.referenceOverlapped += swap ? add.candidateOverlapped : add.referenceOverlapped;
  into.candidateOverlapped += swap ? add.referenceOverlapped : add.candidateOverlapped;
}

/**
 * Counts per label (labels neither side used are absent). Passages hold tens of spans: plain loops
 * over the two lists, with no maps or keys, cost less than any index would (this runs for every
 * pair of annotators on every passage of a report).
 */
export function spanCounts(reference: LoadedSpan[], candidate: LoadedSpan[]): Map<string, SpanCounts> {
  const result = new Map<string, SpanCounts>();
  const countsOf = (label: string) => {
    let counts = result.get(label);
    if (!counts) {
      counts = zeroCounts();
      result.set(label, counts);
    }
    return counts;
  };
  const used = new Uint8Array(reference.length);
  const referenceHit = new Uint8Array(reference.length);
  for (const span of reference) countsOf(span.label).reference += 1;
  for (const span of candidate) {
    const counts = countsOf(span.label);
    counts.candidate += 1;
    let overlapped = false;
    let matched = false;
    for (let i = 0; i < reference.length; i += 1) {
      const other = reference[i] as LoadedSpan;
      if (other.label !== span.label || other.start >= span.end || span.start >= other.end) continue;
      overlapped = true;
      referenceHit[i] = 1;
      if (!matched && used[i] === 0 && other.start === span.start && other.end === span.end) {
        used[i] = 1;
        matched = true;
      }
    }
    if (overlapped) counts.candidateOverlapped += 1;
    if (matched) counts.exact += 1;
  }
  reference.forEach((span, i) => {
    if (referenceHit[i] === 1) countsOf(span.label).referenceOverlapped += 1;
  });
  return result;
}

export interface F1 {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

function f1Of(hitsOfCandidate: number, candidate: number, hitsOfReference: number, reference: number): F1 {
  if (candidate + reference === 0) return { precision: null, recall: null, f1: null };
  const precision = candidate > 0 ? hitsOfCandidate / candidate : null;
  const recall = reference > 0 ? hitsOfReference / reference : null;
  const p = precision ?? 0;
  const r = recall ?? 0;
  return { precision, recall, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}

export function exactF1(counts: SpanCounts): F1 {
  return f1Of(counts.exact, counts.candidate, counts.exact, counts.reference);
}

export function overlapF1(counts: SpanCounts): F1 {
  return f1Of(counts.candidateOverlapped, counts.candidate, counts.referenceOverlapped, counts.reference);
}

type Unit = { coder: string; label: string; start: number; end: number };

/** What every measure asks of a set, computed once per set (a report asks it once per pair). */
interface Prepared {
  units: Unit[];
  /** The set's distinct offsets as `start:end`, and its relations between two of them. */
  components: string[];
  relationTuples: [source: string, target: string, type: string][];
}


function byLabelThenStart(a: LoadedSpan, b: LoadedSpan): number {
  return a.label < b.label ? -1 : a.label > b.label ? 1 : a.start - b.start || a.end - b.end;
}

function isSortedByLabelThenStart(spans: LoadedSpan[]): boolean {
  for (let i = 1; i < spans.length; i += 1) if (byLabelThenStart(spans[i - 1] as LoadedSpan, spans[i] as LoadedSpan) > 0) return false;
  return true;
}

/**
 * Runs for every set of a report: plain loops and as few maps as will do (a report prepares tens
 * of thousands of sets, and allocation is most of the cost). Loaders hand spans sorted by label
 * then start (ProjectData's SQL does), which saves the sort.
 */
function prepare(set: LoadedSet): Prepared {
  let done = set.prepared;
  if (done) return done;
  const spans = isSortedByLabelThenStart(set.spans) ? set.spans : [...set.spans].sort(byLabelThenStart);
  // Overlaps within a label merged as we go.
  const units: Unit[] = [];
  let current: Unit | null = null;
  const nameById = new Map<string, string>();
  const components: string[] = [];
  for (const span of spans) {
    if (current && current.label === span.label && span.start <= current.end) {
      if (span.end > current.end) current.end = span.end;
    } else {
      current = { coder: set.userId, label: span.label, start: span.start, end: span.end };
      units.push(current);
    }
    const name = `${span.start}:${span.end}`;
    // The same offsets under two labels are one component (a set has tens of spans: indexOf is cheap).
    if (!components.includes(name)) components.push(name);
    nameById.set(span.id, name);
  }
  const relationTuples: [string, string, string][] = [];
  for (const relation of set.relations) {
    const source = nameById.get(relation.source);
    const target = nameById.get(relation.target);
    // Undercuts (target: a relation) have no component to end on; a relation between two spans
    // on the same offsets is no pair of components.
    if (source === undefined || target === undefined || source === target) continue;
    // Two relations between the same ends (e.g. via spans with different labels on the same
    // offsets) are one item: the first one given stands.
    if (relationTuples.some(([s, t]) => s === source && t === target)) continue;
    relationTuples.push([source, target, relation.type]);
  }
  done = { units, components, relationTuples };
  set.prepared = done;
  return done;
}

/**
 * Unitizing alpha needs one coder's units of a label not to overlap; annotators may mark
 * overlapping spans with one label, so those are merged into their union first (docs/agreement.md).
 */
export function unitsForUnitizing(sets: LoadedSet[]): Unit[] {
  return sets.flatMap((set) => prepare(set).units);
}

/** Drops what prepare() kept on the sets: a report's working memory, not worth holding after it. */
export function forgetPrepared(sets: Iterable<LoadedSet>): void {
  for (const set of sets) delete set.prepared;
}

/** Each set's components and relations, for relationPairParts (which finds the shared ones). */
export function relationInput(sets: LoadedSet[]): { annotators: { id: string; components: string[]; relations: [string, string, string][] }[] } {
  return {
    annotators: sets.map((set) => {
      const { components, relationTuples } = prepare(set);
      return { id: set.userId, components, relations: relationTuples };
    }),
  };
}

/** How many offsets every one of the sets marked (whatever the label): relation agreement's components. */
export function sharedOffsets(sets: LoadedSet[]): number {
  const [first, ...rest] = sets;
  if (!first) return 0;
  const others = rest.map((set) => new Set(prepare(set).components));
  let count = 0;
  for (const name of prepare(first).components) if (others.every((other) => other.has(name))) count += 1;
  return count;
}
