import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../fixtures/test.ts';
import { firstSeat, readSet, seedPassage, spansAsText, type AnnotatorSeat } from '../fixtures/editor-seed.ts';
import { EditorPage } from '../pages/editor-page.ts';

const TEXT = 'Rents keep rising. The city should build homes. Builders want land.';

async function signedInPage(browser: Browser, baseURL: string | undefined, seat: AnnotatorSeat): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'en-GB' });
  const page = await context.newPage();
  const response = await page.request.post('/api/auth/login', { data: { username: seat.person.username, password: seat.person.password } });
  expect(response.status()).toBe(200);
  return page;
}

test.describe('whose annotations the editor shows', () => {
  test('two annotators of one passage never see each other’s spans, and cannot open each other’s set', async ({
    browser,
    baseURL,
    admin,
    createPerson,
    apiAs,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT, annotators: 2 });
    const [first, second] = seed.annotators;
    if (!first?.setId || !second?.setId) throw new Error('both annotators need the passage');
    expect(first.setId).not.toBe(second.setId);

    const pageA = await signedInPage(browser, baseURL, first);
    const pageB = await signedInPage(browser, baseURL, second);
    try {
      const editorA = new EditorPage(pageA);
      const editorB = new EditorPage(pageB);
      await editorA.goto(seed.project.id, first.setId);
      await editorB.goto(seed.project.id, second.setId);

      await editorA.selectText('Rents', 'rising');
      await editorA.labelWith('Premise');
      await editorB.selectText('The city', 'homes');
      await editorB.labelWith('Conclusion');
      await editorA.waitSaved();
      await editorB.waitSaved();

      await pageA.reload();
      await pageB.reload();
      await editorA.waitReady();
      await editorB.waitReady();
      await expect.poll(() => editorA.spanTexts()).toEqual([{ label: 'Premise', text: 'Rents keep rising' }]);
      await expect.poll(() => editorB.spanTexts()).toEqual([{ label: 'Conclusion', text: 'The city should build homes' }]);
      expect(spansAsText(await readSet(first.api, first.setId), TEXT, seed.project.scheme)).toEqual([{ label: 'Premise', text: 'Rents keep rising' }]);
      expect(spansAsText(await readSet(second.api, second.setId), TEXT, seed.project.scheme)).toEqual([
        { label: 'Conclusion', text: 'The city should build homes' },
      ]);

      // B at A's address: the not-found page, and nothing of A's work.
      await pageB.goto(`/projects/${seed.project.id}/annotate/${first.setId}`);
      await expect(pageB.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
      await expect(editorB.root).toHaveCount(0);
      await expect(pageB.getByText('Rents keep rising')).toHaveCount(0);
    } finally {
      await pageA.context().close();
      await pageB.context().close();
    }
  });
});

test.describe('the same passage in two tabs', () => {
  /** Tab B is opened, then tab A adds a span and saves, then B adds one: B's change meets a newer version. */
  async function conflictBetweenTabs(page: Page, seed: Awaited<ReturnType<typeof seedPassage>>) {
    const seat = firstSeat(seed);
    const tabA = new EditorPage(page);
    await tabA.goto(seed.project.id, seat.setId);
    const tabB = new EditorPage(await page.context().newPage());
    await tabB.goto(seed.project.id, seat.setId);

    await tabA.page.bringToFront();
    await tabA.selectText('Rents', 'rising');
    await tabA.labelWith('Premise');
    await tabA.waitSaved();
    expect((await readSet(seat.api, seat.setId)).spans).toHaveLength(1);

    await tabB.page.bringToFront();
    await tabB.selectText('Builders', 'land');
    await tabB.labelWith('Inference');
    await expect(tabB.conflict).toBeVisible();
    await expect(tabB.saveStatus).toHaveAttribute('data-save-state', 'conflict');
    await expect(tabB.conflict).toHaveAccessibleName('This passage was changed elsewhere');
    const mine = tabB.conflict.getByRole('region', { name: 'Your version (this tab)' });
    const theirs = tabB.conflict.getByRole('region', { name: 'Saved version' });
    await expect(mine).toContainText('Inference «Builders want land»');
    await expect(mine).not.toContainText('Rents keep rising');
    await expect(theirs).toContainText('Premise «Rents keep rising»');
    await expect(theirs).not.toContainText('Builders want land');
    // Nothing was overwritten while the dialog is open.
    expect(spansAsText(await readSet(seat.api, seat.setId), TEXT, seed.project.scheme)).toEqual([{ label: 'Premise', text: 'Rents keep rising' }]);
    return { seat, tabA, tabB };
  }

  test('a change made on an older version shows both versions; “Keep my version” saves this tab’s', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    await signIn(page, firstSeat(seed).person);
    const { seat, tabB } = await conflictBetweenTabs(page, seed);

    await tabB.conflict.getByRole('button', { name: 'Keep my version' }).click();
    await expect(tabB.conflict).toBeHidden();
    await tabB.waitSaved();
    await expect.poll(() => tabB.spanTexts()).toEqual([{ label: 'Inference', text: 'Builders want land' }]);
    expect(spansAsText(await readSet(seat.api, seat.setId), TEXT, seed.project.scheme)).toEqual([{ label: 'Inference', text: 'Builders want land' }]);
  });

  test('… and “Use the saved version” keeps the other tab’s', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    await signIn(page, firstSeat(seed).person);
    const { seat, tabB } = await conflictBetweenTabs(page, seed);
    const before = (await readSet(seat.api, seat.setId)).version;

    await tabB.conflict.getByRole('button', { name: 'Use the saved version' }).click();
    await expect(tabB.conflict).toBeHidden();
    await tabB.waitSaved();
    await expect.poll(() => tabB.spanTexts()).toEqual([{ label: 'Premise', text: 'Rents keep rising' }]);
    const set = await readSet(seat.api, seat.setId);
    expect(spansAsText(set, TEXT, seed.project.scheme)).toEqual([{ label: 'Premise', text: 'Rents keep rising' }]);
    expect(set.version).toBe(before);

    // Tab B goes on from the saved version: its next edit is saved without another conflict.
    await tabB.selectText('Builders', 'land');
    await tabB.labelWith('Inference');
    await tabB.waitSaved();
    expect(spansAsText(await readSet(seat.api, seat.setId), TEXT, seed.project.scheme)).toEqual([
      { label: 'Premise', text: 'Rents keep rising' },
      { label: 'Inference', text: 'Builders want land' },
    ]);
  });
});
