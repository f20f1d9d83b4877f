import { expect, test } from '../fixtures/test.ts';
import { uniqueName } from '../fixtures/seed-api.ts';
import { EditorPage } from '../pages/editor-page.ts';

/**
 * Issue 5: pre-annotations (a model's output, say) imported by the lead are what each annotator
 * starts from: the spans and the relation are in the editor when the passage is handed out, and
 * the annotator corrects them like their own.
 */
const TEXT = 'Кофе 😀 вреден,\r\nпоэтому пейте чай.';

test('an annotator starts from the pre-annotations the lead imported, and corrects them', async ({ page, admin, lead, createPerson, signIn }) => {
  test.setTimeout(60_000);
  const project = await admin.createProject({ name: uniqueName('Pre'), annotatorsPerPassage: 1 });
  await admin.addMember(project.id, lead.username, 'lead');
  const annotator = await createPerson({ prefix: 'pre', displayName: 'Pre Annotator' });
  await admin.addMember(project.id, annotator.username, 'annotator');

  // brat counts code points: the emoji is one, CRLF two.
  const points = [...TEXT];
  const premise = [0, points.indexOf(',')];
  const conclusionStart = points.indexOf('п');
  const conclusion = [conclusionStart, points.length - 1];
  const ann = [
    `T1\tpremise ${premise[0]} ${premise[1]}\t${points.slice(premise[0], premise[1]).join('')}`,
    `T2\tconclusion ${conclusion[0]} ${conclusion[1]}\t${points.slice(conclusion[0], conclusion[1]).join('')}`,
    'R1\tsupports Arg1:T1 Arg2:T2',
    '',
  ].join('\n');
  const summary = await admin.importAnnotated(
    project.id,
    [
      { name: 'coffee.txt', text: TEXT },
      { name: 'coffee.ann', text: ann },
    ],
    { format: 'brat', mode: 'pre-annotations', source: 'brat' },
  );
  expect(summary).toMatchObject({ passages: 1, annotations: 1, source: 'brat' });

  await signIn(page, annotator);
  await page.goto(`/projects/${project.id}`);
  await page.getByRole('button', { name: /next passage/i }).click();
  const editor = new EditorPage(page);
  await editor.waitReady();
  await expect.poll(() => editor.spanTexts()).toEqual([
    { label: 'Premise', text: 'Кофе 😀 вреден' },
    { label: 'Conclusion', text: 'поэтому пейте чай' },
  ]);
  await expect.poll(() => editor.relations()).toEqual(['R1']);

  // Corrected like the annotator's own: relabel the conclusion as an inference, saved.
  await editor.clickSpan('поэтому пейте чай');
  await editor.press('i');
  await expect.poll(() => editor.spanTexts()).toContainEqual({ label: 'Inference', text: 'поэтому пейте чай' });
  await editor.waitSaved();
});
