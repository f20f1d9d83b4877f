import type { Locator, Page } from '@playwright/test';

/** A lead's Import section. */
export class ImportSection {
  readonly file: Locator;
  readonly upload: Locator;
  readonly progress: Locator;

  constructor(readonly page: Page) {
    this.file = page.getByLabel('File to import');
    this.upload = page.getByRole('button', { name: 'Upload' });
    this.progress = page.getByRole('progressbar', { name: 'Upload progress' });
  }

  async uploadFile(path: string): Promise<void> {
    await this.file.setInputFiles(path);
    await this.upload.click();
  }

  /** The success message, e.g. "3 passages imported". */
  imported(text: string | RegExp): Locator {
    return this.page.getByRole('status').filter({ hasText: text });
  }

  rejection(filename: string): Locator {
    return this.page.getByRole('alert').filter({ hasText: `${filename} was not imported` });
  }

  problems(filename: string): Locator {
    return this.page.getByRole('list', { name: `Problems in ${filename}` }).getByRole('listitem');
  }
}

/** A lead's Members section. */
export class MembersSection {
  readonly table: Locator;
  readonly username: Locator;
  readonly displayName: Locator;
  readonly createAccount: Locator;
  readonly add: Locator;
  readonly generatedPassword: Locator;
  readonly passwordNote: Locator;
  readonly dismissPassword: Locator;
  readonly copyPassword: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Members' });
    const form = page.getByRole('region', { name: 'Add annotator' });
    this.username = form.getByLabel('Username');
    this.displayName = form.getByLabel('Display name');
    this.createAccount = form.getByLabel('Create the account if it does not exist');
    this.add = form.getByRole('button', { name: 'Add annotator' });
    this.generatedPassword = page.getByLabel('Generated password');
    this.passwordNote = page.getByText('shown only once and will not be shown again');
    this.dismissPassword = page.getByRole('button', { name: 'I have saved it' });
    this.copyPassword = page.getByRole('button', { name: 'Copy password' });
  }

  row(username: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell', { name: username, exact: true }) });
  }

  async addAnnotator(fields: { username: string; displayName?: string; createAccount: boolean }): Promise<void> {
    await this.username.fill(fields.username);
    if (fields.displayName !== undefined) await this.displayName.fill(fields.displayName);
    await this.createAccount.setChecked(fields.createAccount);
    await this.add.click();
  }
}

/** An annotator's own part of the project page. */
export class QueueSection {
  readonly table: Locator;
  readonly next: Locator;
  readonly nothingLeft: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'My queue' });
    this.next = page.getByRole('button', { name: 'Next passage' });
    this.nothingLeft = page.getByText('There is nothing left to annotate in this project right now.');
  }

  row(externalId: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('link', { name: externalId, exact: true }) });
  }
}

/** The project page: the lead's sections, or the annotator's queue. */
export class ProjectPage {
  readonly sections: Locator;
  readonly passages: Locator;
  readonly passageRange: Locator;
  readonly imports: ImportSection;
  readonly members: MembersSection;
  readonly queue: QueueSection;

  constructor(readonly page: Page) {
    this.sections = page.getByRole('navigation', { name: 'Project sections' });
    this.passages = page.getByRole('table', { name: 'Passages' });
    this.passageRange = page.getByText(/^Passages \d+–\d+ of \d+$/);
    this.imports = new ImportSection(page);
    this.members = new MembersSection(page);
    this.queue = new QueueSection(page);
  }

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}`);
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { name, level: 1 });
  }

  /** A figure in the progress summary, e.g. stat('Passages'). */
  stat(label: string): Locator {
    return this.page
      .getByRole('region', { name: 'Progress' })
      .getByRole('term')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .locator('xpath=following-sibling::dd[1]');
  }

  async openSection(name: 'Passages' | 'Import' | 'Members' | 'Export'): Promise<void> {
    await this.sections.getByRole('link', { name }).click();
  }

  passageRows(): Locator {
    return this.passages.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }
}
