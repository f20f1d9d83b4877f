import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../fixtures/test.ts';
import { uniqueName } from '../fixtures/seed-api.ts';
import { AppHeader } from '../pages/app-header.ts';
import { CorpusImportSection, ExportSection, ReleasesSection } from '../pages/datasets-page.ts';

/**
 * Pictures of the annotated import, the export progress and the releases page for a person to look
 * at (English, Russian, narrow), only when WARRANT_SCREENSHOTS_DIR is set.
 */

const MICROTEXTS = new URL('../../../shared/corpora/arg-microtexts/corpus/en/', import.meta.url).pathname;
const FILES = ['micro_b001.xml', 'micro_b003.xml', 'micro_b005.xml'].map((name) => join(MICROTEXTS, name));

/** A brat document with what brat has and Warrant does not take: an attribute, a discontinuous span. */
function bratWithLosses(): { txt: string; ann: string } {
  const txt = 'Taxes are high, so prices rise and wages fall. The council should cut taxes this spring.';
  const at = (words: string) => {
    const start = txt.indexOf(words);
    return `${start} ${start + words.length}\t${words}`;
  };
  const prices = txt.indexOf('prices rise');
  const wages = txt.indexOf('wages fall');
  const ann = [
    `T1\tpremise ${at('Taxes are high')}`,
    `T2\tconclusion ${at('The council should cut taxes this spring')}`,
    `T3\tpremise ${prices} ${prices + 'prices rise'.length};${wages} ${wages + 'wages fall'.length}\tprices rise wages fall`,
    'R1\tsupports Arg1:T1 Arg2:T2\t',
    'R2\tsupports Arg1:T3 Arg2:T2\t',
    'A1\tNegated T3',
    '#1\tAnnotatorNotes T1\tthe tax level, as the author sees it',
  ].join('\n');
  return { txt, ann: `${ann}\n` };
}

test.describe('datasets screenshots', () => {
  const dir = process.env.WARRANT_SCREENSHOTS_DIR ?? '';

  test('annotated import, export progress and releases', async ({ page, admin, lead, signIn }, testInfo) => {
    test.setTimeout(120_000);
    const shoot = async (name: string, fullPage = true) => {
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
    };
    const project = await admin.createProject({ name: uniqueName('Microtexts'), annotatorsPerPassage: 2 });
    await admin.addMember(project.id, lead.username, 'lead');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, lead);

    const imports = new CorpusImportSection(page);
    await imports.goto(project.id);
    await shoot('datasets-00-en-import-passages');
    await imports.chooseAnnotated('arg-microtexts XML');
    await imports.chooseMode('An imported annotator');
    await imports.annotator.fill('micro-a');
    await imports.files.setInputFiles(FILES);
    await shoot('datasets-01-en-import-form');
    await imports.upload.click();
    await expect(imports.imported('3 passages imported')).toBeVisible();
    await shoot('datasets-02-en-import-done');

    // Two sources in one file: the server names them, the form offers them.
    const exporter = new ExportSection(page);
    await exporter.goto(project.id);
    const download = await exporter.download('JSONL');
    await expect(page.getByRole('status').filter({ hasText: /^Done: / })).toBeVisible();
    await shoot('datasets-03-en-export-done');
    const exported = await readFile(await download.path(), 'utf8');
    const twoSources = testInfo.outputPath('two-sources.jsonl');
    await writeFile(twoSources, exported + exported.replaceAll('"annotator":"micro-a"', '"annotator":"micro-b"'));
    await imports.goto(project.id);
    await imports.chooseAnnotated('Semantic dataset (JSONL)');
    await imports.chooseMode('An imported annotator');
    await imports.files.setInputFiles(twoSources);
    await imports.upload.click();
    await expect(imports.region.getByRole('alert')).toBeVisible();
    await shoot('datasets-04-en-import-source-choice');
    // Fixing another field keeps the offered sources.
    await imports.annotator.fill('micro-b');
    await imports.region.getByRole('combobox', { name: 'Annotation source' }).selectOption('micro-b');
    await imports.upload.click();
    await expect(imports.imported('0 passages imported')).toBeVisible();
    await shoot('datasets-05-en-import-existing');

    // brat, as pre-annotations, with what brat has and Warrant cannot take.
    const brat = bratWithLosses();
    const txt = testInfo.outputPath('taxes.txt');
    const ann = testInfo.outputPath('taxes.ann');
    await writeFile(txt, brat.txt);
    await writeFile(ann, brat.ann);
    await imports.goto(project.id);
    await imports.chooseAnnotated('brat standoff');
    await imports.chooseMode('Pre-annotations');
    await imports.files.setInputFiles([txt, ann, join(MICROTEXTS, 'micro_b001.txt')]);
    await shoot('datasets-06-en-import-brat-chosen');
    await imports.upload.click();
    await expect(imports.region.getByRole('status').or(imports.region.getByRole('alert')).first()).toBeVisible();
    await shoot('datasets-07-en-import-brat-result');

    const releases = new ReleasesSection(page);
    await releases.goto(project.id);
    await releases.name.fill('Microtexts pilot');
    await releases.form.getByRole('textbox', { name: 'Description' }).fill('Three **arg-microtexts**, annotated by the corpus authors.');
    await releases.chooseSource('All annotators');
    await releases.form.getByRole('textbox', { name: 'Licence (optional)' }).fill('CC BY-NC-SA 4.0');
    await releases.form.getByRole('textbox', { name: 'Train' }).fill('0.8');
    await releases.form.getByRole('textbox', { name: 'Dev' }).fill('0.3');
    await releases.cut.click();
    await expect(releases.form.getByText('Train, dev and test must add up to 1.')).toBeVisible();
    await shoot('datasets-08-en-release-form-error');
    await releases.form.getByRole('textbox', { name: 'Dev' }).fill('0.1');
    await releases.cut.click();
    const v1 = releases.release('v1');
    await expect(v1).toBeVisible({ timeout: 20_000 });
    await v1.getByText('Dataset card (README.md)').click();
    await expect(v1.getByRole('group').filter({ hasText: 'Dataset card (README.md)' })).toContainText('("Microtexts pilot")');
    await shoot('datasets-09-en-releases');

    await new AppHeader(page).switchLanguage('Русский');
    await expect(page.getByRole('heading', { name: 'Новый выпуск' })).toBeVisible();
    await shoot('datasets-10-ru-releases');
    await imports.goto(project.id);
    await page.getByRole('radio', { name: 'Фрагменты с разметкой' }).check();
    await page.getByRole('radio', { name: 'arg-microtexts XML' }).check();
    await page.getByLabel('Файлы для импорта').setInputFiles(FILES);
    await shoot('datasets-11-ru-import-form');
    await page.getByRole('button', { name: 'Загрузить' }).click();
    await expect(page.getByRole('alert').or(page.getByRole('status')).first()).toBeVisible();
    await shoot('datasets-12-ru-import-result');
    await exporter.goto(project.id);
    const ruDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Скачать JSONL' }).click();
    await ruDownload;
    await expect(page.getByRole('status').filter({ hasText: /^Готово: / })).toBeVisible();
    await shoot('datasets-13-ru-export-done');

    await page.setViewportSize({ width: 390, height: 844 });
    await releases.goto(project.id);
    await expect(page.getByRole('heading', { name: 'Новый выпуск' })).toBeVisible();
    await page.getByText('Карточка набора данных (README.md)', { exact: true }).click();
    await shoot('datasets-14-ru-releases-narrow');
    await new AppHeader(page).switchLanguage('English');
    await imports.goto(project.id);
    await imports.chooseAnnotated('brat standoff');
    await shoot('datasets-15-en-import-narrow');
    await exporter.goto(project.id);
    await shoot('datasets-16-en-export-narrow');
  });
});
