import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { releaseList } from '@warrant/contracts';
import { expect, test } from '../fixtures/test.ts';
import { uniqueName } from '../fixtures/seed-api.ts';
import { CorpusImportSection, ExportSection, ReleasesSection } from '../pages/datasets-page.ts';

/** Real corpora are read where they are, never copied into the repository. */
const MICROTEXTS = new URL('../../../shared/corpora/arg-microtexts/corpus/en/', import.meta.url).pathname;
const FILES = ['micro_b001.xml', 'micro_b003.xml', 'micro_b005.xml'].map((name) => join(MICROTEXTS, name));

/** The names of the entries of a (ustar / pax) tar archive: enough to see what a bundle holds. */
function tarNames(tar: Buffer): string[] {
  const names: string[] = [];
  let paxPath: string | null = null;
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const text = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    if (type === 'x') {
      paxPath = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1] ?? null;
    } else if (type !== 'g') {
      const prefix = text(345, 155);
      names.push(paxPath ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100)));
      paxPath = null;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

test('a lead imports arg-microtexts as an imported annotator, exports them with a progress bar, and cuts a release', async ({
  page,
  admin,
  lead,
  signIn,
}) => {
  test.setTimeout(60_000);
  const project = await admin.createProject({ name: uniqueName('Microtexts'), annotatorsPerPassage: 2 });
  await admin.addMember(project.id, lead.username, 'lead');
  await signIn(page, lead);

  // Import: three files at once, as the submitted sets of an imported annotator.
  const imports = new CorpusImportSection(page);
  await imports.goto(project.id);
  await imports.chooseAnnotated('arg-microtexts XML');
  await imports.chooseMode('An imported annotator');
  await imports.annotator.fill('micro-a');
  await imports.files.setInputFiles(FILES);
  await expect(imports.region.getByText('3 files to upload')).toBeVisible();
  await imports.upload.click();
  const summary = imports.imported('3 passages imported');
  await expect(summary).toBeVisible();
  await expect(summary).toContainText('From micro_b001.xml and 2 more');
  await expect(summary).toContainText('3 submitted sets of the imported annotator micro-a');

  // Export: the native download, followed by a progress bar that reaches the end.
  const exporter = new ExportSection(page);
  await exporter.goto(project.id);
  const download = await exporter.download('JSONL');
  const bar = exporter.progress('JSONL');
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByRole('status').filter({ hasText: /^Done: 3 passages, / })).toBeVisible();
  expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
  const exported = await readFile(await download.path(), 'utf8');
  const records = exported
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; text: string; spans: unknown[]; relations: unknown[] });
  expect(records).toHaveLength(3);
  for (const record of records) {
    expect(record.text.length).toBeGreaterThan(0);
    expect(record.spans.length).toBeGreaterThan(0);
    expect(record.relations.length).toBeGreaterThan(0);
  }
  expect(exported).toContain('micro-a');

  // A release of every annotator's sets, listed as v1 with its split counts.
  const releases = new ReleasesSection(page);
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Releases' }).click();
  await expect(releases.form).toBeVisible();
  await expect(page.getByText('No releases yet. Cut the first one above.')).toBeVisible();
  await releases.name.fill('Microtexts pilot');
  await releases.chooseSource('All annotators');
  await releases.cut.click();
  const v1 = releases.release('v1');
  await expect(v1).toBeVisible({ timeout: 20_000 });
  await expect(v1.getByRole('heading')).toHaveText('v1 Microtexts pilot');
  await expect(page.getByRole('status').filter({ hasText: 'Release v1 is ready.' })).toBeVisible();

  const listed = releaseList.parse(await (await page.request.get(`/api/projects/${project.id}/releases`)).json()).releases;
  expect(listed).toHaveLength(1);
  const cut = listed[0];
  if (!cut) throw new Error('no release listed');
  expect(cut.passages).toBe(3);
  expect(cut.splits.train + cut.splits.dev + cut.splits.test).toBe(3);
  await expect(releases.stat(v1, 'Passages')).toHaveText('3');
  await expect(releases.stat(v1, 'Records')).toHaveText(String(cut.records));
  await expect(releases.stat(v1, 'Train')).toHaveText(String(cut.splits.train));
  await expect(releases.stat(v1, 'Dev')).toHaveText(String(cut.splits.dev));
  await expect(releases.stat(v1, 'Test')).toHaveText(String(cut.splits.test));
  const manifest = cut.files.find((file) => file.path === 'manifest.json');
  if (!manifest) throw new Error('the release lists no manifest.json');
  await expect(v1.getByRole('row').filter({ hasText: 'manifest.json' }).locator('code')).toHaveAttribute('title', manifest.sha256);

  // The dataset card opens from README.md.
  await v1.getByText('Dataset card (README.md)').click();
  await expect(v1.getByRole('group').filter({ hasText: 'Dataset card (README.md)' })).toContainText('("Microtexts pilot")');

  // The bundle: a gzip'd tar holding the card and the manifest.
  const bundleDownload = page.waitForEvent('download');
  await v1.getByRole('link', { name: 'Download v1 (.tar.gz)' }).click();
  const bundle = await readFile(await (await bundleDownload).path());
  expect([...bundle.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  const names = tarNames(gunzipSync(bundle)).map((name) => name.replace(/^.*\//, ''));
  expect(names).toEqual(expect.arrayContaining(['README.md', 'manifest.json']));
});

test('a lead uploads a 21 MB semantic JSONL export (5,000 passages) as an imported annotator, read on the server’s reader thread', async ({ page, admin, lead, signIn }, testInfo) => {
  test.setTimeout(90_000);
  const project = await admin.createProject({ name: uniqueName('Large import'), annotatorsPerPassage: 1 });
  await admin.addMember(project.id, lead.username, 'lead');
  // Records as `warrant export` writes them: 5,000 passages, 20 spans and 6 relations each, with
  // Cyrillic and an emoji at the start of every text (offsets in code points, and in UTF-16).
  const PASSAGES = 5000;
  const lines: string[] = [];
  for (let i = 0; i < PASSAGES; i += 1) {
    const head = `Тезис ${i} 😀 `;
    const text = head + 'Taxes fund roads and roads help trade, so taxes help trade. '.repeat(16);
    const points = Array.from(head).length;
    const spans = Array.from({ length: 20 }, (_, k) => {
      const start = head.length + k * 40;
      const end = start + 30;
      return { id: `T${k}`, label: ['premise', 'inference', 'conclusion'][k % 3], start: start - head.length + points, end: end - head.length + points, start_utf16: start, end_utf16: end, text: text.slice(start, end), note: null };
    });
    const relations = Array.from({ length: 6 }, (_, r) => ({ id: `R${r}`, type: 'supports', source: `T${r * 3}`, target: `T${r * 3 + 1}` }));
    const sha = createHash('sha256').update(text).digest('hex');
    lines.push(JSON.stringify({ format: 'warrant-semantic/0.2', id: `big-${i}`, text, text_sha256: sha, language: 'en', meta: null, annotator: 'model', status: 'submitted', category: 'reasoning', skip_reason: null, spans, relations, chains: [], provenance: null }));
  }
  const file = testInfo.outputPath('large-export.jsonl');
  await writeFile(file, `${lines.join('\n')}\n`);
  expect((await stat(file)).size).toBeGreaterThan(4 * 1024 * 1024);

  await signIn(page, lead);
  const imports = new CorpusImportSection(page);
  await imports.goto(project.id);
  await imports.chooseAnnotated('Semantic dataset (JSONL)');
  await imports.chooseMode('An imported annotator');
  await imports.annotator.fill('model-large');
  await imports.files.setInputFiles(file);
  await imports.upload.click();
  const summary = imports.imported(/5\D?000 passages imported/);
  await expect(summary).toBeVisible({ timeout: 60_000 });
  await expect(summary).toContainText(/5\D?000 submitted sets of the imported annotator model-large/);

  // What the server stored, as the lead reads it: the last passage's set, offsets in UTF-16.
  const listed = (await (await page.request.get(`/api/projects/${project.id}/passages?limit=1&offset=${PASSAGES - 1}`)).json()) as { total: number; passages: { id: string }[] };
  expect(listed.total).toBe(PASSAGES);
  const last = listed.passages[0];
  if (!last) throw new Error('no passage listed');
  const sets = (await (await page.request.get(`/api/passages/${last.id}/annotation-sets`)).json()) as { sets: { id: string }[] };
  expect(sets.sets).toHaveLength(1);
  const set = (await (await page.request.get(`/api/annotation-sets/${sets.sets[0]!.id}`)).json()) as { spans: { id: string; start: number; end: number }[]; relations: unknown[] };
  expect(set.spans).toHaveLength(20);
  expect(set.relations).toHaveLength(6);
  const head = `Тезис ${PASSAGES - 1} 😀 `;
  expect(set.spans.find((s) => s.id === 'T0')).toMatchObject({ start: head.length, end: head.length + 30 });
});
