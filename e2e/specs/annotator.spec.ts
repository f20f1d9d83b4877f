import { expect, test } from '../fixtures/test.ts';
import { uniqueName } from '../fixtures/seed-api.ts';
import { LoginPage } from '../pages/login-page.ts';
import { PassagePage } from '../pages/passage-page.ts';
import { ProjectPage } from '../pages/project-page.ts';
import { ProjectsPage } from '../pages/projects-page.ts';

test.describe('adding an annotator who then works', () => {
  test('the generated password is shown once; with it the annotator logs in, takes the next passage and reads it with its line breaks', async ({
    page,
    browser,
    baseURL,
    admin,
    lead,
    signIn,
    apiAs,
  }) => {
    const projectName = uniqueName('Letters to the editor');
    const project = await admin.createProject({ name: projectName });
    await admin.addMember(project.id, lead.username, 'lead');
    const text = 'Dear editor,\nthe new bridge costs too much.\n\n    Therefore it should not be built.\nYours, A. Reader';
    await admin.importPassages(project.id, [{ id: 'letter-1', text }]);

    // The lead adds an annotator, creating the account.
    await signIn(page, lead);
    const leadView = new ProjectPage(page);
    await leadView.goto(project.id);
    await leadView.openSection('Members');
    const username = uniqueName('ivan');
    await leadView.members.addAnnotator({ username, displayName: 'Иван Петров', createAccount: true });

    await expect(leadView.members.passwordNote).toBeVisible();
    await expect(leadView.members.generatedPassword).toBeVisible();
    const password = await leadView.members.generatedPassword.inputValue();
    expect(password.length).toBeGreaterThanOrEqual(12);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await leadView.members.copyPassword.click();
    await expect(page.getByText('Copied to the clipboard.')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);
    await expect(leadView.members.row(username)).toContainText('Иван Петров');
    await expect(leadView.members.row(username)).toContainText('Annotator');

    // Once dismissed it is gone, and a reload does not bring it back.
    await leadView.members.dismissPassword.click();
    await expect(leadView.members.generatedPassword).toHaveCount(0);
    await page.reload();
    await expect(leadView.members.row(username)).toBeVisible();
    await expect(leadView.members.generatedPassword).toHaveCount(0);

    // The annotator, in a browser of their own.
    const context = await browser.newContext({ baseURL, locale: 'en-GB' });
    try {
      const annotatorPage = await context.newPage();
      const login = new LoginPage(annotatorPage);
      await login.goto();
      await login.login(username, password);

      const projects = new ProjectsPage(annotatorPage);
      await expect(projects.heading).toBeVisible();
      await expect(projects.card(projectName)).toContainText('Annotator');
      await projects.open(projectName);

      const annotatorView = new ProjectPage(annotatorPage);
      await expect(annotatorView.heading(projectName)).toBeVisible();
      await expect(annotatorView.sections).toHaveCount(0); // no lead sections
      await expect(annotatorPage.getByText('Your queue is empty. Take the next passage to begin.')).toBeVisible();
      await annotatorView.queue.next.click();

      // "Next passage" opens the annotation editor on it.
      const passage = new PassagePage(annotatorPage);
      await expect(passage.heading('letter-1')).toBeVisible();
      const editorText = annotatorPage.getByRole('document', { name: 'Passage text' });
      // One block per line, each with its text exactly (leading spaces kept, the empty line kept).
      await expect
        .poll(() => editorText.locator('.block').evaluateAll((blocks) => blocks.map((b) => b.textContent).join('\n')))
        .toBe(text);
      await expect(editorText.locator('.block').first()).toHaveCSS('white-space', 'pre-wrap');
      await expect(passage.status('In progress')).toBeVisible();

      // With the passage submitted (the editor will do that; here the API does), nothing is left.
      const annotatorApi = await apiAs({ username, password, displayName: 'Иван Петров' });
      const [item] = (await annotatorApi.queue(project.id)).items;
      if (!item) throw new Error('the annotator has no queue item');
      await annotatorApi.submitSet(item.setId);

      await annotatorPage.getByRole('link', { name: `← ${projectName}` }).click();
      await expect(annotatorView.queue.row('letter-1')).toContainText('Submitted');
      await annotatorView.queue.next.click();
      await expect(annotatorView.queue.nothingLeft).toBeVisible();
      await expect(annotatorPage).toHaveURL(new RegExp(`/projects/${project.id}$`));
    } finally {
      await context.close();
    }
  });

  test('adding someone without an account, or twice, is explained on the form', async ({ page, admin, lead, signIn, createPerson }) => {
    const project = await admin.createProject({ name: uniqueName('Members errors') });
    await admin.addMember(project.id, lead.username, 'lead');
    const existing = await createPerson({ prefix: 'petr', displayName: 'Пётр' });

    await signIn(page, lead);
    const leadView = new ProjectPage(page);
    await leadView.goto(project.id);
    await leadView.openSection('Members');

    const missing = uniqueName('nobody');
    await leadView.members.addAnnotator({ username: missing, createAccount: false });
    await expect(page.getByRole('alert')).toHaveText(
      `There is no account named “${missing}”. Tick “Create the account if it does not exist” to create one.`,
    );

    await leadView.members.addAnnotator({ username: existing.username, createAccount: false });
    await expect(page.getByText(`${existing.username} was added to the project.`)).toBeVisible();
    await expect(leadView.members.generatedPassword).toHaveCount(0);
    await expect(leadView.members.row(existing.username)).toContainText('Пётр');

    await leadView.members.addAnnotator({ username: existing.username, createAccount: false });
    await expect(page.getByRole('alert')).toHaveText(`${existing.username} is already a member of this project.`);
  });
});
