import { createHash } from 'node:crypto';
import { PASSAGE_IMPORT_EXTENSIONS, errorBody, importRejection, importResponse, passage, passageList } from '@warrant/contracts';
import { detectPassageFormat } from '@warrant/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { createProjectWithTeam, importFile, type ProjectFixture } from './helpers/project.ts';

let t: TestApp;
let f: ProjectFixture;
let other: ProjectFixture;

const passageCount = () => (t.app.sqlite.prepare('select count(*) as n from passages').get() as { n: number }).n;
const importCount = () => (t.app.sqlite.prepare('select count(*) as n from imports').get() as { n: number }).n;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function listAll(projectId: string) {
  const res = await f.lead.get(`/api/projects/${projectId}/passages?limit=200`);
  expect(res.statusCode).toBe(200);
  return passageList.parse(res.json());
}

async function fullText(id: string) {
  const res = await f.lead.get(`/api/passages/${id}`);
  expect(res.statusCode).toBe(200);
  return passage.parse(res.json());
}

function expectRejected(res: { statusCode: number; json(): unknown }) {
  expect(res.statusCode).toBe(400);
  const body = errorBody.parse(res.json());
  expect(body.error.code).toBe('IMPORT_REJECTED');
  return importRejection.parse(body.error.details);
}

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'imp', 1);
  other = await createProjectWithTeam(t.app, 'oth', 0);
});
afterAll(async () => t.close());

describe('passage import', () => {
  it('offers in the browser exactly the file endings the server reads', () => {
    for (const extension of PASSAGE_IMPORT_EXTENSIONS) expect(detectPassageFormat(`x${extension}`), extension).not.toBeNull();
    for (const other of ['.tsv', '.json', '.xml', '.ann', '.md']) expect(detectPassageFormat(`x${other}`), other).toBeNull();
  });

  it('imports .txt passages separated by blank lines, keeping CRLF, NBSP, NFD and emoji exactly', async () => {
    const first = 'Поэтому мы должны\r\nпересмотреть план.';
    const second = 'Cafe\u0301 and caf\u00e9 differ;\u00a0a family 👩‍👩‍👧‍👦 too.';
    const content = `${first}\r\n\r\n   \r\n${second}\n`;
    const res = await importFile(f.lead, f.project.id, 'essays.txt', content);
    expect(res.statusCode).toBe(201);
    const summary = importResponse.parse(res.json()).import;
    expect(summary).toMatchObject({ filename: 'essays.txt', format: 'txt', passages: 2, bytes: Buffer.byteLength(content) });
    const list = await listAll(f.project.id);
    const texts = await Promise.all(list.passages.map((p) => fullText(p.id)));
    expect(texts.map((p) => p.text)).toEqual([first, second]);
    expect(texts.map((p) => p.textSha256)).toEqual([sha256(first), sha256(second)]);
    // Without ids in the file, ids come from the file name and the starting line.
    expect(texts.map((p) => p.externalId)).toEqual(['essays.txt:1', 'essays.txt:5']);
    expect(list.passages[1]?.length).toBe(second.length);
  });

  it('imports .jsonl with ids and meta, and reports a stripped BOM', async () => {
    const lines = [
      JSON.stringify({ id: 'j1', text: 'Tabs\tand "quotes" survive.', meta: { source: 'blog', year: 2024 } }),
      JSON.stringify({ id: 7, text: 'Numeric ids become strings.' }),
    ];
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\n')}\n`)]);
    const res = await importFile(f.lead, f.project.id, 'data.jsonl', bytes);
    expect(res.statusCode).toBe(201);
    const summary = importResponse.parse(res.json()).import;
    expect(summary.passages).toBe(2);
    expect(summary.warnings.map((w) => w.message).join(' ')).toMatch(/byte order mark/i);
    const list = await listAll(f.project.id);
    const j1 = list.passages.find((p) => p.externalId === 'j1');
    expect(j1).toBeDefined();
    const full = await fullText(j1?.id ?? '');
    expect(full.meta).toEqual({ source: 'blog', year: 2024 });
    expect(full.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(list.passages.some((p) => p.externalId === '7')).toBe(true);
  });

  it('imports .csv with quoted newlines and extra columns as meta', async () => {
    const content = 'id,text,source\r\nc1,"Line one,\r\nline two ""quoted""",forum\r\nc2,Plain text,news\r\n';
    const res = await importFile(f.lead, f.project.id, 'table.csv', content);
    expect(res.statusCode).toBe(201);
    const list = await listAll(f.project.id);
    const c1 = await fullText(list.passages.find((p) => p.externalId === 'c1')?.id ?? '');
    expect(c1.text).toBe('Line one,\r\nline two "quoted"');
    expect(c1.meta).toEqual({ source: 'forum' });
  });

  it('numbers passages in import order across imports', async () => {
    const list = await listAll(f.project.id);
    expect(list.passages.map((p) => p.ordinal)).toEqual(list.passages.map((_, i) => i + 1));
    expect(list.total).toBe(6);
  });

  it('rejects a whole file with line-numbered errors and writes nothing', async () => {
    const before = [passageCount(), importCount()];
    const content = [
      JSON.stringify({ id: 'ok1', text: 'Fine.' }),
      '{"id": "bad", "text": ',
      JSON.stringify({ id: 'ok1', text: 'Duplicate id.' }),
      JSON.stringify({ id: 'empty', text: '   ' }),
      JSON.stringify({ id: 'x', text: 'Unknown field.', label: 'premise' }),
    ].join('\n');
    const details = expectRejected(await importFile(f.lead, f.project.id, 'broken.jsonl', content));
    expect(details.filename).toBe('broken.jsonl');
    expect(details.errors.map((e) => e.line)).toEqual([2, 3, 4, 5]);
    expect(details.errors[1]?.message).toMatch(/already used on line 1/);
    expect(details.errorCount).toBe(4);
    expect([passageCount(), importCount()]).toEqual(before);
  });

  it('rejects ids that already exist in the project, with their lines', async () => {
    const before = passageCount();
    const content = [JSON.stringify({ id: 'new-1', text: 'New.' }), JSON.stringify({ id: 'j1', text: 'Clashes with an earlier import.' })].join('\n');
    const details = expectRejected(await importFile(f.lead, f.project.id, 'clash.jsonl', content));
    expect(details.errors).toEqual([{ line: 2, field: 'id', message: "a passage with id 'j1' already exists in this project" }]);
    expect(passageCount()).toBe(before);
  });

  it('keeps generated ids unique: against ids in the file, and when a file name comes back', async () => {
    const clash = [JSON.stringify({ text: 'No id here.' }), JSON.stringify({ id: 'gen.jsonl:1', text: 'Explicit id that looks generated.' })].join('\n');
    const first = await importFile(f.lead, f.project.id, 'gen.jsonl', clash);
    expect(first.statusCode).toBe(201);
    const again = await importFile(f.lead, f.project.id, 'gen.jsonl', JSON.stringify({ text: 'Another file, same name.' }));
    expect(again.statusCode).toBe(201);
    const ids = (await listAll(f.project.id)).passages.map((p) => p.externalId).filter((id) => id.startsWith('gen.jsonl'));
    expect(ids.sort()).toEqual(['gen.jsonl#2:1', 'gen.jsonl#3:1', 'gen.jsonl:1'].sort());
  });

  it('reports clashes with the project together with the problems of the file itself', async () => {
    const content = [JSON.stringify({ id: 'j1', text: 'Clash.' }), '{"broken', JSON.stringify({ id: 'fresh', text: 'Fine.' })].join('\n');
    const details = expectRejected(await importFile(f.lead, f.project.id, 'both.jsonl', content));
    expect(details.errors.map((e) => e.line)).toEqual([1, 2]);
    expect(details.errorCount).toBe(2);
  });

  it('allows the same ids in another project', async () => {
    const res = await importFile(other.lead, other.project.id, 'same.jsonl', JSON.stringify({ id: 'j1', text: 'Separate project.' }));
    expect(res.statusCode).toBe(201);
  });

  it('rejects invalid UTF-8 with its byte position, never mojibake', async () => {
    const before = passageCount();
    // "Привет" in Windows-1251 after a valid first line.
    const bytes = Buffer.concat([Buffer.from('Valid line.\n\n'), Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2])]);
    const details = expectRejected(await importFile(f.lead, f.project.id, 'cp1251.txt', bytes));
    expect(details.errors[0]).toMatchObject({ line: 3 });
    expect(details.errors[0]?.message).toMatch(/invalid UTF-8 at byte 13/);
    expect(passageCount()).toBe(before);
  });

  it('rejects an empty file and a file of blank lines', async () => {
    for (const content of ['', '\n\n  \n']) {
      const details = expectRejected(await importFile(f.lead, f.project.id, 'empty.txt', content));
      expect(details.errors[0]?.line).toBe(0);
    }
  });

  it('rejects an unknown extension unless a format is given', async () => {
    const res = await importFile(f.lead, f.project.id, 'notes.md', 'Some text.');
    expect(res.statusCode).toBe(400);
    expect(errorBody.parse(res.json()).error.code).toBe('VALIDATION_FAILED');
    const ok = await importFile(f.lead, f.project.id, 'notes.md', 'Explicit format.', { format: 'txt' });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses a request that is not multipart', async () => {
    const res = await f.lead.post(`/api/projects/${f.project.id}/imports`, { text: 'json body' });
    expect(res.statusCode).toBe(415);
  });

  it('refuses a file over the size limit with 413 and writes nothing', async () => {
    const small = await createTestApp({ WARRANT_MAX_IMPORT_MB: '1' });
    try {
      const team = await createProjectWithTeam(small.app, 'big', 0);
      const line = `${JSON.stringify({ text: 'x'.repeat(1000) })}\n`;
      const res = await importFile(team.lead, team.project.id, 'big.jsonl', line.repeat(1100));
      expect(res.statusCode).toBe(413);
      expect(errorBody.parse(res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
      expect((small.app.sqlite.prepare('select count(*) as n from passages').get() as { n: number }).n).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('lets only leads import: annotators get 403, outsiders 404', async () => {
    const before = passageCount();
    const annotator = f.annotators[0];
    if (!annotator) throw new Error('no annotator');
    const asAnnotator = await importFile(annotator, f.project.id, 'a.txt', 'Text.');
    expect(asAnnotator.statusCode).toBe(403);
    const asOutsider = await importFile(other.lead, f.project.id, 'a.txt', 'Text.');
    expect(asOutsider.statusCode).toBe(404);
    expect(passageCount()).toBe(before);
  });

  it('records each import in history', async () => {
    const rows = t.app.sqlite.prepare("select data from history where entity = 'import' and project_id = ? order by id").all(f.project.id) as { data: string }[];
    expect(rows.map((r) => JSON.parse(r.data).filename)).toEqual(['essays.txt', 'data.jsonl', 'table.csv', 'gen.jsonl', 'gen.jsonl', 'notes.md']);
  });
});
