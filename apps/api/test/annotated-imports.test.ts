import { readFileSync } from 'node:fs';
import {
  ANNOTATED_IMPORT_FORMATS,
  agreementReport,
  annotationSet,
  annotationSetList,
  errorBody,
  importRejection,
  importResponse,
  passageList,
  user as userSchema,
} from '@warrant/contracts';
import { DATASET_READ_FORMATS, parseArgMicrotext, writeBrat, writeSemanticJsonl, type DatasetDocument } from '@warrant/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, createUser, type TestApp } from './helpers/app.ts';
import { multipartFiles } from './helpers/multipart.ts';
import { createProjectWithTeam, next, type ProjectFixture } from './helpers/project.ts';

/**
 * Issue 5, "In the studio": a corpus with its annotations comes into a project either as the sets
 * of a named imported annotator (compared and adjudicated like anyone's) or as pre-annotations
 * every annotator starts from. Real files from ../shared/corpora, read where they are.
 */

const MICROTEXTS = new URL('../../../../shared/corpora/arg-microtexts/corpus/en/', import.meta.url);
const RUSSIAN = new URL('../../../../shared/corpora/argmicro-ru/translated_part1_human/', import.meta.url);
const NAMES = ['micro_b001.xml', 'micro_b003.xml', 'micro_b005.xml'];
const microFile = (name: string) => ({ filename: name, content: readFileSync(new URL(name, MICROTEXTS)) });
const parsed = (name: string): DatasetDocument => parseArgMicrotext({ file: name, bytes: readFileSync(new URL(name, MICROTEXTS)) }).document;

let t: TestApp;
let f: ProjectFixture;
let admin: Client;

const count = (table: string) => (t.app.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
const counts = () => ({ passages: count('passages'), sets: count('annotation_sets'), spans: count('spans'), users: count('users'), imports: count('imports'), pre: count('pre_annotations') });

async function upload(client: Client, projectId: string, files: { filename: string; content: string | Uint8Array }[], fields: Record<string, string>) {
  const { payload, headers } = multipartFiles(files, fields);
  return client.request({ method: 'POST', url: `/api/projects/${projectId}/imports`, payload, headers });
}

function rejected(res: { statusCode: number; json(): unknown; body: string }) {
  expect(res.statusCode, res.body).toBe(400);
  const body = errorBody.parse(res.json());
  expect(body.error.code).toBe('IMPORT_REJECTED');
  return { message: body.error.message, ...importRejection.parse(body.error.details) };
}

async function passagesOf(projectId: string) {
  return passageList.parse((await f.lead.get(`/api/projects/${projectId}/passages?limit=200`)).json()).passages;
}

/** Every set of a passage, whole (spans and relations), as the lead reads them. */
async function setsOf(passageId: string) {
  const res = await f.lead.get(`/api/passages/${passageId}/annotation-sets`);
  expect(res.statusCode, res.body).toBe(200);
  return Promise.all(annotationSetList.parse(res.json()).sets.map((summary) => setOf(summary.id)));
}

async function setsOfLead(fixture: ProjectFixture, passageId: string) {
  const res = await fixture.lead.get(`/api/passages/${passageId}/annotation-sets`);
  expect(res.statusCode, res.body).toBe(200);
  return Promise.all(annotationSetList.parse(res.json()).sets.map((summary) => setOf(summary.id, fixture.lead)));
}

async function setOf(setId: string, client = f.lead) {
  const res = await client.get(`/api/annotation-sets/${setId}`);
  expect(res.statusCode, res.body).toBe(200);
  return annotationSet.parse(res.json());
}

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'ai', 2, { annotatorsPerPassage: 2 });
  await createUser(t.app, { username: 'ai-admin', isAdmin: true });
  admin = await Client.login(t.app, 'ai-admin');
});
afterAll(async () => t.close());

describe('importing an annotated corpus as an imported annotator', () => {
  it('names the same formats as the formats package reads', () => {
    expect([...ANNOTATED_IMPORT_FORMATS]).toEqual([...DATASET_READ_FORMATS]);
  });

  it('imports three English microtexts as the submitted sets of "micro-a", offsets and relations exact', async () => {
    const res = await upload(f.lead, f.project.id, NAMES.map(microFile), { format: 'arg-microtext', mode: 'annotator', annotator: 'micro-a' });
    expect(res.statusCode, res.body).toBe(201);
    const summary = importResponse.parse(res.json()).import;
    expect(summary).toMatchObject({ format: 'arg-microtext', mode: 'annotator', source: 'micro-a', passages: 3, annotations: 3, existingPassages: 0, filename: 'micro_b001.xml and 2 more' });
    const list = await passagesOf(f.project.id);
    expect(list.map((p) => p.externalId)).toEqual(['micro_b001', 'micro_b003', 'micro_b005']);
    for (const [i, name] of NAMES.entries()) {
      const expected = parsed(name);
      const [set] = await setsOf(list[i]!.id);
      expect(set?.annotator.username).toBe('micro-a');
      expect(set?.status).toBe('submitted');
      const want = expected.annotations[0]!;
      expect(set?.spans.map((s) => [s.id, s.label, s.start, s.end])).toEqual(want.spans.map((s) => [s.id, s.label, s.start, s.end]));
      expect(new Set(set?.relations.map((r) => `${r.id}:${r.type}:${r.source}>${r.target}`))).toEqual(new Set(want.relations.map((r) => `${r.id}:${r.type}:${r.source}>${r.target}`)));
    }
  });

  it('takes no place when an annotator takes back a passage they skipped', async () => {
    const k = await createProjectWithTeam(t.app, 'unskip', 1, { annotatorsPerPassage: 1 });
    const imported = await upload(k.lead, k.project.id, [microFile('micro_b001.xml')], { format: 'arg-microtext', mode: 'annotator', annotator: 'micro-k' });
    expect(imported.statusCode).toBe(201);
    const annotator = k.annotators[0]!;
    const item = await next(annotator, k.project.id);
    expect(item?.externalId).toBe('micro_b001');
    const skip = await annotator.post(`/api/annotation-sets/${item!.setId}/changes`, { changeId: 'skip-1', baseVersion: 0, ops: [{ op: 'setStatus', status: 'skipped', reason: 'later' }] });
    expect(skip.statusCode, skip.body).toBe(200);
    const back = await annotator.post(`/api/annotation-sets/${item!.setId}/changes`, { changeId: 'back-1', baseVersion: 1, ops: [{ op: 'setStatus', status: 'draft' }] });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('takes no place among the passage\'s annotators: both people still receive every passage', async () => {
    // Progress counts the people's work only: the imported sets are not "3 of 6 submitted".
    const progress = (await f.lead.get(`/api/projects/${f.project.id}`)).json() as { progress: { required: number; assigned: number; submitted: number } };
    expect(progress.progress).toMatchObject({ required: 6, assigned: 0, submitted: 0 });
    const received: string[][] = [[], []];
    for (const [a, client] of f.annotators.entries()) {
      for (;;) {
        const item = await next(client, f.project.id);
        if (!item) break;
        received[a]!.push(item.externalId);
        await client.post(`/api/annotation-sets/${item.setId}/changes`, { changeId: `skip-none-${item.setId}`, baseVersion: 0, ops: [{ op: 'setStatus', status: 'submitted' }] });
      }
    }
    expect(received.map((r) => r.sort())).toEqual([['micro_b001', 'micro_b003', 'micro_b005'], ['micro_b001', 'micro_b003', 'micro_b005']]);
  });

  it('attaches a second imported annotator to the passages the project has (brat, same texts), and agreement compares them', async () => {
    const files = NAMES.flatMap((name) => {
      const out = writeBrat(parsed(name), 'arg-microtext');
      const stem = name.replace('.xml', '');
      return [
        { filename: `${stem}.txt`, content: out.txt },
        { filename: `${stem}.ann`, content: out.ann },
      ];
    });
    files.push({ filename: 'annotation.conf', content: '[entities]\npremise\nconclusion\n' });
    const res = await upload(f.lead, f.project.id, files, { format: 'brat', mode: 'annotator', annotator: 'micro-b' });
    expect(res.statusCode, res.body).toBe(201);
    expect(importResponse.parse(res.json()).import).toMatchObject({ passages: 0, annotations: 3, existingPassages: 3, source: 'micro-b' });

    const report = agreementReport.parse((await f.lead.get(`/api/projects/${f.project.id}/agreement?annotators=${await idsOf(['micro-a', 'micro-b'])}`)).json());
    expect(report.passages).toBe(3);
    // Same spans through brat: perfect span agreement between the two imported annotators.
    expect(report.spans.exact.f1).toBe(1);
    expect(report.spans.unitizing.value).toBe(1);
  });

  it('refuses the same annotator twice on a passage, and names the passage; nothing is written', async () => {
    const before = counts();
    const res = await upload(f.lead, f.project.id, [microFile('micro_b001.xml')], { format: 'arg-microtext', mode: 'annotator', annotator: 'micro-a' });
    const details = rejected(res);
    expect(details.errors[0]).toMatchObject({ path: 'micro_b001: micro-a', message: "'micro-a' already has annotations on this passage" });
    expect(counts()).toEqual(before);
  });

  it('keeps imported annotators out: they cannot sign in, and cannot be enabled', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'micro-a', password: 'correct horse battery staple' } });
    expect(login.statusCode).toBe(401);
    const users = (await admin.get('/api/users')).json() as { users: unknown[] };
    const imported = users.users.map((u) => userSchema.parse(u)).find((u) => u.username === 'micro-a');
    expect(imported).toMatchObject({ imported: true, disabled: true });
    const enable = await admin.patch(`/api/users/${imported!.id}`, { disabled: false });
    expect(enable.statusCode).toBe(409);
  });

  it('cannot be made a project member', async () => {
    const res = await f.lead.post(`/api/projects/${f.project.id}/members`, { username: 'micro-a', role: 'annotator' });
    expect(res.statusCode).toBe(409);
    expect(errorBody.parse(res.json()).error.message).toMatch(/imported annotator/);
  });

  it('refuses a person\'s username for an imported annotator', async () => {
    const before = counts();
    const res = await upload(f.lead, f.project.id, [microFile('micro_b007.xml')], { format: 'arg-microtext', mode: 'annotator', annotator: 'ai-ann1' });
    expect(res.statusCode).toBe(409);
    expect(errorBody.parse(res.json()).error.code).toBe('USERNAME_TAKEN');
    expect(counts()).toEqual(before);
  });
});

async function idsOf(usernames: string[]): Promise<string> {
  const ids = usernames.map((name) => (t.app.sqlite.prepare('select id from users where username = ?').get(name) as { id: string }).id);
  return ids.join(',');
}

describe('importing pre-annotations', () => {
  let g: ProjectFixture;
  beforeAll(async () => {
    g = await createProjectWithTeam(t.app, 'pre', 2, { annotatorsPerPassage: 2 });
  });

  it('gives every annotator a set that starts from them, with Cyrillic, emoji and CRLF offsets intact', async () => {
    const text = 'Кофе 😀 вреден,\r\nпоэтому пейте чай.';
    const start = text.indexOf('поэтому');
    const document: DatasetDocument = {
      id: 'ru-1',
      text,
      language: 'ru',
      meta: null,
      annotations: [
        {
          source: 'model-v1',
          category: 'reasoning',
          spans: [
            { id: 's1', label: 'premise', start: 0, end: text.indexOf(','), note: null },
            { id: 's2', label: 'conclusion', start, end: text.length - 1, note: 'model guess' },
          ],
          relations: [{ id: 'r1', type: 'supports', source: 's1', target: 's2' }],
        },
      ],
    };
    const jsonl = writeSemanticJsonl([document]).text;
    const usersBefore = count('users');
    const res = await upload(g.lead, g.project.id, [{ filename: 'predictions.jsonl', content: jsonl }], { format: 'semantic-jsonl', mode: 'pre-annotations' });
    expect(res.statusCode, res.body).toBe(201);
    expect(importResponse.parse(res.json()).import).toMatchObject({ mode: 'pre-annotations', source: 'model-v1', passages: 1, annotations: 1 });
    expect(count('users')).toBe(usersBefore); // no account is made for pre-annotations

    for (const client of g.annotators) {
      const item = await next(client, g.project.id);
      expect(item?.externalId).toBe('ru-1');
      const set = await setOf(item!.setId, client);
      expect(set?.category).toBe('reasoning');
      expect(set?.spans.map((s) => [s.label, text.slice(s.start, s.end), s.note])).toEqual([
        ['premise', 'Кофе 😀 вреден', null],
        ['conclusion', 'поэтому пейте чай', 'model guess'],
      ]);
      expect(set?.relations).toEqual([{ id: 'r1', type: 'supports', source: 's1', target: 's2' }]);
    }
  });

  it('refuses pre-annotations for a passage already handed out, naming it', async () => {
    const g = await createProjectWithTeam(t.app, 'late', 1);
    await upload(g.lead, g.project.id, [{ filename: 'plain.jsonl', content: `${JSON.stringify({ id: 'late', text: 'Late text, so late.' })}\n` }], { format: 'jsonl' });
    const item = await next(g.annotators[0]!, g.project.id);
    expect(item?.externalId).toBe('late');
    const document: DatasetDocument = { id: 'late', text: 'Late text, so late.', language: null, meta: null, annotations: [{ source: 'model', category: null, spans: [{ id: 'x', label: 'premise', start: 0, end: 4, note: null }], relations: [] }] };
    const details = rejected(await upload(g.lead, g.project.id, [{ filename: 'late.jsonl', content: writeSemanticJsonl([document]).text }], { format: 'semantic-jsonl', mode: 'pre-annotations' }));
    expect(details.errors).toEqual([{ path: 'late: pre-annotations', message: expect.stringMatching(/already handed out to 1 annotator/) }]);
  });

  it('asks which source to take when the file holds several', async () => {
    const document: DatasetDocument = {
      id: 'two',
      text: 'A because B.',
      language: 'en',
      meta: null,
      annotations: ['alice', 'bob'].map((source) => ({ source, category: null, spans: [{ id: 'x', label: 'premise', start: 10, end: 11, note: null }], relations: [] })),
    };
    const before = counts();
    const res = await upload(g.lead, g.project.id, [{ filename: 'two.jsonl', content: writeSemanticJsonl([document]).text }], { format: 'semantic-jsonl', mode: 'pre-annotations' });
    expect(res.statusCode).toBe(400);
    expect(errorBody.parse(res.json()).error.message).toMatch(/'alice', 'bob': choose one source/);
    expect(counts()).toEqual(before);
    const chosen = await upload(g.lead, g.project.id, [{ filename: 'two.jsonl', content: writeSemanticJsonl([document]).text }], { format: 'semantic-jsonl', mode: 'pre-annotations', source: 'bob' });
    expect(chosen.statusCode, chosen.body).toBe(201);
  });
});

describe('refusals, all or nothing', () => {
  let h: ProjectFixture;
  beforeAll(async () => {
    h = await createProjectWithTeam(t.app, 'bad', 1);
  });

  it('refuses labels the project scheme lacks, per item, with the document and span', async () => {
    const before = counts();
    const files = [
      { filename: 'doc.txt', content: 'Alice met Bob.' },
      { filename: 'doc.ann', content: 'T1\tPerson 0 5\tAlice\nT2\tpremise 10 13\tBob\n' },
    ];
    const details = rejected(await upload(h.lead, h.project.id, files, { format: 'brat', mode: 'annotator', annotator: 'tutor' }));
    expect(details.errors).toEqual([{ path: 'doc: span T1', message: expect.stringMatching(/Person/) }]);
    expect(counts()).toEqual(before);
  });

  it('refuses a .ann without its .txt, and a file of another format, naming each', async () => {
    const files = [
      { filename: 'lonely.ann', content: 'T1\tpremise 0 1\tA\n' },
      { filename: 'notes.pdf', content: '%PDF' },
    ];
    const details = rejected(await upload(h.lead, h.project.id, files, { format: 'brat', mode: 'annotator', annotator: 'tutor' }));
    expect(details.errors.map((e) => e.path)).toEqual(['lonely.ann', 'notes.pdf']);
    expect(details.errors[0]?.message).toMatch(/lonely\.txt is missing/);
  });

  it('refuses micro_b002.xml (declared UTF-8, partly Windows-1251) with its line and byte, never mojibake', async () => {
    const before = counts();
    const content = readFileSync(new URL('micro_b002.xml', RUSSIAN));
    const details = rejected(await upload(h.lead, h.project.id, [{ filename: 'micro_b002.xml', content }], { format: 'arg-microtext', mode: 'annotator', annotator: 'ru', language: 'ru' }));
    expect(details.errors[0]).toMatchObject({ line: 4, path: expect.stringMatching(/^micro_b002\.xml/) });
    expect(details.errors[0]?.message).toMatch(/Windows-1251/);
    expect(counts()).toEqual(before);
  });

  it('refuses a passage id the project has with another text', async () => {
    await upload(h.lead, h.project.id, [{ filename: 'one.jsonl', content: writeSemanticJsonl([{ id: 'p', text: 'First text.', language: null, meta: null, annotations: [{ source: 's', category: null, spans: [], relations: [] }] }]).text }], { format: 'semantic-jsonl', mode: 'annotator', annotator: 'first' });
    const details = rejected(
      await upload(h.lead, h.project.id, [{ filename: 'two.jsonl', content: writeSemanticJsonl([{ id: 'p', text: 'Other text.', language: null, meta: null, annotations: [{ source: 's', category: null, spans: [], relations: [] }] }]).text }], { format: 'semantic-jsonl', mode: 'annotator', annotator: 'second' }),
    );
    expect(details.errors[0]).toMatchObject({ path: 'p: text', message: expect.stringMatching(/different text/) });
  });

  it('refuses a semantic JSONL file with a broken line, naming the line; nothing is written', async () => {
    const before = counts();
    const good = writeSemanticJsonl([parsed('micro_b001.xml'), parsed('micro_b003.xml')]).text.split('\n').filter(Boolean);
    const content = `${good[0]}\n{"id": "broken"\n${good[1]}\n`;
    const details = rejected(await upload(h.lead, h.project.id, [{ filename: 'two.jsonl', content }], { format: 'semantic-jsonl', mode: 'annotator', annotator: 'streamed' }));
    expect(details.errors).toEqual([{ line: 2, path: 'two.jsonl', message: expect.stringMatching(/^invalid JSON/) }]);
    expect(counts()).toEqual(before);
  });

  it('imports an annotator\'s finished work only: drafts are left out and listed', async () => {
    const text = 'Drafts stay out.';
    const documents: DatasetDocument[] = ['d1', 'd2'].map((id, i) => ({
      id,
      text,
      language: null,
      meta: null,
      annotations: [{ source: 'ext', category: null, status: i === 0 ? 'submitted' : 'draft', spans: [{ id: 's', label: 'premise', start: 0, end: 6, note: null }], relations: [] }],
    }));
    const res = await upload(h.lead, h.project.id, [{ filename: 'drafts.jsonl', content: writeSemanticJsonl(documents).text }], { format: 'semantic-jsonl', mode: 'annotator', annotator: 'ext-annotator' });
    expect(res.statusCode, res.body).toBe(201);
    const summary = importResponse.parse(res.json()).import;
    expect(summary).toMatchObject({ passages: 2, annotations: 1 });
    expect(summary.losses).toEqual([{ document: 'd2', source: 'ext', item: 'annotation', reason: expect.stringMatching(/status is 'draft'/) }]);
  });

  it('brat: a byte order mark at the start of a .txt is removed and the offsets follow, so the text matches the project\'s', async () => {
    const text = 'Кофе 😀 вреден.';
    await upload(h.lead, h.project.id, [{ filename: 'bom.jsonl', content: `${JSON.stringify({ id: 'bom', text })}\n` }], { format: 'jsonl' });
    // brat counts the BOM as a character: "Кофе" is 1-5 in the .ann.
    const files = [
      { filename: 'bom.txt', content: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) },
      { filename: 'bom.ann', content: 'T1\tpremise 1 5\tКофе\nT2\tconclusion 8 14\tвреден\n' },
    ];
    const res = await upload(h.lead, h.project.id, files, { format: 'brat', mode: 'annotator', annotator: 'bom-reader' });
    expect(res.statusCode, res.body).toBe(201);
    const summary = importResponse.parse(res.json()).import;
    expect(summary).toMatchObject({ passages: 0, existingPassages: 1 });
    expect(summary.losses.map((l) => l.item)).toContain('text');
    const passageId = (t.app.sqlite.prepare("select id from passages where external_id = 'bom'").get() as { id: string }).id;
    const [set] = await setsOfLead(h, passageId);
    expect(set?.spans.map((s) => text.slice(s.start, s.end))).toEqual(['Кофе', 'вреден']);
  });

  it('needs a mode, and only a lead may import', async () => {
    const noMode = await upload(h.lead, h.project.id, [microFile('micro_b001.xml')], { format: 'arg-microtext' });
    expect(noMode.statusCode).toBe(400);
    expect(errorBody.parse(noMode.json()).error.message).toMatch(/mode is one of pre-annotations, annotator/);
    const byAnnotator = await upload(h.annotators[0]!, h.project.id, [microFile('micro_b001.xml')], { format: 'arg-microtext', mode: 'annotator' });
    expect(byAnnotator.statusCode).toBe(403);
  });
});
