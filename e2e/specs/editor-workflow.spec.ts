import { expect, test } from '../fixtures/test.ts';
import { strongPassword } from '../fixtures/seed-api.ts';
import { firstSeat, openSeat, readSet, seedPassage, seedPassages, sendOps, spanOver, spansAsText } from '../fixtures/editor-seed.ts';
import { LoginPage } from '../pages/login-page.ts';
import { ProjectPage } from '../pages/project-page.ts';

const PASSAGES = [
  { id: 'w-1', text: 'Rents keep rising. The city should build homes.' },
  { id: 'w-2', text: 'Buses are slow. Trams would be faster.' },
  { id: 'w-3', text: 'Parks cool streets. Plant more trees.' },
];

/** One line, so every arc runs above the text. */
const ARGUMENT = 'Taxes fund schools. Schools train workers. Taxes hurt firms. Firms move.';

/** The set id at the end of an annotate URL. */
function setIdOf(url: string): string {
  return new URL(url).pathname.split('/').pop() ?? '';
}

test.describe('finishing a passage', () => {
  test('“Submit and next” and Ctrl+Enter submit the set on the server and open the next passage; with nothing left, the project page', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const { project, seat, passageIdOf } = await seedPassages({ admin, createPerson, apiAs }, { passages: PASSAGES });
    const editor = await openSeat(page, signIn, project.id, seat);
    const first = setIdOf(page.url());
    await expect(editor.heading(await passageIdOf(first))).toBeVisible();

    // An edit made just before submitting is part of what is submitted.
    await editor.selectText('Rents', 'rising');
    await editor.labelWith('Premise');

    await editor.submit.click();
    await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/annotate/(?!${first}$)[^/]+$`));
    const second = setIdOf(page.url());
    await editor.waitReady();
    const firstSet = await readSet(seat.api, first);
    expect(firstSet.status).toBe('submitted');
    expect(spansAsText(firstSet, PASSAGES[0]?.text ?? '', project.scheme)).toEqual([{ label: 'Premise', text: 'Rents keep rising' }]);
    // The passage opened is the annotator's next one, still to do, and the page says which.
    expect((await readSet(seat.api, second)).status).toBe('draft');
    await expect(editor.heading(await passageIdOf(second))).toBeVisible();
    expect(await passageIdOf(second)).not.toBe(await passageIdOf(first));

    // Ctrl+Enter from the text does the same.
    await expect.poll(() => editor.textHasFocus()).toBe(true);
    await editor.press('Control+Enter');
    await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/annotate/(?!(${first}|${second})$)[^/]+$`));
    const third = setIdOf(page.url());
    await editor.waitReady();
    expect((await readSet(seat.api, second)).status).toBe('submitted');
    await expect(editor.heading(await passageIdOf(third))).toBeVisible();

    // The last one: back to the project page, everything submitted.
    await editor.submit.click();
    await expect(page).toHaveURL(new RegExp(`/projects/${project.id}$`));
    await expect(new ProjectPage(page).heading(project.name)).toBeVisible();
    expect((await readSet(seat.api, third)).status).toBe('submitted');
    const queue = await seat.api.queue(project.id);
    expect(queue.items.map((item) => item.status)).toEqual(['submitted', 'submitted', 'submitted']);
  });

  test('Skip… asks for a reason (no reason, no skipping), then the set is skipped with it and the next passage opens', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const { project, seat, passageIdOf } = await seedPassages({ admin, createPerson, apiAs }, { passages: PASSAGES.slice(0, 2) });
    const editor = await openSeat(page, signIn, project.id, seat);

    await editor.skipButton.click();
    await expect(editor.skipDialog).toBeVisible();
    await expect(editor.skipReason).toBeFocused();
    await expect(editor.skipConfirm).toBeDisabled();
    // White space is no reason.
    await editor.skipReason.fill('   ');
    await expect(editor.skipConfirm).toBeDisabled();
    await editor.skipReason.fill('  Not an argument: a bus timetable.  ');
    await expect(editor.skipConfirm).toBeEnabled();
    await editor.skipConfirm.click();

    await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/annotate/(?!${seat.setId}$)[^/]+$`));
    const next = setIdOf(page.url());
    await editor.waitReady();
    await expect(editor.heading(await passageIdOf(next))).toBeVisible();
    const skipped = await readSet(seat.api, seat.setId);
    expect(skipped.status).toBe('skipped');
    expect(skipped.skipReason).toBe('Not an argument: a bus timetable.');

    // Ctrl+Shift+S opens the same question; Esc leaves the passage as it was.
    await editor.press('Control+Shift+S');
    await expect(editor.skipDialog).toBeVisible();
    await editor.press('Escape');
    await expect(editor.skipDialog).toBeHidden();
    expect(page.url()).toContain(next);
    expect((await readSet(seat.api, next)).status).toBe('draft');
  });
});

test.describe('working on spans and relations', () => {
  test('a note written on a span (Enter opens the field, leaving it saves) reaches the server and comes back as plain text', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: ARGUMENT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [spanOver(ARGUMENT, 'sA', 'premise', 'Taxes fund schools'), spanOver(ARGUMENT, 'sB', 'conclusion', 'Schools train workers')]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);

    const note = '<b>x</b> is not bold & <i>stays</i> as typed';
    await editor.tabToSpan('Schools train workers');
    await editor.press('Enter');
    await expect(editor.noteField).toBeFocused();
    await page.keyboard.type(note);
    // Leaving the field saves the note.
    await editor.press('Tab');
    await expect(editor.noteField).not.toBeFocused();
    await editor.waitSaved();
    const saved = await readSet(seat.api, seat.setId);
    expect(saved.spans.find((span) => span.id === 'sB')?.note).toBe(note);
    expect(saved.spans.find((span) => span.id === 'sA')?.note ?? null).toBeNull();

    await page.reload();
    await editor.waitReady();
    await editor.clickSpan('Schools train workers');
    await expect(editor.noteField).toHaveValue(note);
    // Shown as the characters typed: no element was made of the markup.
    await expect(editor.root.locator('b, i')).toHaveCount(0);
    await editor.clickSpan('Taxes fund schools');
    await expect(editor.noteField).toHaveValue('');
  });

  test('dragging the end handle of the selected span to a later word resizes it to that word’s end; with Alt, exactly', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: ARGUMENT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [spanOver(ARGUMENT, 'sA', 'premise', 'Taxes fund')]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    const serverSpan = async () => {
      const span = (await readSet(seat.api, seat.setId)).spans.find((s) => s.id === 'sA');
      return span ? ARGUMENT.slice(span.start, span.end) : null;
    };

    await editor.clickSpan('Taxes fund');
    await expect(page.locator('.text-content .handle--end')).toHaveCount(1);

    // Dropped inside "schools" ("sch|ools"): snapped to the end of the word.
    const schools = ARGUMENT.indexOf('schools');
    await editor.dragHandle('end', schools + 3);
    await expect.poll(async () => (await editor.spans())[0]?.text).toBe('Taxes fund schools');
    await editor.waitSaved();
    expect(await serverSpan()).toBe('Taxes fund schools');
    // Still selected, with its handle at the new end.
    await expect.poll(() => editor.selectedSpanText()).toBe('Taxes fund schools');

    // With Alt: exactly where it was dropped, inside "Schools" of the next sentence.
    const next = ARGUMENT.indexOf('Schools train');
    await editor.dragHandle('end', next + 4, { exact: true });
    await expect.poll(async () => (await editor.spans())[0]?.text).toBe('Taxes fund schools. Scho');
    await editor.waitSaved();
    expect(await serverSpan()).toBe('Taxes fund schools. Scho');
  });

  test('unticking a relation type under “Relation types shown” hides its arcs; ticking it shows them again', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: ARGUMENT });
    const seat = firstSeat(seed);
    await sendOps(seat.api, seat.setId, [
      spanOver(ARGUMENT, 'sA', 'premise', 'Taxes fund schools'),
      spanOver(ARGUMENT, 'sB', 'conclusion', 'Schools train workers'),
      spanOver(ARGUMENT, 'sC', 'premise', 'Taxes hurt firms'),
      spanOver(ARGUMENT, 'sD', 'premise', 'Firms move'),
      { op: 'addRelation', relation: { id: 'rAB', type: 'supports', source: 'sA', target: 'sB' } },
      { op: 'addRelation', relation: { id: 'rDC', type: 'supports', source: 'sD', target: 'sC' } },
      { op: 'addRelation', relation: { id: 'rCB', type: 'attacks', source: 'sC', target: 'sB' } },
    ]);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await expect.poll(() => editor.relations()).toEqual(['rAB', 'rCB', 'rDC']);
    const supports = editor.relationTypeShown('Supports');
    const attacks = editor.relationTypeShown('Attacks');
    await expect(supports).toBeChecked();

    await supports.uncheck();
    await expect.poll(() => editor.relations()).toEqual(['rCB']);
    await attacks.uncheck();
    await expect(page.locator('.relation-layer g.arc[data-relation]')).toHaveCount(0);
    await supports.check();
    await expect.poll(() => editor.relations()).toEqual(['rAB', 'rDC']);
    await attacks.check();
    await expect.poll(() => editor.relations()).toEqual(['rAB', 'rCB', 'rDC']);
    // Only the drawing changed: the relations are all still there.
    expect((await readSet(seat.api, seat.setId)).relations).toHaveLength(3);
  });
});

test.describe('when the session ends during work', () => {
  test('an edit made after the session ended waits (“signed out”), and after “Log in again” it reaches the server', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: ARGUMENT });
    const seat = firstSeat(seed);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await editor.waitSaved();

    // Elsewhere, the same person changes their password: every other session ends, this page's too.
    const newPassword = strongPassword();
    await seat.api.changePassword(seat.person.password, newPassword);

    await editor.selectText('Taxes', 'schools');
    await editor.labelWith('Premise');
    await expect(editor.saveStatus).toHaveAttribute('data-save-state', 'signed-out');
    await expect(editor.logInAgain).toBeVisible();
    // Drawn, but not on the server.
    expect(await editor.spanTexts()).toEqual([{ label: 'Premise', text: 'Taxes fund schools' }]);
    expect((await readSet(seat.api, seat.setId)).spans).toEqual([]);

    await editor.logInAgain.click();
    const login = new LoginPage(page);
    await expect(login.heading).toBeVisible();
    await login.login(seat.person.username, newPassword);

    await expect(page).toHaveURL(new RegExp(`/projects/${seed.project.id}/annotate/${seat.setId}$`));
    await editor.waitReady();
    await editor.waitSaved(12_000);
    expect(spansAsText(await readSet(seat.api, seat.setId), ARGUMENT, seed.project.scheme)).toEqual([{ label: 'Premise', text: 'Taxes fund schools' }]);
    await expect.poll(() => editor.spanTexts()).toEqual([{ label: 'Premise', text: 'Taxes fund schools' }]);
  });
});
