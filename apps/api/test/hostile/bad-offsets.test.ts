import { annotationSet, changeResponse, errorBody, goldVersion, type AnnotationSet } from '@warrant/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../helpers/app.ts';
import { createProjectWithTeam, importTexts, next, type ProjectFixture } from '../helpers/project.ts';
import { rowCounts } from './hostile.ts';
import { Tally } from './tally.ts';

/**
 * Issue 6, "Bad input: offsets" (docs/offsets.md, "What the API rejects"): a span offset that is
 * not a safe integer, negative, past the end, empty or reversed, or splits a surrogate pair gets
 * 400 INVALID_OFFSETS naming the field and the reason; one that is not a JSON number at all gets
 * 400 VALIDATION_FAILED naming its path. Nothing is written either way, on an annotator's save and
 * on the lead's gold version alike.
 */

const tally = new Tally('bad-offsets');

// An astral emoji at 6-7 (a surrogate pair), CRLF at 13-14; 24 UTF-16 units.
const TEXT = 'Cats: 😀 purr\r\nDogs bark.';
const LENGTH = TEXT.length;

let t: TestApp;
let f: ProjectFixture;
let a: Client;
let setId: string;
let passageId: string;
let seq = 0;

interface Bad {
  name: string;
  start: unknown;
  end: unknown;
  field: 'start' | 'end';
  /** The offset code of docs/offsets.md, or null when request validation refuses the JSON type. */
  reason: string | null;
}

const NUMERIC: Bad[] = [
  { name: 'negative start', start: -1, end: 3, field: 'start', reason: 'negative' },
  { name: 'negative end', start: 0, end: -3, field: 'end', reason: 'negative' },
  { name: 'start past the end', start: LENGTH + 1, end: LENGTH + 2, field: 'start', reason: 'past_end' },
  { name: 'end past the end', start: 0, end: LENGTH + 1, field: 'end', reason: 'past_end' },
  { name: 'reversed', start: 5, end: 2, field: 'end', reason: 'empty_or_reversed' },
  { name: 'empty', start: 4, end: 4, field: 'end', reason: 'empty_or_reversed' },
  { name: 'empty at the end', start: LENGTH, end: LENGTH, field: 'end', reason: 'empty_or_reversed' },
  { name: 'fractional start', start: 0.5, end: 3, field: 'start', reason: 'not_integer' },
  { name: 'fractional end', start: 0, end: 2.999999, field: 'end', reason: 'not_integer' },
  { name: 'tiny fraction', start: 1e-7, end: 3, field: 'start', reason: 'not_integer' },
  { name: '2^53', start: 0, end: 2 ** 53, field: 'end', reason: 'not_integer' },
  { name: '2^53 - 1', start: 0, end: 2 ** 53 - 1, field: 'end', reason: 'past_end' },
  { name: '-(2^53)', start: -(2 ** 53), end: 3, field: 'start', reason: 'not_integer' },
  { name: '1e308', start: 0, end: 1e308, field: 'end', reason: 'not_integer' },
  { name: '-1e308', start: -1e308, end: 1, field: 'start', reason: 'not_integer' },
  { name: '2^31 (past a 32-bit int)', start: 2 ** 31, end: 2 ** 31 + 1, field: 'start', reason: 'past_end' },
  { name: 'start inside the surrogate pair', start: 7, end: 12, field: 'start', reason: 'inside_surrogate_pair' },
  { name: 'end inside the surrogate pair', start: 0, end: 7, field: 'end', reason: 'inside_surrogate_pair' },
];

const NOT_NUMBERS: Bad[] = [
  { name: '"NaN"', start: 'NaN', end: 3, field: 'start', reason: null },
  { name: '"Infinity"', start: 0, end: 'Infinity', field: 'end', reason: null },
  { name: 'a numeric string', start: '1', end: 3, field: 'start', reason: null },
  { name: 'hex string', start: 0, end: '0x10', field: 'end', reason: null },
  { name: 'null', start: null, end: 3, field: 'start', reason: null },
  { name: 'true', start: 0, end: true, field: 'end', reason: null },
  { name: 'an array', start: [1], end: 3, field: 'start', reason: null },
  { name: 'an object', start: 0, end: { valueOf: 3 }, field: 'end', reason: null },
  { name: 'an empty string', start: '', end: 3, field: 'start', reason: null },
];

/** Raw JSON a JavaScript client cannot produce: NaN and Infinity literals, and a number that overflows to Infinity. */
const RAW: { name: string; start: string; end: string; field: 'start' | 'end' }[] = [
  { name: 'NaN literal', start: 'NaN', end: '3', field: 'start' },
  { name: 'Infinity literal', start: '0', end: 'Infinity', field: 'end' },
  { name: '1e400 (parses to Infinity)', start: '0', end: '1e400', field: 'end' },
  { name: '-1e400 (parses to -Infinity)', start: '-1e400', end: '3', field: 'start' },
];

const countsNow = () => rowCounts(t.app.sqlite);

async function current(): Promise<AnnotationSet> {
  const res = await a.get(`/api/annotation-sets/${setId}`);
  expect(res.statusCode).toBe(200);
  return annotationSet.parse(res.json());
}

function change(ops: unknown[], baseVersion: number) {
  seq += 1;
  return a.post(`/api/annotation-sets/${setId}/changes`, { changeId: `o${seq}`, baseVersion, ops });
}

/** The refusal names the field: INVALID_OFFSETS with details.field/reason, or VALIDATION_FAILED with the path. */
function expectNamed(res: { statusCode: number; json(): unknown; body: string }, bad: { field: string; reason: string | null }, detailsPath?: string) {
  expect(res.statusCode, res.body).toBe(400);
  const { error } = errorBody.parse(res.json());
  if (bad.reason === null) {
    expect(error.code, res.body).toBe('VALIDATION_FAILED');
    const issues = (error.details as { issues?: { path: string }[] } | undefined)?.issues ?? [];
    expect(issues.some((issue) => issue.path.split('.').at(-1) === bad.field), res.body).toBe(true);
  } else {
    expect(error.code, res.body).toBe('INVALID_OFFSETS');
    expect(error.details, res.body).toMatchObject({ field: bad.field, reason: bad.reason, ...(detailsPath ? { path: detailsPath } : {}) });
    expect(error.message).toContain(bad.field);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'off', 1);
  a = f.annotators[0]!;
  await importTexts(f.lead, f.project.id, [{ id: 'one', text: TEXT }]);
  const item = await next(a, f.project.id);
  setId = item!.setId;
  passageId = item!.passageId;
  // One good span to update; a version to be based on.
  const res = await change([{ op: 'addSpan', span: { id: 'keep', label: 'premise', start: 0, end: 4 } }], 0);
  expect(res.statusCode, res.body).toBe(200);
});

afterAll(async () => {
  tally.report();
  await t?.close();
});

describe('span offsets on an annotator\'s save', () => {
  it.each([...NUMERIC, ...NOT_NUMBERS])('addSpan with $name: 400 naming "$field", nothing written', async (bad) => {
    await tally.check('changes: addSpan', async () => {
      const before = await current();
      const rows = countsNow();
      // A valid op first: the whole change is refused, not just the bad op.
      const res = await change(
        [
          { op: 'addSpan', span: { id: `ok${seq}`, label: 'premise', start: 9, end: 13 } },
          { op: 'addSpan', span: { id: `bad${seq}`, label: 'premise', start: bad.start, end: bad.end } },
        ],
        before.version,
      );
      expectNamed(res, bad);
      if (bad.reason !== null) expect(errorBody.parse(res.json()).error.details).toMatchObject({ opIndex: 1 });
      expect(await current()).toEqual(before);
      expect(countsNow()).toEqual(rows);
    });
  });

  it.each([...NUMERIC, ...NOT_NUMBERS])('updateSpan with $name: 400 naming "$field", nothing written', async (bad) => {
    await tally.check('changes: updateSpan', async () => {
      const before = await current();
      const rows = countsNow();
      const res = await change([{ op: 'updateSpan', id: 'keep', start: bad.start, end: bad.end }], before.version);
      expectNamed(res, bad);
      expect(await current()).toEqual(before);
      expect(countsNow()).toEqual(rows);
    });
  });

  it('updateSpan moving only one end past the other: 400 on "end"', async () => {
    await tally.check('changes: updateSpan', async () => {
      const before = await current();
      const res = await change([{ op: 'updateSpan', id: 'keep', start: 4 }], before.version);
      expectNamed(res, { field: 'end', reason: 'empty_or_reversed' });
      expect(await current()).toEqual(before);
    });
  });

  it.each(RAW)('raw JSON $name: 400 VALIDATION_FAILED, nothing written', async (raw) => {
    await tally.check('changes: raw JSON', async () => {
      const before = await current();
      const rows = countsNow();
      seq += 1;
      const payload = `{"changeId":"raw${seq}","baseVersion":${before.version},"ops":[{"op":"addSpan","span":{"id":"r${seq}","label":"premise","start":${raw.start},"end":${raw.end}}}]}`;
      const res = await a.request({ method: 'POST', url: `/api/annotation-sets/${setId}/changes`, payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, res.body).toBe(400);
      expect(errorBody.parse(res.json()).error.code).toBe('VALIDATION_FAILED');
      if (raw.name.includes('1e400')) expectNamed(res, { field: raw.field, reason: null });
      expect(await current()).toEqual(before);
      expect(countsNow()).toEqual(rows);
    });
  });

  it('accepts offsets on both sides of the emoji, -0 as 0, and a span ending between CR and LF (the contract counts CRLF as two units)', async () => {
    const ok: [number, number][] = [
      [6, 8], // exactly the emoji
      [-0, 5],
      [9, 14], // "purr\r": ends between CR and LF
      [14, LENGTH], // from the LF to the end
    ];
    for (const [start, end] of ok) {
      await tally.check('changes: valid edges', async () => {
        const before = await current();
        const id = `edge${start}-${end}`;
        const res = await change([{ op: 'addSpan', span: { id, label: 'conclusion', start, end } }], before.version);
        expect(res.statusCode, res.body).toBe(200);
        expect(changeResponse.parse(res.json()).version).toBe(before.version + 1);
        const span = (await current()).spans.find((s) => s.id === id);
        expect(span).toMatchObject({ start: start === 0 ? 0 : start, end });
        expect(Object.is(span?.start, -0)).toBe(false);
      });
    }
  });
});

describe('span offsets in the gold version', () => {
  const url = () => `/api/projects/${f.project.id}/passages/${passageId}/gold`;
  const goldCount = () => (t.app.sqlite.prepare('select count(*) as n, coalesce(max(version), 0) as v from gold_versions').get() as { n: number; v: number });

  function body(start: unknown, end: unknown) {
    return {
      baseVersion: 0,
      status: 'in_progress',
      category: null,
      categorySources: [],
      spans: [
        { id: 'g-ok', label: 'premise', start: 0, end: 4, note: null, sources: [], edited: true },
        { id: 'g-bad', label: 'premise', start, end, note: null, sources: [], edited: true },
      ],
      relations: [],
      note: null,
    };
  }

  it.each([...NUMERIC, ...NOT_NUMBERS])('PUT with $name: 400 naming "$field", nothing written', async (bad) => {
    await tally.check('gold PUT', async () => {
      const rows = countsNow();
      const gold = goldCount();
      const res = await f.lead.put(url(), body(bad.start, bad.end));
      expectNamed(res, bad, bad.reason === null ? undefined : 'spans[1]');
      expect(goldCount()).toEqual(gold);
      expect(countsNow()).toEqual(rows);
    });
  });

  it.each(RAW)('raw JSON $name: 400 VALIDATION_FAILED, nothing written', async (raw) => {
    await tally.check('gold PUT', async () => {
      const rows = countsNow();
      const payload = JSON.stringify(body(1, 2)).replace('"start":1,"end":2', `"start":${raw.start},"end":${raw.end}`);
      expect(payload).toContain(raw.end);
      const res = await f.lead.request({ method: 'PUT', url: url(), payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, res.body).toBe(400);
      expect(errorBody.parse(res.json()).error.code).toBe('VALIDATION_FAILED');
      expect(countsNow()).toEqual(rows);
    });
  });

  it('accepts the same edge offsets as a save, and stores them as integers', async () => {
    await tally.check('gold PUT', async () => {
      const res = await f.lead.put(url(), {
        ...body(6, 8),
        spans: [
          { id: 'emoji', label: 'premise', start: 6, end: 8, note: null, sources: [], edited: true },
          { id: 'zero', label: 'premise', start: -0, end: 5, note: null, sources: [], edited: true },
          { id: 'crlf', label: 'premise', start: 9, end: 14, note: null, sources: [], edited: true },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      const gold = goldVersion.parse(res.json());
      expect(gold.spans.map((s) => [s.id, s.start, s.end])).toEqual([
        ['emoji', 6, 8],
        ['zero', 0, 5],
        ['crlf', 9, 14],
      ]);
    });
  });
});
