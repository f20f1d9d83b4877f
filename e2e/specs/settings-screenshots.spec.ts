import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/test.ts';
import { PASSAGE, addSpans } from '../fixtures/settings-seed.ts';
import { AppHeader } from '../pages/app-header.ts';
import { SettingsPage } from '../pages/settings-page.ts';

/**
 * Pictures of the settings screen for a person to look at (English, Russian, narrow), only when
 * WARRANT_SCREENSHOTS_DIR names a directory outside the repository.
 */
test.describe('settings screenshots', () => {
  // Only the 'screenshots' project (WARRANT_SCREENSHOTS_DIR set) runs this file.
  const dir = process.env.WARRANT_SCREENSHOTS_DIR ?? '';

  test('settings screens', async ({ page, admin, lead, createPerson, signIn, apiAs }) => {
    test.setTimeout(90_000);
    // Whole pages, and what one screen shows (where the sticky Save bar sits).
    const shoot = async (name: string, fullPage = true) => {
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
    };
    const project = await admin.createProject({
      name: 'Letters to the editor',
      description: 'Readers’ letters from the city paper, 2024.',
      guidelines: [
        '# Before you start',
        'Read the whole letter once. Then mark the **main claim** as the *conclusion*.',
        '',
        '## Premises',
        '- A reason offered for another statement.',
        '- Mark the shortest span that still states the reason.',
        '',
        '> When in doubt, leave it unmarked and add a note.',
        '',
        '| Label | Hotkey |',
        '|:--|:-:|',
        '| Premise | `p` |',
        '| Conclusion | `c` |',
        '',
        'See the [annotation handbook](https://example.org/handbook).',
      ].join('\n'),
    });
    await admin.addMember(project.id, lead.username, 'lead');
    const anna = await createPerson({ prefix: 'anna' });
    await admin.addMember(project.id, anna.username, 'annotator');
    await admin.importPassages(project.id, [{ id: 'letter-01', text: PASSAGE }]);
    const annaApi = await apiAs(anna);
    const { item } = await annaApi.takeNext(project.id);
    if (item) await addSpans(annaApi, item.setId, 'premise', [[0, 29]]);

    // Leaving the page with unsaved edits below: accept the browser's "leave site?" question.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, lead);
    const settings = new SettingsPage(page);
    await settings.goto(project.id);
    await expect(settings.preview.getByRole('heading', { name: 'Before you start' })).toBeVisible();
    await shoot('settings-01-en');
    await shoot('settings-01a-en-guidelines-view', false);
    await page.getByRole('heading', { name: 'Label scheme' }).scrollIntoViewIfNeeded();
    await shoot('settings-01b-en-scheme-view', false);

    const premise = settings.item('Span labels', 'premise');
    await premise.color.fill('#f4d03f');
    await settings.item('Relation types', 'supports').hotkey.fill('p');
    const added = await settings.add('Relation types');
    await added.name.fill('Restates');
    await settings.item('Passage categories', 'noise').delete.click();
    await premise.group.scrollIntoViewIfNeeded();
    await shoot('settings-02-en-editing', false);

    await settings.item('Relation types', 'supports').hotkey.fill('s');
    await settings.item('Span labels', 'premise').delete.click();
    await settings.saveScheme.click();
    await expect(settings.inUse).toBeVisible();
    await shoot('settings-03-en-in-use', false);

    await new AppHeader(page).switchLanguage('Русский');
    await expect(page.getByRole('heading', { name: 'Схема разметки' })).toBeVisible();
    await shoot('settings-04-ru-in-use', false);
    await settings.goto(project.id);
    await expect(page.getByRole('heading', { name: 'Схема разметки' })).toBeVisible();
    await shoot('settings-05-ru');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Схема разметки' })).toBeVisible();
    await shoot('settings-06-ru-narrow');
    await page.getByRole('heading', { name: 'Схема разметки' }).scrollIntoViewIfNeeded();
    await shoot('settings-06a-ru-narrow-scheme-view', false);
    await new AppHeader(page).switchLanguage('English');
    await expect(page.getByRole('heading', { name: 'Label scheme' })).toBeVisible();
    await shoot('settings-07-en-narrow');
    await settings.item('Span labels', 'premise').group.screenshot({ path: join(dir, 'settings-07a-en-narrow-label.png') });
    await settings.item('Relation types', 'supports').group.screenshot({ path: join(dir, 'settings-07b-en-narrow-relation.png') });
  });
});
