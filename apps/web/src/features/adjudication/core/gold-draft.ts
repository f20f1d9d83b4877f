import type { ComparedRelation, ComparedSpan, Comparison, GoldStatus, GoldVersion, PutGoldBody } from '@warrant/contracts';

/**
 * The gold version a lead is building, on the client, until it is saved with PUT. Pure: every
 * action takes a draft and returns a new one. Items of the comparison are identified by their
 * keys (`start:end:label` for spans, `type(sourceKey>targetKey)` for relations); gold items keep
 * the key they came from as `origin`, so a span whose label the lead changed is still known to
 * come from the annotators who marked those offsets.
 */

export interface DraftSpan {
  id: string;
  label: string;
  start: number;
  end: number;
  note: string | null;
  /** Annotator ids that had this item. */
  sources: string[];
  /** The lead changed or added it. */
  edited: boolean;
  /** The comparison item it came from, or null when the lead added it. */
  origin: string | null;
}

export interface DraftRelation {
  id: string;
  type: string;
  /** Gold span id. */
  source: string;
  /** Gold span id, or gold relation id for a relation-target type (undercuts). */
  target: string;
  sources: string[];
  edited: boolean;
  origin: string | null;
}

export interface GoldDraft {
  /** The gold version this draft is based on (0: none yet). */
  baseVersion: number;
  status: GoldStatus;
  category: string | null;
  categorySources: string[];
  spans: DraftSpan[];
  relations: DraftRelation[];
  note: string;
  /** Comparison items the lead rejected in this session (not saved: the gold is what was kept). */
  rejected: { spans: string[]; relations: string[]; categories: string[] };
  /** The saved content, to tell whether anything changed. */
  savedSignature: string;
}

/** What the draft needs to know about the comparison, built once per comparison. */
export interface ComparisonIndex {
  text: string;
  /** Annotator ids in the comparison's order (username order). */
  annotators: string[];
  spans: Map<string, ComparedSpan>;
  relations: Map<string, ComparedRelation>;
  /** Each category given, with who gave it (annotators who gave none are left out). */
  categories: { category: string; annotators: string[] }[];
  /** A fresh client id; tests pass a predictable one. */
  newId: () => string;
}

export type SpanDecision = 'accepted' | 'changed' | 'rejected' | 'open';

export type GoldAction =
  | { type: 'acceptSpan'; key: string }
  | { type: 'rejectSpan'; key: string }
  | { type: 'acceptRelation'; key: string }
  | { type: 'rejectRelation'; key: string }
  | { type: 'acceptCategory'; category: string }
  | { type: 'rejectCategory'; category: string }
  | { type: 'setCategory'; category: string | null }
  | { type: 'acceptAllAgreed' }
  | { type: 'addSpan'; start: number; end: number; label: string }
  | { type: 'changeSpanLabel'; id: string; label: string }
  | { type: 'deleteSpan'; id: string }
  | { type: 'addRelation'; source: string; target: string; relationType: string }
  | { type: 'changeRelationType'; id: string; relationType: string }
  | { type: 'deleteRelation'; id: string }
  | { type: 'setNote'; note: string }
  | { type: 'setStatus'; status: GoldStatus };

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Gold ids the client makes up: `g` and 10 random base-36 characters, within the API's id pattern. */
export function randomGoldId(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  let out = 'g';
  for (const byte of bytes) out += (byte % 36).toString(36);
  return out;
}

export function spanKeyOf(span: { start: number; end: number; label: string }): string {
  return `${span.start}:${span.end}:${span.label}`;
}

export function indexComparison(comparison: Pick<Comparison, 'passage' | 'annotators' | 'spans' | 'relations'>, newId: () => string = randomGoldId): ComparisonIndex {
  const annotators = comparison.annotators.map((annotator) => annotator.id);
  const categories: { category: string; annotators: string[] }[] = [];
  for (const annotator of comparison.annotators) {
    if (annotator.category === null) continue;
    const entry = categories.find((candidate) => candidate.category === annotator.category);
    if (entry) entry.annotators.push(annotator.id);
    else categories.push({ category: annotator.category, annotators: [annotator.id] });
  }
  return {
    text: comparison.passage.text,
    annotators,
    spans: new Map(comparison.spans.map((span) => [span.key, span])),
    relations: new Map(comparison.relations.map((relation) => [relation.key, relation])),
    categories,
    newId,
  };
}

/** Annotator ids that have an item, in the comparison's annotator order. */
function sourcesOf(index: ComparisonIndex, ids: Record<string, string>): string[] {
  return index.annotators.filter((annotator) => annotator in ids);
}

/** Whether every annotator of the comparison has this item. */
export function isAgreed(index: ComparisonIndex, ids: Record<string, string>): boolean {
  return index.annotators.length > 0 && index.annotators.every((annotator) => annotator in ids);
}

function usedIds(draft: Pick<GoldDraft, 'spans' | 'relations'>): Set<string> {
  // One namespace: a relation's target may be a span or a relation.
  return new Set([...draft.spans.map((span) => span.id), ...draft.relations.map((relation) => relation.id)]);
}

/** An annotator's own id for the item when no gold item has it yet, else a fresh one. */
function pickId(index: ComparisonIndex, used: Set<string>, ids: Record<string, string>): string {
  for (const annotator of index.annotators) {
    const candidate = ids[annotator];
    if (candidate !== undefined && ID_PATTERN.test(candidate) && !used.has(candidate)) return candidate;
  }
  let id = index.newId();
  while (used.has(id)) id = index.newId();
  return id;
}

function signature(draft: Pick<GoldDraft, 'status' | 'category' | 'categorySources' | 'spans' | 'relations' | 'note'>): string {
  const { baseVersion: _ignored, ...content } = bodyOf({ ...draft, baseVersion: 0 });
  return JSON.stringify(content);
}

function withSignature(draft: Omit<GoldDraft, 'savedSignature'>): GoldDraft {
  return { ...draft, savedSignature: signature(draft) };
}

/**
 * The comparison span a saved gold span came from: the one with its key, else (its label was
 * changed) one over the same offsets, preferably marked by exactly the span's sources.
 */
function spanOrigin(index: ComparisonIndex, span: { start: number; end: number; label: string; sources: string[] }): string | null {
  const key = spanKeyOf(span);
  if (index.spans.has(key)) return key;
  const sameOffsets = [...index.spans.values()].filter((compared) => compared.start === span.start && compared.end === span.end);
  const wanted = [...span.sources].sort().join(' ');
  const bySources = sameOffsets.find((compared) => Object.keys(compared.ids).sort().join(' ') === wanted);
  return (bySources ?? sameOffsets[0])?.key ?? null;
}

/** The comparison relation with this type between these (comparison) ends, if any. */
function findRelation(index: ComparisonIndex, type: string, sourceKey: string | null, targetKey: string | null): ComparedRelation | null {
  if (sourceKey === null || targetKey === null) return null;
  for (const relation of index.relations.values()) {
    if (relation.type === type && relation.sourceKey === sourceKey && relation.targetKey === targetKey) return relation;
  }
  return null;
}

/** The comparison key a gold item stands for: a span's or relation's origin, by gold id. */
function originOfId(draft: Pick<GoldDraft, 'spans' | 'relations'>, id: string): string | null {
  return draft.spans.find((span) => span.id === id)?.origin ?? draft.relations.find((relation) => relation.id === id)?.origin ?? null;
}

/**
 * A draft from the saved gold version (or an empty one). `rejected` carries the session's
 * rejections over a reload or a save, since the server keeps only what was accepted.
 */
export function draftFromGold(gold: GoldVersion | null, index: ComparisonIndex, rejected?: GoldDraft['rejected']): GoldDraft {
  const keep = rejected ?? { spans: [], relations: [], categories: [] };
  if (!gold) {
    return withSignature({ baseVersion: 0, status: 'in_progress', category: null, categorySources: [], spans: [], relations: [], note: '', rejected: keep });
  }
  const spans: DraftSpan[] = gold.spans.map((span) => ({
    id: span.id,
    label: span.label,
    start: span.start,
    end: span.end,
    note: span.note,
    sources: [...span.sources],
    edited: span.edited,
    origin: spanOrigin(index, span),
  }));
  // Relations may point at relations: resolve origins in dependency order.
  const relations: DraftRelation[] = gold.relations.map((relation) => ({ ...relation, sources: [...relation.sources], origin: null }));
  const partial = { spans, relations };
  const resolving = new Set<string>();
  const resolve = (relation: DraftRelation): string | null => {
    if (relation.origin !== null || resolving.has(relation.id)) return relation.origin;
    resolving.add(relation.id);
    const targetRelation = relations.find((candidate) => candidate.id === relation.target);
    const targetKey = targetRelation ? resolve(targetRelation) : originOfId(partial, relation.target);
    const found = findRelation(index, relation.type, originOfId(partial, relation.source), targetKey);
    relation.origin = found?.key ?? null;
    return relation.origin;
  };
  relations.forEach(resolve);
  return withSignature({
    baseVersion: gold.version,
    status: gold.status,
    category: gold.category,
    categorySources: [...gold.categorySources],
    spans,
    relations,
    note: gold.note ?? '',
    rejected: keep,
  });
}

/** The PUT body for a draft. */
export function bodyOf(draft: Pick<GoldDraft, 'baseVersion' | 'status' | 'category' | 'categorySources' | 'spans' | 'relations' | 'note'>): PutGoldBody {
  const note = draft.note.trim() === '' ? null : draft.note;
  return {
    baseVersion: draft.baseVersion,
    status: draft.status,
    category: draft.category,
    categorySources: draft.category === null ? [] : draft.categorySources,
    spans: [...draft.spans]
      .sort((a, b) => a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
      .map(({ id, label, start, end, note: spanNote, sources, edited }) => ({ id, label, start, end, note: spanNote, sources, edited })),
    relations: draft.relations.map(({ id, type, source, target, sources, edited }) => ({ id, type, source, target, sources, edited })),
    note,
  };
}

export function isDirty(draft: GoldDraft): boolean {
  return signature(draft) !== draft.savedSignature;
}

export function spanDecision(draft: GoldDraft, key: string): SpanDecision {
  if (draft.spans.some((span) => spanKeyOf(span) === key)) return 'accepted';
  if (draft.spans.some((span) => span.origin === key)) return 'changed';
  return draft.rejected.spans.includes(key) ? 'rejected' : 'open';
}

export function relationDecision(draft: GoldDraft, key: string): SpanDecision {
  const kept = draft.relations.filter((relation) => relation.origin === key);
  if (kept.some((relation) => !relation.edited)) return 'accepted';
  if (kept.length > 0) return 'changed';
  return draft.rejected.relations.includes(key) ? 'rejected' : 'open';
}

export function categoryDecision(draft: GoldDraft, category: string): SpanDecision {
  if (draft.category === category) return 'accepted';
  return draft.rejected.categories.includes(category) ? 'rejected' : 'open';
}

/** How many comparison items are still undecided. */
export function openCount(draft: GoldDraft, index: ComparisonIndex): number {
  let open = 0;
  for (const key of index.spans.keys()) if (spanDecision(draft, key) === 'open') open += 1;
  for (const key of index.relations.keys()) if (relationDecision(draft, key) === 'open') open += 1;
  if (index.categories.length > 0 && draft.category === null && index.categories.every((entry) => categoryDecision(draft, entry.category) === 'open')) {
    open += 1;
  }
  return open;
}

const without = (list: string[], item: string) => list.filter((value) => value !== item);
const withItem = (list: string[], item: string) => (list.includes(item) ? list : [...list, item]);

/** Removes relations by id, and every relation that points at a removed one, transitively. */
function dropRelations(relations: DraftRelation[], removedEnds: Set<string>): DraftRelation[] {
  let kept = relations;
  let changed = true;
  while (changed) {
    const before = kept.length;
    kept = kept.filter((relation) => {
      if (removedEnds.has(relation.id) || removedEnds.has(relation.source) || removedEnds.has(relation.target)) {
        removedEnds.add(relation.id);
        return false;
      }
      return true;
    });
    changed = kept.length !== before;
  }
  return kept;
}

function removeSpans(draft: GoldDraft, ids: Set<string>): GoldDraft {
  if (ids.size === 0) return draft;
  return { ...draft, spans: draft.spans.filter((span) => !ids.has(span.id)), relations: dropRelations(draft.relations, new Set(ids)) };
}

/** The gold span standing for a comparison span: the one with its exact key, else one that came from it. */
function goldSpanFor(draft: GoldDraft, key: string): DraftSpan | undefined {
  return draft.spans.find((span) => spanKeyOf(span) === key) ?? draft.spans.find((span) => span.origin === key);
}

function acceptSpan(draft: GoldDraft, index: ComparisonIndex, key: string): GoldDraft {
  const compared = index.spans.get(key);
  if (!compared) return draft;
  const rejected = { ...draft.rejected, spans: without(draft.rejected.spans, key) };
  if (draft.spans.some((span) => spanKeyOf(span) === key)) return { ...draft, rejected };
  const span: DraftSpan = {
    id: pickId(index, usedIds(draft), compared.ids),
    label: compared.label,
    start: compared.start,
    end: compared.end,
    note: null,
    sources: sourcesOf(index, compared.ids),
    edited: false,
    origin: key,
  };
  return { ...draft, spans: [...draft.spans, span], rejected };
}

/** The gold id standing for a comparison item (span or relation), accepting it first when needed. */
function ensureEnd(draft: GoldDraft, index: ComparisonIndex, key: string, depth: number): { draft: GoldDraft; id: string | null } {
  if (index.relations.has(key)) {
    const next = acceptRelation(draft, index, key, depth + 1);
    const relation = next.relations.find((candidate) => candidate.origin === key);
    return { draft: next, id: relation?.id ?? null };
  }
  const existing = goldSpanFor(draft, key);
  if (existing) return { draft, id: existing.id };
  const next = acceptSpan(draft, index, key);
  return { draft: next, id: goldSpanFor(next, key)?.id ?? null };
}

/** Accepting a relation accepts its ends too: a gold relation can only join gold items. */
function acceptRelation(draft: GoldDraft, index: ComparisonIndex, key: string, depth = 0): GoldDraft {
  const compared = index.relations.get(key);
  if (!compared || depth > 32) return draft;
  const rejected = { ...draft.rejected, relations: without(draft.rejected.relations, key) };
  if (draft.relations.some((relation) => relation.origin === key && !relation.edited)) return { ...draft, rejected };
  const source = ensureEnd({ ...draft, rejected }, index, compared.sourceKey, depth);
  const target = ensureEnd(source.draft, index, compared.targetKey, depth);
  if (source.id === null || target.id === null) return draft;
  const next = target.draft;
  const relation: DraftRelation = {
    id: pickId(index, usedIds(next), compared.ids),
    type: compared.type,
    source: source.id,
    target: target.id,
    sources: sourcesOf(index, compared.ids),
    edited: false,
    origin: key,
  };
  return { ...next, relations: [...next.relations, relation] };
}

function rejectSpan(draft: GoldDraft, key: string): GoldDraft {
  const ids = new Set(draft.spans.filter((span) => span.origin === key || spanKeyOf(span) === key).map((span) => span.id));
  const next = removeSpans(draft, ids);
  return { ...next, rejected: { ...next.rejected, spans: withItem(next.rejected.spans, key) } };
}

function rejectRelation(draft: GoldDraft, key: string): GoldDraft {
  const ids = new Set(draft.relations.filter((relation) => relation.origin === key).map((relation) => relation.id));
  return {
    ...draft,
    relations: dropRelations(draft.relations, ids),
    rejected: { ...draft.rejected, relations: withItem(draft.rejected.relations, key) },
  };
}

function categorySources(index: ComparisonIndex, category: string | null): string[] {
  if (category === null) return [];
  return index.categories.find((entry) => entry.category === category)?.annotators ?? [];
}

function acceptAllAgreed(draft: GoldDraft, index: ComparisonIndex): GoldDraft {
  let next = draft;
  for (const [key, span] of index.spans) {
    if (isAgreed(index, span.ids) && spanDecision(next, key) === 'open') next = acceptSpan(next, index, key);
  }
  // A relation whose end the lead rejected stays out: accepting it would bring the end back.
  const endRejected = (endKey: string): boolean =>
    index.relations.has(endKey) ? relationDecision(next, endKey) === 'rejected' : spanDecision(next, endKey) === 'rejected';
  for (const [key, relation] of index.relations) {
    if (!isAgreed(index, relation.ids) || relationDecision(next, key) !== 'open') continue;
    if (endRejected(relation.sourceKey) || endRejected(relation.targetKey)) continue;
    next = acceptRelation(next, index, key);
  }
  const [only, ...others] = index.categories;
  if (only && others.length === 0 && only.annotators.length === index.annotators.length && next.category === null && categoryDecision(next, only.category) === 'open') {
    next = { ...next, category: only.category, categorySources: [...only.annotators] };
  }
  return next;
}

function addSpan(draft: GoldDraft, index: ComparisonIndex, start: number, end: number, label: string): GoldDraft {
  if (!(start >= 0 && end > start && end <= index.text.length)) return draft;
  const key = spanKeyOf({ start, end, label });
  if (draft.spans.some((span) => spanKeyOf(span) === key)) return draft;
  // The very span an annotator marked: that is accepting it, with its provenance.
  if (index.spans.has(key)) return acceptSpan(draft, index, key);
  let id = index.newId();
  const used = usedIds(draft);
  while (used.has(id)) id = index.newId();
  return { ...draft, spans: [...draft.spans, { id, label, start, end, note: null, sources: [], edited: true, origin: null }] };
}

function changeSpanLabel(draft: GoldDraft, index: ComparisonIndex, id: string, label: string): GoldDraft {
  const span = draft.spans.find((candidate) => candidate.id === id);
  if (!span || span.label === label) return draft;
  const key = spanKeyOf({ ...span, label });
  if (draft.spans.some((other) => other.id !== id && spanKeyOf(other) === key)) return draft;
  const compared = index.spans.get(key);
  // Another annotator's reading of the same offsets: the span now comes from them.
  const updated: DraftSpan = compared
    ? { ...span, label, origin: key, sources: sourcesOf(index, compared.ids), edited: false }
    : { ...span, label, edited: true };
  return { ...draft, spans: draft.spans.map((candidate) => (candidate.id === id ? updated : candidate)) };
}

function deleteSpan(draft: GoldDraft, id: string): GoldDraft {
  const span = draft.spans.find((candidate) => candidate.id === id);
  if (!span) return draft;
  const next = removeSpans(draft, new Set([id]));
  const stillThere = span.origin !== null && next.spans.some((candidate) => candidate.origin === span.origin);
  if (span.origin === null || stillThere) return next;
  return { ...next, rejected: { ...next.rejected, spans: withItem(next.rejected.spans, span.origin) } };
}

function addRelation(draft: GoldDraft, index: ComparisonIndex, source: string, target: string, type: string): GoldDraft {
  const ids = usedIds(draft);
  if (!draft.spans.some((span) => span.id === source) || !ids.has(target) || source === target) return draft;
  if (draft.relations.some((relation) => relation.source === source && relation.target === target && relation.type === type)) return draft;
  const compared = findRelation(index, type, originOfId(draft, source), originOfId(draft, target));
  if (compared && !draft.relations.some((relation) => relation.origin === compared.key)) {
    return {
      ...draft,
      relations: [
        ...draft.relations,
        { id: pickId(index, ids, compared.ids), type, source, target, sources: sourcesOf(index, compared.ids), edited: false, origin: compared.key },
      ],
      rejected: { ...draft.rejected, relations: without(draft.rejected.relations, compared.key) },
    };
  }
  let id = index.newId();
  while (ids.has(id)) id = index.newId();
  return { ...draft, relations: [...draft.relations, { id, type, source, target, sources: [], edited: true, origin: null }] };
}

function changeRelationType(draft: GoldDraft, index: ComparisonIndex, id: string, type: string): GoldDraft {
  const relation = draft.relations.find((candidate) => candidate.id === id);
  if (!relation || relation.type === type) return draft;
  const compared = findRelation(index, type, originOfId(draft, relation.source), originOfId(draft, relation.target));
  const updated: DraftRelation = compared
    ? { ...relation, type, origin: compared.key, sources: sourcesOf(index, compared.ids), edited: false }
    : { ...relation, type, edited: true };
  return { ...draft, relations: draft.relations.map((candidate) => (candidate.id === id ? updated : candidate)) };
}

function deleteRelation(draft: GoldDraft, id: string): GoldDraft {
  const relation = draft.relations.find((candidate) => candidate.id === id);
  if (!relation) return draft;
  const next = { ...draft, relations: dropRelations(draft.relations, new Set([id])) };
  if (relation.origin === null || next.relations.some((candidate) => candidate.origin === relation.origin)) return next;
  return { ...next, rejected: { ...next.rejected, relations: withItem(next.rejected.relations, relation.origin) } };
}

export function applyGoldAction(draft: GoldDraft, index: ComparisonIndex, action: GoldAction): GoldDraft {
  switch (action.type) {
    case 'acceptSpan':
      return acceptSpan(draft, index, action.key);
    case 'rejectSpan':
      return rejectSpan(draft, action.key);
    case 'acceptRelation':
      return acceptRelation(draft, index, action.key);
    case 'rejectRelation':
      return rejectRelation(draft, action.key);
    case 'acceptCategory':
      return {
        ...draft,
        category: action.category,
        categorySources: categorySources(index, action.category),
        rejected: { ...draft.rejected, categories: without(draft.rejected.categories, action.category) },
      };
    case 'rejectCategory': {
      const chosen = draft.category === action.category;
      return {
        ...draft,
        category: chosen ? null : draft.category,
        categorySources: chosen ? [] : draft.categorySources,
        rejected: { ...draft.rejected, categories: withItem(draft.rejected.categories, action.category) },
      };
    }
    case 'setCategory':
      return { ...draft, category: action.category, categorySources: categorySources(index, action.category) };
    case 'acceptAllAgreed':
      return acceptAllAgreed(draft, index);
    case 'addSpan':
      return addSpan(draft, index, action.start, action.end, action.label);
    case 'changeSpanLabel':
      return changeSpanLabel(draft, index, action.id, action.label);
    case 'deleteSpan':
      return deleteSpan(draft, action.id);
    case 'addRelation':
      return addRelation(draft, index, action.source, action.target, action.relationType);
    case 'changeRelationType':
      return changeRelationType(draft, index, action.id, action.relationType);
    case 'deleteRelation':
      return deleteRelation(draft, action.id);
    case 'setNote':
      return { ...draft, note: action.note };
    case 'setStatus':
      return { ...draft, status: action.status };
  }
}
