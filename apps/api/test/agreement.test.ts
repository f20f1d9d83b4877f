import { cohenKappa, krippendorffAlpha, unitizingAlpha } from '@warrant/agreement';
import {
  agreementReport,
  annotationSet,
  comparison,
  disagreementList,
  errorBody,
  goldVersion,
  passageList,
  type PutGoldBody,
} from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, createUser, type TestApp } from './helpers/app.ts';
import { createProjectWithTeam, importTexts, next, type ProjectFixture } from './helpers/project.ts';

let t: TestApp;
let f: ProjectFixture;
let outsider: Client;

type Mark = [text: string, label: string];
interface Work {
  spans: Mark[];
  relations: [source: number, target: number, type: string][];
  category: string | null;
}

// Cyrillic, a combining mark, an emoji and CRLF: offsets are UTF-16 in the API, code points in exports.
const TEXTS: Record<string, string> = {
  p1: 'Сократ — человек. Все люди смертны. Значит, Сократ смертен.',
  p2: 'Cafe\u0301 prices rose 😀 twice.\r\nSo people stayed home.',
  p3: 'It rained. The match was cancelled. Fans were angry.',
  p4: 'Taxes fund roads. Roads help trade. So taxes help trade.',
};

/** What each annotator marks on each passage: identical on p1, different elsewhere. */
const WORK: Record<string, [Work, Work]> = {
  p1: [
    { spans: [['Все люди смертны', 'premise'], ['Сократ смертен', 'conclusion']], relations: [[0, 1, 'supports']], category: 'reasoning' },
    { spans: [['Все люди смертны', 'premise'], ['Сократ смертен', 'conclusion']], relations: [[0, 1, 'supports']], category: 'reasoning' },
  ],
  p2: [
    { spans: [['prices rose 😀 twice', 'premise'], ['people stayed home', 'conclusion']], relations: [[0, 1, 'supports']], category: 'reasoning' },
    { spans: [['Cafe\u0301 prices rose', 'premise'], ['people stayed home', 'conclusion']], relations: [], category: 'knowledge' },
  ],
  p3: [
    { spans: [['It rained', 'premise']], relations: [], category: 'knowledge' },
    { spans: [['Fans were angry', 'conclusion']], relations: [], category: 'noise' },
  ],
  p4: [
    { spans: [['Taxes fund roads', 'premise'], ['Roads help trade', 'premise'], ['taxes help trade', 'conclusion']], relations: [[0, 2, 'supports'], [1, 2, 'supports']], category: 'reasoning' },
    { spans: [['Taxes fund roads', 'premise'], ['Roads help trade', 'premise'], ['taxes help trade', 'conclusion']], relations: [[0, 2, 'supports']], category: 'reasoning' },
  ],
};

const passageIds = new Map<string, string>();
const setIds = new Map<string, string>();

function ann(i: number): Client {
  const client = f.annotators[i];
  if (!client) throw new Error(`no annotator ${i}`);
  return client;
}

function at(text: string, mark: string): [number, number] {
  const start = text.indexOf(mark);
  if (start < 0) throw new Error(`'${mark}' not in '${text}'`);
  return [start, start + mark.length];
}

async function annotate(client: Client, setId: string, text: string, work: Work) {
  const set = annotationSet.parse((await client.get(`/api/annotation-sets/${setId}`)).json());
  const ops = [
    ...work.spans.map(([mark, label], i) => {
      const [start, end] = at(text, mark);
      return { op: 'addSpan', span: { id: `s${i}`, label, start, end } };
    }),
    ...work.relations.map(([source, target, type], i) => ({ op: 'addRelation', relation: { id: `r${i}`, type, source: `s${source}`, target: `s${target}` } })),
    { op: 'setCategory', category: work.category },
    { op: 'setStatus', status: 'submitted' },
  ];
  const res = await client.post(`/api/annotation-sets/${setId}/changes`, { changeId: `work-${setId}`, baseVersion: set.version, ops });
  if (res.statusCode !== 200) throw new Error(`annotate: ${res.statusCode} ${res.body}`);
}

const report = async (query = '') => {
  const res = await f.lead.get(`/api/projects/${f.project.id}/agreement${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return agreementReport.parse(res.json());
};

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'agr', 2, { annotatorsPerPassage: 2 });
  await createUser(t.app, { username: 'agr-outsider', canCreateProjects: true });
  outsider = await Client.login(t.app, 'agr-outsider');
  await importTexts(f.lead, f.project.id, Object.entries(TEXTS).map(([id, text]) => ({ id, text })));
  for (let a = 0; a < 2; a += 1) {
    for (;;) {
      const item = await next(ann(a), f.project.id);
      if (!item) break;
      const text = TEXTS[item.externalId] as string;
      passageIds.set(item.externalId, item.passageId);
      setIds.set(`${item.externalId}/${a}`, item.setId);
      await annotate(ann(a), item.setId, text, (WORK[item.externalId] as [Work, Work])[a] as Work);
    }
  }
});
afterAll(async () => t.close());

const ids = () => [ann(0).user.id, ann(1).user.id];
const order = ['p1', 'p2', 'p3', 'p4'];

describe('agreement report', () => {
  it('gives the category coefficients the agreement package computes from the same data', async () => {
    const r = await report();
    expect(r.passages).toBe(4);
    expect(r.annotators.map((a) => a.username).sort()).toEqual(['agr-ann1', 'agr-ann2']);
    const cats = [0, 1].map((a) => order.map((p) => (WORK[p] as [Work, Work])[a]?.category ?? null));
    // Report rows follow usernames; alpha does not depend on coder order anyway.
    expect(r.category.items).toBe(4);
    expect(r.category.alpha.value).toBeCloseTo(krippendorffAlpha(cats, 'nominal'), 10);
    const keys = ['reasoning', 'knowledge', 'noise'];
    const table = keys.map((x) => keys.map((y) => order.filter((_, i) => cats[0]?.[i] === x && cats[1]?.[i] === y).length));
    expect(r.category.cohenKappa?.value).toBeCloseTo(cohenKappa(table), 10);
    expect(r.category.fleissKappa?.value).not.toBeNull();
    const alpha = r.category.alpha;
    expect(alpha.low).not.toBeNull();
    expect(alpha.low as number).toBeLessThanOrEqual(alpha.value as number);
    expect(alpha.high as number).toBeGreaterThanOrEqual(alpha.value as number);
  });

  it('counts span F1 exact and overlap over the pair, and per label', async () => {
    const r = await report();
    // Exact matches: p1 2, p2 1 (conclusion), p3 0, p4 3 = 6, of 8 + 8 spans.
    expect(r.spans.count).toBe(16);
    expect(r.spans.exact.f1).toBeCloseTo((2 * 6) / 16, 10);
    // Overlap adds p2's two premises, which share "prices rose".
    expect(r.spans.overlap.f1).toBeCloseTo((2 * 7) / 16, 10);
    const premise = r.spans.perLabel.find((l) => l.label === 'premise');
    // premise: ann1 p1 1, p2 1, p3 1, p4 2 = 5; ann2 p1 1, p2 1, p4 2 = 4; exact p1 1 + p4 2 = 3.
    expect(premise?.spans).toBe(9);
    expect(premise?.exact.f1).toBeCloseTo((2 * 3) / 9, 10);
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]?.passages).toBe(4);
    expect(r.pairs[0]?.exact.f1).toBeCloseTo((2 * 6) / 16, 10);
  });

  it('measures relations over the spans both annotators marked, as every ordered pair of them', async () => {
    const r = await report();
    // Shared offsets: p1 2, p2 1 ("people stayed home"), p3 0, p4 3; ordered pairs: 2 + 0 + 0 + 6.
    expect(r.relations.matchedSpans).toBe(6);
    expect(r.relations.items).toBe(8);
    // p1: a>b supports for both, b>a none. p4 (spans 0, 1, 2): 0>2 supports for both, 1>2 only ann1.
    const ann1 = ['supports', 'none', 'none', 'supports', 'supports', 'none', 'none', 'none'];
    const ann2 = ['supports', 'none', 'none', 'supports', 'none', 'none', 'none', 'none'];
    expect(r.relations.alpha.value).toBeCloseTo(krippendorffAlpha([ann1, ann2], 'nominal'), 10);
    expect(r.relations.fleissKappa?.value).not.toBeNull();
    expect(r.pairs[0]?.relations.value).toBeCloseTo(r.relations.alpha.value as number, 10);
  });

  it('gives unitizing alpha 1 for a passage the annotators marked identically, and the package value for one that differs', async () => {
    const lead = f.lead;
    const list = disagreementList.parse((await lead.get(`/api/projects/${f.project.id}/agreement/passages`)).json());
    const p1 = list.items.find((i) => i.externalId === 'p1');
    expect(p1?.unitizing).toBe(1);
    expect(p1?.disagreement).toBe(0);
    const text = TEXTS.p3 as string;
    const units = [0, 1].flatMap((a) =>
      ((WORK.p3 as [Work, Work])[a] as Work).spans.map(([mark, label]) => {
        const [start, end] = at(text, mark);
        return { coder: ids()[a] as string, label, start, end };
      }),
    );
    const expected = unitizingAlpha({ begin: 0, end: text.length, units, coders: ids() }).overall;
    const p3 = list.items.find((i) => i.externalId === 'p3');
    if (Number.isNaN(expected)) expect(p3?.unitizing).toBeNull();
    else expect(p3?.unitizing).toBeCloseTo(expected, 10);
  });

  it('ranks the disagreement queue worst first', async () => {
    const list = disagreementList.parse((await f.lead.get(`/api/projects/${f.project.id}/agreement/passages`)).json());
    expect(list.total).toBe(4);
    // Mean of (category disagreement, 1 - span exact F1, 1 - relation F1):
    // p2: categories differ, 1 of 2 spans each, the one relation drawn by one annotator only.
    // p3: categories differ, no span in common, no relation from either (agreement on that).
    // p4: all the same but one of the two relations. p1: identical.
    expect(list.items.map((i) => [i.externalId, i.disagreement])).toEqual([
      ['p2', expect.closeTo((1 + 0.5 + 1) / 3, 10)],
      ['p3', expect.closeTo((1 + 1 + 0) / 3, 10)],
      ['p4', expect.closeTo((0 + 0 + (1 - 2 / 3)) / 3, 10)],
      ['p1', 0],
    ]);
    expect(list.items[1]?.categories.map((c) => c.category).sort()).toEqual(['knowledge', 'noise']);
    expect(list.items[2]?.relationF1).toBeCloseTo(2 / 3, 10);
  });

  it('filters by label, annotator and time', async () => {
    const premises = await report('?labels=premise');
    expect(premises.labels.map((l) => l.key)).toEqual(['premise']);
    expect(premises.spans.count).toBe(9);
    expect(premises.spans.exact.f1).toBeCloseTo((2 * 3) / 9, 10);

    const one = await report(`?annotators=${ann(0).user.id}`);
    expect(one.passages).toBe(0);
    expect(one.category.alpha).toEqual({ value: null, low: null, high: null, reason: expect.any(String) });

    const future = await report(`?from=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`);
    expect(future.passages).toBe(0);

    const bad = await f.lead.get(`/api/projects/${f.project.id}/agreement?labels=nonsense`);
    expect(bad.statusCode).toBe(400);
    expect(errorBody.parse(bad.json()).error.message).toContain("'nonsense' is not a span label");
  });

  it('shows the figures to leads only: annotators get 403, other projects 404', async () => {
    expect((await ann(0).get(`/api/projects/${f.project.id}/agreement`)).statusCode).toBe(403);
    expect((await outsider.get(`/api/projects/${f.project.id}/agreement`)).statusCode).toBe(404);
    expect((await ann(0).get(`/api/projects/${f.project.id}/agreement/passages`)).statusCode).toBe(403);
    const p1 = passageIds.get('p1') as string;
    expect((await ann(0).get(`/api/projects/${f.project.id}/passages/${p1}/comparison`)).statusCode).toBe(403);
    expect((await outsider.get(`/api/projects/${f.project.id}/passages/${p1}/comparison`)).statusCode).toBe(404);
  });
});

describe('comparison', () => {
  it('aligns the annotators item by item', async () => {
    const p2 = passageIds.get('p2') as string;
    const res = await f.lead.get(`/api/projects/${f.project.id}/passages/${p2}/comparison`);
    expect(res.statusCode).toBe(200);
    const c = comparison.parse(res.json());
    expect(c.annotators.map((a) => a.username)).toEqual(['agr-ann1', 'agr-ann2']);
    expect(c.annotators.map((a) => a.category)).toEqual(['reasoning', 'knowledge']);
    const home = c.spans.find((s) => s.text === 'people stayed home');
    expect(Object.keys(home?.ids ?? {}).sort()).toEqual([...ids()].sort());
    const emoji = c.spans.find((s) => s.text === 'prices rose 😀 twice');
    expect(Object.keys(emoji?.ids ?? {})).toEqual([ann(0).user.id]);
    expect(c.relations).toHaveLength(1);
    expect(c.relations[0]?.key).toBe(`supports(${emoji?.key}>${home?.key})`);
    expect(c.gold).toBeNull();
  });
});

describe('gold version', () => {
  const url = (p: string) => `/api/projects/${f.project.id}/passages/${passageIds.get(p)}/gold`;

  /** A gold version with p2's offsets (p1 and p3 are long enough for them). */
  function goldOf(): PutGoldBody {
    const text = TEXTS.p2 as string;
    const [premise, conclusion] = [at(text, 'prices rose 😀 twice'), at(text, 'people stayed home')];
    return {
      baseVersion: 0,
      status: 'in_progress',
      category: 'reasoning',
      categorySources: [ann(0).user.id],
      spans: [
        { id: 's0', label: 'premise', start: premise[0], end: premise[1], note: null, sources: [ann(0).user.id], edited: false },
        { id: 's1', label: 'conclusion', start: conclusion[0], end: conclusion[1], note: 'both agreed', sources: ids(), edited: false },
      ],
      relations: [{ id: 'r0', type: 'supports', source: 's0', target: 's1', sources: [ann(0).user.id], edited: false }],
      note: 'ann1 read the emoji clause as the premise',
    };
  }

  it('is created by a lead, versioned, and refuses a stale base version with the current one', async () => {
    const created = await f.lead.put(url('p2'), goldOf());
    expect(created.statusCode, created.body).toBe(200);
    const gold = goldVersion.parse(created.json());
    expect(gold.version).toBe(1);
    expect(gold.adjudicator.id).toBe(f.lead.user.id);
    expect(gold.spans[1]?.sources.sort()).toEqual([...ids()].sort());

    const done = await f.lead.put(url('p2'), { ...goldOf(), baseVersion: 1, status: 'done' });
    expect(goldVersion.parse(done.json()).version).toBe(2);

    const stale = await f.lead.put(url('p2'), { ...goldOf(), baseVersion: 1 });
    expect(stale.statusCode).toBe(409);
    const body = errorBody.parse(stale.json());
    expect(body.error.code).toBe('VERSION_CONFLICT');
    expect(goldVersion.parse((body.error.details as { current: unknown }).current).status).toBe('done');
  });

  it('refuses invalid items whole, saying which item and why', async () => {
    const cases: [PutGoldBody, number, string][] = [
      [{ ...goldOf(), spans: [{ ...(goldOf().spans[0] as PutGoldBody['spans'][number]), start: 2, end: 1 }] }, 400, 'spans[0]'],
      [{ ...goldOf(), spans: [{ ...(goldOf().spans[0] as PutGoldBody['spans'][number]), end: 10_000 }] }, 400, 'spans[0]'],
      [{ ...goldOf(), spans: [{ ...(goldOf().spans[0] as PutGoldBody['spans'][number]), label: 'nonsense' }] }, 400, 'spans[0]'],
      [{ ...goldOf(), categorySources: [outsider.user.id] }, 400, 'categorySources'],
      [{ ...goldOf(), relations: [{ id: 'r0', type: 'supports', source: 's0', target: 'missing', sources: [], edited: true }] }, 400, 'relations[0]'],
      [{ ...goldOf(), spans: [{ ...(goldOf().spans[0] as PutGoldBody['spans'][number]), sources: [], edited: false }] }, 400, 'spans[0]'],
      // A second relation with the same id would otherwise be stored unchecked.
      [
        { ...goldOf(), relations: [goldOf().relations[0] as PutGoldBody['relations'][number], { id: 'r0', type: 'nonsense', source: 'nowhere', target: 'nothing', sources: [], edited: true }] },
        400,
        'relations[1].id',
      ],
    ];
    for (const [body, status, where] of cases) {
      const res = await f.lead.put(url('p3'), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(errorBody.parse(res.json()).error.message).toContain(where);
    }
    expect((await f.lead.get(`/api/projects/${f.project.id}/passages/${passageIds.get('p3')}/comparison`)).json().gold).toBeNull();
  });

  it('is never shown to or written by annotators', async () => {
    expect((await ann(0).put(url('p1'), goldOf())).statusCode).toBe(403);
    expect((await outsider.put(url('p1'), goldOf())).statusCode).toBe(404);
    const own = annotationSet.parse((await ann(0).get(`/api/annotation-sets/${setIds.get('p2/0')}`)).json());
    expect(JSON.stringify(own)).not.toContain('gold');
  });

  it('shows in the passage list and the queue, and can be hidden from the queue when done', async () => {
    const list = passageList.parse((await f.lead.get(`/api/projects/${f.project.id}/passages`)).json());
    expect(list.passages.find((p) => p.externalId === 'p2')?.gold).toBe('done');
    expect(list.passages.find((p) => p.externalId === 'p1')?.gold).toBeNull();
    const open = disagreementList.parse((await f.lead.get(`/api/projects/${f.project.id}/agreement/passages?open=true`)).json());
    expect(open.items.map((i) => i.externalId)).not.toContain('p2');
    expect(open.total).toBe(3);
  });

  it('goes into the export with its provenance, offsets in code points', async () => {
    const res = await f.lead.get(`/api/projects/${f.project.id}/export?format=jsonl`);
    expect(res.statusCode).toBe(200);
    const records = res.body.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const gold = records.find((r) => r.annotator === 'gold') as {
      id: string;
      text: string;
      status: string;
      category_sources: string[];
      spans: { text: string; start: number; end: number; sources: string[]; edited: boolean }[];
      relations: { sources: string[] }[];
      provenance: { adjudicated_by: string; adjudicated_at: string; note: string; gold_version: number };
    };
    expect(gold.id).toBe('p2');
    expect(gold.status).toBe('done');
    expect(gold.provenance.adjudicated_by).toBe('agr-lead');
    expect(gold.provenance.note).toContain('emoji');
    expect(gold.provenance.gold_version).toBe(2);
    expect(gold.category_sources).toEqual(['agr-ann1']);
    expect(gold.spans.map((s) => s.sources)).toEqual([['agr-ann1'], ['agr-ann1', 'agr-ann2']]);
    const codePoints = [...gold.text];
    for (const span of gold.spans) expect(codePoints.slice(span.start, span.end).join('')).toBe(span.text);
    expect(gold.spans[0]?.text).toBe('prices rose 😀 twice');
    expect(records.filter((r) => r.id === 'p2')).toHaveLength(3);
  });

  it('keeps the label scheme from dropping a label, type or category only the gold version uses', async () => {
    const project = (await f.lead.get(`/api/projects/${f.project.id}`)).json() as { scheme: LabelScheme; schemeVersion: number };
    const withClaim: LabelScheme = {
      ...project.scheme,
      spanLabels: [...project.scheme.spanLabels, { key: 'claim', name: 'Claim', color: '#336699', hotkey: 'x', description: '' }],
    };
    expect((await f.lead.put(`/api/projects/${f.project.id}/scheme`, { scheme: withClaim })).statusCode).toBe(200);
    const current = goldVersion.parse((await f.lead.get(`/api/projects/${f.project.id}/passages/${passageIds.get('p2')}/comparison`)).json().gold);
    const body = goldOf();
    const saved = await f.lead.put(url('p2'), {
      ...body,
      baseVersion: current.version,
      status: 'done',
      spans: [...body.spans, { id: 'g9', label: 'claim', start: 0, end: 4, note: null, sources: [], edited: true }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const refused = await f.lead.put(`/api/projects/${f.project.id}/scheme`, { scheme: project.scheme });
    expect(refused.statusCode).toBe(409);
    const error = errorBody.parse(refused.json()).error;
    expect(error.code).toBe('LABEL_IN_USE');
    expect(error.details).toEqual({ usages: [{ kind: 'spanLabel', key: 'claim', count: 1 }] });
    const noCategory = { ...withClaim, categories: withClaim.categories.filter((c) => c.key !== 'reasoning') };
    const categoryRefused = await f.lead.put(`/api/projects/${f.project.id}/scheme`, { scheme: noCategory });
    expect(errorBody.parse(categoryRefused.json()).error.details).toEqual({
      // Five annotator sets (p1 twice, p2 once, p4 twice) and the gold version.
      usages: expect.arrayContaining([{ kind: 'category', key: 'reasoning', count: 6 }]),
    });
  });

  it('is recorded in the history and can be discarded', async () => {
    const p2 = passageIds.get('p2') as string;
    const entries = t.app.sqlite.prepare(`select action from history where entity = 'gold' and entity_id = ? order by id`).all(p2) as { action: string }[];
    expect(entries.map((e) => e.action)).toEqual(['create', 'update', 'update']);
    expect((await f.lead.delete(url('p2'))).statusCode).toBe(204);
    expect((await f.lead.delete(url('p2'))).statusCode).toBe(404);
    const after = comparison.parse((await f.lead.get(`/api/projects/${f.project.id}/passages/${p2}/comparison`)).json());
    expect(after.gold).toBeNull();
  });
});
