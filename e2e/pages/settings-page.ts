import type { Locator, Page } from '@playwright/test';

export type SchemeSectionName = 'Span labels' | 'Relation types' | 'Passage categories';

/** One label, relation type or category in the scheme editor (a fieldset named by its name and key). */
export class SchemeItem {
  readonly name: Locator;
  readonly key: Locator;
  readonly color: Locator;
  readonly hotkey: Locator;
  readonly description: Locator;
  readonly target: Locator;
  readonly chip: Locator;

  constructor(readonly group: Locator) {
    this.name = group.getByLabel('Name', { exact: true });
    this.key = group.getByLabel('Key', { exact: true });
    this.color = group.getByLabel('Colour', { exact: true });
    this.hotkey = group.getByLabel('Hotkey', { exact: true });
    this.description = group.getByLabel('Description', { exact: true });
    this.target = group.getByLabel('Points at', { exact: true });
    this.chip = group.getByTestId('label-chip');
  }

  get delete(): Locator {
    return this.group.getByRole('button', { name: /^Delete / });
  }
}

/** A lead's Settings section of a project: guidelines and label scheme. */
export class SettingsPage {
  readonly guidelines: Locator;
  readonly guidelinesSource: Locator;
  readonly preview: Locator;
  readonly saveGuidelines: Locator;
  readonly guidelinesSaved: Locator;
  readonly scheme: Locator;
  readonly saveScheme: Locator;
  readonly schemeSaved: Locator;
  readonly inUse: Locator;
  readonly leaveDialog: Locator;

  constructor(readonly page: Page) {
    this.guidelines = page.getByRole('region', { name: 'Guidelines', exact: true });
    this.guidelinesSource = page.getByLabel('Guidelines (Markdown)');
    this.preview = this.guidelines.getByRole('region', { name: 'Preview' });
    this.saveGuidelines = page.getByRole('button', { name: 'Save guidelines' });
    this.guidelinesSaved = this.guidelines.getByRole('status').filter({ hasText: 'Guidelines saved.' });
    this.scheme = page.getByRole('region', { name: 'Label scheme', exact: true });
    this.saveScheme = page.getByRole('button', { name: 'Save label scheme' });
    this.schemeSaved = this.scheme.getByRole('status').filter({ hasText: 'Label scheme saved.' });
    this.inUse = this.scheme.getByRole('alert').filter({ hasText: 'Not saved: annotations still use what you deleted.' });
    this.leaveDialog = page.getByRole('dialog', { name: 'Leave without saving?' });
  }

  async goto(projectId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}/settings`);
  }

  section(name: SchemeSectionName): Locator {
    return this.scheme.getByRole('region', { name, exact: true });
  }

  /** A saved item, by its key (which the fieldset's name ends with). */
  item(section: SchemeSectionName, key: string): SchemeItem {
    return new SchemeItem(this.section(section).getByRole('group', { name: new RegExp(`\\(${key}\\)$`) }));
  }

  /** The last item of a section: the one just added. */
  last(section: SchemeSectionName): SchemeItem {
    return new SchemeItem(this.section(section).getByRole('group').last());
  }

  async add(section: SchemeSectionName): Promise<SchemeItem> {
    const label = { 'Span labels': 'Add span label', 'Relation types': 'Add relation type', 'Passage categories': 'Add category' }[section];
    await this.section(section).getByRole('button', { name: label }).click();
    return this.last(section);
  }
}
