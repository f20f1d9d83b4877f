import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedAgreementProject, type PlannedPassage, type PlannedSet } from '../fixtures/agreement-seed.ts';
import { expect, test } from '../fixtures/test.ts';
import { AdjudicationPage } from '../pages/adjudication-page.ts';
import { AgreementPage, DisagreementQueuePage } from '../pages/agreement-page.ts';
import { AppHeader } from '../pages/app-header.ts';

/**
 * Pictures of the agreement dashboard, the disagreement queue and the adjudication page for a
 * person to look at (English, Russian, narrow), only when WARRANT_SCREENSHOTS_DIR is set.
 */

const TEXTS = [
  'Налоги высоки 😀, поэтому цены растут. Значит, нужно снизить налоги.',
  'Prices rose because wages rose. So the central bank will raise rates again this spring.',
  'The museum opens at nine. Tickets cost ten euros. Children enter free.',
  'Rain fell all night, so the river rose. The bridge must therefore stay closed until Monday.',
  'Since every witness saw the car, and the car was red, the driver must have lied about its colour.',
  'Cycling lanes cut traffic in Lyon; they would do the same here. The council should build them.',
];

/** Three readings of each text: the first two mostly agree, the third goes its own way. */
function readings(text: string, i: number): PlannedSet[] {
  const sentences = text.split(/(?<=[.;]) /).map((part) => part.replace(/[.;]$/, ''));
  const first = sentences[0] ?? text;
  const last = sentences.at(-1) ?? text;
  const shared: PlannedSet = {
    category: i === 2 ? 'knowledge' : 'reasoning',
    spans: [
      { id: 's1', label: 'premise', words: first },
      { id: 's2', label: 'conclusion', words: last },
    ],
    relations: [{ id: 'r1', type: 'supports', source: 's1', target: 's2' }],
  };
  const second: PlannedSet =
    i % 2 === 0
      ? shared
      : { ...shared, spans: [shared.spans[0] as PlannedSet['spans'][number], { id: 's2', label: 'inference', words: last }] };
  const third: PlannedSet =
    i % 3 === 0
      ? { category: 'noise', spans: [{ id: 's1', label: 'premise', words: last }], relations: [] }
      : { ...shared, category: i === 4 ? 'knowledge' : shared.category };
  return [shared, second, third];
}

test.describe('agreement screenshots', () => {
  const dir = process.env.WARRANT_SCREENSHOTS_DIR ?? '';

  test('agreement, queue and adjudication screens', async ({ page, lead, createPerson, apiAs, signIn }) => {
    test.setTimeout(120_000);
    const shoot = async (name: string, fullPage = true) => {
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
    };
    const passages: PlannedPassage[] = TEXTS.map((text, i) => ({ id: `letter-0${i + 1}`, text, sets: readings(text, i) }));
    const seed = await seedAgreementProject(
      { lead, createPerson, apiAs },
      {
        passages,
        annotators: [
          { prefix: 'anna', displayName: 'Anna Petrova' },
          { prefix: 'boris', displayName: 'Boris Ivanov' },
          { prefix: 'vera', displayName: 'Vera Sokolova' },
        ],
      },
    );
    const projectId = seed.project.id;

    // Leaving a page with unsaved edits: accept the browser's "leave site?" question.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, lead);
    const dashboard = new AgreementPage(page);
    await dashboard.goto(projectId);
    await expect(dashboard.figure('Passages compared')).toHaveText('6');
    await shoot('agreement-01-en');
    await dashboard.chartTable('Agreement between pairs');
    await dashboard.chartTable('Agreement per span label');
    await shoot('agreement-02-en-tables');
    await dashboard.chart('Agreement between pairs').getByLabel('Measure').selectOption({ label: 'Relation α' });
    await dashboard.chart('Agreement between pairs').screenshot({ path: join(dir, 'agreement-03-en-heatmap-relations.png') });

    // A label nobody used: undefined cells and bars, hatched and in words.
    await dashboard.goto(projectId, '?labels=example&measure=exact');
    await expect(dashboard.figure('Spans: F1, exact match')).toHaveText('undefined (nothing to compare)');
    await dashboard.chart('Agreement between pairs').screenshot({ path: join(dir, 'agreement-03a-en-heatmap-undefined.png') });
    await dashboard.overall.screenshot({ path: join(dir, 'agreement-03b-en-overall-undefined.png') });

    await dashboard.views.getByRole('link', { name: 'Disagreement queue' }).click();
    const queue = new DisagreementQueuePage(page);
    await expect(queue.rows()).toHaveCount(6);
    await shoot('agreement-04-en-queue');

    await queue.compare('letter-01');
    const adjudication = new AdjudicationPage(page);
    await expect(adjudication.heading('letter-01')).toBeVisible();
    await shoot('adjudication-01-en');
    await adjudication.acceptSpan('Налоги высоки 😀, поэтому цены растут', 'Premise');
    await adjudication.selectInGold('поэтому');
    await shoot('adjudication-02-en-selecting', false);
    await adjudication.addSelectionAs('Inference');
    await adjudication.sideBySide.scrollIntoViewIfNeeded();
    await adjudication.spans.getByRole('row').nth(2).hover();
    await shoot('adjudication-03-en-after', false);
    await adjudication.save.click();
    await expect(adjudication.saveBar.getByRole('status')).toContainText('Saved as version 1');

    // A passage where everybody agrees on something: merged in one step.
    await page.goto(`/projects/${projectId}/passages/${seed.passages[1]?.passageId ?? ''}/adjudicate`);
    await expect(adjudication.heading('letter-02')).toBeVisible();
    await adjudication.acceptAgreed.click();
    await shoot('adjudication-03a-en-agreed');

    await new AppHeader(page).switchLanguage('Русский');
    await expect(page.getByRole('heading', { name: 'Эталон для фрагмента letter-02' })).toBeVisible();
    await shoot('adjudication-04-ru');
    await page.getByRole('button', { name: 'Отметить готовым' }).click();
    await expect(page.getByRole('region', { name: 'Сохранение эталона' }).getByRole('status')).toContainText('Сохранено');
    await shoot('adjudication-05-ru-saved', false);
    await dashboard.goto(projectId);
    await expect(page.getByRole('heading', { name: 'Общая согласованность' })).toBeVisible();
    await shoot('agreement-05-ru');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Общая согласованность' })).toBeVisible();
    await shoot('agreement-06-ru-narrow');
    await new AppHeader(page).switchLanguage('English');
    await page.goto(`/projects/${projectId}/passages/${seed.passages[0]?.passageId ?? ''}/adjudicate`);
    await expect(page.getByRole('heading', { name: 'Adjudicate passage letter-01' })).toBeVisible();
    await shoot('adjudication-06-en-narrow');
  });
});
