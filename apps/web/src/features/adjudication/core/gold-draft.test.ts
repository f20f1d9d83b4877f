import { putGoldBody, type Comparison, type GoldVersion } from '@warrant/contracts';
import { describe, expect, it } from 'vitest';
import {
  applyGoldAction,
  bodyOf,
  categoryDecision,
  draftFromGold,
  indexComparison,
  isDirty,
  openCount,
  relationDecision,
  spanDecision,
  type GoldAction,
  type GoldDraft,
} from './gold-draft.ts';

// Cyrillic and an astral emoji (two UTF-16 units) before the later spans.
const TEXT = 'Налоги высоки 😀, поэтому цены растут. Значит, нужно снизить налоги.';
const at = (part: string) => {
  const start = TEXT.indexOf(part);
  if (start < 0) throw new Error(part);
  return { start, end: start + part.length };
};
const key = (part: string, label: string) => {
  const { start, end } = at(part);
  return `${start}:${end}:${label}`;
};

const S1 = key('Налоги высоки 😀', 'premise');
const S2 = key('нужно снизить налоги', 'conclusion');
const S3 = key('цены растут', 'premise');
const S4 = key('цены растут', 'inference');
const R1 = `supports(${S1}>${S2})`;
const R2 = `supports(${S3}>${S2})`;
const R3 = `undercuts(${S4}>${R1})`;

function span(part: string, label: string, ids: Record<string, string>) {
  return { key: key(part, label), ...at(part), label, text: part, ids, notes: [] };
}

function comparison(overrides: Partial<Comparison> = {}): Comparison {
  return {
    passage: { id: 'passage00001', externalId: 'p-1', text: TEXT },
    annotators: [
      { id: 'user0001', username: 'anna', displayName: 'Anna', setId: 'set000000001', category: 'reasoning', submittedAt: '2025-03-03T10:00:00.000Z' },
      { id: 'user0002', username: 'boris', displayName: 'Boris', setId: 'set000000002', category: 'reasoning', submittedAt: '2025-03-03T11:00:00.000Z' },
    ],
    spans: [
      span('Налоги высоки 😀', 'premise', { user0001: 'a1', user0002: 'b1' }),
      // Both annotators happened to choose the same id.
      span('нужно снизить налоги', 'conclusion', { user0001: 'a2', user0002: 'a2' }),
      span('цены растут', 'premise', { user0001: 'a3' }),
      span('цены растут', 'inference', { user0002: 'b4' }),
    ],
    relations: [
      { key: R1, type: 'supports', sourceKey: S1, targetKey: S2, ids: { user0001: 'r1', user0002: 'q1' } },
      { key: R2, type: 'supports', sourceKey: S3, targetKey: S2, ids: { user0001: 'r2' } },
      { key: R3, type: 'undercuts', sourceKey: S4, targetKey: R1, ids: { user0002: 'q3' } },
    ],
    figures: { exactF1: 0.5, unitizing: { value: 0.4, low: 0.1, high: 0.7, reason: null }, relationF1: 0.5 },
    gold: null,
    ...overrides,
  };
}

function setup(overrides: Partial<Comparison> = {}) {
  let n = 0;
  const index = indexComparison(comparison(overrides), () => `gnew${(n += 1)}`);
  const run = (draft: GoldDraft, ...actions: GoldAction[]) => actions.reduce((current, action) => applyGoldAction(current, index, action), draft);
  return { index, draft: draftFromGold(null, index), run };
}

/** What the server would answer to a PUT of this draft. */
function saved(draft: GoldDraft, version: number): GoldVersion {
  const body = bodyOf(draft);
  return {
    passageId: 'passage00001',
    status: body.status,
    version,
    category: body.category,
    categorySources: body.categorySources,
    spans: body.spans,
    relations: body.relations,
    note: body.note,
    adjudicator: { id: 'lead00000001', username: 'lena', displayName: 'Lena' },
    createdAt: '2025-03-04T09:00:00.000Z',
    updatedAt: '2025-03-04T09:00:00.000Z',
  };
}

describe('a new gold draft', () => {
  it('starts empty and unchanged, with every item undecided', () => {
    const { draft, index } = setup();
    expect(draft.baseVersion).toBe(0);
    expect(isDirty(draft)).toBe(false);
    expect(openCount(draft, index)).toBe(4 + 3 + 1);
    expect(bodyOf(draft)).toEqual({ baseVersion: 0, status: 'in_progress', category: null, categorySources: [], spans: [], relations: [], note: null });
  });
});

describe('accepting all agreed items', () => {
  it('takes the spans, relations and category every annotator shares, with their provenance', () => {
    const { draft, run, index } = setup();
    const next = run(draft, { type: 'acceptAllAgreed' });
    const body = bodyOf(next);
    expect(body.spans).toEqual([
      { id: 'a1', ...at('Налоги высоки 😀'), label: 'premise', note: null, sources: ['user0001', 'user0002'], edited: false },
      { id: 'a2', ...at('нужно снизить налоги'), label: 'conclusion', note: null, sources: ['user0001', 'user0002'], edited: false },
    ]);
    expect(body.relations).toEqual([{ id: 'r1', type: 'supports', source: 'a1', target: 'a2', sources: ['user0001', 'user0002'], edited: false }]);
    expect(body.category).toBe('reasoning');
    expect(body.categorySources).toEqual(['user0001', 'user0002']);
    expect(spanDecision(next, S3)).toBe('open');
    expect(openCount(next, index)).toBe(2 + 2);
    expect(isDirty(next)).toBe(true);
    expect(putGoldBody.safeParse(body).success).toBe(true);
  });

  it('leaves a category alone when annotators disagree on it', () => {
    const { run } = setup({
      annotators: comparison().annotators.map((annotator, i) => ({ ...annotator, category: i === 0 ? 'reasoning' : 'knowledge' })),
    });
    const next = run(setup().draft, { type: 'acceptAllAgreed' });
    expect(next.category).toBeNull();
  });

  it('does not bring back what the lead rejected', () => {
    const { draft, run } = setup();
    const next = run(draft, { type: 'rejectSpan', key: S1 }, { type: 'acceptAllAgreed' });
    expect(next.spans.map((s) => s.origin)).toEqual([S2]);
    expect(spanDecision(next, S1)).toBe('rejected');
    // Its relation needs it: not accepted either.
    expect(next.relations).toEqual([]);
  });
});

describe('relations', () => {
  it('accepting a relation accepts the spans it joins', () => {
    const { draft, run } = setup();
    const next = run(draft, { type: 'acceptRelation', key: R2 });
    expect(next.spans.map((s) => [s.id, s.origin])).toEqual([
      ['a3', S3],
      ['a2', S2],
    ]);
    expect(next.relations).toMatchObject([{ id: 'r2', source: 'a3', target: 'a2', sources: ['user0001'], edited: false, origin: R2 }]);
    expect(relationDecision(next, R2)).toBe('accepted');
  });

  it('an undercut accepts the relation it points at, and that relation its spans', () => {
    const { draft, run } = setup();
    const next = run(draft, { type: 'acceptRelation', key: R3 });
    const r1 = next.relations.find((r) => r.origin === R1);
    expect(r1).toMatchObject({ id: 'r1', source: 'a1', target: 'a2' });
    expect(next.relations.find((r) => r.origin === R3)).toMatchObject({ id: 'q3', source: 'b4', target: 'r1', sources: ['user0002'] });
    expect(next.spans.map((s) => s.origin).sort()).toEqual([S1, S2, S4].sort());
  });

  it('rejecting a span removes its relations, and relations pointing at those', () => {
    const { draft, run } = setup();
    const next = run(draft, { type: 'acceptRelation', key: R3 }, { type: 'acceptRelation', key: R2 }, { type: 'rejectSpan', key: S1 });
    expect(next.relations.map((r) => r.origin)).toEqual([R2]);
    expect(relationDecision(next, R1)).toBe('open');
    expect(relationDecision(next, R3)).toBe('open');
    expect(spanDecision(next, S1)).toBe('rejected');
  });

  it('a relation the lead draws between gold spans is edited, unless an annotator drew the same', () => {
    const { draft, run } = setup();
    const base = run(draft, { type: 'acceptSpan', key: S1 }, { type: 'acceptSpan', key: S2 }, { type: 'acceptSpan', key: S3 });
    const drawn = run(base, { type: 'addRelation', source: 'a3', target: 'a1', relationType: 'attacks' });
    expect(drawn.relations).toMatchObject([{ id: 'gnew1', type: 'attacks', source: 'a3', target: 'a1', sources: [], edited: true, origin: null }]);
    const same = run(base, { type: 'addRelation', source: 'a1', target: 'a2', relationType: 'supports' });
    expect(same.relations).toMatchObject([{ id: 'r1', sources: ['user0001', 'user0002'], edited: false, origin: R1 }]);
    // Not twice, not to itself.
    expect(run(same, { type: 'addRelation', source: 'a1', target: 'a2', relationType: 'supports' }).relations).toHaveLength(1);
    expect(run(base, { type: 'addRelation', source: 'a1', target: 'a1', relationType: 'supports' }).relations).toHaveLength(0);
  });

  it('changing a relation type marks it edited; deleting it removes what points at it', () => {
    const { draft, run } = setup();
    const next = run(draft, { type: 'acceptRelation', key: R3 }, { type: 'changeRelationType', id: 'r1', relationType: 'attacks' });
    expect(next.relations.find((r) => r.id === 'r1')).toMatchObject({ type: 'attacks', edited: true, origin: R1 });
    expect(relationDecision(next, R1)).toBe('changed');
    const removed = run(next, { type: 'deleteRelation', id: 'r1' });
    expect(removed.relations).toEqual([]);
    expect(relationDecision(removed, R1)).toBe('rejected');
  });
});

describe('editing spans directly', () => {
  it('a new span from the lead gets a fresh id and no sources', () => {
    const { draft, run } = setup();
    const { start, end } = at('снизить');
    const next = run(draft, { type: 'addSpan', start, end, label: 'conclusion' });
    expect(next.spans).toEqual([{ id: 'gnew1', label: 'conclusion', start, end, note: null, sources: [], edited: true, origin: null }]);
    expect(run(next, { type: 'addSpan', start, end, label: 'conclusion' }).spans).toHaveLength(1);
    expect(run(draft, { type: 'addSpan', start: 5, end: 5, label: 'premise' }).spans).toHaveLength(0);
    expect(run(draft, { type: 'addSpan', start: 0, end: TEXT.length + 1, label: 'premise' }).spans).toHaveLength(0);
  });

  it('selecting exactly what an annotator marked accepts their span', () => {
    const { draft, run } = setup();
    const { start, end } = at('цены растут');
    const next = run(draft, { type: 'addSpan', start, end, label: 'inference' });
    expect(next.spans).toMatchObject([{ id: 'b4', sources: ['user0002'], edited: false, origin: S4 }]);
  });

  it('a changed label is an edit, unless another annotator gave that label to the same words', () => {
    const { draft, run } = setup();
    const accepted = run(draft, { type: 'acceptSpan', key: S3 });
    const other = run(accepted, { type: 'changeSpanLabel', id: 'a3', label: 'inference' });
    expect(other.spans).toMatchObject([{ id: 'a3', label: 'inference', sources: ['user0002'], edited: false, origin: S4 }]);
    const own = run(accepted, { type: 'changeSpanLabel', id: 'a3', label: 'conclusion' });
    expect(own.spans).toMatchObject([{ id: 'a3', label: 'conclusion', sources: ['user0001'], edited: true, origin: S3 }]);
    expect(spanDecision(own, S3)).toBe('changed');
  });

  it('deleting a gold span rejects the item it came from', () => {
    const { draft, run } = setup();
    const next = run(draft, { type: 'acceptRelation', key: R1 }, { type: 'deleteSpan', id: 'a2' });
    expect(next.spans.map((s) => s.id)).toEqual(['a1']);
    expect(next.relations).toEqual([]);
    expect(spanDecision(next, S2)).toBe('rejected');
  });

  it('reuses an annotator id only while no gold item has it', () => {
    const { draft, run } = setup();
    const { start, end } = at('Значит');
    // The lead's own span takes a fresh id; then accepting S2 reuses "a2" (still free).
    const next = run(draft, { type: 'addSpan', start, end, label: 'premise' }, { type: 'acceptSpan', key: S2 });
    expect(next.spans.map((s) => s.id)).toEqual(['gnew1', 'a2']);
    // Spans and relations share one namespace: relation R1 cannot take an id a span holds.
    const { run: run2, draft: empty } = setup({
      relations: [{ key: R1, type: 'supports', sourceKey: S1, targetKey: S2, ids: { user0001: 'a1', user0002: 'a2' } }],
    });
    const both = run2(empty, { type: 'acceptRelation', key: R1 });
    expect(both.relations[0]?.id).toBe('gnew1');
  });
});

describe('categories', () => {
  it('accepting a category records who gave it; rejecting the chosen one clears it', () => {
    const { draft, run } = setup();
    const next = run(draft, { type: 'acceptCategory', category: 'reasoning' });
    expect([next.category, next.categorySources]).toEqual(['reasoning', ['user0001', 'user0002']]);
    const cleared = run(next, { type: 'rejectCategory', category: 'reasoning' });
    expect([cleared.category, cleared.categorySources]).toEqual([null, []]);
    expect(categoryDecision(cleared, 'reasoning')).toBe('rejected');
  });

  it('a category set directly that nobody gave has no sources', () => {
    const { draft, run } = setup();
    const next = run(draft, { type: 'setCategory', category: 'noise' });
    expect(bodyOf(next)).toMatchObject({ category: 'noise', categorySources: [] });
  });
});

describe('saved gold versions', () => {
  it('reads back as the same draft: origins, decisions, nothing changed', () => {
    const { draft, run, index } = setup();
    const built = run(
      draft,
      { type: 'acceptAllAgreed' },
      { type: 'acceptRelation', key: R3 },
      { type: 'changeSpanLabel', id: 'b4', label: 'conclusion' },
      { type: 'setNote', note: 'Boris read the middle as an inference.' },
      { type: 'setStatus', status: 'done' },
    );
    const reloaded = draftFromGold(saved(built, 3), index, built.rejected);
    expect(reloaded.baseVersion).toBe(3);
    expect(isDirty(reloaded)).toBe(false);
    expect(reloaded.spans.map((s) => s.origin).sort()).toEqual(built.spans.map((s) => s.origin).sort());
    expect(reloaded.relations.map((r) => r.origin)).toEqual(built.relations.map((r) => r.origin));
    expect(spanDecision(reloaded, S4)).toBe('changed');
    expect(relationDecision(reloaded, R3)).toBe('accepted');
    expect(bodyOf(reloaded)).toEqual({ ...bodyOf(built), baseVersion: 3 });
  });

  it('an empty note is saved as none', () => {
    const { draft, run } = setup();
    expect(bodyOf(run(draft, { type: 'setNote', note: '   ' })).note).toBeNull();
  });
});
