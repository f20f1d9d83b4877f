import type { Locator, Page } from '@playwright/test';

/** The project list, and the form for a new project. */
export class ProjectsPage {
  readonly heading: Locator;
  readonly newProjectLink: Locator;
  readonly list: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Projects', level: 1 });
    this.newProjectLink = page.getByRole('link', { name: 'New project' });
    this.list = page.getByRole('list', { name: 'Your projects' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  card(projectName: string): Locator {
    return this.list.getByRole('article', { name: projectName });
  }

  progressOf(projectName: string): Locator {
    return this.card(projectName).getByRole('progressbar', { name: `Progress of ${projectName}` });
  }

  async open(projectName: string): Promise<void> {
    await this.card(projectName).getByRole('link', { name: projectName }).click();
  }
}

export class NewProjectPage {
  readonly heading: Locator;
  readonly name: Locator;
  readonly description: Locator;
  readonly annotatorsPerPassage: Locator;
  readonly guidelines: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'New project', level: 1 });
    this.name = page.getByLabel('Name', { exact: true });
    this.description = page.getByLabel('Description');
    this.annotatorsPerPassage = page.getByLabel('Annotators per passage');
    this.guidelines = page.getByLabel('Guidelines for annotators');
    this.submit = page.getByRole('button', { name: 'Create project' });
  }

  async create(fields: { name: string; description?: string; annotatorsPerPassage?: number; guidelines?: string }): Promise<void> {
    await this.name.fill(fields.name);
    if (fields.description !== undefined) await this.description.fill(fields.description);
    if (fields.annotatorsPerPassage !== undefined) await this.annotatorsPerPassage.fill(String(fields.annotatorsPerPassage));
    if (fields.guidelines !== undefined) await this.guidelines.fill(fields.guidelines);
    await this.submit.click();
  }
}
