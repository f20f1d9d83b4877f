import { expect, test } from '../fixtures/test.ts';
import { firstSeat, openSeat, readSet, seedPassage, sendOps, spansAsText } from '../fixtures/editor-seed.ts';
import { EditorPage } from '../pages/editor-page.ts';
import { LoginPage } from '../pages/login-page.ts';
import { ProjectPage } from '../pages/project-page.ts';
import { ProjectsPage } from '../pages/projects-page.ts';

const TEXT = 'Cars pollute the air. Cities should ban cars. Bikes are cheaper and healthier.';

test.describe('the annotation editor', () => {
  test('an annotator marks spans by mouse and keyboard, relabels, deletes, undoes and redoes; the server and a reload agree with the screen', async ({
    page,
    admin,
    createPerson,
    apiAs,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT, externalId: 'cars-1', take: false });
    const seat = seed.annotators[0];
    if (!seat) throw new Error('no annotator');

    // In through the front door: log in, open the project, take the next passage.
    const login = new LoginPage(page);
    await login.goto();
    await login.login(seat.person.username, seat.person.password);
    const projects = new ProjectsPage(page);
    await projects.open(seed.project.name);
    await new ProjectPage(page).queue.next.click();

    const editor = new EditorPage(page);
    await expect(page).toHaveURL(new RegExp(`/projects/${seed.project.id}/annotate/[^/]+$`));
    await editor.waitReady();
    await expect(editor.heading('cars-1')).toBeVisible();
    const setId = page.url().split('/').pop() ?? '';
    await expect(editor.text).toHaveText(TEXT);
    await expect(editor.saveStatus).toHaveAttribute('data-save-state', 'saved');
    await expect(editor.saveStatus).toHaveText('All changes saved');

    // Mouse: a drag from inside one word to inside another snaps to the whole words.
    await editor.selectText('ities', 'ca');
    await expect(editor.popover).toBeVisible();
    await editor.labelWith('Conclusion');
    await expect.poll(() => editor.spanTexts()).toEqual([{ label: 'Conclusion', text: 'Cities should ban cars' }]);

    // Keyboard only: Home, then Ctrl+Shift+Right word by word, then the label's hotkey.
    await editor.press('Escape');
    await editor.press('Home');
    for (let i = 0; i < 4; i += 1) await editor.press('Control+Shift+ArrowRight');
    await editor.press('p');
    // ...and from the end of the line backwards, word by word (the full stop comes along).
    await editor.press('End');
    for (let i = 0; i < 5; i += 1) await editor.press('Control+Shift+ArrowLeft');
    await editor.press('i');
    await expect
      .poll(() => editor.spanTexts())
      .toEqual([
        { label: 'Premise', text: 'Cars pollute the air' },
        { label: 'Conclusion', text: 'Cities should ban cars' },
        { label: 'Inference', text: 'Bikes are cheaper and healthier.' },
      ]);

    // Relabel: the new span is selected, and another label's hotkey relabels it.
    await expect.poll(() => editor.selectedSpanText()).toBe('Bikes are cheaper and healthier.');
    await editor.press('p');
    await expect.poll(async () => (await editor.spans()).at(-1)?.label).toBe('Premise');
    await expect(editor.selectedSpan.getByRole('radio', { name: /^Premise/ })).toBeChecked();

    // Delete the first span (reached with Tab), then undo and redo.
    await editor.tabToSpan('Cars pollute the air');
    await editor.press('Delete');
    const afterDelete = [
      { label: 'Conclusion', text: 'Cities should ban cars' },
      { label: 'Premise', text: 'Bikes are cheaper and healthier.' },
    ];
    await expect.poll(() => editor.spanTexts()).toEqual(afterDelete);
    await editor.press('Control+z');
    await expect.poll(() => editor.spanTexts()).toEqual([{ label: 'Premise', text: 'Cars pollute the air' }, ...afterDelete]);
    await editor.press('Control+Shift+Z');
    await expect.poll(() => editor.spanTexts()).toEqual(afterDelete);

    // The passage category, by its hotkey.
    await editor.press('r');
    await expect(editor.category('Reasoning')).toBeChecked();

    await editor.waitSaved();
    const saved = await readSet(seat.api, setId);
    expect(spansAsText(saved, TEXT, seed.project.scheme)).toEqual(await editor.spanTexts());
    expect(saved.category).toBe('reasoning');
    // The ids on screen are the ids stored: nothing was duplicated or lost on the way.
    expect(saved.spans.map((span) => span.id).sort()).toEqual((await editor.spans()).map((span) => span.id).sort());

    await page.reload();
    await editor.waitReady();
    await expect.poll(() => editor.spanTexts()).toEqual(afterDelete);
    await expect(editor.category('Reasoning')).toBeChecked();
    await expect(editor.saveStatus).toHaveAttribute('data-save-state', 'saved');
  });

  test('? opens the shortcut list with the project’s label hotkeys; ? again and Esc close it', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    const start = TEXT.indexOf('Cities should ban cars');
    await sendOps(seat.api, seat.setId, [{ op: 'addSpan', span: { id: 'cities', label: 'conclusion', start, end: start + 22 } }]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);

    await editor.press('?');
    await expect(editor.help).toBeVisible();
    const rows = editor.help.getByRole('row');
    for (const [key, name] of [
      ['p', 'Premise'],
      ['i', 'Inference'],
      ['c', 'Conclusion'],
    ] as const) {
      await expect(rows.filter({ has: page.getByRole('rowheader', { name: key, exact: true }) })).toHaveText(
        new RegExp(`Label the selection as “${name}”`),
      );
    }
    await expect(rows.filter({ has: page.getByRole('rowheader', { name: 's', exact: true }) })).toContainText('Supports');
    await expect(rows.filter({ has: page.getByRole('rowheader', { name: 'r', exact: true }) })).toContainText('Reasoning');
    await expect(rows.filter({ has: page.getByRole('rowheader', { name: 'Ctrl + Z', exact: true }) })).toContainText('Undo');

    // The list says "?" shows or hides it.
    await editor.press('?');
    await expect.soft(editor.help, '? a second time hides the list').toBeHidden({ timeout: 2_000 });
    if (await editor.help.isVisible()) await editor.help.getByRole('button', { name: 'Close' }).click();
    await expect(editor.help).toBeHidden();

    // Esc closes the list and does only that: the span selected before stays selected.
    await editor.tabToSpan('Cities should ban cars');
    await editor.press('?');
    await expect(editor.help).toBeVisible();
    await editor.press('Escape');
    await expect(editor.help).toBeHidden();
    expect.soft(await editor.selectedSpanText(), 'the selection survives closing the list with Esc').toBe('Cities should ban cars');
  });

  test('the category chosen with its hotkey is saved, and pressing it again clears it', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    const editor = await openSeat(page, signIn, seed.project.id, seat);

    await editor.press('k');
    await expect(editor.category('Knowledge')).toBeChecked();
    await editor.waitSaved();
    expect((await readSet(seat.api, seat.setId)).category).toBe('knowledge');

    await editor.press('r');
    await expect(editor.category('Reasoning')).toBeChecked();
    await expect(editor.category('Knowledge')).not.toBeChecked();
    await editor.waitSaved();
    expect((await readSet(seat.api, seat.setId)).category).toBe('reasoning');

    await editor.press('r');
    await expect(editor.category('Reasoning')).not.toBeChecked();
    await editor.waitSaved();
    expect((await readSet(seat.api, seat.setId)).category).toBeNull();
  });

  test('[ and ] move the start of the selected span by whole words, { and } its end', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT });
    const seat = firstSeat(seed);
    const start = TEXT.indexOf('the air');
    await sendOps(seat.api, seat.setId, [{ op: 'addSpan', span: { id: 'air', label: 'premise', start, end: start + 'the air. Cities'.length } }]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    const text = async () => (await editor.spans())[0]?.text;

    await editor.tabToSpan('the air. Cities');
    await editor.press('[');
    await expect.poll(text).toBe('pollute the air. Cities');
    await editor.press(']');
    await expect.poll(text).toBe('the air. Cities');
    await editor.press('}');
    await expect.poll(text).toBe('the air. Cities should');
    await editor.press(']');
    await expect.poll(text).toBe('air. Cities should');

    // The word after "air" is "Cities": the start does not stop on the full stop and the space.
    await editor.press(']');
    await expect.poll(text).not.toBe('air. Cities should');
    expect.soft(await text(), '] moves the start to the next word').toBe('Cities should');
    // Back by a word from "should": the end stops after "Cities", not after the space.
    await editor.press('{');
    await expect.poll(text).not.toMatch(/should$/);
    expect.soft(await text(), '{ leaves no trailing space').toMatch(/Cities$/);

    await editor.waitSaved();
    const [saved] = spansAsText(await readSet(seat.api, seat.setId), TEXT, seed.project.scheme);
    expect(saved?.text).toBe(await text());
  });
});
