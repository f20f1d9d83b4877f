/**
 * An annotation set held in memory, and the edit operations on it (docs/editor.md).
 *
 * applyOp validates exactly as the API's annotations repository does (same order of checks, same
 * error codes, same messages), so an op the editor accepts is an op the server accepts, and the
 * save engine can replay a queue of ops against a fresh server state to find the first bad one.
 * Every applied op returns the ops that undo it; diffAnnotationStates gives the ops between two
 * states (conflict resolution).
 *
 * Spans and relations inside a state are never mutated: an update replaces the object, so code that
 * memoises on object identity sees exactly what changed. Change a state only through applyOp and
 * applyOps (see "Indexes" below).
 */
import type { AnnotationOp, AnnotationStatus, Relation, Span } from './model.ts';
import { checkSpanOffsets, type OffsetProblemCode } from './offsets.ts';
import type { LabelScheme } from './scheme.ts';

export interface AnnotationState {
  /** By id; offsets in UTF-16 code units, half-open. */
  spans: Map<string, Span>;
  /** By id. */
  relations: Map<string, Relation>;
  category: string | null;
  status: AnnotationStatus;
  skipReason: string | null;
}

export interface AnnotationContext {
  text: string;
  scheme: LabelScheme;
}

export interface AnnotationStateInput {
  spans: readonly Span[];
  relations: readonly Relation[];
  category: string | null;
  status: AnnotationStatus;
  skipReason: string | null;
}

/** What annotationStateToContent returns: the set's content in the API's order. */
export interface AnnotationStateContent {
  spans: Span[];
  relations: Relation[];
  category: string | null;
  status: AnnotationStatus;
  skipReason: string | null;
}

export type AnnotationOpErrorCode = 'INVALID_OFFSETS' | 'INVALID_CHANGE';

/**
 * A refused op. `message` is the server's, `ops[i]: ...` included; `detail` is the same without
 * the prefix. For INVALID_OFFSETS, `reason` and `field` are the server's `details.reason/field`.
 */
export class AnnotationOpError extends Error {
  readonly code: AnnotationOpErrorCode;
  /** Index in the list given to applyOps (0 for applyOp). */
  readonly opIndex: number;
  readonly detail: string;
  readonly reason?: OffsetProblemCode;
  readonly field?: 'start' | 'end';

  constructor(
    code: AnnotationOpErrorCode,
    opIndex: number,
    detail: string,
    offsets?: { reason: OffsetProblemCode; field: 'start' | 'end' },
  ) {
    super(`ops[${opIndex}]: ${detail}`);
    this.name = 'AnnotationOpError';
    this.code = code;
    this.opIndex = opIndex;
    this.detail = detail;
    if (offsets) {
      this.reason = offsets.reason;
      this.field = offsets.field;
    }
  }
}

function copySpan(span: { id: string; label: string; start: number; end: number; note?: string | null }): Span {
  return { id: span.id, label: span.label, start: span.start, end: span.end, note: span.note ?? null };
}

function copyRelation(relation: Relation): Relation {
  return { id: relation.id, type: relation.type, source: relation.source, target: relation.target };
}

/** A state from the API's content. Copies everything; does not validate. */
export function createAnnotationState(input: AnnotationStateInput): AnnotationState {
  return {
    spans: new Map(input.spans.map((span) => [span.id, copySpan(span)])),
    relations: new Map(input.relations.map((relation) => [relation.id, copyRelation(relation)])),
    category: input.category,
    status: input.status,
    skipReason: input.skipReason,
  };
}

/** A deep copy (new maps, new span and relation objects). */
export function cloneAnnotationState(state: AnnotationState): AnnotationState {
  return createAnnotationState({
    spans: [...state.spans.values()],
    relations: [...state.relations.values()],
    category: state.category,
    status: state.status,
    skipReason: state.skipReason,
  });
}

function compareIds(a: string, b: string): number {
  // Code-unit order, which for client ids ([A-Za-z0-9_-]) is SQLite's BINARY order.
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareSpans(a: Span, b: Span): number {
  return a.start - b.start || a.end - b.end || compareIds(a.id, b.id);
}

/** The state as the API returns a set: spans by start, end, id; relations by id (copies). */
export function annotationStateToContent(state: AnnotationState): AnnotationStateContent {
  return {
    spans: [...state.spans.values()].map(copySpan).sort(compareSpans),
    relations: [...state.relations.values()].map(copyRelation).sort((a, b) => compareIds(a.id, b.id)),
    category: state.category,
    status: state.status,
    skipReason: state.skipReason,
  };
}

/*
 * Indexes. Twin checks and cascades must not scan 5,000 spans per op, so each state's maps get a
 * side index in a WeakMap, keyed by the spans map (so a shallow copy `{ ...state }` shares it),
 * built on first use and kept up to date by applyOp. It is rebuilt when the maps were replaced or
 * changed size behind its back; an edit made directly to the maps that keeps their sizes is not
 * seen, which is why states must change only through applyOp/applyOps. Lookups re-check every hit
 * against the maps, so a stale entry can never invent a twin.
 */
interface StateIndex {
  spans: Map<string, Span>;
  relations: Map<string, Relation>;
  spanCount: number;
  relationCount: number;
  spansByKey: Map<string, Set<string>>;
  relationsByKey: Map<string, Set<string>>;
  /** Relation ids by source id. */
  bySource: Map<string, Set<string>>;
  /** Relation ids by target id (a span or a relation). */
  byTarget: Map<string, Set<string>>;
}

/** The side index, kept on the spans map itself (a property, not a WeakMap entry: a WeakMap
 * entry per state costs the garbage collector dearly when states are made by the hundred thousand,
 * as an import does). */
const INDEX = Symbol('annotation-state-index');
type Indexed = Map<string, Span> & { [INDEX]?: StateIndex };

function spanKey(start: number, end: number, label: string): string {
  return `${start}:${end}:${label}`;
}

/**
 * Type, source and target joined by NUL, which neither a scheme key (KEY_PATTERN) nor an id
 * (CLIENT_ID_PATTERN) can hold: two relations share a key only when all three are equal.
 */
function relationKey(type: string, source: string, target: string): string {
  return `${type}\u0000${source}\u0000${target}`;
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key);
  if (ids) ids.add(id);
  else map.set(key, new Set([id]));
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) map.delete(key);
}

function indexOf(state: AnnotationState): StateIndex {
  const existing = (state.spans as Indexed)[INDEX];
  if (
    existing &&
    existing.relations === state.relations &&
    existing.spanCount === state.spans.size &&
    existing.relationCount === state.relations.size
  ) {
    return existing;
  }
  const index: StateIndex = {
    spans: state.spans,
    relations: state.relations,
    spanCount: 0,
    relationCount: 0,
    spansByKey: new Map(),
    relationsByKey: new Map(),
    bySource: new Map(),
    byTarget: new Map(),
  };
  for (const span of state.spans.values()) indexSpan(index, span);
  for (const relation of state.relations.values()) indexRelation(index, relation);
  (state.spans as Indexed)[INDEX] = index;
  return index;
}

function indexSpan(index: StateIndex, span: Span): void {
  addTo(index.spansByKey, spanKey(span.start, span.end, span.label), span.id);
  index.spanCount += 1;
}

function unindexSpan(index: StateIndex, span: Span): void {
  removeFrom(index.spansByKey, spanKey(span.start, span.end, span.label), span.id);
  index.spanCount -= 1;
}

function indexRelation(index: StateIndex, relation: Relation): void {
  addTo(index.relationsByKey, relationKey(relation.type, relation.source, relation.target), relation.id);
  addTo(index.bySource, relation.source, relation.id);
  addTo(index.byTarget, relation.target, relation.id);
  index.relationCount += 1;
}

function unindexRelation(index: StateIndex, relation: Relation): void {
  removeFrom(index.relationsByKey, relationKey(relation.type, relation.source, relation.target), relation.id);
  removeFrom(index.bySource, relation.source, relation.id);
  removeFrom(index.byTarget, relation.target, relation.id);
  index.relationCount -= 1;
}

function putSpan(state: AnnotationState, index: StateIndex, span: Span): void {
  const before = state.spans.get(span.id);
  if (before) unindexSpan(index, before);
  state.spans.set(span.id, span);
  indexSpan(index, span);
}

function dropSpan(state: AnnotationState, index: StateIndex, id: string): void {
  const before = state.spans.get(id);
  if (!before) return;
  unindexSpan(index, before);
  state.spans.delete(id);
}

function putRelation(state: AnnotationState, index: StateIndex, relation: Relation): void {
  const before = state.relations.get(relation.id);
  if (before) unindexRelation(index, before);
  state.relations.set(relation.id, relation);
  indexRelation(index, relation);
}

function dropRelation(state: AnnotationState, index: StateIndex, id: string): void {
  const before = state.relations.get(id);
  if (!before) return;
  unindexRelation(index, before);
  state.relations.delete(id);
}

function spanTwin(state: AnnotationState, index: StateIndex, start: number, end: number, label: string, except?: string): string | undefined {
  for (const id of index.spansByKey.get(spanKey(start, end, label)) ?? []) {
    const span = state.spans.get(id);
    if (id !== except && span && span.start === start && span.end === end && span.label === label) return id;
  }
  return undefined;
}

function relationTwin(state: AnnotationState, index: StateIndex, type: string, source: string, target: string, except?: string): string | undefined {
  for (const id of index.relationsByKey.get(relationKey(type, source, target)) ?? []) {
    const relation = state.relations.get(id);
    if (id !== except && relation && relation.type === type && relation.source === source && relation.target === target) return id;
  }
  return undefined;
}

/**
 * The server's cascade (AnnotationsRepository.dependents): relations whose source is one of the
 * spans, or whose target is one of the spans (span-target types) or relations (relation-target
 * types), and then, transitively, relation-target relations aimed at those. A type missing from the
 * scheme counts as span-target, as on the server. Unordered.
 */
function cascade(state: AnnotationState, index: StateIndex, spanIds: readonly string[], relationIds: readonly string[], scheme: LabelScheme): Map<string, Relation> {
  const relationTargeting = new Set(scheme.relationTypes.filter((t) => t.target === 'relation').map((t) => t.key));
  const found = new Map<string, Relation>();
  let frontierSpans = new Set(spanIds);
  let frontierRelations = new Set(relationIds);
  while (frontierSpans.size > 0 || frontierRelations.size > 0) {
    const candidates = new Set<string>();
    for (const id of frontierSpans) for (const r of index.bySource.get(id) ?? []) candidates.add(r);
    for (const id of [...frontierSpans, ...frontierRelations]) for (const r of index.byTarget.get(id) ?? []) candidates.add(r);
    const next = new Set<string>();
    for (const id of candidates) {
      const row = state.relations.get(id);
      if (!row || found.has(id)) continue;
      const viaTarget = relationTargeting.has(row.type) ? frontierRelations.has(row.target) : frontierSpans.has(row.target);
      if (!viaTarget && !frontierSpans.has(row.source)) continue;
      found.set(id, row);
      next.add(id);
    }
    frontierSpans = new Set();
    frontierRelations = next;
  }
  return found;
}

/**
 * An order in which these relations can be added back: relations not aimed at another relation of
 * the list first, then those aimed at them, and so on; by id within a level. (Deleting them in the
 * reverse order never triggers a cascade.)
 */
function readdOrder(relations: Iterable<Relation>): Relation[] {
  const byId = new Map<string, Relation>();
  for (const relation of relations) byId.set(relation.id, relation);
  const levels = new Map<string, number>();
  const levelOf = (start: Relation): number => {
    // Iterative walk up the chain of targets; a cycle (impossible through ops) is cut where it closes.
    const chain: Relation[] = [];
    const onChain = new Set<string>();
    let current: Relation | undefined = start;
    let base = 0;
    while (current && !levels.has(current.id) && !onChain.has(current.id)) {
      chain.push(current);
      onChain.add(current.id);
      current = byId.get(current.target);
    }
    if (current && levels.has(current.id)) base = (levels.get(current.id) as number) + 1;
    for (let i = chain.length - 1; i >= 0; i -= 1) {
      levels.set((chain[i] as Relation).id, base);
      base += 1;
    }
    return levels.get(start.id) as number;
  };
  const list = [...byId.values()];
  for (const relation of list) levelOf(relation);
  return list.sort((a, b) => (levels.get(a.id) as number) - (levels.get(b.id) as number) || compareIds(a.id, b.id));
}

/**
 * The relations that go when these spans/relations go (transitively), as the server cascades;
 * copies, in an order valid to add them back (the targets of undercuts before the undercuts). The
 * relations named in `relationIds` are not included.
 */
export function dependentRelations(
  state: AnnotationState,
  spanIds: readonly string[],
  relationIds: readonly string[],
  scheme: LabelScheme,
): Relation[] {
  return readdOrder(cascade(state, indexOf(state), spanIds, relationIds, scheme).values()).map(copyRelation);
}

function addSpanOp(span: Span): AnnotationOp {
  return { op: 'addSpan', span: copySpan(span) };
}

function addRelationOp(relation: Relation): AnnotationOp {
  return { op: 'addRelation', relation: copyRelation(relation) };
}

/**
 * Applies one op. `checked` false applies an inverse during a rollback: no validation, and
 * setStatus restores the reason verbatim, so the state comes back exactly as it was.
 */
function applyAt(state: AnnotationState, op: AnnotationOp, ctx: AnnotationContext, opIndex: number, checked: boolean): AnnotationOp[] {
  const index = indexOf(state);
  const { scheme } = ctx;
  const invalid = (detail: string) => new AnnotationOpError('INVALID_CHANGE', opIndex, detail);
  const checkOffsets = (start: number, end: number) => {
    const problem = checkSpanOffsets(ctx.text, start, end);
    if (problem) throw new AnnotationOpError('INVALID_OFFSETS', opIndex, problem.message, { reason: problem.code, field: problem.field });
  };
  const checkLabel = (label: string) => {
    if (!scheme.spanLabels.some((l) => l.key === label)) {
      const known = scheme.spanLabels.map((l) => l.key).join(', ');
      throw invalid(`unknown span label '${label}' (this project's labels: ${known})`);
    }
  };

  switch (op.op) {
    case 'addSpan': {
      const { id, label, start, end } = op.span;
      if (checked) {
        checkOffsets(start, end);
        checkLabel(label);
        if (state.spans.has(id) || state.relations.has(id)) throw invalid(`id '${id}' is already used in this set`);
        const twin = spanTwin(state, index, start, end, label);
        if (twin !== undefined) throw invalid(`span '${twin}' already marks [${start}, ${end}) as '${label}'`);
      }
      putSpan(state, index, copySpan(op.span));
      return [{ op: 'deleteSpan', id }];
    }
    case 'updateSpan': {
      const before = state.spans.get(op.id);
      if (!before) {
        if (checked) throw invalid(`no span with id '${op.id}'`);
        return [];
      }
      const after: Span = {
        id: before.id,
        label: op.label ?? before.label,
        start: op.start ?? before.start,
        end: op.end ?? before.end,
        note: op.note === undefined ? before.note : op.note,
      };
      if (checked) {
        checkOffsets(after.start, after.end);
        checkLabel(after.label);
        const twin = spanTwin(state, index, after.start, after.end, after.label, op.id);
        if (twin !== undefined) throw invalid(`span '${twin}' already marks [${after.start}, ${after.end}) as '${after.label}'`);
      }
      putSpan(state, index, after);
      // Undo names exactly the fields this op set (with the server's notion of "set").
      const inverse: Extract<AnnotationOp, { op: 'updateSpan' }> = { op: 'updateSpan', id: op.id };
      if (op.label != null) inverse.label = before.label;
      if (op.start != null) inverse.start = before.start;
      if (op.end != null) inverse.end = before.end;
      if (op.note !== undefined) inverse.note = before.note;
      return [inverse];
    }
    case 'deleteSpan': {
      const before = state.spans.get(op.id);
      if (!before) {
        if (checked) throw invalid(`no span with id '${op.id}'`);
        return [];
      }
      const gone = readdOrder(cascade(state, index, [op.id], [], scheme).values());
      for (const relation of gone) dropRelation(state, index, relation.id);
      dropSpan(state, index, op.id);
      return [addSpanOp(before), ...gone.map(addRelationOp)];
    }
    case 'addRelation': {
      const { id, type, source, target } = op.relation;
      if (checked) {
        const kind = scheme.relationTypes.find((t) => t.key === type);
        if (!kind) {
          const known = scheme.relationTypes.map((t) => t.key).join(', ');
          throw invalid(`unknown relation type '${type}' (this project's types: ${known})`);
        }
        if (state.relations.has(id) || state.spans.has(id)) throw invalid(`id '${id}' is already used in this set`);
        if (!state.spans.has(source)) throw invalid(`source: no span with id '${source}'`);
        if (kind.target === 'span') {
          if (!state.spans.has(target)) throw invalid(`target: no span with id '${target}' ('${type}' links two spans)`);
          if (source === target) throw invalid('a span cannot be related to itself');
        } else if (!state.relations.has(target)) {
          throw invalid(`target: no relation with id '${target}' ('${type}' points at a relation)`);
        }
        const twin = relationTwin(state, index, type, source, target);
        if (twin !== undefined) throw invalid(`relation '${twin}' already links these with '${type}'`);
      }
      putRelation(state, index, copyRelation(op.relation));
      return [{ op: 'deleteRelation', id }];
    }
    case 'updateRelation': {
      const before = state.relations.get(op.id);
      if (!before) {
        if (checked) throw invalid(`no relation with id '${op.id}'`);
        return [];
      }
      if (checked) {
        const from = scheme.relationTypes.find((t) => t.key === before.type);
        const to = scheme.relationTypes.find((t) => t.key === op.type);
        if (!to) throw invalid(`unknown relation type '${op.type}'`);
        if (from && from.target !== to.target) {
          throw invalid(`'${before.type}' points at a ${from.target}, '${op.type}' at a ${to.target}: delete and recreate instead`);
        }
        const twin = relationTwin(state, index, op.type, before.source, before.target, op.id);
        if (twin !== undefined) throw invalid(`relation '${twin}' already links these with '${op.type}'`);
      }
      putRelation(state, index, { ...before, type: op.type });
      return [{ op: 'updateRelation', id: op.id, type: before.type }];
    }
    case 'deleteRelation': {
      const before = state.relations.get(op.id);
      if (!before) {
        if (checked) throw invalid(`no relation with id '${op.id}'`);
        return [];
      }
      const gone = readdOrder(cascade(state, index, [], [op.id], scheme).values());
      for (let i = gone.length - 1; i >= 0; i -= 1) dropRelation(state, index, (gone[i] as Relation).id);
      dropRelation(state, index, op.id);
      return [addRelationOp(before), ...gone.map(addRelationOp)];
    }
    case 'setCategory': {
      if (checked && op.category !== null && !scheme.categories.some((c) => c.key === op.category)) {
        const known = scheme.categories.map((c) => c.key).join(', ');
        throw invalid(`unknown category '${op.category}' (this project's categories: ${known})`);
      }
      const before = state.category;
      state.category = op.category;
      return [{ op: 'setCategory', category: before }];
    }
    case 'setStatus': {
      const inverse: AnnotationOp = { op: 'setStatus', status: state.status, reason: state.skipReason };
      if (checked) {
        const reason = op.reason?.trim() ?? '';
        if (op.status === 'skipped' && reason === '') throw invalid('skipping a passage needs a reason');
        state.skipReason = op.status === 'skipped' ? reason : null;
      } else {
        state.skipReason = op.reason ?? null;
      }
      state.status = op.status;
      return [inverse];
    }
    default: {
      const unknown: { op?: unknown } = op;
      throw invalid(`unknown op '${String(unknown.op)}'`);
    }
  }
}

/**
 * Validates like the server and applies in place; returns the ops that undo it (apply them in the
 * order given). Throws AnnotationOpError with opIndex 0, leaving the state unchanged.
 */
export function applyOp(state: AnnotationState, op: AnnotationOp, ctx: AnnotationContext): AnnotationOp[] {
  return applyAt(state, op, ctx, 0, true);
}

/**
 * All or nothing: when op i is refused, the ops before it are undone (the state is restored
 * exactly) and the error carries opIndex i. Returns the undo ops for the whole list (apply them in
 * the order given).
 */
export function applyOps(state: AnnotationState, ops: readonly AnnotationOp[], ctx: AnnotationContext): AnnotationOp[] {
  const undo: AnnotationOp[][] = [];
  try {
    ops.forEach((op, i) => {
      undo.push(applyAt(state, op, ctx, i, true));
    });
  } catch (error) {
    for (let i = undo.length - 1; i >= 0; i -= 1) {
      for (const inverse of undo[i] as AnnotationOp[]) applyAt(state, inverse, ctx, i, false);
    }
    throw error;
  }
  return undo.reverse().flat();
}

/*
 * Diffs. Without a scheme, a relation counts as relation-target when its target is the id of a
 * relation in the same state (ids are unique across spans and relations, so for valid states this
 * is exactly the scheme's answer).
 */

type SpanUpdate = Extract<AnnotationOp, { op: 'updateSpan' }>;

/**
 * Orders updates so that none takes a (start, end, label) or (type, source, target) key another
 * one still holds: each update waits for the update that frees its key (its "blocker"). Blockers
 * form chains and cycles (two spans swapping labels); a cycle is broken by replacing its smallest
 * id (delete and re-add) instead of updating it.
 */
function orderUpdates(ids: readonly string[], blockerOf: (id: string) => string | undefined): { order: string[]; replaced: string[] } {
  const done = new Set<string>();
  const order: string[] = [];
  const replaced: string[] = [];
  for (const id of [...ids].sort(compareIds)) {
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let current: string | undefined = id;
    while (current !== undefined && !done.has(current) && !onPath.has(current)) {
      onPath.set(current, path.length);
      path.push(current);
      current = blockerOf(current);
    }
    let tailEnd = path.length;
    if (current !== undefined && onPath.has(current)) {
      const cycle = path.slice(onPath.get(current));
      tailEnd = path.length - cycle.length;
      const cut = cycle.reduce((min, x) => (compareIds(x, min) < 0 ? x : min));
      const at = cycle.indexOf(cut);
      replaced.push(cut);
      // cycle[i] waits for cycle[i + 1]; with `cut` gone, cycle[at - 1] waits for nothing.
      for (let step = 1; step < cycle.length; step += 1) {
        order.push(cycle[(at - step + cycle.length) % cycle.length] as string);
      }
      for (const x of cycle) done.add(x);
    }
    for (let i = tailEnd - 1; i >= 0; i -= 1) {
      order.push(path[i] as string);
      done.add(path[i] as string);
    }
  }
  return { order, replaced };
}

/** Relations that lose an endpoint when these spans and relations go, transitively (structural). */
function structuralClosure(relations: Map<string, Relation>, spanIds: Iterable<string>, relationIds: Iterable<string>): Set<string> {
  const byEndpoint = new Map<string, string[]>();
  for (const r of relations.values()) {
    for (const end of r.source === r.target ? [r.source] : [r.source, r.target]) {
      const list = byEndpoint.get(end);
      if (list) list.push(r.id);
      else byEndpoint.set(end, [r.id]);
    }
  }
  const result = new Set<string>();
  const queue = [...spanIds];
  for (const id of relationIds) {
    if (!result.has(id)) {
      result.add(id);
      queue.push(id);
    }
  }
  while (queue.length > 0) {
    const id = queue.pop() as string;
    for (const r of byEndpoint.get(id) ?? []) {
      if (!result.has(r)) {
        result.add(r);
        queue.push(r);
      }
    }
  }
  return result;
}

/**
 * Ops that turn `from` into `to`: applied to `from` with applyOps they give a state deep-equal to
 * `to` (both valid). Order: delete relations (undercuts first), delete spans, update spans, update
 * relation types, add spans, add relations (span-target first, then undercuts in dependency
 * order), category, status. Ids are the states' ids. Explicit deletes come first so no delete
 * cascades; a relation that must go only because an endpoint goes (and that `to` keeps) is deleted
 * and added back.
 */
export function diffAnnotationStates(from: AnnotationState, to: AnnotationState): AnnotationOp[] {
  const ops: AnnotationOp[] = [];

  // Spans.
  const deletedSpans = [...from.spans.keys()].filter((id) => !to.spans.has(id));
  const addedSpans = [...to.spans.keys()].filter((id) => !from.spans.has(id));
  const spanHolder = new Map<string, string>();
  for (const s of from.spans.values()) spanHolder.set(spanKey(s.start, s.end, s.label), s.id);
  const changedSpans: string[] = [];
  const movingSpans = new Set<string>();
  for (const [id, before] of from.spans) {
    const after = to.spans.get(id);
    if (!after) continue;
    const keyChanges = before.label !== after.label || before.start !== after.start || before.end !== after.end;
    if (keyChanges) movingSpans.add(id);
    if (keyChanges || before.note !== after.note) changedSpans.push(id);
  }
  const spanPlan = orderUpdates(changedSpans, (id) => {
    if (!movingSpans.has(id)) return undefined;
    const after = to.spans.get(id) as Span;
    const holder = spanHolder.get(spanKey(after.start, after.end, after.label));
    return holder !== undefined && holder !== id && movingSpans.has(holder) ? holder : undefined;
  });
  const goneSpans = [...deletedSpans, ...spanPlan.replaced];

  // Relations that must go: not in `to`, re-pointed, changed target kind, or on a span that goes.
  const mustGo: string[] = [];
  const retyped: string[] = [];
  for (const [id, before] of from.relations) {
    const after = to.relations.get(id);
    if (
      !after ||
      after.source !== before.source ||
      after.target !== before.target ||
      from.relations.has(before.target) !== to.relations.has(after.target)
    ) {
      mustGo.push(id);
    } else if (after.type !== before.type) {
      retyped.push(id);
    }
  }
  let goneRelations = structuralClosure(from.relations, goneSpans, mustGo);
  const relationHolder = new Map<string, string>();
  for (const r of from.relations.values()) relationHolder.set(relationKey(r.type, r.source, r.target), r.id);
  const relationBlocker = (live: Set<string>) => (id: string) => {
    const after = to.relations.get(id) as Relation;
    const holder = relationHolder.get(relationKey(after.type, after.source, after.target));
    return holder !== undefined && holder !== id && live.has(holder) ? holder : undefined;
  };
  let live = new Set(retyped.filter((id) => !goneRelations.has(id)));
  let relationPlan = orderUpdates([...live], relationBlocker(live));
  if (relationPlan.replaced.length > 0) {
    goneRelations = structuralClosure(from.relations, goneSpans, [...goneRelations, ...relationPlan.replaced]);
    live = new Set(retyped.filter((id) => !goneRelations.has(id)));
    relationPlan = orderUpdates([...live], relationBlocker(live));
  }

  const goneList = readdOrder([...goneRelations].map((id) => from.relations.get(id) as Relation));
  for (let i = goneList.length - 1; i >= 0; i -= 1) ops.push({ op: 'deleteRelation', id: (goneList[i] as Relation).id });
  for (const id of [...goneSpans].sort(compareIds)) ops.push({ op: 'deleteSpan', id });

  for (const id of spanPlan.order) {
    const before = from.spans.get(id) as Span;
    const after = to.spans.get(id) as Span;
    const update: SpanUpdate = { op: 'updateSpan', id };
    if (after.label !== before.label) update.label = after.label;
    if (after.start !== before.start) update.start = after.start;
    if (after.end !== before.end) update.end = after.end;
    if (after.note !== before.note) update.note = after.note;
    ops.push(update);
  }
  for (const id of relationPlan.order) {
    ops.push({ op: 'updateRelation', id, type: (to.relations.get(id) as Relation).type });
  }

  const spansToAdd = [...addedSpans, ...spanPlan.replaced].map((id) => to.spans.get(id) as Span).sort(compareSpans);
  for (const span of spansToAdd) ops.push(addSpanOp(span));

  const relationsToAdd = [...to.relations.values()].filter((r) => !from.relations.has(r.id) || goneRelations.has(r.id));
  // Span-target relations first (level 0), then relation-target ones after what they aim at.
  const spanTargeted = relationsToAdd.filter((r) => !to.relations.has(r.target)).sort((a, b) => compareIds(a.id, b.id));
  const relationTargeted = readdOrder(relationsToAdd.filter((r) => to.relations.has(r.target)));
  for (const relation of [...spanTargeted, ...relationTargeted]) ops.push(addRelationOp(relation));

  if (from.category !== to.category) ops.push({ op: 'setCategory', category: to.category });
  if (from.status !== to.status || from.skipReason !== to.skipReason) {
    ops.push({ op: 'setStatus', status: to.status, reason: to.skipReason });
  }
  return ops;
}
