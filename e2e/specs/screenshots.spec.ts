import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test.ts';
import { AppHeader } from '../pages/app-header.ts';
import { LoginPage } from '../pages/login-page.ts';
import { PassagePage } from '../pages/passage-page.ts';
import { ProjectPage } from '../pages/project-page.ts';
import { ProjectsPage } from '../pages/projects-page.ts';

/**
 * Not a test of behaviour: pictures of the key screens for a person to look at. Runs only as the
 * `screenshots` project, which exists when WARRANT_SCREENSHOTS_DIR names a directory (outside the repo).
 */
const dir = process.env.WARRANT_SCREENSHOTS_DIR ?? '';

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

const LETTERS = [
  { id: 'letter-01', text: 'Dear editor,\nthe new bridge costs too much.\n\nTherefore it should not be built.\nYours, A. Reader' },
  { id: 'letter-02', text: 'Since the library opened on Sundays, more students use it. So it should stay open.' },
  { id: 'letter-03', text: 'Уважаемая редакция!\nАвтобусы ходят редко, поэтому люди ездят на машинах.\nЗначит, нужно чаще пускать автобусы.' },
  { id: 'letter-04', text: 'Cycling is healthy 🚲 and cheap; the city should build more bike lanes.' },
  { id: 'letter-05', text: 'Parks lower summer temperatures. Our district has none. We need a park.' },
];

test('key screens', async ({ page, browser, baseURL, admin, createPerson, signIn, apiAs }, testInfo) => {
  test.setTimeout(90_000);
  const lead = await createPerson({ prefix: 'lena', displayName: 'Lena Lead', canCreateProjects: true });
  const anna = await createPerson({ prefix: 'anna', displayName: 'Anna Smirnova' });
  const boris = await createPerson({ prefix: 'boris', displayName: 'Борис' });

  const letters = await admin.createProject({
    name: 'Letters to the editor',
    description: 'Readers’ letters from the city paper, 2024. English and Russian.',
    guidelines: 'Mark the main claim as the conclusion first.\nThen mark each reason as a premise.',
  });
  const opeds = await admin.createProject({ name: 'Op-eds, spring issue', description: 'Opinion pieces, to be imported.' });
  const debates = await admin.createProject({ name: 'Parliament debates', description: 'Speeches, annotated by three people each.', annotatorsPerPassage: 3 });
  for (const project of [letters, opeds]) await admin.addMember(project.id, lead.username, 'lead');
  await admin.addMember(debates.id, lead.username, 'annotator');
  await admin.importPassages(debates.id, [{ id: 'speech-1', text: 'Taxes fund schools; schools train workers; so taxes pay for themselves.' }]);
  await admin.importPassages(letters.id, LETTERS);
  for (const person of [anna, boris]) await admin.addMember(letters.id, person.username);

  // Some progress: Anna takes and submits two and keeps a third; Boris takes one.
  const annaApi = await apiAs(anna);
  for (let i = 0; i < 2; i += 1) {
    const { item } = await annaApi.takeNext(letters.id);
    if (item) await annaApi.submitSet(item.setId);
  }
  await annaApi.takeNext(letters.id);
  await (await apiAs(boris)).takeNext(letters.id);

  // 1. Login, with a wrong password.
  const login = new LoginPage(page);
  await login.goto();
  await login.login(lead.username, 'wrong password');
  await expect(login.error).toBeVisible();
  await shoot(page, '01-login-error');

  // 2. The project list.
  await login.login(lead.username, lead.password);
  const projects = new ProjectsPage(page);
  await expect(projects.card('Letters to the editor')).toBeVisible();
  await shoot(page, '02-projects');

  // 3. A lead's project page: passages with statuses.
  const projectPage = new ProjectPage(page);
  await projects.open('Letters to the editor');
  await expect(projectPage.passageRows()).toHaveCount(5);
  await shoot(page, '03-lead-passages');

  // 4. A refused import.
  await projectPage.openSection('Import');
  const broken = testInfo.outputPath('letters-batch-2.jsonl');
  const lines = ['{"id":"letter-06","text":"Fine."}', '{"id":"letter-07","text": "unterminated', '{"id":"letter-01","text":"Duplicate id."}', '{"id":"letter-08"}', '{"id":"letter-09","text":"   "}'];
  await writeFile(broken, lines.join('\n') + '\n', 'utf8');
  await projectPage.imports.uploadFile(broken);
  await expect(projectPage.imports.rejection('letters-batch-2.jsonl')).toBeVisible();
  await shoot(page, '04-import-refused');

  // 5. A good import.
  const good = testInfo.outputPath('letters-batch-3.jsonl');
  await writeFile(good, '\uFEFF' + JSON.stringify({ id: 'letter-10', text: 'Short and fine.' }) + '\n', 'utf8');
  await projectPage.imports.uploadFile(good);
  await expect(projectPage.imports.imported('1 passage imported')).toBeVisible();
  await shoot(page, '05-import-done');

  // 6. Members, with a generated password.
  await projectPage.openSection('Members');
  await projectPage.members.addAnnotator({ username: `vera-${Date.now().toString(36)}`, displayName: 'Вера', createAccount: true });
  await expect(projectPage.members.generatedPassword).toBeVisible();
  await shoot(page, '06-members-password');

  // 7. Russian.
  await new AppHeader(page).switchLanguage('Русский');
  await expect(page.getByRole('table', { name: 'Участники' })).toBeVisible();
  await shoot(page, '07-members-russian');
  await page.getByRole('link', { name: 'Фрагменты' }).click();
  await expect(page.getByRole('table', { name: 'Фрагменты' })).toBeVisible();
  await shoot(page, '08-passages-russian');
  await new AppHeader(page).switchLanguage('English');

  // 8. An annotator's queue and a passage.
  const context = await browser.newContext({ baseURL, locale: 'en-GB' });
  const annotatorPage = await context.newPage();
  await signIn(annotatorPage, anna);
  const annotatorView = new ProjectPage(annotatorPage);
  await annotatorView.goto(letters.id);
  await expect(annotatorView.queue.table).toBeVisible();
  await shoot(annotatorPage, '09-annotator-queue');
  await annotatorView.queue.next.click();
  await expect(new PassagePage(annotatorPage).text).toBeVisible();
  await shoot(annotatorPage, '10-passage');
  await annotatorPage.goto('/projects/nope-nope-nope');
  await expect(annotatorPage.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await shoot(annotatorPage, '11-not-found');
  await annotatorPage.setViewportSize({ width: 390, height: 844 });
  await annotatorView.goto(letters.id);
  await expect(annotatorView.queue.table).toBeVisible();
  await shoot(annotatorPage, '12-annotator-queue-narrow');
  await context.close();
});
