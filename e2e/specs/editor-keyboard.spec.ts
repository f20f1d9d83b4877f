import type { Page } from '@playwright/test';
import { expect, test, type Person } from '../fixtures/test.ts';
import { firstSeat, openSeat, readSet, seedPassage, sendOps, spanOver, spansAsText } from '../fixtures/editor-seed.ts';
import { EditorPage } from '../pages/editor-page.ts';

const TEXT = 'Cars pollute the air. Cities should ban cars. Bikes are cheaper and healthier.';

const spanOp = (id: string, label: string, part: string) => spanOver(TEXT, id, label, part);

/** The accessible name of the focused element, and whether it is inside the element matched by `within`. */
async function focused(page: Page, within?: string): Promise<{ tag: string; text: string; inside: boolean }> {
  return page.evaluate((selector) => {
    const el = document.activeElement;
    return {
      tag: el?.tagName ?? '',
      text: (el?.textContent ?? '').trim(),
      inside: selector ? Boolean(el?.closest(selector)) : false,
    };
  }, within);
}

type SeedDeps = Parameters<typeof seedPassage>[0];

/**
 * Two tabs on one set: A saves a span, then B (opened before) labels another on the older
 * version and gets the conflict dialog. B's new span is its selected one.
 */
async function conflictInSecondTab(page: Page, deps: SeedDeps & { signIn: (page: Page, person: Person) => Promise<void> }) {
  const seed = await seedPassage(deps, { text: TEXT });
  const seat = firstSeat(seed);
  await deps.signIn(page, seat.person);
  const tabA = new EditorPage(page);
  await tabA.goto(seed.project.id, seat.setId);
  const tabB = new EditorPage(await page.context().newPage());
  await tabB.goto(seed.project.id, seat.setId);

  await tabA.page.bringToFront();
  await tabA.selectText('Cars', 'air');
  await tabA.labelWith('Premise');
  await tabA.waitSaved();

  await tabB.page.bringToFront();
  await tabB.selectText('Bikes', 'healthier');
  await tabB.labelWith('Inference');
  await expect(tabB.conflict).toBeVisible();
  await expect.poll(() => tabB.selectedSpanText()).toBe('Bikes are cheaper and healthier');
  const server = await readSet(seat.api, seat.setId);
  expect(spansAsText(server, TEXT, seed.project.scheme)).toEqual([{ label: 'Premise', text: 'Cars pollute the air' }]);
  return { seed, seat, tabB, server };
}

test.describe('where keys work in the editor', () => {
  test('focus starts in the text and Tab selects spans there; from the page’s controls Tab moves on and Enter activates a tab', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [spanOp('s1', 'premise', 'Cars pollute the air'), spanOp('s2', 'conclusion', 'Cities should ban cars')]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);

    await expect.poll(() => editor.textHasFocus(), { message: 'the text has focus when the passage opens' }).toBe(true);
    await editor.press('Tab');
    await expect.poll(() => editor.selectedSpanText()).toBe('Cars pollute the air');
    expect(await editor.textHasFocus()).toBe(true);
    await editor.press('Tab');
    await expect.poll(() => editor.selectedSpanText()).toBe('Cities should ban cars');
    expect(await editor.textHasFocus()).toBe(true);
    await editor.press('Shift+Tab');
    await expect.poll(() => editor.selectedSpanText()).toBe('Cars pollute the air');

    // On a button, Tab is the browser's: focus goes to the next control, the span stays selected.
    await editor.skipButton.focus();
    await editor.press('Tab');
    await expect(editor.submit).toBeFocused();
    await editor.press('Shift+Tab');
    await expect(editor.skipButton).toBeFocused();
    expect(await editor.selectedSpanText()).toBe('Cars pollute the air');

    // After a mouse click on a side tab, Tab leaves it for the next tab.
    await editor.tab('Selection').click();
    await editor.press('Tab');
    await expect(editor.tab('Structure')).toBeFocused();
    expect(await editor.selectedSpanText()).toBe('Cars pollute the air');

    // Enter on the focused "Structure" tab opens it (and does not open the span's note).
    await editor.press('Enter');
    await expect(editor.tab('Structure')).toHaveAttribute('aria-selected', 'true');
    await expect(editor.tab('Selection')).toHaveAttribute('aria-selected', 'false');
    await expect(editor.sidePanel).toHaveAttribute('aria-labelledby', 'side-tab-graph');
    await expect(editor.tab('Structure')).toBeFocused();
  });

  test('label, category and bracket hotkeys follow the physical key on a Russian layout (З is p, К is r, Ъ is ])', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await expect.poll(() => editor.textHasFocus()).toBe(true);

    await editor.press('Home');
    for (let i = 0; i < 4; i += 1) await editor.press('Control+Shift+ArrowRight');
    await expect.poll(() => editor.selectedText()).toBe('Cars pollute the air');
    // What the page receives is the Cyrillic letter, not a Latin one.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenKeys: string[] }).seenKeys = seen;
      window.addEventListener('keydown', (event) => seen.push(`${event.key}|${event.code}`), { capture: true });
    });
    await editor.pressOnLayout('з', 'KeyP', 80);
    await expect.poll(() => editor.spanTexts()).toEqual([{ label: 'Premise', text: 'Cars pollute the air' }]);

    await editor.pressOnLayout('к', 'KeyR', 82);
    await expect(editor.category('Reasoning')).toBeChecked();

    // Ъ is the key of ]: the new (selected) span's start moves to the next word.
    await editor.pressOnLayout('ъ', 'BracketRight', 221);
    await expect.poll(() => editor.spanTexts()).toEqual([{ label: 'Premise', text: 'pollute the air' }]);
    expect(await page.evaluate(() => (window as unknown as { seenKeys: string[] }).seenKeys)).toEqual(['з|KeyP', 'к|KeyR', 'ъ|BracketRight']);

    await editor.waitSaved();
    const saved = await readSet(seat.api, seat.setId);
    expect(spansAsText(saved, TEXT, seed.project.scheme)).toEqual([{ label: 'Premise', text: 'pollute the air' }]);
    expect(saved.category).toBe('reasoning');
  });

  test('while the conflict dialog is open, hotkeys and Delete change nothing behind it, and focus is in the dialog', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const { seed, seat, tabB, server } = await conflictInSecondTab(page, { admin, createPerson, apiAs, signIn });

    await expect.poll(async () => (await focused(tabB.page, '[role="alertdialog"]')).inside, { message: 'focus is inside the conflict dialog' }).toBe(true);

    // A label hotkey would relabel the selected span, Delete would delete it, r would set the category.
    for (const key of ['c', 'Delete', 'r', 'Control+z', '[']) await tabB.press(key);
    // Give any (wrong) reaction a moment to show up before checking that there was none.
    await tabB.page.waitForTimeout(400);
    expect(await tabB.spanTexts()).toEqual([{ label: 'Inference', text: 'Bikes are cheaper and healthier' }]);
    await expect(tabB.category('Reasoning')).not.toBeChecked();
    await expect(tabB.conflict).toBeVisible();
    expect((await focused(tabB.page, '[role="alertdialog"]')).inside).toBe(true);
    const after = await readSet(seat.api, seat.setId);
    expect(after.version).toBe(server.version);
    expect(spansAsText(after, TEXT, seed.project.scheme)).toEqual([{ label: 'Premise', text: 'Cars pollute the air' }]);
    expect(after.category).toBeNull();

    // Keeping this tab's version keeps exactly what it had when the dialog opened.
    await tabB.conflict.getByRole('button', { name: 'Keep my version' }).click();
    await expect(tabB.conflict).toBeHidden();
    await tabB.waitSaved();
    const kept = await readSet(seat.api, seat.setId);
    expect(spansAsText(kept, TEXT, seed.project.scheme)).toEqual([{ label: 'Inference', text: 'Bikes are cheaper and healthier' }]);
    expect(kept.category).toBeNull();
  });

  test('the shortcut list’s Close button works with Enter', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [spanOp('s1', 'premise', 'Cars pollute the air')]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await editor.tabToSpan('Cars pollute the air');

    await editor.press('?');
    await expect(editor.help).toBeVisible();
    const close = editor.help.getByRole('button', { name: 'Close' });
    await expect(close).toBeFocused();
    await editor.press('Enter');
    await expect(editor.help).toBeHidden();
    // Enter closed the list and did nothing else: the span's note was not opened.
    await expect(editor.noteField).not.toBeFocused();

    // Opened from the toolbar's button by keyboard, closed the same way.
    await page.getByRole('button', { name: 'Shortcuts (?)' }).focus();
    await editor.press('Enter');
    await expect(editor.help).toBeVisible();
    await expect(close).toBeFocused();
    await editor.press('Enter');
    await expect(editor.help).toBeHidden();
  });

  test('Tab stays inside the conflict dialog: “Submit and next” behind it cannot be reached and used', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const { seed, seat, tabB, server } = await conflictInSecondTab(page, { admin, createPerson, apiAs, signIn });
    const badge = tabB.page.getByRole('main').getByText('In progress', { exact: true });
    await expect(badge).toBeVisible();

    const outside: string[] = [];
    let reachedSubmit = false;
    for (let i = 0; i < 14; i += 1) {
      await tabB.press('Tab');
      const now = await focused(tabB.page, '[role="alertdialog"]');
      if (!now.inside) outside.push(`${now.tag} “${now.text.slice(0, 30)}”`);
      if (now.text === 'Submit and next') {
        reachedSubmit = true;
        break;
      }
    }
    expect.soft(outside, 'controls behind the modal conflict dialog that Tab reached').toEqual([]);
    if (reachedSubmit) {
      // It must not be there; since it is, Enter on it must at least not change the document behind.
      await tabB.press('Enter');
      await tabB.page.waitForTimeout(400);
    }
    await expect(tabB.conflict).toBeVisible();
    await expect.soft(badge, 'the passage behind the conflict dialog is still in progress').toBeVisible({ timeout: 2_000 });
    const after = await readSet(seat.api, seat.setId);
    expect(after.version).toBe(server.version);
    expect(after.status).toBe('draft');
    expect(spansAsText(after, TEXT, seed.project.scheme)).toEqual([{ label: 'Premise', text: 'Cars pollute the air' }]);

    // Resolving the conflict keeps the annotator on this passage, which is still to be done.
    await tabB.conflict.getByRole('button', { name: 'Keep my version' }).click();
    await expect(tabB.conflict).toBeHidden();
    await tabB.waitSaved();
    await tabB.page.waitForTimeout(500);
    expect.soft(tabB.page.url(), 'still on the passage after choosing a version').toMatch(new RegExp(`/annotate/${seat.setId}$`));
    const resolved = await readSet(seat.api, seat.setId);
    expect.soft(resolved.status, 'the passage was not submitted by a key pressed behind the dialog').toBe('draft');
    expect(spansAsText(resolved, TEXT, seed.project.scheme)).toEqual([{ label: 'Inference', text: 'Bikes are cheaper and healthier' }]);
  });

  test('the shortcut list and the Skip dialog keep Tab inside them, and closing them gives focus back to the text', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [
      spanOp('s1', 'premise', 'Cars pollute the air'),
      spanOp('s2', 'conclusion', 'Cities should ban cars'),
      spanOp('s3', 'premise', 'Bikes are cheaper and healthier'),
    ]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await editor.tabToSpan('Cars pollute the air');

    /** Tabs three times inside an open dialog; where focus went outside it. */
    const tabOutOf = async (dialog: string) => {
      const outside: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        await editor.press('Tab');
        const now = await focused(page, dialog);
        if (!now.inside) outside.push(`${now.tag} “${now.text.slice(0, 30)}”`);
      }
      return outside;
    };

    // The shortcut list, closed with Enter on Close: back in the text, Tab goes on to the next span.
    await editor.press('?');
    await expect(editor.help).toBeVisible();
    expect.soft(await tabOutOf('[role="dialog"]'), 'Tab left the shortcut list for the page behind it').toEqual([]);
    await editor.help.getByRole('button', { name: 'Close' }).focus();
    await editor.press('Enter');
    await expect(editor.help).toBeHidden();
    expect.soft(await editor.textHasFocus(), 'focus is back in the text after closing the shortcut list with Close').toBe(true);
    await editor.press('Tab');
    expect.soft(await editor.selectedSpanText(), 'Tab selects the next span right after closing the list').toBe('Cities should ban cars');

    // Closed with Esc.
    await editor.text.focus();
    await editor.press('?');
    await expect(editor.help).toBeVisible();
    await editor.press('Escape');
    await expect(editor.help).toBeHidden();
    expect.soft(await editor.textHasFocus(), 'focus is back in the text after closing the shortcut list with Esc').toBe(true);

    // The Skip dialog, cancelled with Esc: nothing skipped, focus back where it was.
    await editor.text.focus();
    await editor.press('Control+Shift+S');
    await expect(editor.skipDialog).toBeVisible();
    expect.soft(await tabOutOf('[role="dialog"]'), 'Tab left the Skip dialog for the page behind it').toEqual([]);
    await editor.skipReason.focus();
    await editor.press('Escape');
    await expect(editor.skipDialog).toBeHidden();
    expect.soft(await editor.textHasFocus(), 'focus is back in the text after cancelling Skip').toBe(true);
    expect((await readSet(seat.api, seat.setId)).status).toBe('draft');
  });

  test('Tab past the last span, or Shift+Tab before the first, lets focus leave the text, so the controls stay reachable', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [spanOp('s1', 'premise', 'Cars pollute the air'), spanOp('s2', 'conclusion', 'Cities should ban cars')]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await expect.poll(() => editor.textHasFocus()).toBe(true);

    await editor.tabToSpan('Cities should ban cars');
    await editor.press('Tab');
    expect.soft(await editor.textHasFocus(), 'Tab on the last span moves focus out of the text').toBe(false);
    // The control after the text is the side panel's first tab.
    await expect.soft(editor.tab('Selection')).toBeFocused({ timeout: 1_000 });

    await editor.text.focus();
    await editor.tabToSpan('Cars pollute the air');
    await editor.press('Shift+Tab');
    expect.soft(await editor.textHasFocus(), 'Shift+Tab on the first span moves focus out of the text').toBe(false);
  });
});
