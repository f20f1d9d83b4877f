import type { Download, Locator, Page } from '@playwright/test';

/** The Import section, for a corpus that comes with its annotations. */
export class CorpusImportSection {
  readonly region: Locator;
  readonly files: Locator;
  readonly annotator: Locator;
  readonly source: Locator;
  readonly upload: Locator;

  constructor(readonly page: Page) {
    this.region = page.getByRole('region', { name: 'Import passages' });
    this.files = this.region.getByLabel('Files to import');
    this.annotator = this.region.getByRole('textbox', { name: 'Imported annotator’s name' });
    this.source = this.region.getByLabel('Annotation source (optional)');
    this.upload = this.region.getByRole('button', { name: 'Upload' });
  }

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}/import`);
  }

  async chooseAnnotated(format: 'Semantic dataset (JSONL)' | 'brat standoff' | 'AIF JSON' | 'arg-microtexts XML'): Promise<void> {
    await this.region.getByRole('radio', { name: 'Passages with annotations' }).check();
    await this.region.getByRole('radio', { name: format }).check();
  }

  async chooseMode(mode: 'Pre-annotations' | 'An imported annotator'): Promise<void> {
    await this.region.getByRole('radio', { name: mode }).check();
  }

  /** The success message, e.g. "3 passages imported". */
  imported(text: string | RegExp): Locator {
    return this.region.getByRole('status').filter({ hasText: text });
  }
}

/** The Export section with its progress bar. */
export class ExportSection {
  readonly format: Locator;

  constructor(readonly page: Page) {
    this.format = page.getByRole('combobox', { name: 'Format' });
  }

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}/export`);
  }

  link(format: 'JSONL' | 'CSV' | 'CoNLL' | 'brat' | 'AIF'): Locator {
    return this.page.getByRole('link', { name: `Download ${format}` });
  }

  progress(format: string): Locator {
    return this.page.getByRole('progressbar', { name: `Progress of the ${format} export` });
  }

  /** Follows the download link and hands back the browser's download. */
  async download(format: 'JSONL' | 'CSV' | 'CoNLL' | 'brat' | 'AIF'): Promise<Download> {
    await this.format.selectOption({ label: format });
    const download = this.page.waitForEvent('download');
    await this.link(format).click();
    return download;
  }
}

/** The Releases section: the form that cuts one, and the list. */
export class ReleasesSection {
  readonly form: Locator;
  readonly name: Locator;
  readonly cut: Locator;
  readonly list: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole('region', { name: 'New release' });
    this.name = this.form.getByRole('textbox', { name: 'Name' });
    this.cut = this.form.getByRole('button', { name: /^(Cut release|Cutting the release…)$/ });
    this.list = page.getByRole('list', { name: 'Releases' });
  }

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}/releases`);
  }

  async chooseSource(source: 'Gold only' | 'All annotators'): Promise<void> {
    await this.form.getByRole('radio', { name: source }).check();
  }

  /** A release in the list, by its version ("v1"). */
  release(version: string): Locator {
    return this.list.getByRole('article').filter({ has: this.page.getByRole('heading', { name: new RegExp(`^${version} `) }) });
  }

  /** A figure of a release ("Passages", "Train"…). */
  stat(release: Locator, label: string): Locator {
    return release.getByRole('term').filter({ hasText: new RegExp(`^${label}$`) }).locator('xpath=following-sibling::dd[1]');
  }
}
