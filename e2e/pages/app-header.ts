import type { Locator, Page } from '@playwright/test';

/** The header on every screen: who is signed in, the language, logging out. */
export class AppHeader {
  readonly banner: Locator;

  constructor(readonly page: Page) {
    this.banner = page.getByRole('banner');
  }

  /** The language select, whatever language its label is in now. */
  get language(): Locator {
    return this.banner.getByRole('combobox', { name: /^(Language|Язык)$/ });
  }

  signedInAs(displayName: string): Locator {
    return this.banner.getByText(displayName, { exact: true });
  }

  get logoutButton(): Locator {
    return this.banner.getByRole('button', { name: /^(Log out|Выйти)$/ });
  }

  async switchLanguage(name: 'English' | 'Русский'): Promise<void> {
    await this.language.selectOption({ label: name });
  }

  async logout(): Promise<void> {
    await this.logoutButton.click();
  }
}
