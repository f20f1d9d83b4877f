import { annotationSet, changeResponse, errorBody, historyList, versionConflict, type AnnotationSet } from '@warrant/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from './helpers/app.ts';
import { createProjectWithTeam, importTexts, next, type ProjectFixture } from './helpers/project.ts';

let t: TestApp;
let f: ProjectFixture;
let a: Client;
let setId: string;
let version = 0;
let seq = 0;

// Cyrillic, an astral emoji (a surrogate pair at 15-16), a combining mark and CRLF; 49 UTF-16 units.
const TEXT = 'Мы должны уйти 😀 сейчас, cafe\u0301.\r\nИначе опоздаем.';

async function change(ops: unknown[], options: { baseVersion?: number; changeId?: string; client?: Client } = {}) {
  seq += 1;
  const res = await (options.client ?? a).post(`/api/annotation-sets/${setId}/changes`, {
    changeId: options.changeId ?? `c${seq}`,
    baseVersion: options.baseVersion ?? version,
    ops,
  });
  if (res.statusCode === 200) version = changeResponse.parse(res.json()).version;
  return res;
}

async function current(): Promise<AnnotationSet> {
  const res = await a.get(`/api/annotation-sets/${setId}`);
  expect(res.statusCode).toBe(200);
  return annotationSet.parse(res.json());
}

function expectError(res: { statusCode: number; json(): unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  const body = errorBody.parse(res.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

const totalChanges = () => (t.app.sqlite.prepare('select total_changes() as n').get() as { n: number }).n;

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'ann', 1);
  a = f.annotators[0] as Client;
  await importTexts(f.lead, f.project.id, [{ id: 'one', text: TEXT }]);
  const item = await next(a, f.project.id);
  setId = item?.setId ?? '';
});
afterAll(async () => t.close());

describe('spans', () => {
  it('adds spans with UTF-16 offsets, including around an astral character', async () => {
    const res = await change([
      { op: 'addSpan', span: { id: 's1', label: 'conclusion', start: 0, end: 14 } },
      { op: 'addSpan', span: { id: 's2', label: 'premise', start: 15, end: 17, note: 'the emoji' } },
    ]);
    expect(res.statusCode).toBe(200);
    expect(changeResponse.parse(res.json())).toEqual({ changeId: `c${seq}`, version: 1, replayed: false });
    const set = await current();
    expect(set.spans).toEqual([
      { id: 's1', label: 'conclusion', start: 0, end: 14, note: null },
      { id: 's2', label: 'premise', start: 15, end: 17, note: 'the emoji' },
    ]);
    expect(TEXT.slice(15, 17)).toBe('😀');
  });

  it.each([
    ['negative start', -1, 3, 'negative'],
    ['end past the text', 0, TEXT.length + 1, 'past_end'],
    ['fractional offset', 0.5, 3, 'not_integer'],
    ['reversed', 5, 3, 'empty_or_reversed'],
    ['empty', 4, 4, 'empty_or_reversed'],
    ['start inside a surrogate pair', 16, 20, 'inside_surrogate_pair'],
    ['end inside a surrogate pair', 10, 16, 'inside_surrogate_pair'],
    ['huge', 0, 2 ** 31, 'past_end'],
    ['beyond safe integers', 0, 2 ** 53, 'not_integer'],
  ])('rejects %s with 400 INVALID_OFFSETS and changes nothing', async (_name, start, end, reason) => {
    const before = await current();
    const res = await change([{ op: 'addSpan', span: { id: `bad${seq}`, label: 'premise', start, end } }]);
    const error = expectError(res, 400, 'INVALID_OFFSETS');
    expect(error.details).toMatchObject({ opIndex: 0, reason });
    expect(await current()).toEqual(before);
  });

  it('rejects a label outside the scheme, naming the known ones', async () => {
    const error = expectError(await change([{ op: 'addSpan', span: { id: 'x1', label: 'claim', start: 0, end: 2 } }]), 400, 'INVALID_CHANGE');
    expect(error.message).toContain("unknown span label 'claim'");
    expect(error.message).toContain('premise');
  });

  it('applies all ops of a change or none', async () => {
    const before = await current();
    const res = await change([
      { op: 'addSpan', span: { id: 'ok', label: 'premise', start: 20, end: 26 } },
      { op: 'addSpan', span: { id: 'ok', label: 'premise', start: 27, end: 30 } },
    ]);
    const error = expectError(res, 400, 'INVALID_CHANGE');
    expect(error.details).toMatchObject({ opIndex: 1 });
    expect(await current()).toEqual(before);
  });

  it('rejects an exact duplicate span', async () => {
    expectError(await change([{ op: 'addSpan', span: { id: 'dup', label: 'conclusion', start: 0, end: 14 } }]), 400, 'INVALID_CHANGE');
  });

  it('updates only the span it names (incremental saves)', async () => {
    await change(
      Array.from({ length: 200 }, (_, i) => ({ op: 'addSpan', span: { id: `bulk${i}`, label: 'inference', start: 40, end: 41 + (i % 6) } })).filter(
        (op, i, all) => all.findIndex((o) => o.span.end === op.span.end) === i,
      ),
    );
    const before = totalChanges();
    const res = await change([{ op: 'updateSpan', id: 's1', label: 'premise', note: 'relabelled' }]);
    expect(res.statusCode).toBe(200);
    // One span row, the set's version row, the applied-change row and one history row.
    expect(totalChanges() - before).toBe(4);
    const set = await current();
    expect(set.spans.find((s) => s.id === 's1')).toEqual({ id: 's1', label: 'premise', start: 0, end: 14, note: 'relabelled' });
  });

  it('refuses an update that would duplicate another span', async () => {
    await change([{ op: 'addSpan', span: { id: 'twin-a', label: 'premise', start: 20, end: 24 } }, { op: 'addSpan', span: { id: 'twin-b', label: 'premise', start: 20, end: 25 } }]);
    expectError(await change([{ op: 'updateSpan', id: 'twin-b', end: 24 }]), 400, 'INVALID_CHANGE');
    expect((await change([{ op: 'deleteSpan', id: 'twin-a' }, { op: 'deleteSpan', id: 'twin-b' }])).statusCode).toBe(200);
  });

  it('resizes a span with the same offset checks', async () => {
    expect((await change([{ op: 'updateSpan', id: 's1', end: 9 }])).statusCode).toBe(200);
    expectError(await change([{ op: 'updateSpan', id: 's1', start: 16 }]), 400, 'INVALID_OFFSETS');
    expectError(await change([{ op: 'updateSpan', id: 'nope', end: 3 }]), 400, 'INVALID_CHANGE');
    expect((await current()).spans.find((s) => s.id === 's1')?.end).toBe(9);
  });
});

describe('relations', () => {
  it('links spans with supports and attacks, and undercuts a relation', async () => {
    await change([{ op: 'addSpan', span: { id: 's3', label: 'premise', start: 34, end: 49 } }]);
    const res = await change([
      { op: 'addRelation', relation: { id: 'r1', type: 'supports', source: 's2', target: 's1' } },
      { op: 'addRelation', relation: { id: 'r2', type: 'attacks', source: 's3', target: 's2' } },
      { op: 'addRelation', relation: { id: 'r3', type: 'undercuts', source: 's3', target: 'r1' } },
    ]);
    expect(res.statusCode).toBe(200);
    expect((await current()).relations).toEqual([
      { id: 'r1', type: 'supports', source: 's2', target: 's1' },
      { id: 'r2', type: 'attacks', source: 's3', target: 's2' },
      { id: 'r3', type: 'undercuts', source: 's3', target: 'r1' },
    ]);
  });

  it.each([
    ['an unknown type', { id: 'q1', type: 'implies', source: 's2', target: 's1' }, 'unknown relation type'],
    ['a missing source', { id: 'q2', type: 'supports', source: 'ghost', target: 's1' }, 'source: no span'],
    ['a span-to-span type aimed at a relation', { id: 'q3', type: 'supports', source: 's2', target: 'r1' }, "target: no span with id 'r1'"],
    ['an undercut aimed at a span', { id: 'q4', type: 'undercuts', source: 's2', target: 's1' }, "target: no relation with id 's1'"],
    ['a self-relation', { id: 'q5', type: 'attacks', source: 's1', target: 's1' }, 'itself'],
    ['a duplicate relation', { id: 'q6', type: 'supports', source: 's2', target: 's1' }, 'already links'],
    ['an id used by a span', { id: 's1', type: 'supports', source: 's3', target: 's1' }, 'already used'],
  ])('rejects %s', async (_name, relation, message) => {
    const error = expectError(await change([{ op: 'addRelation', relation }]), 400, 'INVALID_CHANGE');
    expect(error.message).toContain(message);
  });

  it('changes a relation type only within the same target kind', async () => {
    expect((await change([{ op: 'updateRelation', id: 'r2', type: 'supports' }])).statusCode).toBe(200);
    expectError(await change([{ op: 'updateRelation', id: 'r2', type: 'undercuts' }]), 400, 'INVALID_CHANGE');
    expect((await change([{ op: 'updateRelation', id: 'r2', type: 'attacks' }])).statusCode).toBe(200);
  });

  it('deleting a relation removes the undercut aimed at it', async () => {
    expect((await change([{ op: 'deleteRelation', id: 'r1' }])).statusCode).toBe(200);
    expect((await current()).relations.map((r) => r.id)).toEqual(['r2']);
  });

  it('deleting a span removes its relations, transitively, and history keeps what went', async () => {
    await change([
      { op: 'addRelation', relation: { id: 'r4', type: 'supports', source: 's2', target: 's1' } },
      { op: 'addRelation', relation: { id: 'r5', type: 'undercuts', source: 's3', target: 'r4' } },
    ]);
    expect((await change([{ op: 'deleteSpan', id: 's1' }])).statusCode).toBe(200);
    const set = await current();
    expect(set.spans.some((s) => s.id === 's1')).toBe(false);
    expect(set.relations.map((r) => r.id)).toEqual(['r2']);
    const history = historyList.parse((await a.get(`/api/annotation-sets/${setId}/history`)).json());
    const deletion = history.entries.findLast((e) => e.action === 'deleteSpan');
    expect(deletion?.data).toMatchObject({
      before: { span: { id: 's1', label: 'premise' }, relations: [{ id: 'r4' }, { id: 'r5' }] },
    });
  });
});

describe('category, status and history', () => {
  it('sets and clears the passage category from the scheme only', async () => {
    expect((await change([{ op: 'setCategory', category: 'reasoning' }])).statusCode).toBe(200);
    expect((await current()).category).toBe('reasoning');
    expectError(await change([{ op: 'setCategory', category: 'poetry' }]), 400, 'INVALID_CHANGE');
    expect((await change([{ op: 'setCategory', category: null }])).statusCode).toBe(200);
    expect((await current()).category).toBeNull();
  });

  it('needs a reason to skip, and records submission time', async () => {
    expectError(await change([{ op: 'setStatus', status: 'skipped' }]), 400, 'INVALID_CHANGE');
    expect((await change([{ op: 'setStatus', status: 'skipped', reason: 'not an argument' }])).statusCode).toBe(200);
    expect(await current()).toMatchObject({ status: 'skipped', skipReason: 'not an argument', submittedAt: null });
    expect((await change([{ op: 'setStatus', status: 'submitted' }])).statusCode).toBe(200);
    const set = await current();
    expect(set).toMatchObject({ status: 'submitted', skipReason: null });
    expect(set.submittedAt).not.toBeNull();
  });

  it('keeps a history row for every applied op, with who and which change', async () => {
    const ops = t.app.sqlite.prepare("select count(*) as n from history where entity = 'annotation_set' and entity_id = ? and action != 'assign'").get(setId) as { n: number };
    const history = historyList.parse((await a.get(`/api/annotation-sets/${setId}/history?limit=1000`)).json());
    expect(history.entries.filter((e) => e.action !== 'assign')).toHaveLength(ops.n);
    expect(history.entries.every((e) => e.user === 'ann-ann1')).toBe(true);
    expect(history.entries.at(-1)).toMatchObject({ action: 'setStatus', changeId: `c${seq}` });
  });
});

describe('versions and retries', () => {
  it('answers a stale base version with 409 and the current state, changing nothing', async () => {
    const before = await current();
    const res = await change([{ op: 'setCategory', category: 'noise' }], { baseVersion: before.version - 1 });
    const error = expectError(res, 409, 'VERSION_CONFLICT');
    const details = versionConflict.parse(error.details);
    expect(details.current).toEqual(before);
    expect(await current()).toEqual(before);
  });

  it('applies a retried change once and answers the retry with the same version', async () => {
    const body = { changeId: 'retry-me', baseVersion: version, ops: [{ op: 'addSpan', span: { id: 'once', label: 'premise', start: 1, end: 5 } }] };
    const first = await a.post(`/api/annotation-sets/${setId}/changes`, body);
    const second = await a.post(`/api/annotation-sets/${setId}/changes`, body);
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    const r1 = changeResponse.parse(first.json());
    const r2 = changeResponse.parse(second.json());
    expect(r1.replayed).toBe(false);
    expect(r2).toEqual({ ...r1, replayed: true });
    const set = await current();
    expect(set.version).toBe(r1.version);
    expect(set.spans.filter((s) => s.id === 'once')).toHaveLength(1);
    version = set.version;
  });

  it('refuses a change id reused with different edits', async () => {
    const body = { changeId: 'reused', baseVersion: version, ops: [{ op: 'setCategory', category: 'knowledge' }] };
    expect((await a.post(`/api/annotation-sets/${setId}/changes`, body)).statusCode).toBe(200);
    version += 1;
    const before = await current();
    const other = await a.post(`/api/annotation-sets/${setId}/changes`, { ...body, ops: [{ op: 'setCategory', category: 'noise' }] });
    expectError(other, 409, 'CONFLICT');
    expect(await current()).toEqual(before);
  });

  it('validates the change body itself', async () => {
    const url = `/api/annotation-sets/${setId}/changes`;
    for (const body of [
      { changeId: 'v1', baseVersion: version, ops: [] },
      { changeId: 'has space', baseVersion: version, ops: [{ op: 'setCategory', category: null }] },
      { changeId: 'v2', baseVersion: -1, ops: [{ op: 'setCategory', category: null }] },
      { changeId: 'v3', baseVersion: version, ops: [{ op: 'explode' }] },
      { changeId: 'v4', baseVersion: version, ops: Array.from({ length: 1001 }, () => ({ op: 'setCategory', category: null })) },
    ]) {
      expectError(await a.post(url, body), 400, 'VALIDATION_FAILED');
    }
  });
});
