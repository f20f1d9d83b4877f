import { CSRF_HEADER, agreementReport, type AgreementReport, type Estimate } from '@warrant/contracts';
import { z } from 'zod';
import { categoryFigures, disagreementOf, relationFigure, spanF1Figures, twoDecimals, unitizingFigure } from '../fixtures/agreement-expected.ts';
import { AGREEMENT_SCHEME, seedAgreementProject, type PlannedPassage } from '../fixtures/agreement-seed.ts';
import { expect, test } from '../fixtures/test.ts';
import { AdjudicationPage } from '../pages/adjudication-page.ts';
import { AgreementPage, DisagreementQueuePage } from '../pages/agreement-page.ts';
import { ProjectPage } from '../pages/project-page.ts';

// Cyrillic and an astral emoji (two UTF-16 units, one code point) before the words the lead adds.
const P1 = 'Налоги высоки 😀, поэтому цены растут. Значит, нужно снизить налоги.';

/**
 * Two annotators, four passages: p-1 agrees on most things, p-2 on some, p-3 on nothing (the
 * worst), p-4 on everything.
 */
const PASSAGES: PlannedPassage[] = [
  {
    id: 'p-1',
    text: P1,
    sets: [
      {
        category: 'reasoning',
        spans: [
          { id: 'a1', label: 'premise', words: 'Налоги высоки 😀' },
          { id: 'a2', label: 'premise', words: 'цены растут' },
          { id: 'a3', label: 'conclusion', words: 'нужно снизить налоги' },
        ],
        relations: [
          { id: 'ar1', type: 'supports', source: 'a1', target: 'a3' },
          { id: 'ar2', type: 'supports', source: 'a2', target: 'a3' },
        ],
      },
      {
        category: 'reasoning',
        spans: [
          { id: 'b1', label: 'premise', words: 'Налоги высоки 😀' },
          { id: 'b2', label: 'inference', words: 'цены растут' },
          { id: 'b3', label: 'conclusion', words: 'нужно снизить налоги' },
        ],
        relations: [{ id: 'br1', type: 'supports', source: 'b1', target: 'b3' }],
      },
    ],
  },
  {
    id: 'p-2',
    text: 'Prices rose because wages rose. So the bank will act.',
    sets: [
      {
        category: 'reasoning',
        spans: [
          { id: 'a1', label: 'premise', words: 'wages rose' },
          { id: 'a2', label: 'conclusion', words: 'the bank will act' },
        ],
        relations: [{ id: 'ar1', type: 'supports', source: 'a1', target: 'a2' }],
      },
      {
        category: 'reasoning',
        spans: [
          { id: 'b1', label: 'premise', words: 'wages rose' },
          { id: 'b2', label: 'conclusion', words: 'So the bank will act' },
        ],
        relations: [{ id: 'br1', type: 'supports', source: 'b1', target: 'b2' }],
      },
    ],
  },
  {
    id: 'p-3',
    text: 'The museum opens at nine. Tickets cost ten euros. Children enter free.',
    sets: [
      { category: 'knowledge', spans: [{ id: 'a1', label: 'premise', words: 'The museum opens at nine' }], relations: [] },
      {
        category: 'noise',
        spans: [
          { id: 'b1', label: 'premise', words: 'Tickets cost ten euros' },
          { id: 'b2', label: 'conclusion', words: 'Children enter free' },
        ],
        relations: [{ id: 'br1', type: 'supports', source: 'b1', target: 'b2' }],
      },
    ],
  },
  {
    id: 'p-4',
    text: 'Rain fell all night, so the river rose.',
    sets: [0, 1].map(() => ({
      category: 'reasoning',
      spans: [
        { id: 's1', label: 'premise', words: 'Rain fell all night' },
        { id: 's2', label: 'conclusion', words: 'the river rose' },
      ],
      relations: [{ id: 'r1', type: 'supports', source: 's1', target: 's2' }],
    })),
  },
];

const LABELS = AGREEMENT_SCHEME.spanLabels.map((label) => label.key);
const CATEGORIES = AGREEMENT_SCHEME.categories.map((category) => category.key);

/** "0.72 (0.65–0.79)": the value computed here, the interval as the server bootstrapped it. */
function shown(expected: number | null, server: Estimate | null | undefined): string {
  if (expected === null) throw new Error('expected a defined figure');
  expect(server?.value ?? Number.NaN, 'the server agrees with @warrant/agreement').toBeCloseTo(expected, 6);
  if (server?.low == null || server.high == null) return twoDecimals(expected);
  return `${twoDecimals(expected)} (${twoDecimals(server.low)}–${twoDecimals(server.high)})`;
}

/** What the export's gold record carries (docs/agreement.md). */
const goldRecord = z.object({
  id: z.string(),
  annotator: z.literal('gold'),
  status: z.enum(['in_progress', 'done']),
  category: z.string().nullable(),
  category_sources: z.array(z.string()),
  spans: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      start: z.number(),
      end: z.number(),
      start_utf16: z.number(),
      end_utf16: z.number(),
      text: z.string(),
      sources: z.array(z.string()),
      edited: z.boolean(),
    }),
  ),
  relations: z.array(z.object({ id: z.string(), type: z.string(), source: z.string(), target: z.string(), sources: z.array(z.string()), edited: z.boolean() })),
  provenance: z.object({ adjudicated_by: z.string(), adjudicated_at: z.string(), note: z.string().nullable() }),
});

test('a lead reads the agreement figures, finds the worst passage, adjudicates one, and the gold version is exported with its provenance', async ({
  page,
  lead,
  createPerson,
  apiAs,
  signIn,
}) => {
  test.setTimeout(90_000);
  const seed = await seedAgreementProject(
    { lead, createPerson, apiAs },
    {
      passages: PASSAGES,
      annotators: [
        { prefix: 'anna', displayName: 'Anna Annotator' },
        { prefix: 'boris', displayName: 'Boris Annotator' },
      ],
    },
  );
  const [anna, boris] = seed.annotators;
  if (!anna || !boris) throw new Error('two annotators expected');
  const projectId = seed.project.id;

  // What the figures must be, from the seeded data and the agreement package.
  const category = categoryFigures(seed.passages, CATEGORIES);
  const unitizing = unitizingFigure(seed.passages, LABELS);
  const f1 = spanF1Figures(seed.passages, LABELS);
  const relations = relationFigure(seed.passages);
  // The intervals are the server's bootstrap: read them from the same report the page shows.
  const reportResponse = await seed.leadApi.request.get(`/api/projects/${projectId}/agreement`);
  expect(reportResponse.ok()).toBe(true);
  const report: AgreementReport = agreementReport.parse(await reportResponse.json());

  await signIn(page, lead);
  const dashboard = new AgreementPage(page);
  await new ProjectPage(page).goto(projectId);
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Agreement' }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${projectId}/agreement$`));

  await expect(dashboard.figure('Passages compared')).toHaveText('4');
  await expect(dashboard.figure('Category: Krippendorff’s α')).toHaveText(shown(category.alpha, report.category.alpha));
  await expect(dashboard.figure('Category: Cohen’s κ')).toHaveText(shown(category.cohen, report.category.cohenKappa));
  await expect(dashboard.figure('Category: Fleiss’ κ')).toHaveText(shown(category.fleiss, report.category.fleissKappa));
  await expect(dashboard.figure('Spans: unitizing α')).toHaveText(shown(unitizing, report.spans.unitizing));
  await expect(dashboard.figure('Spans: F1, exact match')).toHaveText(shown(f1.exact, { value: report.spans.exact.f1, low: null, high: null, reason: null }));
  await expect(dashboard.figure('Spans: F1, overlap')).toHaveText(shown(f1.overlap, { value: report.spans.overlap.f1, low: null, high: null, reason: null }));
  await expect(dashboard.figure('Relations: α')).toHaveText(shown(relations, report.relations.alpha));

  // The heatmap's numbers: the one pair's category agreement is the Cohen's kappa above.
  const heatmap = await dashboard.chartTable('Agreement between pairs');
  await expect(await dashboard.cell(heatmap, 'Anna Annotator', 'Boris Annotator')).toHaveText(shown(category.cohen, report.pairs[0]?.category));
  await expect(await dashboard.cell(heatmap, 'Anna Annotator', 'Anna Annotator')).toHaveText('—');
  await expect(dashboard.chart('Agreement between pairs').getByRole('img', { name: /^Anna Annotator and Boris Annotator: / })).toHaveCount(1);

  // A label nobody used: span figures become undefined, in words, never 0 or 1; the filter is in the address.
  for (const name of ['Premise', 'Inference', 'Conclusion']) await dashboard.labelFilter(name).uncheck();
  await expect(page).toHaveURL(/[?&]labels=example(&|$)/);
  await expect(dashboard.figure('Spans: unitizing α')).toHaveText(/^undefined \((nothing to compare|only one category was used|fewer than two annotators)\)$/);
  await expect(dashboard.figure('Spans: F1, exact match')).toHaveText('undefined (nothing to compare)');
  // Categories do not depend on span labels.
  await expect(dashboard.figure('Category: Krippendorff’s α')).toHaveText(shown(category.alpha, report.category.alpha));
  await page.reload();
  await expect(dashboard.labelFilter('Example')).toBeChecked();
  await expect(dashboard.labelFilter('Premise')).not.toBeChecked();

  // The disagreement queue: worst first.
  await dashboard.views.getByRole('link', { name: 'Disagreement queue' }).click();
  const queue = new DisagreementQueuePage(page);
  const expectedOrder = [...seed.passages].sort((a, b) => disagreementOf(b) - disagreementOf(a)).map((passage) => passage.externalId);
  expect(expectedOrder[0]).toBe('p-3');
  await expect(queue.rows()).toHaveCount(4);
  expect(await queue.order()).toEqual(expectedOrder);
  await expect(queue.row('p-3')).toContainText(twoDecimals(disagreementOf(seed.passages[2] as (typeof seed.passages)[number])));

  // Side by side.
  await queue.compare('p-1');
  const adjudication = new AdjudicationPage(page);
  await expect(adjudication.heading('p-1')).toBeVisible();
  await expect(adjudication.column('Anna Annotator')).toContainText('Category: Reasoning');
  await expect(adjudication.column('Boris Annotator')).toContainText('3 spans');
  await expect(adjudication.spans.getByRole('row').filter({ has: page.getByRole('cell') })).toHaveCount(4);
  const disputedPremise = adjudication.spanRow('цены растут', 'Premise');
  const disputedInference = adjudication.spanRow('цены растут', 'Inference');
  await expect(disputedPremise.getByRole('cell', { name: 'marked', exact: true })).toHaveCount(1);
  await expect(disputedPremise.getByRole('cell', { name: 'not marked', exact: true })).toHaveCount(1);

  // Adjudicate: everything agreed in one step, one disputed span accepted, the other rejected with the keyboard.
  await adjudication.acceptAgreed.click();
  await expect(adjudication.decisionOf(adjudication.spanRow('Налоги высоки 😀', 'Premise'))).toHaveText('In gold');
  await expect(adjudication.decisionOf(adjudication.spanRow('нужно снизить налоги', 'Conclusion'))).toHaveText('In gold');
  await expect(adjudication.decisionOf(disputedInference)).toHaveText('Undecided');
  await adjudication.acceptSpan('цены растут', 'Inference');
  await expect(adjudication.decisionOf(disputedInference)).toHaveText('In gold');
  await adjudication.rejectSpanWithKey('цены растут', 'Premise');
  await expect(adjudication.decisionOf(disputedPremise)).toHaveText('Rejected');
  await expect(adjudication.goldRelations.getByRole('row').filter({ hasText: 'Supports' })).toHaveCount(1);

  // A span of the lead's own, selected with the mouse after the emoji.
  await adjudication.selectInGold('поэтому');
  await adjudication.addSelectionAs('Inference');
  const ownStart = P1.indexOf('поэтому');
  await expect(adjudication.goldSpanRow('поэтому')).toContainText(`${ownStart}–${ownStart + 'поэтому'.length}`);
  await expect(adjudication.goldSpanRow('поэтому')).toContainText('added by the lead');

  const note = 'Борис прочёл «цены растут» как вывод; так и оставили.';
  await adjudication.note.fill(note);
  await expect(adjudication.saveBar).toContainText('Unsaved changes');
  await adjudication.markDone.click();
  await expect(adjudication.saveBar.getByRole('status')).toHaveText('Saved as version 1 and marked done.');
  await expect(page.getByText(/^Version 1, last saved by Lena Lead on /)).toBeVisible();

  // The queue hides it once it is done; the passages table shows it.
  await page.goto(`/projects/${projectId}/agreement/passages`);
  await expect(queue.row('p-1')).toContainText('Gold done');
  await queue.hideDone.check();
  await expect(queue.rows()).toHaveCount(3);
  await expect(queue.row('p-1')).toHaveCount(0);
  const projectPage = new ProjectPage(page);
  await projectPage.goto(projectId);
  await expect(projectPage.passageRows().filter({ hasText: 'p-1' })).toContainText('Gold done');
  await expect(page.getByRole('link', { name: 'Compare passage p-2' })).toBeVisible();

  // The export: one more record for p-1, by "gold", every item with where it came from.
  const exported = await page.request.get(`/api/projects/${projectId}/export?format=jsonl`);
  expect(exported.ok()).toBe(true);
  const records = (await exported.text())
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; annotator: string });
  const golds = records.filter((record) => record.annotator === 'gold');
  expect(golds.map((record) => record.id)).toEqual(['p-1']);
  const gold = goldRecord.parse(golds[0]);
  const both = [anna.person.username, boris.person.username].sort();
  expect(gold.status).toBe('done');
  expect(gold.category).toBe('reasoning');
  expect([...gold.category_sources].sort()).toEqual(both);
  expect(gold.spans.map((span) => ({ text: span.text, label: span.label, sources: [...span.sources].sort(), edited: span.edited }))).toEqual([
    { text: 'Налоги высоки 😀', label: 'premise', sources: both, edited: false },
    { text: 'поэтому', label: 'inference', sources: [], edited: true },
    { text: 'цены растут', label: 'inference', sources: [boris.person.username], edited: false },
    { text: 'нужно снизить налоги', label: 'conclusion', sources: both, edited: false },
  ]);
  const own = gold.spans[1];
  expect([own?.start_utf16, own?.end_utf16]).toEqual([ownStart, ownStart + 'поэтому'.length]);
  // The emoji before it is one code point and two UTF-16 units.
  expect([own?.start, own?.end]).toEqual([ownStart - 1, ownStart - 1 + 'поэтому'.length]);
  const premise = gold.spans[0];
  const conclusion = gold.spans[3];
  expect(gold.relations).toEqual([{ id: expect.any(String), type: 'supports', source: premise?.id, target: conclusion?.id, sources: both, edited: false }]);
  expect(gold.provenance.adjudicated_by).toBe(lead.username);
  expect(Number.isNaN(Date.parse(gold.provenance.adjudicated_at))).toBe(false);
  expect(gold.provenance.note).toBe(note);
});

test('leaving with unsaved gold edits asks first; a save on a stale version shows who saved meanwhile and reloads theirs; discarding asks first', async ({
  page,
  lead,
  createPerson,
  apiAs,
  signIn,
}) => {
  const text = 'Rain fell all night, so the river rose.';
  const reading = (label: string) => ({
    category: 'reasoning',
    spans: [
      { id: 's1', label: 'premise', words: 'Rain fell all night' },
      { id: 's2', label, words: 'the river rose' },
    ],
    relations: [],
  });
  const seed = await seedAgreementProject(
    { lead, createPerson, apiAs },
    {
      passages: [{ id: 'r-1', text, sets: [reading('conclusion'), reading('inference')] }],
      annotators: [
        { prefix: 'anna', displayName: 'Anna Annotator' },
        { prefix: 'boris', displayName: 'Boris Annotator' },
      ],
    },
  );
  const passage = seed.passages[0];
  if (!passage) throw new Error('one passage expected');

  await signIn(page, lead);
  const adjudication = new AdjudicationPage(page);
  await page.goto(`/projects/${seed.project.id}/passages/${passage.passageId}/adjudicate`);
  await expect(adjudication.heading('r-1')).toBeVisible();
  await adjudication.acceptAgreed.click();
  await expect(adjudication.goldSpanRow('Rain fell all night')).toBeVisible();
  await expect(adjudication.saveBar).toContainText('Unsaved changes');

  // Leaving asks first; staying keeps the edits.
  await page.getByRole('link', { name: 'Disagreement queue' }).click();
  const leave = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(leave).toBeVisible();
  await leave.getByRole('button', { name: 'Stay and keep working' }).click();
  await expect(leave).toBeHidden();
  await expect(adjudication.goldSpanRow('Rain fell all night')).toBeVisible();

  // Meanwhile the gold version is saved elsewhere (another tab of the same lead).
  const { csrfToken } = await seed.leadApi.session();
  const elsewhere = await seed.leadApi.request.put(`/api/projects/${seed.project.id}/passages/${passage.passageId}/gold`, {
    data: { baseVersion: 0, status: 'in_progress', category: null, categorySources: [], spans: [], relations: [], note: 'Saved in another tab.' },
    headers: { [CSRF_HEADER]: csrfToken },
  });
  expect(elsewhere.status()).toBe(200);

  await adjudication.save.click();
  await expect(adjudication.saveBar.getByText('Someone else changed the gold version')).toBeVisible();
  await expect(adjudication.saveBar).toContainText('Lena Lead saved version 1 while you were working.');
  await adjudication.saveBar.getByRole('button', { name: 'Reload the gold version' }).click();
  await expect(adjudication.note).toHaveValue('Saved in another tab.');
  await expect(adjudication.goldSpans).toContainText('Nothing accepted yet.');
  await expect(adjudication.saveBar).not.toContainText('Someone else changed');
  await expect(page.getByText(/^Version 1, last saved by Lena Lead on /)).toBeVisible();

  // Discarding asks first, then the passage has no gold version.
  await adjudication.saveBar.getByRole('button', { name: 'Discard gold version' }).click();
  const discard = page.getByRole('alertdialog', { name: 'Discard the gold version?' });
  await discard.getByRole('button', { name: 'Discard', exact: true }).click();
  await expect(discard).toBeHidden();
  await expect(page.getByText('Not saved yet.')).toBeVisible();
  const comparison = await seed.leadApi.request.get(`/api/projects/${seed.project.id}/passages/${passage.passageId}/comparison`);
  expect(((await comparison.json()) as { gold: unknown }).gold).toBeNull();
});
