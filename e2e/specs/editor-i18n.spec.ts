import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/test.ts';
import { firstSeat, openSeat, readSet, seedPassage, sendOps } from '../fixtures/editor-seed.ts';
import { AppHeader } from '../pages/app-header.ts';

/** Words that stay as they are in any language: the product's name, key names, the language's own name. */
const ALLOWED = new Set(['Warrant', 'Esc', 'Tab', 'Enter', 'Shift', 'Ctrl', 'Alt', 'Home', 'End', 'Delete', 'English']);

/**
 * English words (3+ ASCII letters) in the visible interface: the page's innerText without the
 * passage text and without the user data given (names, ids), minus the allow-list.
 */
async function untranslated(page: Page, userData: string[]): Promise<string[]> {
  let visible = await page.evaluate(() => {
    const passage = document.querySelector<HTMLElement>('.text-content')?.innerText ?? '';
    return document.body.innerText.replace(passage, ' ');
  });
  for (const data of userData) visible = visible.split(data).join(' ');
  const words = visible.match(/[A-Za-z]{3,}/g) ?? [];
  return [...new Set(words.filter((word) => !ALLOWED.has(word)))];
}

const TEXT = 'Налоги растут. Бизнес уходит из города. Власти молчат.';

test.describe('the editor in Russian', () => {
  test('toolbar, side tabs, span panel, linking, popover and shortcut list show no English', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const seed = await seedPassage(
      { admin, createPerson, apiAs },
      { text: TEXT, externalId: 'фрагмент-1', displayName: 'Анна Разметчица', prefix: 'ru', project: { name: 'Споры о налогах' } },
    );
    const seat = firstSeat(seed);
    const at = (text: string) => ({ start: TEXT.indexOf(text), end: TEXT.indexOf(text) + text.length });
    await sendOps(seat.api, seat.setId, [
      { op: 'addSpan', span: { id: 'tax', label: 'premise', ...at('Налоги растут') } },
      { op: 'addSpan', span: { id: 'leave', label: 'conclusion', ...at('Бизнес уходит из города') } },
      { op: 'addSpan', span: { id: 'quiet', label: 'premise', ...at('Власти молчат') } },
      { op: 'addRelation', relation: { id: 'r1', type: 'supports', source: 'tax', target: 'leave' } },
      { op: 'setCategory', category: 'reasoning' },
    ]);
    const userData = [seed.project.name, seed.externalId, seat.person.username, seat.person.displayName];

    const editor = await openSeat(page, signIn, seed.project.id, seat);
    // The check itself sees the interface: in English it finds its words.
    expect(await untranslated(page, userData)).toEqual(expect.arrayContaining(['Submit', 'Selection', 'Undo', 'Passage']));
    await new AppHeader(page).switchLanguage('Русский');
    await expect(page.getByRole('heading', { name: 'Фрагмент фрагмент-1', level: 1 })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    await expect(editor.saveStatus).toHaveAttribute('data-save-state', 'saved');

    const found: Record<string, string[]> = {};
    const look = async (where: string) => {
      found[where] = await untranslated(page, userData);
    };
    await look('editor, nothing selected');

    const tabs = page.getByRole('tablist', { name: 'Подробности' });
    await editor.clickSpan('Налоги растут');
    await expect(page.getByRole('region', { name: 'Выбранный отрезок' })).toBeVisible();
    await look('span panel');

    await page.getByRole('list', { name: 'Связи этого отрезка' }).getByRole('button').first().click();
    await expect(page.getByRole('region', { name: 'Выбранная связь' })).toBeVisible();
    await look('relation selected');

    await editor.clickSpan('Власти молчат');
    await editor.press('s');
    await expect(editor.sidePanel).toContainText('Новая связь: Поддерживает');
    await look('linking');
    await editor.press('Escape');

    await tabs.getByRole('tab', { name: 'Структура' }).click();
    await expect(page.getByRole('img', { name: 'Структура рассуждения' })).toBeVisible();
    await look('structure tab');
    await tabs.getByRole('tab', { name: /^Предупреждения/ }).click();
    await expect(editor.sidePanel).toContainText('Ни с чем не связан: «Власти молчат»');
    await look('warnings tab');
    await tabs.getByRole('tab', { name: 'Инструкция' }).click();
    await look('guidelines tab');

    await editor.selectText('Власти');
    const popover = page.getByRole('dialog', { name: 'Пометить выделенное' });
    await expect(popover).toBeVisible();
    await look('label popover');
    await editor.press('Escape');

    await editor.press('?');
    const help = page.getByRole('dialog', { name: 'Сочетания клавиш' });
    await expect(help).toBeVisible();
    await look('shortcut list');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();

    // An edit the editor refuses (this relation exists already) explains itself in Russian too.
    await tabs.getByRole('tab', { name: 'Выбранное' }).click();
    await editor.clickSpan('Налоги растут');
    await editor.press('s');
    await editor.tabToLinkTarget('Бизнес уходит из города');
    await editor.press('Enter');
    await expect(editor.notice).toBeVisible();
    await look('refused edit');

    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((where) => [where, []])));
  });
});

test.describe('markup in user data', () => {
  const PAYLOAD = '<img src=x onerror=alert(1)>';

  test('a passage, label and category named with an <img onerror> payload render as inert text', async ({ page, admin, createPerson, apiAs, signIn }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const text = `Before ${PAYLOAD} after the tag.`;
    const seed = await seedPassage(
      { admin, createPerson, apiAs },
      {
        text,
        project: {
          name: `Markup ${PAYLOAD}`,
          scheme: {
            spanLabels: [{ key: 'payload', name: PAYLOAD, color: '#aa3355', hotkey: 'x', description: PAYLOAD }],
            relationTypes: [],
            categories: [{ key: 'odd', name: `Cat ${PAYLOAD}`, hotkey: 'o', description: '' }],
          },
        },
      },
    );
    const seat = firstSeat(seed);
    const editor = await openSeat(page, signIn, seed.project.id, seat);

    await expect(editor.text).toHaveText(text);
    await expect(editor.categories.getByRole('radio', { name: new RegExp(`^Cat ${PAYLOAD.replace(/[()]/g, '\\$&')}`) })).toBeVisible();

    await editor.selectText('Before', 'after');
    await editor.labelWith(PAYLOAD);
    await expect.poll(() => editor.spanTexts()).toEqual([{ label: PAYLOAD, text: `Before ${PAYLOAD} after` }]);
    await expect(editor.selectedSpan.getByRole('radio', { name: new RegExp(`^${PAYLOAD.replace(/[()]/g, '\\$&')}`) })).toBeChecked();
    await editor.press('o');
    await editor.press('?');
    await expect(editor.help.getByRole('row').filter({ hasText: `Label the selection as “${PAYLOAD}”` })).toHaveCount(1);
    await editor.press('Escape');

    await editor.waitSaved();
    const saved = await readSet(seat.api, seat.setId);
    expect(saved.spans.map((s) => s.label)).toEqual(['payload']);
    expect(saved.category).toBe('odd');

    await expect(page.locator('.editor img')).toHaveCount(0);
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(dialogs).toEqual([]);
  });
});
