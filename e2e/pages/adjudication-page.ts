import { expect, type Locator, type Page } from '@playwright/test';

/** The side-by-side comparison of a passage and the lead's gold version. */
export class AdjudicationPage {
  readonly sideBySide: Locator;
  readonly goldColumn: Locator;
  readonly addSpanBar: Locator;
  readonly acceptAgreed: Locator;
  readonly spans: Locator;
  readonly relations: Locator;
  readonly categories: Locator;
  readonly goldSpans: Locator;
  readonly goldRelations: Locator;
  readonly note: Locator;
  readonly save: Locator;
  readonly markDone: Locator;
  readonly saveBar: Locator;

  constructor(readonly page: Page) {
    this.sideBySide = page.getByRole('region', { name: 'Side by side' });
    this.goldColumn = this.sideBySide.getByRole('region', { name: 'Gold', exact: true });
    this.addSpanBar = this.sideBySide.getByRole('group', { name: 'Add a span to the gold version' });
    this.acceptAgreed = page.getByRole('button', { name: 'Accept all agreed items' });
    this.spans = page.getByRole('table', { name: 'Spans', exact: true });
    this.relations = page.getByRole('table', { name: /^Relations/ });
    this.categories = page.getByRole('table', { name: 'Categories given' });
    this.goldSpans = page.getByRole('table', { name: 'Spans in the gold version' });
    this.goldRelations = page.getByRole('table', { name: 'Relations in the gold version' });
    this.note = page.getByLabel('Note', { exact: true });
    this.saveBar = page.getByRole('region', { name: 'Save the gold version' });
    this.save = this.saveBar.getByRole('button', { name: 'Save', exact: true });
    this.markDone = this.saveBar.getByRole('button', { name: 'Mark done' });
  }

  heading(externalId: string): Locator {
    return this.page.getByRole('heading', { name: `Adjudicate passage ${externalId}`, level: 1 });
  }

  /** An annotator's column (by the name shown as its heading). */
  column(name: string): Locator {
    return this.sideBySide.getByRole('region', { name, exact: true });
  }

  /** The row of a compared span: its words (quoted in the table) and its label. */
  spanRow(words: string, label: string): Locator {
    return this.spans.getByRole('row').filter({ hasText: `“${words}”` }).filter({ has: this.page.getByRole('cell', { name: label, exact: true }) });
  }

  async acceptSpan(words: string, label: string): Promise<void> {
    await this.page.getByRole('button', { name: `Accept “${words}” (${label})`, exact: true }).click();
  }

  /** Rejects with the keyboard: focus the row, press R. */
  async rejectSpanWithKey(words: string, label: string): Promise<void> {
    const row = this.spanRow(words, label);
    await row.focus();
    await this.page.keyboard.press('r');
  }

  decisionOf(row: Locator): Locator {
    return row.getByText(/^(In gold|Changed in gold|Rejected|Undecided)$/);
  }

  /**
   * Selects `words` in the gold column's text with the mouse, from the first character's left
   * edge to the last one's right edge (the first occurrence of `words` in the passage).
   */
  async selectInGold(words: string): Promise<void> {
    const text = this.goldColumn.getByRole('group', { name: 'Text of the gold version' });
    await text.scrollIntoViewIfNeeded();
    const points = await text.evaluate((root, wanted) => {
      const segments = Array.from(root.querySelectorAll<HTMLElement>('[data-s]'));
      const full = segments.map((segment) => Array.from(segment.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('')).join('');
      const start = full.indexOf(wanted);
      if (start < 0) return null;
      const end = start + wanted.length;
      const pointAt = (offset: number, edge: 'start' | 'end') => {
        const segment = segments.find((el) => {
          const s = Number(el.dataset.s);
          const e = Number(el.dataset.e);
          return edge === 'start' ? s <= offset && offset < e : s < offset && offset <= e;
        });
        const node = segment && Array.from(segment.childNodes).find((n): n is Text => n.nodeType === Node.TEXT_NODE);
        if (!segment || !node) return null;
        const local = offset - Number(segment.dataset.s);
        const range = document.createRange();
        range.setStart(node, edge === 'start' ? local : local - 1);
        range.setEnd(node, edge === 'start' ? local + 1 : local);
        const rect = Array.from(range.getClientRects()).find((r) => r.width > 0);
        if (!rect) return null;
        return { x: edge === 'start' ? rect.left + 1 : rect.right - 1, y: rect.top + rect.height / 2 };
      };
      return { a: pointAt(start, 'start'), b: pointAt(end, 'end') };
    }, words);
    if (!points?.a || !points.b) throw new Error(`"${words}" is not in the gold text`);
    const mouse = this.page.mouse;
    await mouse.move(points.a.x, points.a.y);
    await mouse.down();
    await mouse.move((points.a.x + points.b.x) / 2, points.a.y, { steps: 3 });
    await mouse.move(points.b.x, points.b.y, { steps: 3 });
    await mouse.up();
    await expect(this.addSpanBar.getByText('Selected:')).toContainText(`“${words}”`);
  }

  /** Adds the selected words to the gold version with a label. */
  async addSelectionAs(label: string): Promise<void> {
    await this.addSpanBar.getByRole('button', { name: `Add as ${label}` }).click();
  }

  goldSpanRow(words: string): Locator {
    return this.goldSpans.getByRole('row').filter({ hasText: `“${words}”` });
  }
}
