import type { Locator, Page } from '@playwright/test';

/** A lead's agreement dashboard: headline figures, filters, pictures with their tables. */
export class AgreementPage {
  readonly views: Locator;
  readonly overall: Locator;
  readonly filters: Locator;
  readonly toQueue: Locator;

  constructor(readonly page: Page) {
    this.views = page.getByRole('navigation', { name: 'Agreement views' });
    this.overall = page.getByRole('region', { name: 'Overall agreement' });
    this.filters = page.getByRole('region', { name: 'Filters' });
    this.toQueue = page.getByRole('link', { name: /passages with the most disagreement/ });
  }

  async goto(projectId: string, search = ''): Promise<void> {
    await this.page.goto(`/projects/${projectId}/agreement${search}`);
  }

  /** The figure under a headline label, as shown: "0.72 (0.65–0.79)" or "undefined (…)". */
  figure(label: string): Locator {
    return this.overall.getByRole('term').filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) }).locator('xpath=following-sibling::dd[1]');
  }

  labelFilter(name: string): Locator {
    return this.filters.getByRole('group', { name: 'Span labels' }).getByRole('checkbox', { name, exact: true });
  }

  /** A picture's section (by its heading), e.g. "Agreement between pairs". */
  chart(title: string): Locator {
    return this.page.getByRole('region', { name: title });
  }

  /** Opens a picture's "Show as table" and answers the table in it. */
  async chartTable(title: string): Promise<Locator> {
    const chart = this.chart(title);
    const details = chart.locator('details');
    if ((await details.getAttribute('open')) === null) await chart.getByText('Show as table').click();
    return chart.getByRole('table');
  }

  /** A cell of a table by its row header (or first cell) and column header. */
  async cell(table: Locator, row: string, column: string): Promise<Locator> {
    const headers = await table.locator('thead th, thead td').allInnerTexts();
    const index = headers.findIndex((header) => header.trim() === column);
    if (index < 0) throw new Error(`no column "${column}" in ${JSON.stringify(headers)}`);
    const rowLocator = table.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name: row, exact: true }) });
    return rowLocator.locator('th, td').nth(index);
  }
}

/** The disagreement queue: passages ranked worst first. */
export class DisagreementQueuePage {
  readonly table: Locator;
  readonly hideDone: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole('table', { name: 'Disagreement queue' });
    this.hideDone = page.getByRole('checkbox', { name: 'Hide adjudicated passages' });
  }

  rows(): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }

  /** The external ids in the order shown. */
  async order(): Promise<string[]> {
    return this.rows()
      .locator('td:nth-child(2)')
      .allInnerTexts()
      .then((ids) => ids.map((id) => id.trim()));
  }

  row(externalId: string): Locator {
    return this.rows().filter({ has: this.page.getByRole('link', { name: externalId, exact: true }) });
  }

  async compare(externalId: string): Promise<void> {
    await this.page.getByRole('link', { name: `Compare passage ${externalId}` }).click();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
