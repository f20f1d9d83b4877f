import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changeResponse, exportProgress } from '@warrant/contracts';
import { parseAif, parseBrat, type SemanticRecord } from '@warrant/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRefOf, semanticText } from '../src/exports/records.ts';
import { createTestApp, type Client, type TestApp } from './helpers/app.ts';
import { untarText } from './helpers/tar.ts';
import { createProjectWithTeam, importTexts, next, type ProjectFixture } from './helpers/project.ts';

let t: TestApp;
let f: ProjectFixture;
let records: SemanticRecord[];
let raw: string;
let headers: Record<string, unknown>;

const TEXTS = [
  { id: 'emoji', text: 'Family 👩‍👩‍👧‍👦 first; then 𝕏 marks the spot.' },
  { id: 'ru-crlf', text: 'Первое.\r\nЗначит, второе: e\u0301 и é.' },
];

/** Marks a span on each UTF-16 word boundary found by a regex, so offsets land after astral characters. */
function spansFor(text: string, words: string[]) {
  return words.map((word, i) => {
    const start = text.indexOf(word);
    return { op: 'addSpan', span: { id: `w${i}`, label: i === 0 ? 'conclusion' : 'premise', start, end: start + word.length, note: i === 1 ? 'нота 📝' : null } };
  });
}

async function annotate(client: Client, words: Record<string, string[]>) {
  for (;;) {
    const item = await next(client, f.project.id);
    if (!item) return;
    const text = TEXTS.find((p) => p.id === item.externalId)?.text ?? '';
    const spans = spansFor(text, words[item.externalId] ?? []);
    const res = await client.post(`/api/annotation-sets/${item.setId}/changes`, {
      changeId: `x-${item.setId}`,
      baseVersion: 0,
      ops: [
        ...spans,
        { op: 'addRelation', relation: { id: 'r1', type: 'supports', source: 'w1', target: 'w0' } },
        { op: 'setCategory', category: 'reasoning' },
        { op: 'setStatus', status: 'submitted' },
      ],
    });
    expect(res.statusCode).toBe(200);
    changeResponse.parse(res.json());
  }
}

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'exp', 2);
  await importTexts(f.lead, f.project.id, TEXTS);
  await annotate(f.annotators[0] as Client, { emoji: ['𝕏 marks the spot', '👩‍👩‍👧‍👦'], 'ru-crlf': ['Значит, второе: e\u0301', 'Первое.\r\n'] });
  await annotate(f.annotators[1] as Client, { emoji: ['then 𝕏', 'Family'], 'ru-crlf': ['é', 'e\u0301'] });
  const res = await f.lead.get(`/api/projects/${f.project.id}/export?format=jsonl`);
  expect(res.statusCode).toBe(200);
  raw = res.body;
  headers = res.headers;
  records = raw.trimEnd().split('\n').map((line) => JSON.parse(line) as SemanticRecord);
});
afterAll(async () => t.close());

describe('JSONL export', () => {
  it('is a download with a fixed content type', () => {
    expect(headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(String(headers['content-disposition'])).toMatch(/^attachment; filename="exp-project-\d{4}-\d{2}-\d{2}\.jsonl"$/);
    expect(headers['x-content-type-options']).toBe('nosniff');
  });

  it('has one record per passage and annotator, with text and its SHA-256', () => {
    expect(records.map((r) => `${r.id}/${r.annotator}`).sort()).toEqual(['emoji/exp-ann1', 'emoji/exp-ann2', 'ru-crlf/exp-ann1', 'ru-crlf/exp-ann2']);
    for (const r of records) {
      const source = TEXTS.find((p) => p.id === r.id);
      expect(r.text).toBe(source?.text);
      expect(r.text_sha256).toBe(createHash('sha256').update(r.text, 'utf8').digest('hex'));
      expect(r).toMatchObject({ status: 'submitted', category: 'reasoning', format: 'warrant-semantic/0.2' });
      expect(r.relations).toEqual([{ id: 'r1', type: 'supports', source: 'w1', target: 'w0' }]);
    }
  });

  it('gives every span code-point offsets, UTF-16 offsets and its text, all agreeing', () => {
    for (const r of records) {
      const codePoints = Array.from(r.text);
      for (const span of r.spans) {
        expect(codePoints.slice(span.start, span.end).join('')).toBe(span.text);
        expect(r.text.slice(span.start_utf16, span.end_utf16)).toBe(span.text);
      }
    }
    const emoji = records.find((r) => r.id === 'emoji' && r.annotator === 'exp-ann1');
    // "Family 👩‍👩‍👧‍👦 first; then " is 31 UTF-16 units but 27 code points before "𝕏".
    expect(emoji?.spans.find((s) => s.text.startsWith('𝕏'))).toMatchObject({ start: 27, start_utf16: 31, end: 43, end_utf16: 48 });
  });

  it('agrees with Python: text[start:end] == span["text"] for every span', () => {
    const dir = mkdtempSync(join(tmpdir(), 'warrant-export-'));
    const file = join(dir, 'export.jsonl');
    writeFileSync(file, raw);
    const script = [
      'import json, sys',
      'n = 0',
      "for line in open(sys.argv[1], encoding='utf-8', newline=''):",
      '    r = json.loads(line)',
      "    for s in r['spans']:",
      "        assert r['text'][s['start']:s['end']] == s['text'], (r['id'], s)",
      '        n += 1',
      'print(n)',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script, file], { encoding: 'utf8' });
    expect(Number(out.trim())).toBe(records.reduce((n, r) => n + r.spans.length, 0));
  });

  it('keeps notes, CRLF and NFD text unchanged', () => {
    const ru = records.find((r) => r.id === 'ru-crlf' && r.annotator === 'exp-ann1');
    expect(ru?.spans.map((s) => s.text)).toContain('Первое.\r\n');
    expect(ru?.spans.find((s) => s.id === 'w1')?.note).toBe('нота 📝');
    const nfd = records.find((r) => r.id === 'ru-crlf' && r.annotator === 'exp-ann2');
    expect(nfd?.spans.map((s) => s.text).sort()).toEqual(['e\u0301', 'é'].sort());
  });

  it('is for leads only: annotators 403, outsiders 404', async () => {
    expect((await (f.annotators[0] as Client).get(`/api/projects/${f.project.id}/export`)).statusCode).toBe(403);
    const other = await createProjectWithTeam(t.app, 'other', 0);
    expect((await other.lead.get(`/api/projects/${f.project.id}/export`)).statusCode).toBe(404);
  });

  it('runs at most four exports at once and frees the place when a download ends', async () => {
    const open = Array.from({ length: 4 }, () => t.app.exports.jsonl(f.project.id, f.lead.user));
    expect(() => t.app.exports.jsonl(f.project.id, f.lead.user)).toThrow(/too many exports/);
    const refused = await f.lead.get(`/api/projects/${f.project.id}/export`);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    for (const download of open) download.stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await f.lead.get(`/api/projects/${f.project.id}/export`)).statusCode).toBe(200);
  });

  it('reports its progress under the token the lead gave, and only to that lead', async () => {
    const url = (token: string) => `/api/projects/${f.project.id}/export/progress/${token}`;
    expect(exportProgress.parse((await f.lead.get(url('tok-1'))).json())).toEqual({ state: 'pending', passages: 0, total: 0, bytes: 0 });
    const res = await f.lead.get(`/api/projects/${f.project.id}/export?format=jsonl&progress=tok-1`);
    expect(res.statusCode).toBe(200);
    const total = (t.app.sqlite.prepare('select count(*) as n from passages where project_id = ?').get(f.project.id) as { n: number }).n;
    expect(exportProgress.parse((await f.lead.get(url('tok-1'))).json())).toEqual({ state: 'done', passages: total, total, bytes: Buffer.byteLength(res.body) });
    // Another lead of another project, and an annotator, learn nothing from the token.
    const other = await createProjectWithTeam(t.app, 'prog', 0);
    expect((await other.lead.get(url('tok-1'))).statusCode).toBe(404);
    expect((await (f.annotators[0] as Client).get(url('tok-1'))).statusCode).toBe(403);
    expect((await f.lead.get(url('not a token'))).statusCode).toBe(400);
  });

  it('marks a download cut short as failed', async () => {
    const download = t.app.exports.download(f.project.id, 'jsonl', f.lead.user, 'tok-cut');
    download.stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.app.exports.progressOf(f.project.id, 'tok-cut', f.lead.user).state).toBe('failed');
  });

  it('refuses formats it does not write', async () => {
    expect((await f.lead.get(`/api/projects/${f.project.id}/export?format=pdf`)).statusCode).toBe(400);
  });
});


describe('other export formats', () => {
  const download = async (format: string) => {
    const res = await f.lead.request({ method: 'GET', url: `/api/projects/${f.project.id}/export?format=${format}` });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    return res;
  };

  it('brat: a .tar.gz with one .txt and .ann per passage and annotator, annotation.conf and the losses, code-point offsets', async () => {
    const res = await download('brat');
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename=".*\.brat\.tar\.gz"/);
    const files = untarText(res.rawPayload);
    const names = [...files.keys()];
    expect(names.filter((n) => n.endsWith('.ann'))).toHaveLength(4);
    expect(names.some((n) => n.endsWith('/annotation.conf'))).toBe(true);
    const ann = [...files.entries()].find(([n]) => n.endsWith('exp-ann1_emoji.ann'));
    if (!ann) throw new Error(`no ann for exp-ann1 emoji: ${names.join(', ')}`);
    const txt = files.get(ann[0].replace(/\.ann$/, '.txt')) as string;
    const parsed = parseBrat({ file: ann[0], txt, ann: ann[1] });
    const record = records.find((r) => r.id === 'emoji' && r.annotator === 'exp-ann1') as SemanticRecord;
    expect(parsed.document.annotations[0]?.spans.map((s) => [s.start, s.end, s.label]).sort()).toEqual(
      record.spans.map((s) => [s.start_utf16, s.end_utf16, s.label]).sort(),
    );
    // brat counts code points: the T line's offsets are the record's code-point ones.
    for (const span of record.spans) expect(ann[1]).toContain(`${span.label} ${span.start} ${span.end}\t`);
    expect(parsed.document.annotations[0]?.relations).toHaveLength(1);
    const losses = JSON.parse(files.get([...files.keys()].find((n) => n.endsWith('losses.json')) as string) as string) as { reason: string }[];
    // Category and language are brat's losses here, listed per item.
    expect(losses.some((l) => l.reason.includes('category'))).toBe(true);
  });

  it('AIF: a .tar.gz of AIF JSON files that read back to the same spans', async () => {
    const files = untarText((await download('aif')).rawPayload);
    const entry = [...files.entries()].find(([n]) => n.endsWith('exp-ann2_ru-crlf.json'));
    if (!entry) throw new Error(`no AIF for exp-ann2 ru-crlf: ${[...files.keys()].join(', ')}`);
    const parsed = parseAif({ file: entry[0], json: entry[1] });
    const record = records.find((r) => r.id === 'ru-crlf' && r.annotator === 'exp-ann2') as SemanticRecord;
    expect(parsed.document.text).toBe(record.text);
    expect(parsed.document.annotations[0]?.spans.map((s) => [s.start, s.end]).sort()).toEqual(record.spans.map((s) => [s.start_utf16, s.end_utf16]).sort());
  });

  it('CSV: one row per span with code-point offsets, one header', async () => {
    const res = await download('csv');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('document,annotator,span,label,start,end,text,note,category');
    expect(lines.filter((l) => l.startsWith('document,'))).toHaveLength(1);
    const total = records.reduce((n, r) => n + r.spans.length, 0);
    expect(res.body).toContain('"нота 📝"'.replace(/"/g, ''));
    expect(lines.length - 1).toBeGreaterThanOrEqual(total);
  });

  it('CoNLL: a block per passage and annotator, and the relations it cannot carry listed at the end', async () => {
    const res = await download('conll');
    expect(res.body.match(/^# id = /gm)?.length).toBe(4);
    expect(res.body).toMatch(/# losses: \d+ item\(s\) CoNLL cannot carry/);
    expect(res.body).toMatch(/# lost emoji exp-ann1 r1: /);
  });

  it('archives a passage whose id is long and not ASCII (ustar names are 100 bytes)', async () => {
    const id = 'Очень-длинный-идентификатор-фрагмента-на-русском-языке-номер-один';
    await importTexts(f.lead, f.project.id, [{ id, text: 'Короткий текст.' }]);
    await next(f.annotators[0] as Client, f.project.id);
    const files = untarText((await download('brat')).rawPayload);
    expect([...files.keys()].some((name) => name.endsWith('.ann') && name.includes('Очень'))).toBe(true);
    expect(files.size).toBeGreaterThan(4);
  });
});

describe('JSONL export of a project of many batches (read and built on two threads)', () => {
  const PASSAGES = 1000;
  let big: ProjectFixture;
  const read = async (stream: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  };
  /** What the export held back for the client: what a one-thread read of the same snapshot writes. */
  const oneThread = async (projectId: string) => {
    let text = '';
    for await (const batch of t.app.exports.snapshot(projectId)) text += semanticText(batch.items, projectRefOf(batch.context.project));
    return text;
  };

  beforeAll(async () => {
    big = await createProjectWithTeam(t.app, 'big', 2);
    await importTexts(
      big.lead,
      big.project.id,
      Array.from({ length: PASSAGES }, (_, i) => ({ id: `b${i}`, text: `${i % 3 === 0 ? 'Family 👩‍👩‍👧‍👦 first; ' : ''}Taxes fund roads, roads help trade, so taxes help trade.` })),
    );
    const db = t.app.sqlite;
    const passages = db.prepare('SELECT id, text FROM passages WHERE project_id = ? ORDER BY ordinal').all(big.project.id) as { id: string; text: string }[];
    const users = big.annotators.map((a) => a.user.id);
    const insertSet = db.prepare(
      `INSERT INTO annotation_sets (id, project_id, passage_id, user_id, status, category, version, created_at, updated_at, submitted_at) VALUES (?, ?, ?, ?, 'submitted', 'reasoning', 1, ?, ?, ?)`,
    );
    const insertSpan = db.prepare('INSERT INTO spans (set_id, id, label, start, "end", note) VALUES (?, ?, ?, ?, ?, ?)');
    const insertRelation = db.prepare('INSERT INTO relations (set_id, id, type, source_id, target_id) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      passages.forEach(({ id, text }, n) => {
        // Every fifth passage has no set: batches hold passages without records too.
        const annotators = n % 5 === 0 ? [] : n % 2 === 0 ? users : [users[n % 3 === 0 ? 1 : 0] as string];
        for (const userId of annotators) {
          const setId = `big-${n}-${userId}`;
          insertSet.run(setId, big.project.id, id, userId, 1_700_000_000_000 + n, 1_700_000_000_000 + n, 1_700_000_000_000 + n);
          const end = text.length;
          insertSpan.run(setId, 'c', 'conclusion', end - 16, end - 1, null);
          insertSpan.run(setId, 'p', 'premise', end - 36, end - 19, n % 7 === 0 ? 'нота 📝' : null);
          insertRelation.run(setId, 'r', 'supports', 'p', 'c');
        }
      });
    })();
  });

  it('writes the same bytes, in passage order, as a one-thread read of the same data', async () => {
    const res = await big.lead.get(`/api/projects/${big.project.id}/export?format=jsonl&progress=big-1`);
    expect(res.statusCode).toBe(200);
    const expected = await oneThread(big.project.id);
    expect(expected.split('\n')).toHaveLength(1 + PASSAGES * 0.8 * 1.5);
    expect(res.body).toBe(expected);
    expect(exportProgress.parse((await big.lead.get(`/api/projects/${big.project.id}/export/progress/big-1`)).json())).toEqual({
      state: 'done',
      passages: PASSAGES,
      total: PASSAGES,
      bytes: Buffer.byteLength(expected),
    });
  });

  it('is one snapshot: saves made while the download runs are not in it', async () => {
    const before = await oneThread(big.project.id);
    const download = t.app.exports.download(big.project.id, 'jsonl', big.lead.user);
    const chunks = download.stream[Symbol.asyncIterator]();
    const first = Buffer.from((await chunks.next()).value as Uint8Array).toString('utf8');
    // The last passages are read long after the first chunk was written.
    t.app.sqlite.prepare(`UPDATE annotation_sets SET category = 'changed' WHERE project_id = ?`).run(big.project.id);
    t.app.sqlite.prepare(`DELETE FROM spans WHERE set_id IN (SELECT id FROM annotation_sets WHERE project_id = ?) AND id = 'p'`).run(big.project.id);
    let rest = '';
    for (let chunk = await chunks.next(); !chunk.done; chunk = await chunks.next()) rest += Buffer.from(chunk.value as Uint8Array).toString('utf8');
    expect(first + rest).toBe(before);
    expect(await oneThread(big.project.id)).not.toBe(before);
  });

  it('ends its worker and read transaction when the client leaves, and frees its place', async () => {
    const sqlite = t.app.sqlite;
    // A checkpoint that must wait for no one: it fails while a reader holds an older snapshot.
    const checkpoint = () => (sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy;
    sqlite.pragma('busy_timeout = 0');
    try {
      const downloads = Array.from({ length: 4 }, () => t.app.exports.download(big.project.id, 'jsonl', big.lead.user, `left-${Math.random()}`));
      for (const download of downloads) await download.stream[Symbol.asyncIterator]().next();
      sqlite.prepare(`UPDATE annotation_sets SET version = version + 1 WHERE project_id = ?`).run(big.project.id);
      expect(checkpoint()).toBe(1);
      expect(() => t.app.exports.download(big.project.id, 'jsonl', big.lead.user)).toThrow(/too many exports/);
      for (const download of downloads) download.stream.destroy();
      let busy = checkpoint();
      for (let i = 0; i < 100 && busy !== 0; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        busy = checkpoint();
      }
      expect(busy).toBe(0);
      expect((await big.lead.get(`/api/projects/${big.project.id}/export?format=jsonl`)).statusCode).toBe(200);
    } finally {
      sqlite.pragma('busy_timeout = 5000');
    }
  });

  it('ends the download as failed when the worker fails, and says so to progress', async () => {
    const broken = await createProjectWithTeam(t.app, 'broken', 1);
    await importTexts(broken.lead, broken.project.id, [{ id: 'x', text: 'Short text.' }]);
    const [passage] = t.app.sqlite.prepare('SELECT id FROM passages WHERE project_id = ?').all(broken.project.id) as { id: string }[];
    // A gold version whose provenance is not JSON: the worker's read of it throws.
    t.app.sqlite
      .prepare(
        `INSERT INTO gold_versions (passage_id, project_id, adjudicator_id, status, category, category_sources, spans, relations, note, version, created_at, updated_at)
         VALUES (?, ?, ?, 'done', NULL, 'not json', '[]', '[]', NULL, 1, 0, 0)`,
      )
      .run(passage?.id, broken.project.id, broken.lead.user.id);
    const download = t.app.exports.download(broken.project.id, 'jsonl', broken.lead.user, 'tok-broken');
    await expect(read(download.stream)).rejects.toThrow(/JSON/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.app.exports.progressOf(broken.project.id, 'tok-broken', broken.lead.user).state).toBe('failed');
    // Its place is free again: four more can start.
    const more = Array.from({ length: 4 }, () => t.app.exports.download(broken.project.id, 'jsonl', broken.lead.user));
    for (const download of more) download.stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('cuts the download short when the worker fails after the first batches', async () => {
    const [last] = t.app.sqlite.prepare('SELECT id FROM passages WHERE project_id = ? ORDER BY ordinal DESC LIMIT 1').all(big.project.id) as { id: string }[];
    t.app.sqlite
      .prepare(
        `INSERT INTO gold_versions (passage_id, project_id, adjudicator_id, status, category, category_sources, spans, relations, note, version, created_at, updated_at)
         VALUES (?, ?, ?, 'done', NULL, 'not json', '[]', '[]', NULL, 1, 0, 0)`,
      )
      .run(last?.id, big.project.id, big.lead.user.id);
    try {
      // The headers went out with the first batches: the client sees the connection cut.
      await expect(big.lead.get(`/api/projects/${big.project.id}/export?format=jsonl&progress=big-cut`)).rejects.toMatchObject({ code: 'LIGHT_ECONNRESET' });
      const progress = exportProgress.parse((await big.lead.get(`/api/projects/${big.project.id}/export/progress/big-cut`)).json());
      expect(progress.state).toBe('failed');
      expect(progress.passages).toBeGreaterThan(0);
      expect(progress.passages).toBeLessThan(PASSAGES);
    } finally {
      t.app.sqlite.prepare('DELETE FROM gold_versions WHERE passage_id = ?').run(last?.id);
    }
  });
});
