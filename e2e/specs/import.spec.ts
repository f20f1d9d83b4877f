import { writeFile } from 'node:fs/promises';
import { expect, test } from '../fixtures/test.ts';
import { uniqueName } from '../fixtures/seed-api.ts';
import { ProjectPage } from '../pages/project-page.ts';

const BOM = '\uFEFF';

test.describe('importing passages', () => {
  test('a good file: the upload shows its progress, the count imported and its warnings; the passages are then listed', async ({
    page,
    admin,
    lead,
    signIn,
  }, testInfo) => {
    const project = await admin.createProject({ name: uniqueName('Street trees'), annotatorsPerPassage: 2 });
    await admin.addMember(project.id, lead.username, 'lead');
    const records = [
      { id: 'en-1', text: 'We should plant more trees, because they cool the streets.\nCities that did so saw fewer heat deaths.' },
      { id: 'ru-1', text: 'Нужно сажать больше деревьев: они охлаждают улицы.\nЗначит, летом в городе легче дышать.' },
      { id: 'emoji-1', text: 'Cycling is healthy 🚲, so more people should cycle to work.' },
    ];
    // Written with a byte order mark, which the server strips and reports as a warning.
    const file = testInfo.outputPath('street-trees.jsonl');
    await writeFile(file, BOM + records.map((record) => JSON.stringify(record)).join('\n') + '\n', 'utf8');

    await signIn(page, lead);
    const projectPage = new ProjectPage(page);
    await projectPage.goto(project.id);
    await expect(page.getByText('No passages yet. Import a file to add some.')).toBeVisible();
    await projectPage.openSection('Import');

    await projectPage.imports.uploadFile(file);
    await expect(projectPage.imports.progress).toBeVisible();
    await expect(projectPage.imports.progress).toHaveAttribute('aria-valuenow', '100');
    await expect(projectPage.imports.imported('3 passages imported')).toBeVisible();
    await expect(projectPage.imports.imported('3 passages imported')).toContainText('From street-trees.jsonl.');
    await expect(page.getByRole('list', { name: 'Warnings' })).toHaveText('whole file: a UTF-8 byte order mark was stripped');

    await projectPage.openSection('Passages');
    await expect(projectPage.passageRows()).toHaveCount(3);
    await expect(projectPage.passageRange).toHaveText('Passages 1–3 of 3');
    await expect(projectPage.passages.getByRole('cell', { name: 'ru-1', exact: true })).toBeVisible();
    await expect(projectPage.passages.getByText(/Нужно сажать больше деревьев/)).toBeVisible();
    await expect(projectPage.passages.getByText(/Cycling is healthy 🚲/)).toBeVisible();
    await expect(projectPage.stat('Passages')).toHaveText('3');
    await expect(projectPage.stat('Annotations needed')).toHaveText('6');
  });

  test('a refused file lists its problems by line, and nothing is added', async ({ page, admin, lead, signIn }, testInfo) => {
    const project = await admin.createProject({ name: uniqueName('Refusals') });
    await admin.addMember(project.id, lead.username, 'lead');
    await admin.importPassages(project.id, [
      { id: 'old-1', text: 'An earlier passage.' },
      { id: 'old-2', text: 'Another earlier passage.' },
    ]);
    const file = testInfo.outputPath('broken.jsonl');
    await writeFile(
      file,
      ['{"id":"a1","text":"A fine first record."}', '{"id":"a2","text": "unterminated', '{"id":"a1","text":"The same id again."}'].join('\n') + '\n',
      'utf8',
    );

    await signIn(page, lead);
    const projectPage = new ProjectPage(page);
    await projectPage.goto(project.id);
    await expect(projectPage.stat('Passages')).toHaveText('2');
    await projectPage.openSection('Import');
    await projectPage.imports.uploadFile(file);

    const rejection = projectPage.imports.rejection('broken.jsonl');
    await expect(rejection).toBeVisible();
    await expect(rejection).toContainText('2 problems found.');
    await expect(rejection).toContainText('Nothing was imported');
    const problems = projectPage.imports.problems('broken.jsonl');
    await expect(problems).toHaveCount(2);
    await expect(problems.nth(0)).toContainText(/^line 2: /);
    await expect(problems.nth(1)).toContainText(/^line 3: .*'a1'.*line 1/);
    await expect(problems.nth(1)).toContainText('(field “id”)');
    await expect(projectPage.imports.imported(/passages? imported/)).toHaveCount(0);

    await projectPage.openSection('Passages');
    await expect(projectPage.passageRange).toHaveText('Passages 1–2 of 2');
    await expect(projectPage.passageRows()).toHaveCount(2);
    await expect(projectPage.stat('Passages')).toHaveText('2');
  });
});
