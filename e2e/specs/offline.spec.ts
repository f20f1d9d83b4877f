import { annotationSet } from '@warrant/contracts';
import { uniqueName } from '../fixtures/seed-api.ts';
import { expect, test } from '../fixtures/test.ts';

const TEXT = 'Socrates is a man. All men are mortal. So Socrates is mortal.';

test.describe('working offline', () => {
  test('an edit made offline survives an offline reload and reaches the server once the connection returns', async ({
    page,
    admin,
    createPerson,
    signIn,
    apiAs,
  }) => {
    const annotator = await createPerson({ prefix: 'offline' });
    const project = await admin.createProject({ name: uniqueName('Offline') });
    await admin.addMember(project.id, annotator.username, 'annotator');
    await admin.importPassages(project.id, [{ id: 'syllogism', text: TEXT }]);
    const api = await apiAs(annotator);
    const { item } = await api.takeNext(project.id);
    if (!item) throw new Error('nothing to annotate');
    const readSet = async () => annotationSet.parse(await (await api.request.get(`/api/annotation-sets/${item.setId}`)).json());

    await signIn(page, annotator);
    await page.goto(`/projects/${project.id}/annotate/${item.setId}`);
    const saveStatus = page.getByRole('status').filter({ hasText: /saved|Saving|Offline/ });
    await expect(saveStatus).toHaveText('All changes saved');
    // The offline shell is installed and has stored the app.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

    await page.context().setOffline(true);
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
    expect((await readSet()).category).toBeNull();

    await page.context().setOffline(false);
    await expect(saveStatus).toHaveText('All changes saved');
    const saved = await readSet();
    expect(saved.category).toBe('reasoning');
    expect(saved.version).toBe(1);
  });
});
