import { expect, test } from '../fixtures/test.ts';
import { firstSeat, openSeat, readProject, readSet, seedPassage, sendOps, spanOver } from '../fixtures/editor-seed.ts';
import { SettingsPage } from '../pages/settings-page.ts';

const TEXT = 'Cars pollute the air. Cities should ban cars. Bikes are cheaper and healthier.';
const PREMISE = 'Cars pollute the air';
const CONCLUSION = 'Cities should ban cars';

const spanOp = (id: string, label: string, part: string) => spanOver(TEXT, id, label, part);

test.describe('which labels a relation type may start from', () => {
  test('a relation the scheme does not list is made and warned about, never refused; once the lead allows it, the warning is gone', async ({
    page,
    browser,
    baseURL,
    admin,
    lead,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    await admin.addMember(seed.project.id, lead.username, 'lead');
    // The default scheme: supports may start only from a premise or an inference.
    expect(seed.project.scheme.relationTypes.find((type) => type.key === 'supports')?.sources).toEqual(['premise', 'inference']);
    await sendOps(seat.api, seat.setId, [spanOp('sP', 'premise', PREMISE), spanOp('sC', 'conclusion', CONCLUSION)]);

    const editor = await openSeat(page, signIn, seed.project.id, seat);

    // Conclusion → premise, by keyboard.
    await editor.tabToSpan(CONCLUSION);
    await editor.press('s');
    await expect(editor.sidePanel).toContainText('New relation: Supports');
    await editor.tabToLinkTarget(PREMISE);
    await editor.press('Enter');
    await expect(page.getByRole('region', { name: 'Selected relation' })).toContainText(`«${CONCLUSION}» Supports «${PREMISE}»`);
    await expect(editor.notice).toHaveCount(0);
    await expect.poll(() => editor.relations()).toHaveLength(1);
    await editor.waitSaved();
    const set = await readSet(seat.api, seat.setId);
    expect(set.relations.map(({ type, source, target }) => ({ type, source, target }))).toEqual([{ type: 'supports', source: 'sC', target: 'sP' }]);

    // The one warning names the relation type, the label it started from, and the span.
    await editor.tab(/^Warnings/).click();
    await expect(editor.tab(/^Warnings/)).toHaveText('Warnings (1)');
    await expect(editor.warnings).toHaveText([`“Supports” does not start from a Conclusion in this scheme: «${CONCLUSION}»`]);

    // The lead lets Supports start from a conclusion too.
    const leadContext = await browser.newContext({ baseURL, locale: 'en-GB' });
    try {
      const leadPage = await leadContext.newPage();
      await signIn(leadPage, lead);
      const settings = new SettingsPage(leadPage);
      await settings.goto(seed.project.id);
      const startsFrom = settings.item('Relation types', 'supports').group.getByRole('group', { name: 'May start from' });
      await expect(startsFrom.getByRole('checkbox', { name: 'Premise' })).toBeChecked();
      await expect(startsFrom.getByRole('checkbox', { name: 'Conclusion' })).not.toBeChecked();
      await startsFrom.getByRole('checkbox', { name: 'Conclusion' }).check();
      await settings.saveScheme.click();
      await expect(settings.schemeSaved).toBeVisible();
      const saved = (await readProject(seat.api, seed.project.id)).scheme.relationTypes.find((type) => type.key === 'supports');
      // All labels ticked: any label may start it (stored as no list), or a list with conclusion in it.
      expect(saved?.sources === undefined || saved.sources.length === 0 || saved.sources.includes('conclusion')).toBe(true);
      // Attacks was left alone.
      expect((await readProject(seat.api, seed.project.id)).scheme.relationTypes.find((type) => type.key === 'attacks')?.sources).toEqual([
        'premise',
        'inference',
      ]);
    } finally {
      await leadContext.close();
    }

    await page.reload();
    await editor.waitReady();
    await editor.tab(/^Warnings/).click();
    await expect(editor.tab(/^Warnings/)).toHaveText('Warnings (0)');
    await expect(editor.warnings).toHaveCount(0);
    await expect(editor.sidePanel).toContainText('No warnings.');
    expect(await editor.relations()).toHaveLength(1);
  });
});
