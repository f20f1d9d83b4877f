import type { Locator, Page } from '@playwright/test';

export class PassagePage {
  readonly text: Locator;
  readonly back: Locator;

  constructor(readonly page: Page) {
    this.text = page.getByRole('region', { name: 'Passage text' });
    this.back = page.getByRole('link', { name: /Back to the project/ });
  }

  heading(externalId: string): Locator {
    return this.page.getByRole('heading', { name: `Passage ${externalId}`, level: 1 });
  }

  status(name: string): Locator {
    return this.page.getByRole('main').getByText(name, { exact: true });
  }
}
