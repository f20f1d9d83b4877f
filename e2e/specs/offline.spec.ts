import { CSRF_HEADER, type Project } from '@warrant/contracts';
import { firstSeat, openSeat, readSet, seedPassage } from '../fixtures/editor-seed.ts';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test.ts';
import { LoginPage } from '../pages/login-page.ts';

const TEXT = 'Socrates is a man. All men are mortal. So Socrates is mortal.';

/**
 * The browser offline, for the app's API calls too. Chromium's offline emulation lets a request
 * slip out now and then when a service worker controls the page (a retry fired while the page
 * reloads reached the server): https://github.com/microsoft/playwright/issues/2311. Refusing
 * every API request of the context as well closes most of that gap, not all of it (see below).
 */
async function setOffline(page: Page, offline: boolean): Promise<void> {
  const context = page.context();
  if (offline) {
    await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
    await context.setOffline(true);
  } else {
    // In this order: the 'online' event's retry must find the way open.
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await context.setOffline(false);
  }
}

test.describe('working offline', () => {
  test('an edit made offline survives an offline reload and reaches the server once the connection returns', async ({
    page,
    admin,
    createPerson,
    signIn,
    apiAs,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT, prefix: 'offline' });
    const seat = firstSeat(seed);

    await signIn(page, seat.person);
    await page.goto(`/projects/${seed.project.id}/annotate/${seat.setId}`);
    const saveStatus = page.getByRole('status').filter({ hasText: /saved|Saving|Offline/ });
    await expect(saveStatus).toHaveText('All changes saved');
    // The offline shell is installed and has stored the app.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

    await setOffline(page, true);
    // The passage's category: the simplest edit the editor offers.
    await page.getByRole('radio', { name: /Reasoning/ }).click();
    await expect(saveStatus).toContainText('Offline: 1 change is kept on this device');

    // Leaving with an unsent edit asks first.
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page.reload();
    expect(dialogs).toEqual(['beforeunload']);

    // Still offline: the app, the session, the passage and the unsent edit all come from this device.
    await expect(page.getByText('Offline copy')).toBeVisible();
    await expect(saveStatus).toContainText('Offline: 1 change is kept on this device');
    await expect(page.getByRole('radio', { name: /Reasoning/ })).toBeChecked();
    // Whether the server has it yet is not asked here: now and then (about 1 run in 15) Chromium
    // lets the request it reported aborted go out as the old document is torn down, past both the
    // route and offline emulation (server logs show it arriving after the beforeunload dialog).
    // The edit must then still be applied exactly once: version 1 below.

    await setOffline(page, false);
    await expect(saveStatus).toHaveText('All changes saved');
    const saved = await readSet(seat.api, seat.setId);
    expect(saved.category).toBe('reasoning');
    expect(saved.version).toBe(1);
  });

  test('edits made offline reach the server except the one a scheme change made invalid, and the status names that one', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const label = (key: string, name: string, hotkey: string, color: string) => ({ key, name, hotkey, color, description: '' });
    const category = (key: string, name: string, hotkey: string) => ({ key, name, hotkey, description: '' });
    const scheme: Project['scheme'] = {
      spanLabels: [label('premise', 'Premise', 'p', '#2f6fb0'), label('claim', 'Claim', 'k', '#8a5a00')],
      relationTypes: [],
      categories: [category('reasoning', 'Reasoning', 'r'), category('knowledge', 'Knowledge', 'n')],
    };
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT, prefix: 'offline-c1', project: { scheme } });
    const seat = firstSeat(seed);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await expect(editor.saveStatus).toHaveText('All changes saved');

    // Three edits while offline: they wait on this device, to go out together.
    await setOffline(page, true);
    await editor.selectText('All men are mortal');
    await editor.labelWith('Claim');
    await expect.poll(() => editor.spanTexts()).toEqual([{ label: 'Claim', text: 'All men are mortal' }]);
    await editor.category('Reasoning').click();
    await editor.category('Knowledge').click();
    await expect(editor.saveStatus).toContainText('Offline: 3 changes are kept on this device');

    // Meanwhile the lead drops the label "Claim": no span on the server uses it.
    const { csrfToken } = await admin.session();
    const withoutClaim = { ...scheme, spanLabels: scheme.spanLabels.filter((item) => item.key !== 'claim') };
    const put = await admin.request.put(`/api/projects/${seed.project.id}/scheme`, { data: { scheme: withoutClaim }, headers: { [CSRF_HEADER]: csrfToken } });
    expect(put.status(), await put.text()).toBe(200);

    await setOffline(page, false);
    await expect(editor.saveStatus).toHaveAttribute('data-save-state', 'error');
    await expect(editor.saveStatus).toContainText(
      '1 edit was not saved: the server refused the new span “All men are mortal” (Claim) because “Claim” is no longer in the project’s label scheme.',
    );
    // The other two reached the server, and the screen shows what is saved.
    await expect.poll(async () => (await readSet(seat.api, seat.setId)).category).toBe('knowledge');
    const saved = await readSet(seat.api, seat.setId);
    expect(saved.spans).toEqual([]);
    expect(saved.version).toBe(1);
    await expect.poll(() => editor.spanTexts()).toEqual([]);
    await expect(editor.category('Knowledge')).toBeChecked();
    // The notice stays (it does not turn into "offline" or "saved") until the next edit.
    await page.waitForTimeout(1500);
    await expect(editor.saveStatus).toContainText('1 edit was not saved');
  });

  test('logging out with an unsent edit asks first and keeps it; after the next login it is sent from whatever page is open', async ({
    page,
    admin,
    createPerson,
    apiAs,
    signIn,
  }) => {
    const seed = await seedPassage({ admin, createPerson, apiAs }, { text: TEXT, prefix: 'offline-logout' });
    const seat = firstSeat(seed);
    const editor = await openSeat(page, signIn, seed.project.id, seat);
    await expect(editor.saveStatus).toHaveText('All changes saved');

    // The annotation API cannot be reached (the rest can: logging out while the browser says
    // offline waits for the connection).
    const unreachable = '**/api/annotation-sets/**';
    await page.context().route(unreachable, (route) => route.abort('internetdisconnected'));
    await editor.category('Reasoning').click();
    await expect(editor.saveStatus).toContainText('Offline: 1 change is kept on this device');

    const logOut = page.getByRole('banner').getByRole('button', { name: 'Log out' });
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await logOut.click();
    await expect.poll(() => asked).toEqual([
      'confirm: 1 change has not reached the server yet. It stays on this device and is sent when you log in here again, but nobody can see it until then. Log out anyway?',
    ]);
    // Not logged out.
    await expect(editor.saveStatus).toContainText('Offline: 1 change is kept on this device');

    page.once('dialog', (dialog) => void dialog.accept());
    await logOut.click();
    const login = new LoginPage(page);
    await expect(login.heading).toBeVisible();
    // Logging out ends every session of the user, the test's own API session included: the set
    // is read as the admin from here on.
    expect((await seat.api.request.get('/api/auth/session')).status()).toBe(401);
    expect((await readSet(admin, seat.setId)).category).toBeNull();

    // Leaving the app with the edit still unsent asks first, wherever the user is.
    const leaving: string[] = [];
    page.once('dialog', (dialog) => {
      leaving.push(dialog.type());
      void dialog.accept();
    });
    await login.goto(); // a plain login, which does not lead back to the passage
    expect(leaving).toEqual(['beforeunload']);

    // Reachable again, logged in again: the edit goes out without the passage being opened.
    await page.context().unroute(unreachable);
    await login.login(seat.person.username, seat.person.password);
    await expect(login.heading).toBeHidden();
    await expect.poll(async () => (await readSet(admin, seat.setId)).category, { timeout: 10_000 }).toBe('reasoning');
    expect(page.url()).not.toContain('/annotate/');
  });
});
