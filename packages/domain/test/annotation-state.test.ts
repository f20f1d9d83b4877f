import { describe, expect, it } from 'vitest';
import {
  AnnotationOpError,
  annotationStateToContent,
  applyOp,
  applyOps,
  cloneAnnotationState,
  createAnnotationState,
  dependentRelations,
  diffAnnotationStates,
  type AnnotationContext,
  type AnnotationState,
} from '../src/annotation-state.ts';
import type { AnnotationOp, Relation, Span } from '../src/model.ts';
import { checkSpanOffsets } from '../src/offsets.ts';
import { DEFAULT_SCHEME } from '../src/scheme.ts';
import { mulberry32 } from '../../../test-support/prng.ts';

/** The worked example of docs/offsets.md: `café` in NFD, an astral emoji, CRLF. 20 UTF-16 units. */
const TEXT = 'Поэтому 😀 cafe\u0301\r\nOK';
const ctx: AnnotationContext = { text: TEXT, scheme: DEFAULT_SCHEME };

function span(id: string, label: string, start: number, end: number, note: string | null = null): Span {
  return { id, label, start, end, note };
}

function relation(id: string, type: string, source: string, target: string): Relation {
  return { id, type, source, target };
}

/**
 * p1 [0,7) premise, p2 [8,10) premise, c [11,16) conclusion;
 * r1: p1 supports c, r2: p2 attacks c, u1: p2 undercuts r1, u2: p1 undercuts u1.
 */
function sample(): AnnotationState {
  return createAnnotationState({
    spans: [span('p1', 'premise', 0, 7), span('p2', 'premise', 8, 10, 'emoji'), span('c', 'conclusion', 11, 16)],
    relations: [
      relation('r1', 'supports', 'p1', 'c'),
      relation('r2', 'attacks', 'p2', 'c'),
      relation('u1', 'undercuts', 'p2', 'r1'),
      relation('u2', 'undercuts', 'p1', 'u1'),
    ],
    category: null,
    status: 'draft',
    skipReason: null,
  });
}

/** The error applyOp throws, or a failure if it does not throw. */
function refusal(state: AnnotationState, op: AnnotationOp): AnnotationOpError {
  const before = cloneAnnotationState(state);
  try {
    applyOp(state, op, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(AnnotationOpError);
    expect(state).toEqual(before);
    return error as AnnotationOpError;
  }
  throw new Error(`expected ${JSON.stringify(op)} to be refused`);
}

function expectRefused(op: AnnotationOp, code: 'INVALID_CHANGE' | 'INVALID_OFFSETS', message: string, state = sample()) {
  const error = refusal(state, op);
  expect({ code: error.code, message: error.message, opIndex: error.opIndex }).toEqual({ code, message, opIndex: 0 });
  return error;
}

describe('createAnnotationState and annotationStateToContent', () => {
  it('copies its input and gives content in the API order', () => {
    const spans = [span('b', 'premise', 0, 7), span('a', 'premise', 0, 7, 'x'), span('z', 'conclusion', 0, 3)];
    const state = createAnnotationState({ spans, relations: [relation('r2', 'supports', 'a', 'z'), relation('r10', 'supports', 'b', 'z')], category: 'reasoning', status: 'draft', skipReason: null });
    spans[0]!.start = 5;
    expect(state.spans.get('b')?.start).toBe(0);
    const content = annotationStateToContent(state);
    expect(content.spans.map((s) => s.id)).toEqual(['z', 'a', 'b']);
    expect(content.relations.map((r) => r.id)).toEqual(['r10', 'r2']);
    expect(content).toMatchObject({ category: 'reasoning', status: 'draft', skipReason: null });
  });

  it('normalises a missing note to null and clones deeply', () => {
    const state = createAnnotationState({ spans: [{ id: 's', label: 'premise', start: 0, end: 1 } as Span], relations: [], category: null, status: 'draft', skipReason: null });
    expect(state.spans.get('s')).toEqual(span('s', 'premise', 0, 1, null));
    const copy = cloneAnnotationState(state);
    expect(copy).toEqual(state);
    expect(copy.spans).not.toBe(state.spans);
    expect(copy.spans.get('s')).not.toBe(state.spans.get('s'));
  });
});

describe('applyOp refuses exactly what the server refuses', () => {
  describe('addSpan', () => {
    const add = (start: number, end: number, label = 'premise', id = 'n') => ({ op: 'addSpan', span: { id, label, start, end } }) as const;

    it.each([
      ['not_integer', 1.5, 3, 'start'],
      ['negative', -1, 3, 'start'],
      ['past_end', 0, 21, 'end'],
      ['empty_or_reversed', 5, 5, 'end'],
      ['inside_surrogate_pair', 9, 12, 'start'],
    ] as const)('%s offsets: INVALID_OFFSETS with the reason and field', (reason, start, end, field) => {
      const problem = checkSpanOffsets(TEXT, start, end);
      const error = expectRefused(add(start, end), 'INVALID_OFFSETS', `ops[0]: ${problem?.message}`);
      expect({ reason: error.reason, field: error.field }).toEqual({ reason, field });
    });

    it('checks offsets before the label', () => {
      expect(refusal(sample(), add(-1, 3, 'claim')).code).toBe('INVALID_OFFSETS');
    });

    it('refuses a label outside the scheme, naming the known ones', () => {
      expectRefused(add(0, 3, 'claim'), 'INVALID_CHANGE', "ops[0]: unknown span label 'claim' (this project's labels: premise, inference, conclusion)");
    });

    it('refuses an id already used by a span or a relation', () => {
      expectRefused(add(0, 3, 'premise', 'p1'), 'INVALID_CHANGE', "ops[0]: id 'p1' is already used in this set");
      expectRefused(add(0, 3, 'premise', 'r1'), 'INVALID_CHANGE', "ops[0]: id 'r1' is already used in this set");
    });

    it('refuses a twin (same start, end and label) but not the same range with another label', () => {
      expectRefused(add(0, 7, 'premise'), 'INVALID_CHANGE', "ops[0]: span 'p1' already marks [0, 7) as 'premise'");
      const state = sample();
      applyOp(state, add(0, 7, 'conclusion'), ctx);
      expect(state.spans.get('n')).toEqual(span('n', 'conclusion', 0, 7, null));
    });

    it('accepts a span inside a grapheme cluster (the API does; the editor snaps)', () => {
      const state = sample();
      applyOp(state, add(14, 15), ctx); // between e and U+0301
      applyOp(state, { op: 'addSpan', span: { id: 'crlf', label: 'premise', start: 16, end: 17, note: 'CR only' } }, ctx);
      expect(state.spans.get('crlf')?.note).toBe('CR only');
    });
  });

  describe('updateSpan', () => {
    it('refuses an unknown span', () => {
      expectRefused({ op: 'updateSpan', id: 'nope', label: 'premise' }, 'INVALID_CHANGE', "ops[0]: no span with id 'nope'");
      expectRefused({ op: 'updateSpan', id: 'r1', label: 'premise' }, 'INVALID_CHANGE', "ops[0]: no span with id 'r1'");
    });

    it('checks the merged offsets (a new start past the old end)', () => {
      const error = expectRefused({ op: 'updateSpan', id: 'p1', start: 7 }, 'INVALID_OFFSETS', `ops[0]: ${checkSpanOffsets(TEXT, 7, 7)?.message}`);
      expect(error.reason).toBe('empty_or_reversed');
      expect(refusal(sample(), { op: 'updateSpan', id: 'p2', end: 9 }).reason).toBe('inside_surrogate_pair');
    });

    it('refuses an unknown label and a twin, but not itself', () => {
      expectRefused({ op: 'updateSpan', id: 'p1', label: 'claim' }, 'INVALID_CHANGE', "ops[0]: unknown span label 'claim' (this project's labels: premise, inference, conclusion)");
      expectRefused({ op: 'updateSpan', id: 'p2', start: 0, end: 7 }, 'INVALID_CHANGE', "ops[0]: span 'p1' already marks [0, 7) as 'premise'");
      const state = sample();
      applyOp(state, { op: 'updateSpan', id: 'p1', start: 0, end: 7, label: 'premise' }, ctx);
      expect(state).toEqual(sample());
    });

    it('updates only the given fields; note null clears, note absent keeps', () => {
      const state = sample();
      applyOp(state, { op: 'updateSpan', id: 'p2', label: 'inference' }, ctx);
      expect(state.spans.get('p2')).toEqual(span('p2', 'inference', 8, 10, 'emoji'));
      applyOp(state, { op: 'updateSpan', id: 'p2', note: null }, ctx);
      expect(state.spans.get('p2')).toEqual(span('p2', 'inference', 8, 10, null));
    });

    it('replaces the span object rather than mutating it', () => {
      const state = sample();
      const before = state.spans.get('p1');
      const untouched = state.spans.get('c');
      applyOp(state, { op: 'updateSpan', id: 'p1', note: 'n' }, ctx);
      expect(before).toEqual(span('p1', 'premise', 0, 7));
      expect(state.spans.get('p1')).not.toBe(before);
      expect(state.spans.get('c')).toBe(untouched);
    });
  });

  describe('deleteSpan', () => {
    it('refuses an unknown span', () => {
      expectRefused({ op: 'deleteSpan', id: 'r1' }, 'INVALID_CHANGE', "ops[0]: no span with id 'r1'");
    });

    it('cascades to the relations on the span and, transitively, to relations aimed at them', () => {
      const state = sample();
      applyOp(state, { op: 'deleteSpan', id: 'c' }, ctx);
      // r1 and r2 end at c; u1 undercuts r1; u2 undercuts u1.
      expect([...state.relations.keys()]).toEqual([]);
      const other = sample();
      applyOp(other, { op: 'deleteSpan', id: 'p2' }, ctx);
      // r2 and u1 have p2 as source; u2 undercuts u1. r1 stays.
      expect([...other.relations.keys()]).toEqual(['r1']);
    });

    it('undoes with the span first, then relations before the undercuts aimed at them', () => {
      const state = sample();
      const undo = applyOp(state, { op: 'deleteSpan', id: 'p1' }, ctx);
      expect(undo).toEqual([
        { op: 'addSpan', span: span('p1', 'premise', 0, 7, null) },
        { op: 'addRelation', relation: relation('r1', 'supports', 'p1', 'c') },
        { op: 'addRelation', relation: relation('u1', 'undercuts', 'p2', 'r1') },
        { op: 'addRelation', relation: relation('u2', 'undercuts', 'p1', 'u1') },
      ]);
      applyOps(state, undo, ctx);
      expect(state).toEqual(sample());
    });
  });

  describe('addRelation', () => {
    const add = (id: string, type: string, source: string, target: string): AnnotationOp => ({ op: 'addRelation', relation: relation(id, type, source, target) });

    it('refuses an unknown type first, naming the known ones', () => {
      expectRefused(add('p1', 'rebuts', 'nope', 'nope'), 'INVALID_CHANGE', "ops[0]: unknown relation type 'rebuts' (this project's types: supports, attacks, undercuts)");
    });

    it('refuses a used id, a missing source, a missing target, a self-relation', () => {
      expectRefused(add('r1', 'supports', 'p2', 'p1'), 'INVALID_CHANGE', "ops[0]: id 'r1' is already used in this set");
      expectRefused(add('c', 'supports', 'p2', 'p1'), 'INVALID_CHANGE', "ops[0]: id 'c' is already used in this set");
      expectRefused(add('n', 'supports', 'r1', 'p1'), 'INVALID_CHANGE', "ops[0]: source: no span with id 'r1'");
      expectRefused(add('n', 'supports', 'p1', 'r1'), 'INVALID_CHANGE', "ops[0]: target: no span with id 'r1' ('supports' links two spans)");
      expectRefused(add('n', 'attacks', 'p1', 'p1'), 'INVALID_CHANGE', 'ops[0]: a span cannot be related to itself');
      expectRefused(add('n', 'undercuts', 'p1', 'c'), 'INVALID_CHANGE', "ops[0]: target: no relation with id 'c' ('undercuts' points at a relation)");
    });

    it('refuses a twin (same type, source and target) but not another type', () => {
      expectRefused(add('n', 'supports', 'p1', 'c'), 'INVALID_CHANGE', "ops[0]: relation 'r1' already links these with 'supports'");
      expectRefused(add('n', 'undercuts', 'p2', 'r1'), 'INVALID_CHANGE', "ops[0]: relation 'u1' already links these with 'undercuts'");
      const state = sample();
      applyOp(state, add('n', 'attacks', 'p1', 'c'), ctx);
      expect(state.relations.get('n')).toEqual(relation('n', 'attacks', 'p1', 'c'));
    });
  });

  describe('updateRelation', () => {
    it('refuses an unknown relation or type, a change of target kind, a twin', () => {
      expectRefused({ op: 'updateRelation', id: 'p1', type: 'supports' }, 'INVALID_CHANGE', "ops[0]: no relation with id 'p1'");
      expectRefused({ op: 'updateRelation', id: 'r1', type: 'rebuts' }, 'INVALID_CHANGE', "ops[0]: unknown relation type 'rebuts'");
      expectRefused(
        { op: 'updateRelation', id: 'r1', type: 'undercuts' },
        'INVALID_CHANGE',
        "ops[0]: 'supports' points at a span, 'undercuts' at a relation: delete and recreate instead",
      );
      const state = sample();
      applyOp(state, { op: 'addRelation', relation: relation('r3', 'attacks', 'p1', 'c') }, ctx);
      expectRefused({ op: 'updateRelation', id: 'r1', type: 'attacks' }, 'INVALID_CHANGE', "ops[0]: relation 'r3' already links these with 'attacks'", state);
    });

    it('changes the type, keeping endpoints; the same type is a no-op', () => {
      const state = sample();
      applyOp(state, { op: 'updateRelation', id: 'r2', type: 'supports' }, ctx);
      expect(state.relations.get('r2')).toEqual(relation('r2', 'supports', 'p2', 'c'));
      const same = sample();
      applyOp(same, { op: 'updateRelation', id: 'r2', type: 'attacks' }, ctx);
      expect(same).toEqual(sample());
    });

    it('lets a relation whose type left the scheme take any known type (the server does)', () => {
      const state = createAnnotationState({ ...annotationStateToContent(sample()), relations: [relation('old', 'rebuts', 'p1', 'p2')] });
      applyOp(state, { op: 'updateRelation', id: 'old', type: 'undercuts' }, ctx);
      expect(state.relations.get('old')?.type).toBe('undercuts');
    });
  });

  describe('deleteRelation', () => {
    it('refuses an unknown relation', () => {
      expectRefused({ op: 'deleteRelation', id: 'c' }, 'INVALID_CHANGE', "ops[0]: no relation with id 'c'");
    });

    it('cascades to undercuts aimed at it, transitively, and undoes in a valid order', () => {
      const state = sample();
      const undo = applyOp(state, { op: 'deleteRelation', id: 'r1' }, ctx);
      expect([...state.relations.keys()]).toEqual(['r2']);
      expect(undo.map((op) => (op.op === 'addRelation' ? op.relation.id : op.op))).toEqual(['r1', 'u1', 'u2']);
      applyOps(state, undo, ctx);
      expect(state).toEqual(sample());
    });
  });

  describe('setCategory and setStatus', () => {
    it('refuses a category outside the scheme; null clears', () => {
      expectRefused({ op: 'setCategory', category: 'poetry' }, 'INVALID_CHANGE', "ops[0]: unknown category 'poetry' (this project's categories: reasoning, knowledge, noise)");
      const state = sample();
      expect(applyOp(state, { op: 'setCategory', category: 'noise' }, ctx)).toEqual([{ op: 'setCategory', category: null }]);
      expect(applyOp(state, { op: 'setCategory', category: null }, ctx)).toEqual([{ op: 'setCategory', category: 'noise' }]);
    });

    it('needs a non-blank reason to skip, stores it trimmed, and clears it otherwise', () => {
      expectRefused({ op: 'setStatus', status: 'skipped' }, 'INVALID_CHANGE', 'ops[0]: skipping a passage needs a reason');
      expectRefused({ op: 'setStatus', status: 'skipped', reason: ' \n ' }, 'INVALID_CHANGE', 'ops[0]: skipping a passage needs a reason');
      expectRefused({ op: 'setStatus', status: 'skipped', reason: null }, 'INVALID_CHANGE', 'ops[0]: skipping a passage needs a reason');
      const state = sample();
      const undoSkip = applyOp(state, { op: 'setStatus', status: 'skipped', reason: '  not an argument ' }, ctx);
      expect(state).toMatchObject({ status: 'skipped', skipReason: 'not an argument' });
      expect(undoSkip).toEqual([{ op: 'setStatus', status: 'draft', reason: null }]);
      const undoSubmit = applyOp(state, { op: 'setStatus', status: 'submitted', reason: 'ignored' }, ctx);
      expect(state).toMatchObject({ status: 'submitted', skipReason: null });
      expect(undoSubmit).toEqual([{ op: 'setStatus', status: 'skipped', reason: 'not an argument' }]);
      applyOps(state, [...undoSubmit, ...undoSkip], ctx);
      expect(state).toEqual(sample());
    });
  });
});

describe('applyOps', () => {
  it('is all or nothing: a refused op restores the state exactly and names its index', () => {
    const state = sample();
    const ops: AnnotationOp[] = [
      { op: 'deleteSpan', id: 'p1' },
      { op: 'setStatus', status: 'skipped', reason: 'why' },
      { op: 'updateRelation', id: 'r2', type: 'supports' },
      { op: 'addSpan', span: { id: 'x', label: 'premise', start: 0, end: 3 } },
      { op: 'addSpan', span: { id: 'y', label: 'premise', start: 0, end: 3 } },
    ];
    let error: unknown;
    try {
      applyOps(state, ops, ctx);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AnnotationOpError);
    expect({ code: (error as AnnotationOpError).code, opIndex: (error as AnnotationOpError).opIndex, message: (error as Error).message }).toEqual({
      code: 'INVALID_CHANGE',
      opIndex: 4,
      message: "ops[4]: span 'x' already marks [0, 3) as 'premise'",
    });
    expect(state).toEqual(sample());
    // The index survived the rollback: the restored spans are still seen as twins.
    expect(refusal(state, { op: 'addSpan', span: { id: 'z', label: 'premise', start: 0, end: 7 } }).message).toContain("span 'p1'");
    applyOp(state, { op: 'addSpan', span: { id: 'x', label: 'premise', start: 0, end: 3 } }, ctx);
  });

  it('reports INVALID_OFFSETS with the index of the op', () => {
    const state = sample();
    try {
      applyOps(state, [{ op: 'setCategory', category: 'noise' }, { op: 'updateSpan', id: 'c', end: 99 }], ctx);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_OFFSETS', opIndex: 1, reason: 'past_end', field: 'end' });
      expect((error as Error).message).toBe('ops[1]: end 99 is past the end of the passage (length 20 UTF-16 code units)');
    }
    expect(state).toEqual(sample());
  });

  it('returns undo ops for the whole list, last op first', () => {
    const state = sample();
    const undo = applyOps(
      state,
      [
        { op: 'addSpan', span: { id: 'x', label: 'inference', start: 17, end: 20 } },
        { op: 'addRelation', relation: relation('rx', 'supports', 'x', 'c') },
        { op: 'deleteSpan', id: 'c' },
        { op: 'setCategory', category: 'reasoning' },
      ],
      ctx,
    );
    expect(undo[0]).toEqual({ op: 'setCategory', category: null });
    expect(undo.at(-1)).toEqual({ op: 'deleteSpan', id: 'x' });
    applyOps(state, undo, ctx);
    expect(state).toEqual(sample());
  });

  it('undoes every op kind exactly', () => {
    const ops: AnnotationOp[] = [
      { op: 'addSpan', span: { id: 'x', label: 'inference', start: 17, end: 20, note: 'n' } },
      { op: 'updateSpan', id: 'p2', label: 'conclusion', start: 7, end: 10, note: null },
      { op: 'updateSpan', id: 'c' },
      { op: 'deleteSpan', id: 'p2' },
      { op: 'addRelation', relation: relation('rx', 'supports', 'p1', 'p2') },
      { op: 'addRelation', relation: relation('ux', 'undercuts', 'c', 'r2') },
      { op: 'updateRelation', id: 'r1', type: 'attacks' },
      { op: 'deleteRelation', id: 'u1' },
      { op: 'setCategory', category: 'knowledge' },
      { op: 'setStatus', status: 'submitted' },
      { op: 'setStatus', status: 'skipped', reason: 'r' },
    ];
    for (const op of ops) {
      const state = sample();
      const undo = applyOp(state, op, ctx);
      if (!(op.op === 'updateSpan' && op.id === 'c')) expect(state).not.toEqual(sample());
      applyOps(state, undo, ctx);
      expect({ op, state }).toEqual({ op, state: sample() });
    }
  });
});

describe('dependentRelations', () => {
  it('follows the server cascade, in an order valid to add back', () => {
    const state = sample();
    expect(dependentRelations(state, ['c'], [], DEFAULT_SCHEME).map((r) => r.id)).toEqual(['r1', 'r2', 'u1', 'u2']);
    expect(dependentRelations(state, [], ['r1'], DEFAULT_SCHEME).map((r) => r.id)).toEqual(['u1', 'u2']);
    expect(dependentRelations(state, [], ['r2'], DEFAULT_SCHEME)).toEqual([]);
    expect(dependentRelations(state, ['p2'], [], DEFAULT_SCHEME).map((r) => r.id)).toEqual(['r2', 'u1', 'u2']);
  });

  it('treats a type missing from the scheme as span-target, like the server', () => {
    const state = createAnnotationState({ ...annotationStateToContent(sample()), relations: [relation('r1', 'supports', 'p1', 'c'), relation('odd', 'rebuts', 'p2', 'r1')] });
    expect(dependentRelations(state, [], ['r1'], DEFAULT_SCHEME)).toEqual([]);
    expect(dependentRelations(state, ['p2'], [], DEFAULT_SCHEME).map((r) => r.id)).toEqual(['odd']);
  });
});

/* Random edits, for the undo and diff properties. */

const LABELS = ['premise', 'inference', 'conclusion', 'claim'];
const TYPES = ['supports', 'attacks', 'undercuts', 'rebuts'];
const CATEGORIES = [null, 'reasoning', 'knowledge', 'noise', 'poetry'];
const OFFSETS = [0, 1, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 20];

function randomOp(random: () => number, state: AnnotationState, idPool: number): AnnotationOp {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const anyId = () => (random() < 0.7 && state.spans.size + state.relations.size > 0 ? pick([...state.spans.keys(), ...state.relations.keys()]) : `id${Math.floor(random() * idPool)}`);
  const spanId = () => (random() < 0.9 && state.spans.size > 0 ? pick([...state.spans.keys()]) : anyId());
  const relationId = () => (random() < 0.9 && state.relations.size > 0 ? pick([...state.relations.keys()]) : anyId());
  const freshId = () => `id${Math.floor(random() * idPool)}`;
  const roll = random();
  if (roll < 0.3) {
    const a = pick(OFFSETS);
    const b = pick(OFFSETS);
    return { op: 'addSpan', span: { id: freshId(), label: pick(LABELS), start: Math.min(a, b), end: Math.max(a, b), note: random() < 0.3 ? 'note' : undefined } };
  }
  if (roll < 0.45) {
    const op: AnnotationOp = { op: 'updateSpan', id: spanId() };
    if (random() < 0.5) op.label = pick(LABELS);
    if (random() < 0.3) op.start = pick(OFFSETS);
    if (random() < 0.3) op.end = pick(OFFSETS);
    if (random() < 0.3) op.note = random() < 0.5 ? null : `n${Math.floor(random() * 3)}`;
    return op;
  }
  if (roll < 0.52) return { op: 'deleteSpan', id: spanId() };
  if (roll < 0.75) {
    const type = pick([...TYPES, 'undercuts', 'undercuts']);
    return { op: 'addRelation', relation: { id: freshId(), type, source: spanId(), target: type === 'undercuts' ? relationId() : spanId() } };
  }
  if (roll < 0.85) return { op: 'updateRelation', id: relationId(), type: pick(TYPES) };
  if (roll < 0.9) return { op: 'deleteRelation', id: relationId() };
  if (roll < 0.95) return { op: 'setCategory', category: pick(CATEGORIES) };
  return { op: 'setStatus', status: pick(['draft', 'submitted', 'skipped'] as const), reason: pick([null, '', ' why ', 'because']) };
}

/** Applies `count` random ops, keeping those the rules accept. */
function randomEdits(random: () => number, state: AnnotationState, count: number, idPool = 40): AnnotationOp[] {
  const applied: AnnotationOp[] = [];
  for (let i = 0; i < count; i += 1) {
    const op = randomOp(random, state, idPool);
    try {
      applyOp(state, op, ctx);
      applied.push(op);
    } catch (error) {
      if (!(error instanceof AnnotationOpError)) throw error;
    }
  }
  return applied;
}

/**
 * Edits that make diffs hard: a span deleted and re-created under the same id elsewhere (its
 * relations re-attached, undercuts included), two spans swapping keys, a relation re-created from
 * another source under the same id (its undercuts re-attached), two relations between the same
 * spans swapping types. Refused macros leave the state as it was.
 */
function randomMacro(random: () => number, state: AnnotationState): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const spans = [...state.spans.values()];
  const relations = [...state.relations.values()];
  const attempt = (ops: AnnotationOp[]) => {
    try {
      applyOps(state, ops, ctx);
    } catch (error) {
      if (!(error instanceof AnnotationOpError)) throw error;
    }
  };
  const roll = random();
  if (roll < 0.4 && spans.length > 0) {
    const x = pick(spans);
    const a = pick(OFFSETS);
    const b = pick(OFFSETS);
    const relationsOn = dependentRelations(state, [x.id], [], DEFAULT_SCHEME);
    attempt([
      { op: 'deleteSpan', id: x.id },
      { op: 'addSpan', span: { id: x.id, label: pick(LABELS.slice(0, 3)), start: Math.min(a, b), end: Math.max(a, b) } },
      ...relationsOn.map((r): AnnotationOp => ({ op: 'addRelation', relation: r })),
    ]);
  } else if (roll < 0.7 && spans.length > 1) {
    const a = pick(spans);
    const b = pick(spans.filter((s) => s.id !== a.id));
    for (const temp of LABELS.slice(0, 3)) {
      const before = state.spans.size;
      attempt([
        { op: 'updateSpan', id: a.id, label: temp },
        { op: 'updateSpan', id: b.id, start: a.start, end: a.end, label: a.label },
        { op: 'updateSpan', id: a.id, start: b.start, end: b.end, label: b.label },
      ]);
      if (state.spans.get(a.id)?.label !== temp && state.spans.size === before) break;
    }
  } else if (roll < 0.85 && relations.length > 0) {
    const r = pick(relations);
    const undercuts = dependentRelations(state, [], [r.id], DEFAULT_SCHEME);
    attempt([
      { op: 'deleteRelation', id: r.id },
      { op: 'addRelation', relation: { ...r, source: pick(spans).id } },
      ...undercuts.map((u): AnnotationOp => ({ op: 'addRelation', relation: u })),
    ]);
  } else if (relations.length > 1) {
    const r = pick(relations);
    const q = relations.find((o) => o.id !== r.id && o.source === r.source && o.target === r.target);
    if (!q) return;
    const undercutsOfQ = dependentRelations(state, [], [q.id], DEFAULT_SCHEME);
    attempt([
      { op: 'deleteRelation', id: q.id },
      { op: 'updateRelation', id: r.id, type: q.type },
      { op: 'addRelation', relation: { ...q, type: r.type } },
      ...undercutsOfQ.map((u): AnnotationOp => ({ op: 'addRelation', relation: u })),
    ]);
  }
}

/** Several spans, then relations among them and undercuts on those, then random edits. */
function richState(random: () => number): AnnotationState {
  const state = emptyState();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  let n = 0;
  const attempt = (op: AnnotationOp) => {
    try {
      applyOp(state, op, ctx);
    } catch (error) {
      if (!(error instanceof AnnotationOpError)) throw error;
    }
  };
  for (let i = 0; i < 8; i += 1) {
    const a = pick(OFFSETS);
    const b = pick(OFFSETS);
    attempt({ op: 'addSpan', span: { id: `id${(n += 1)}`, label: pick(LABELS.slice(0, 3)), start: Math.min(a, b), end: Math.max(a, b) } });
  }
  const spanIds = [...state.spans.keys()];
  if (spanIds.length > 1) {
    for (let i = 0; i < 12; i += 1) {
      const relationIds = [...state.relations.keys()];
      const undercut = relationIds.length > 0 && random() < 0.4;
      attempt({
        op: 'addRelation',
        relation: { id: `id${(n += 1)}`, type: undercut ? 'undercuts' : pick(['supports', 'attacks']), source: pick(spanIds), target: undercut ? pick(relationIds) : pick(spanIds) },
      });
    }
  }
  randomEdits(random, state, Math.floor(random() * 20), 30);
  return state;
}

function emptyState(): AnnotationState {
  return createAnnotationState({ spans: [], relations: [], category: null, status: 'draft', skipReason: null });
}

describe('random edit sequences', () => {
  it('undo restores the original state after every sequence', () => {
    const random = mulberry32(1);
    for (let round = 0; round < 100; round += 1) {
      const state = emptyState();
      randomEdits(random, state, 15);
      const original = cloneAnnotationState(state);
      const undo: AnnotationOp[][] = [];
      for (let i = 0; i < 25; i += 1) {
        const op = randomOp(random, state, 40);
        try {
          undo.push(applyOp(state, op, ctx));
        } catch (error) {
          if (!(error instanceof AnnotationOpError)) throw error;
        }
      }
      for (const inverse of undo.reverse()) applyOps(state, inverse, ctx);
      expect(state).toEqual(original);
    }
  });

  it('the incremental index decides every op as a freshly built state does', () => {
    const random = mulberry32(2);
    const state = emptyState();
    for (let i = 0; i < 800; i += 1) {
      const op = randomOp(random, state, 60);
      const fresh = cloneAnnotationState(state);
      const outcome = (s: AnnotationState) => {
        try {
          return { undo: applyOp(s, op, ctx), error: null };
        } catch (error) {
          return { undo: null, error: (error as Error).message };
        }
      };
      expect({ op, ...outcome(state) }).toEqual({ op, ...outcome(fresh) });
      expect(state).toEqual(fresh);
    }
  });

  it('applyOps of a random batch either applies it all or leaves the state as it was', () => {
    const random = mulberry32(3);
    let refused = 0;
    for (let round = 0; round < 150; round += 1) {
      const state = emptyState();
      randomEdits(random, state, 20);
      const before = cloneAnnotationState(state);
      const probe = cloneAnnotationState(state);
      const batch = Array.from({ length: 6 }, () => randomOp(random, probe, 40));
      try {
        const undo = applyOps(state, batch, ctx);
        applyOps(state, undo, ctx);
      } catch (error) {
        expect(error).toBeInstanceOf(AnnotationOpError);
        refused += 1;
      }
      expect(state).toEqual(before);
    }
    expect(refused).toBeGreaterThan(20);
  });
});

describe('diffAnnotationStates', () => {
  function expectDiffWorks(from: AnnotationState, to: AnnotationState): AnnotationOp[] {
    const ops = diffAnnotationStates(from, to);
    const result = cloneAnnotationState(from);
    applyOps(result, ops, ctx);
    expect(result).toEqual(to);
    return ops;
  }

  it('is empty between equal states', () => {
    expect(diffAnnotationStates(sample(), sample())).toEqual([]);
  });

  it('orders deletes, updates, adds, category, status', () => {
    const from = sample();
    const to = sample();
    applyOps(
      to,
      [
        { op: 'deleteSpan', id: 'p2' },
        { op: 'updateSpan', id: 'p1', note: 'n' },
        { op: 'addSpan', span: { id: 'x', label: 'premise', start: 17, end: 20 } },
        { op: 'addRelation', relation: relation('rx', 'supports', 'x', 'c') },
        { op: 'addRelation', relation: relation('ux', 'undercuts', 'x', 'r1') },
        { op: 'addRelation', relation: relation('uy', 'undercuts', 'p1', 'rx') },
        { op: 'setCategory', category: 'reasoning' },
        { op: 'setStatus', status: 'skipped', reason: 'no' },
      ],
      ctx,
    );
    expect(expectDiffWorks(from, to)).toEqual([
      { op: 'deleteRelation', id: 'u2' },
      { op: 'deleteRelation', id: 'u1' },
      { op: 'deleteRelation', id: 'r2' },
      { op: 'deleteSpan', id: 'p2' },
      { op: 'updateSpan', id: 'p1', note: 'n' },
      { op: 'addSpan', span: span('x', 'premise', 17, 20) },
      { op: 'addRelation', relation: relation('rx', 'supports', 'x', 'c') },
      { op: 'addRelation', relation: relation('ux', 'undercuts', 'x', 'r1') },
      { op: 'addRelation', relation: relation('uy', 'undercuts', 'p1', 'rx') },
      { op: 'setCategory', category: 'reasoning' },
      { op: 'setStatus', status: 'skipped', reason: 'no' },
    ]);
  });

  it('re-adds relations that must go only because their endpoint is replaced', () => {
    const from = sample();
    // `to` reuses the id c for a relation-free conclusion elsewhere, and p1 for a relation.
    const to = createAnnotationState({
      spans: [span('p2', 'premise', 8, 10, 'emoji'), span('c2', 'conclusion', 11, 16), span('c', 'premise', 17, 20)],
      relations: [relation('r2', 'attacks', 'p2', 'c2'), relation('p1', 'supports', 'p2', 'c')],
      category: null,
      status: 'draft',
      skipReason: null,
    });
    expectDiffWorks(from, to);
    expectDiffWorks(to, from);
  });

  it('swaps labels and relation types by replacing one member of each cycle', () => {
    const base = createAnnotationState({
      spans: [span('a', 'premise', 0, 7), span('b', 'conclusion', 0, 7), span('d', 'inference', 0, 7), span('e', 'premise', 8, 10), span('f', 'premise', 17, 20)],
      relations: [relation('s', 'supports', 'e', 'f'), relation('t', 'attacks', 'e', 'f'), relation('u', 'undercuts', 'd', 's')],
      category: null,
      status: 'draft',
      skipReason: null,
    });
    const to = createAnnotationState({
      spans: [span('a', 'conclusion', 0, 7), span('b', 'inference', 0, 7), span('d', 'premise', 0, 7), span('e', 'premise', 8, 10), span('f', 'premise', 17, 20)],
      relations: [relation('s', 'attacks', 'e', 'f'), relation('t', 'supports', 'e', 'f'), relation('u', 'undercuts', 'd', 's')],
      category: null,
      status: 'draft',
      skipReason: null,
    });
    // a, b, d swap labels on one range: a (the smallest id) is deleted and re-added, b and d updated.
    // s and t swap types: s is replaced, taking its undercut u with it; t is updated.
    expect(expectDiffWorks(base, to)).toEqual([
      { op: 'deleteRelation', id: 'u' },
      { op: 'deleteRelation', id: 's' },
      { op: 'deleteSpan', id: 'a' },
      { op: 'updateSpan', id: 'd', label: 'premise' },
      { op: 'updateSpan', id: 'b', label: 'inference' },
      { op: 'updateRelation', id: 't', type: 'supports' },
      { op: 'addSpan', span: span('a', 'conclusion', 0, 7) },
      { op: 'addRelation', relation: relation('s', 'attacks', 'e', 'f') },
      { op: 'addRelation', relation: relation('u', 'undercuts', 'd', 's') },
    ]);
    expectDiffWorks(to, base);
  });

  it('turns any state into any other (random property, shared and clashing ids)', () => {
    const random = mulberry32(42);
    let totalOps = 0;
    for (let round = 0; round < 250; round += 1) {
      const base = richState(random);
      const from = cloneAnnotationState(base);
      const to = cloneAnnotationState(base);
      randomEdits(random, from, Math.floor(random() * 30), 30);
      randomEdits(random, to, Math.floor(random() * 30), 30);
      for (let i = random() * 6; i > 1; i -= 1) randomMacro(random, random() < 0.5 ? from : to);
      const ops = diffAnnotationStates(from, to);
      totalOps += ops.length;
      const result = cloneAnnotationState(from);
      applyOps(result, ops, ctx);
      expect(result).toEqual(to);
      expect(diffAnnotationStates(to, to)).toEqual([]);
    }
    expect(totalOps).toBeGreaterThan(1000);
  });
});

describe('performance sanity: 5,000 spans and 1,000 relations', () => {
  it('builds, cascades, undoes and diffs a large set', () => {
    const text = 'word '.repeat(40_000);
    const big: AnnotationContext = { text, scheme: DEFAULT_SCHEME };
    const state = emptyState();
    const adds: AnnotationOp[] = [];
    for (let i = 0; i < 5000; i += 1) adds.push({ op: 'addSpan', span: { id: `s${i}`, label: i % 50 === 0 ? 'conclusion' : 'premise', start: i * 5, end: i * 5 + 4 } });
    for (let i = 0; i < 900; i += 1) adds.push({ op: 'addRelation', relation: relation(`r${i}`, 'supports', `s${i + 1}`, 's0') });
    for (let i = 0; i < 100; i += 1) adds.push({ op: 'addRelation', relation: relation(`u${i}`, 'undercuts', `s${i + 2000}`, i === 0 ? 'r0' : `u${i - 1}`) });
    const undoAll = applyOps(state, adds, big);
    expect(state.spans.size).toBe(5000);
    expect(state.relations.size).toBe(1000);

    const snapshot = cloneAnnotationState(state);
    const undo = applyOp(state, { op: 'deleteSpan', id: 's0' }, big);
    expect(state.relations.size).toBe(0);
    expect(undo).toHaveLength(1001);
    applyOps(state, undo, big);
    expect(state).toEqual(snapshot);

    const edited = cloneAnnotationState(state);
    applyOps(edited, [{ op: 'deleteRelation', id: 'r0' }, { op: 'updateSpan', id: 's17', label: 'inference' }, { op: 'deleteSpan', id: 's4999' }], big);
    const ops = diffAnnotationStates(state, edited);
    applyOps(state, ops, big);
    expect(state).toEqual(edited);

    applyOps(state, diffAnnotationStates(state, snapshot), big);
    applyOps(state, undoAll, big);
    expect(state).toEqual(emptyState());
  });
});
