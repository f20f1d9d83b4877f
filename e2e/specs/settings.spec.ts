import type { Page } from '@playwright/test';
import { project as projectContract } from '@warrant/contracts';
import { expect, test } from '../fixtures/test.ts';
import { uniqueName, type SeedApi } from '../fixtures/seed-api.ts';
import { PASSAGE, addSpans } from '../fixtures/settings-seed.ts';
import { ProjectPage } from '../pages/project-page.ts';
import { SettingsPage } from '../pages/settings-page.ts';

async function projectAsSeenBy(api: SeedApi, projectId: string) {
  return projectContract.parse(await (await api.request.get(`/api/projects/${projectId}`)).json());
}

/** Fails the test on any alert/confirm/prompt: guidelines must never run script. */
function forbidDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return dialogs;
}

test.describe('project settings', () => {
  test('a lead renames a label, changes its colour and hotkey, adds a label, saves, and finds it all after a reload', async ({
    page,
    admin,
    lead,
    signIn,
    apiAs,
  }) => {
    const project = await admin.createProject({ name: uniqueName('Scheme edits') });
    await admin.addMember(project.id, lead.username, 'lead');
    await signIn(page, lead);

    const projectPage = new ProjectPage(page);
    await projectPage.goto(project.id);
    await projectPage.sections.getByRole('link', { name: 'Settings' }).click();
    await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/settings$`));

    const settings = new SettingsPage(page);
    const premise = settings.item('Span labels', 'premise');
    await expect(premise.key).toHaveValue('premise');
    await expect(premise.key).not.toBeEditable();
    await expect(settings.saveScheme).toBeDisabled();

    await premise.name.fill('Reason');
    await premise.color.fill('#123456');
    await expect(premise.group.getByText('#123456', { exact: true })).toBeVisible();
    // The chip shows the colour with white text on it (dark background).
    await expect(premise.chip).toHaveCSS('background-color', 'rgb(18, 52, 86)');
    await expect(premise.chip).toHaveCSS('color', 'rgb(255, 255, 255)');

    // "r" belongs to the category Reasoning: refused live, next to the field.
    await premise.hotkey.fill('r');
    await expect(premise.hotkey).toHaveAttribute('aria-invalid', 'true');
    await expect(premise.hotkey).toHaveAccessibleDescription(/“r” is already the hotkey of Reasoning \(Category\)/);
    const reasoning = settings.item('Passage categories', 'reasoning');
    await expect(reasoning.hotkey).toHaveAccessibleDescription(/“r” is already the hotkey of Reason \(Span label\)/);
    await settings.saveScheme.click();
    await expect(settings.scheme.getByRole('alert')).toHaveText('Not saved: fix the 2 problems marked above first.');
    await premise.hotkey.fill('e');
    await expect(premise.hotkey).not.toHaveAttribute('aria-invalid', 'true');
    await expect(reasoning.hotkey).not.toHaveAttribute('aria-invalid', 'true');
    await expect(settings.scheme.getByRole('alert')).toHaveCount(0);

    const claim = await settings.add('Span labels');
    await expect(claim.key).toBeEditable();
    await claim.name.fill('Main claim');
    await expect(claim.key).toHaveValue('main-claim'); // follows the name until typed
    await claim.key.fill('Claim');
    await expect(claim.key).toHaveValue('claim');
    await claim.hotkey.fill('m');
    await claim.description.fill('The claim the whole passage argues for.');
    await expect(settings.scheme.getByText('Unsaved changes')).toBeVisible();

    await settings.saveScheme.click();
    await expect(settings.schemeSaved).toBeVisible();
    await expect(settings.saveScheme).toBeDisabled();
    // Once saved, the new label's key is fixed too.
    await expect(settings.item('Span labels', 'claim').key).not.toBeEditable();

    await page.reload();
    const reloaded = settings.item('Span labels', 'premise');
    await expect(reloaded.name).toHaveValue('Reason');
    await expect(reloaded.color).toHaveValue('#123456');
    await expect(reloaded.hotkey).toHaveValue('e');
    const saved = settings.item('Span labels', 'claim');
    await expect(saved.name).toHaveValue('Main claim');
    await expect(saved.hotkey).toHaveValue('m');
    await expect(saved.description).toHaveValue('The claim the whole passage argues for.');

    const stored = await projectAsSeenBy(await apiAs(lead), project.id);
    expect(stored.scheme.spanLabels.map((label) => [label.key, label.name, label.color, label.hotkey])).toEqual([
      ['premise', 'Reason', '#123456', 'e'],
      ['inference', 'Inference', '#8a5a00', 'i'],
      ['conclusion', 'Conclusion', '#a8324a', 'c'],
      ['claim', 'Main claim', expect.stringMatching(/^#[0-9a-f]{6}$/), 'm'],
    ]);
  });

  test('deleting a label that annotations use is refused with the count, and the other edits stay', async ({
    page,
    admin,
    lead,
    createPerson,
    signIn,
    apiAs,
  }) => {
    const project = await admin.createProject({ name: uniqueName('Labels in use') });
    await admin.addMember(project.id, lead.username, 'lead');
    const annotator = await createPerson({ prefix: 'anna' });
    await admin.addMember(project.id, annotator.username, 'annotator');
    await admin.importPassages(project.id, [{ id: 'p-1', text: PASSAGE }]);
    const annotatorApi = await apiAs(annotator);
    const { item } = await annotatorApi.takeNext(project.id);
    if (!item) throw new Error('nothing to annotate');
    await addSpans(annotatorApi, item.setId, 'premise', [
      [0, 29],
      [31, 64],
    ]);

    await signIn(page, lead);
    const settings = new SettingsPage(page);
    await settings.goto(project.id);
    await settings.item('Span labels', 'inference').name.fill('Step');
    await settings.item('Span labels', 'premise').delete.click();
    await expect(settings.item('Span labels', 'premise').group).toHaveCount(0);
    await expect(settings.section('Span labels').getByText('Deleted when you save:')).toBeVisible();

    await settings.saveScheme.click();
    await expect(settings.inUse).toBeVisible();
    await expect(settings.inUse.getByRole('listitem')).toHaveText(/Span label Premise \(premise\): used 2 times/);
    // Nothing was saved, and the edits are still on the page.
    await expect(settings.item('Span labels', 'inference').name).toHaveValue('Step');
    expect((await projectAsSeenBy(await apiAs(lead), project.id)).scheme.spanLabels.map((label) => label.name)).toEqual([
      'Premise',
      'Inference',
      'Conclusion',
    ]);

    // Keeping the label puts it back; the rename then saves.
    await settings.inUse.getByRole('button', { name: 'Keep Premise' }).click();
    await expect(settings.inUse).toHaveCount(0);
    await expect(settings.item('Span labels', 'premise').name).toHaveValue('Premise');
    await settings.saveScheme.click();
    await expect(settings.schemeSaved).toBeVisible();
    expect((await projectAsSeenBy(await apiAs(lead), project.id)).scheme.spanLabels.map((label) => label.name)).toEqual([
      'Premise',
      'Step',
      'Conclusion',
    ]);
  });

  test('guidelines in Markdown: HTML and javascript: links stay inert in the preview and on the project page', async ({
    page,
    admin,
    lead,
    signIn,
  }) => {
    const dialogs = forbidDialogs(page);
    const project = await admin.createProject({ name: uniqueName('Guidelines') });
    await admin.addMember(project.id, lead.username, 'lead');
    await signIn(page, lead);
    const settings = new SettingsPage(page);
    await settings.goto(project.id);

    const markdown = [
      '# Marking claims',
      'Mark the **main claim** first.',
      '',
      '<img src=x onerror=alert(1)>',
      '',
      '[click me](javascript:alert(1))',
      '',
      '<a href="javascript:alert(2)">html link</a> <script>alert(3)</script>',
      '',
      '- See the [handbook](https://example.org/handbook)',
    ].join('\n');
    await settings.guidelinesSource.fill(markdown);

    const checkInert = async (where: typeof settings.preview) => {
      await expect(where.getByRole('heading', { name: 'Marking claims' })).toBeVisible();
      await expect(where.getByText('main claim')).toHaveJSProperty('tagName', 'STRONG');
      await expect(where.getByText('<img src=x onerror=alert(1)>')).toBeVisible(); // shown as text
      await expect(where.locator('img')).toHaveCount(0);
      await expect(where.locator('script')).toHaveCount(0);
      await expect(where.getByText('click me', { exact: true })).toBeVisible();
      await expect(where.getByRole('link', { name: 'click me' })).toHaveCount(0);
      await expect(where.getByRole('link', { name: 'html link' })).toHaveCount(0);
      await expect(where.locator('[href^="javascript" i]')).toHaveCount(0);
      const handbook = where.getByRole('link', { name: 'handbook' });
      await expect(handbook).toHaveAttribute('href', 'https://example.org/handbook');
      await expect(handbook).toHaveAttribute('target', '_blank');
      await expect(handbook).toHaveAttribute('rel', 'noopener noreferrer');
      await where.getByText('click me', { exact: true }).click();
    };
    await checkInert(settings.preview);
    await expect(page.locator('img[onerror]')).toHaveCount(0);

    // Leaving with unsaved guidelines asks first.
    await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Passages' }).click();
    await expect(settings.leaveDialog).toBeVisible();
    await settings.leaveDialog.getByRole('button', { name: 'Stay and keep editing' }).click();
    await expect(settings.leaveDialog).toHaveCount(0);
    await expect(settings.guidelinesSource).toHaveValue(markdown);

    await settings.saveGuidelines.click();
    await expect(settings.guidelinesSaved).toBeVisible();

    // The project page, after a reload: the same rendering, folded until opened.
    const projectPage = new ProjectPage(page);
    await projectPage.goto(project.id);
    const guidelines = page.locator('details.guidelines');
    await guidelines.getByText('Guidelines', { exact: true }).click();
    await checkInert(guidelines);
    await expect(page.locator('img[onerror]')).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });

  test('an annotator of the project has no Settings tab, and the settings address is not found', async ({ page, admin, createPerson, signIn }) => {
    const project = await admin.createProject({ name: uniqueName('Not for annotators') });
    const annotator = await createPerson({ prefix: 'ivan' });
    await admin.addMember(project.id, annotator.username, 'annotator');
    await signIn(page, annotator);

    const projectPage = new ProjectPage(page);
    await projectPage.goto(project.id);
    await expect(projectPage.heading(project.name)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Settings' })).toHaveCount(0);

    await new SettingsPage(page).goto(project.id);
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save label scheme' })).toHaveCount(0);
    await expect(page.getByLabel('Guidelines (Markdown)')).toHaveCount(0);
  });
});
