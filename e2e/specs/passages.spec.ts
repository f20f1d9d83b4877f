import { readFile } from 'node:fs/promises';
import { expect, test } from '../fixtures/test.ts';
import { uniqueName } from '../fixtures/seed-api.ts';
import { ProjectPage } from '../pages/project-page.ts';

test.describe('a lead’s passages', () => {
  test('the table pages through a long project, 50 passages at a time', async ({ page, admin, lead, signIn }) => {
    const project = await admin.createProject({ name: uniqueName('Long project') });
    await admin.addMember(project.id, lead.username, 'lead');
    const records = Array.from({ length: 57 }, (_, i) => ({ id: `p-${String(i + 1).padStart(3, '0')}`, text: `Passage number ${i + 1}.` }));
    await admin.importPassages(project.id, records);

    await signIn(page, lead);
    const projectPage = new ProjectPage(page);
    await projectPage.goto(project.id);
    await expect(projectPage.passageRange).toHaveText('Passages 1–50 of 57');
    await expect(projectPage.passageRows()).toHaveCount(50);
    await expect(page.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(projectPage.passageRange).toHaveText('Passages 51–57 of 57');
    await expect(projectPage.passageRows()).toHaveCount(7);
    await expect(projectPage.passages.getByRole('link', { name: 'p-057', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();
    await expect(page).toHaveURL(/\?page=2$/);

    // The page is in the address: a reload stays on it.
    await page.reload();
    await expect(projectPage.passageRange).toHaveText('Passages 51–57 of 57');
  });

  test('the export downloads the annotation sets as JSON Lines', async ({ page, admin, lead, signIn, createPerson, apiAs }) => {
    const project = await admin.createProject({ name: 'Export me' });
    await admin.addMember(project.id, lead.username, 'lead');
    await admin.importPassages(project.id, [
      { id: 'x-1', text: 'Первый фрагмент 🚲.' },
      { id: 'x-2', text: 'Not handed out, so not exported.' },
    ]);
    const annotator = await createPerson({ prefix: 'exp' });
    await admin.addMember(project.id, annotator.username);
    await (await apiAs(annotator)).takeNext(project.id);

    await signIn(page, lead);
    const projectPage = new ProjectPage(page);
    await projectPage.goto(project.id);
    await projectPage.openSection('Export');
    const downloading = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download JSONL' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^export-me-\d{4}-\d{2}-\d{2}\.jsonl$/);

    const lines = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      id: 'x-1',
      text: 'Первый фрагмент 🚲.',
      annotator: annotator.username,
      status: 'draft',
    });

    // Another format: what it carries is said before the download, and the archive arrives.
    await page.getByLabel('Format').selectOption('brat');
    await expect(page.getByText(/losses\.json listing what brat cannot carry/)).toBeVisible();
    const archive = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download brat' }).click();
    expect((await archive).suggestedFilename()).toMatch(/^export-me-\d{4}-\d{2}-\d{2}\.brat\.tar\.gz$/);
  });
});
