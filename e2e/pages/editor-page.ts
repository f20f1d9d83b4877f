import { expect, type Locator, type Page } from '@playwright/test';

/** A span as drawn: its id, label (the tag's name), offsets and the characters it covers. */
export interface ScreenSpan {
  id: string;
  label: string;
  start: number;
  end: number;
  text: string;
}

export type SaveState = 'saved' | 'saving' | 'offline' | 'signed-out' | 'conflict' | 'error';

/** Viewport point over one edge of a stretch of text. */
interface Point {
  x: number;
  y: number;
}

/**
 * The annotation editor (/projects/:projectId/annotate/:setId).
 *
 * The text offers no accessible handles for spans (tags are aria-hidden, bands are backgrounds),
 * so the text itself is read through the rendering hooks: `.seg[data-s][data-e]` runs of text,
 * `data-spans` / `data-starts` span ids, `.tag[title]` label names, `g.arc[data-relation]`. Every
 * read is one `evaluate` over the live DOM: nothing is held across an edit, which re-renders.
 */
export class EditorPage {
  readonly root: Locator;
  readonly text: Locator;
  readonly saveStatus: Locator;
  readonly popover: Locator;
  readonly help: Locator;
  readonly conflict: Locator;
  readonly notice: Locator;
  readonly sideTabs: Locator;
  readonly sidePanel: Locator;
  readonly undo: Locator;
  readonly redo: Locator;
  readonly categories: Locator;
  readonly graph: Locator;
  readonly warnings: Locator;
  readonly selectedSpan: Locator;
  readonly submit: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('.editor[data-ready]');
    this.text = page.getByRole('document', { name: 'Passage text' });
    this.saveStatus = page.locator('[data-save-state]');
    this.popover = page.getByRole('dialog', { name: 'Label the selection' });
    this.help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    this.conflict = page.getByRole('alertdialog');
    this.notice = this.root.getByRole('alert');
    this.sideTabs = page.getByRole('tablist', { name: 'Details' });
    this.sidePanel = page.getByRole('tabpanel');
    this.undo = page.getByRole('group', { name: 'Undo and redo' }).getByRole('button', { name: 'Undo' });
    this.redo = page.getByRole('group', { name: 'Undo and redo' }).getByRole('button', { name: 'Redo' });
    this.categories = page.getByRole('radiogroup', { name: 'Passage' });
    this.graph = page.getByRole('img', { name: 'Structure of the argument' });
    this.warnings = page.getByRole('list', { name: 'Structural warnings' }).getByRole('listitem');
    this.selectedSpan = page.getByRole('region', { name: 'Selected span' });
    this.submit = page.getByRole('button', { name: 'Submit and next' });
  }

  async goto(projectId: string, setId: string): Promise<void> {
    await this.page.goto(`/projects/${projectId}/annotate/${setId}`);
    await this.waitReady();
  }

  heading(externalId: string): Locator {
    return this.page.getByRole('heading', { name: `Passage ${externalId}`, level: 1 });
  }

  async waitReady(): Promise<void> {
    await expect(this.root).toBeVisible();
    await expect(this.page.locator('.text-content .seg').first()).toBeVisible();
  }

  /** The save indicator's state now. */
  async saveState(): Promise<SaveState> {
    return (await this.saveStatus.getAttribute('data-save-state')) as SaveState;
  }

  /** Waits until nothing is pending (the indicator says saved). */
  async waitSaved(timeout = 7_000): Promise<void> {
    await expect(this.saveStatus).toHaveAttribute('data-save-state', 'saved', { timeout });
  }

  tab(name: string | RegExp): Locator {
    return this.sideTabs.getByRole('tab', { name });
  }

  category(name: string): Locator {
    return this.categories.getByRole('radio', { name: new RegExp(`^${name}`) });
  }

  /** A node of the structure graph: "Premise: the text". */
  graphNode(label: string, text: string): Locator {
    return this.graph.getByRole('button', { name: `${label}: ${text}`, exact: true });
  }

  /** The edges of the structure graph (paths; an undercut relation is drawn as two halves). */
  get graphEdges(): Locator {
    return this.page.locator('svg.graph > path');
  }

  /** The relation list of the selected span, items like «a» Supports «b». */
  get spanRelations(): Locator {
    return this.selectedSpan.getByRole('list', { name: 'Relations of this span' }).getByRole('listitem');
  }

  // ---- reading the text -------------------------------------------------------------------

  /** The passage as rendered: every segment's text at its offsets, line breaks between blocks as "\n". */
  async renderedText(): Promise<string> {
    return this.page.evaluate(() => {
      const parts: [number, string][] = [];
      for (const seg of Array.from(document.querySelectorAll<HTMLElement>('.text-content .seg'))) {
        const own = Array.from(seg.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('');
        parts.push([Number(seg.dataset.s), own]);
      }
      parts.sort((a, b) => a[0] - b[0]);
      let out = '';
      for (const [start, text] of parts) {
        if (start > out.length) out += '\n'.repeat(start - out.length);
        out += text;
      }
      return out;
    });
  }

  /** UTF-16 offsets of a substring of the passage (the first occurrence at or after `from`). */
  async offsetsOf(substring: string, from = 0): Promise<{ start: number; end: number }> {
    const text = await this.renderedText();
    const start = text.indexOf(substring, from);
    if (start < 0) throw new Error(`"${substring}" is not in the rendered passage: ${JSON.stringify(text)}`);
    return { start, end: start + substring.length };
  }

  /** The spans drawn in the text, in text order. */
  async spans(): Promise<ScreenSpan[]> {
    return this.page.evaluate(() => {
      const found = new Map<string, { id: string; label: string; start: number; end: number; parts: [number, string][] }>();
      for (const seg of Array.from(document.querySelectorAll<HTMLElement>('.text-content .seg'))) {
        const s = Number(seg.dataset.s);
        const e = Number(seg.dataset.e);
        const own = Array.from(seg.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('');
        for (const id of (seg.dataset.spans ?? '').split(' ').filter(Boolean)) {
          const entry = found.get(id) ?? { id, label: '', start: s, end: e, parts: [] };
          entry.start = Math.min(entry.start, s);
          entry.end = Math.max(entry.end, e);
          entry.parts.push([s, own]);
          found.set(id, entry);
        }
        const tags = seg.querySelectorAll<HTMLElement>(':scope > .tag');
        (seg.dataset.starts ?? '')
          .split(' ')
          .filter(Boolean)
          .forEach((id, i) => {
            const entry = found.get(id);
            if (entry) entry.label = tags[i]?.title ?? '';
          });
      }
      return [...found.values()]
        .map(({ parts, ...span }) => {
          parts.sort((a, b) => a[0] - b[0]);
          let text = '';
          let at = span.start;
          for (const [s, own] of parts) {
            if (s > at) text += '\n'.repeat(s - at);
            text += own;
            at = s + own.length;
          }
          return { ...span, text };
        })
        .sort((a, b) => a.start - b.start || a.end - b.end);
    });
  }

  /** `{ label, text }` of each span drawn, in text order. */
  async spanTexts(): Promise<{ label: string; text: string }[]> {
    return (await this.spans()).map(({ label, text }) => ({ label, text }));
  }

  /** The text of the span drawn as selected, or null. */
  async selectedSpanText(): Promise<string | null> {
    return this.markedText('seg--selected-span');
  }

  /** The text selected (not yet labelled), as drawn, or null. */
  async selectedText(): Promise<string | null> {
    return this.markedText('seg--selected-text');
  }

  /** While linking: the text of the span the link would go to now. */
  async linkTargetText(): Promise<string | null> {
    return this.markedText('seg--link-target');
  }

  private async markedText(className: string): Promise<string | null> {
    return this.page.evaluate((name) => {
      const segs = Array.from(document.querySelectorAll<HTMLElement>(`.text-content .seg.${name}`));
      if (segs.length === 0) return null;
      return segs
        .sort((a, b) => Number(a.dataset.s) - Number(b.dataset.s))
        .map((seg) => Array.from(seg.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join(''))
        .join('');
    }, className);
  }

  /** Ids of the relations drawn as arcs. */
  async relations(): Promise<string[]> {
    return this.page.locator('.relation-layer g.arc[data-relation]').evaluateAll((arcs) => arcs.map((arc) => arc.getAttribute('data-relation') ?? '').sort());
  }

  arc(relationId: string): Locator {
    return this.page.locator(`.relation-layer g.arc[data-relation="${relationId}"]`);
  }

  // ---- pointing -----------------------------------------------------------------------------

  /**
   * A viewport point just inside the first grapheme at `offset` (edge 'start') or the last
   * grapheme ending at `offset` (edge 'end'), so a press there puts the caret before / after it.
   */
  async pointAt(offset: number, edge: 'start' | 'end'): Promise<Point> {
    const point = await this.page.evaluate(
      ({ offset, edge }) => {
        const segs = Array.from(document.querySelectorAll<HTMLElement>('.text-content .seg'));
        const seg = segs.find((el) => {
          const s = Number(el.dataset.s);
          const e = Number(el.dataset.e);
          return edge === 'start' ? s <= offset && offset < e : s < offset && offset <= e;
        });
        if (!seg) return null;
        seg.scrollIntoView({ block: 'nearest' });
        const node = Array.from(seg.childNodes).find((n): n is Text => n.nodeType === Node.TEXT_NODE);
        if (!node) return null;
        const local = offset - Number(seg.dataset.s);
        let from = -1;
        let to = -1;
        for (const g of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(node.data)) {
          const a = g.index;
          const b = a + g.segment.length;
          if (edge === 'start' ? a <= local && local < b : a < local && local <= b) {
            from = a;
            to = b;
            break;
          }
        }
        if (from < 0) return null;
        const range = document.createRange();
        range.setStart(node, from);
        range.setEnd(node, to);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
        const rect = edge === 'start' ? rects[0] : rects.at(-1);
        if (!rect) return null;
        const inset = Math.min(2, rect.width / 4);
        return { x: edge === 'start' ? rect.left + inset : rect.right - inset, y: rect.top + rect.height / 2 };
      },
      { offset, edge },
    );
    if (!point) throw new Error(`offset ${offset} (${edge}) is not rendered`);
    return point;
  }

  /**
   * Drags the mouse from the start of `from` to the end of `to` (substrings of the passage; `to`
   * is looked for after `from`). With `exact`, Alt is held: character precision, no word snapping.
   */
  async selectText(from: string, to: string = from, options: { exact?: boolean } = {}): Promise<void> {
    const start = await this.offsetsOf(from);
    const end = await this.offsetsOf(to, start.start);
    await this.dragOffsets(start.start, end.end, options);
  }

  /** Drags the mouse over [start, end) (UTF-16 offsets). */
  async dragOffsets(start: number, end: number, { exact = false }: { exact?: boolean } = {}): Promise<void> {
    const a = await this.pointAt(start, 'start');
    const b = await this.pointAt(end, 'end');
    const mouse = this.page.mouse;
    if (exact) await this.page.keyboard.down('Alt');
    try {
      await mouse.move(a.x, a.y);
      await mouse.down();
      await mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 3 });
      await mouse.move(b.x, b.y, { steps: 3 });
      await mouse.up();
    } finally {
      if (exact) await this.page.keyboard.up('Alt');
    }
  }

  /** Picks a label in the popover a mouse selection opens. */
  async labelWith(labelName: string): Promise<void> {
    await expect(this.popover).toBeVisible();
    await this.popover.getByRole('button', { name: new RegExp(`^${escapeRegExp(labelName)}`) }).click();
    await expect(this.popover).toBeHidden();
  }

  /** Presses a hotkey (a label, relation type or category key, or any key combination). */
  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Clicks just inside the start of the character at `offset`: the caret goes before it. */
  async clickAtOffset(offset: number): Promise<void> {
    const point = await this.pointAt(offset, 'start');
    await this.page.mouse.click(point.x, point.y);
  }

  /** Clicks in the middle of a substring of the passage (selects the innermost span there). */
  async clickText(substring: string): Promise<void> {
    const { start, end } = await this.offsetsOf(substring);
    const middle = start + Math.floor((end - start) / 2);
    const text = await this.renderedText();
    // Never point between the halves of a surrogate pair.
    const offset = /[\uDC00-\uDFFF]/.test(text[middle] ?? '') ? middle - 1 : middle;
    const a = await this.pointAt(offset, 'start');
    await this.page.mouse.click(a.x, a.y);
  }

  /** Selects the span with this text by clicking it, and waits until it is drawn as selected. */
  async clickSpan(spanText: string): Promise<void> {
    await this.clickText(spanText);
    await expect.poll(() => this.selectedSpanText()).toBe(spanText);
  }

  /** Tab through the spans until the one with this text is selected. */
  async tabToSpan(spanText: string, { max = 12 }: { max?: number } = {}): Promise<void> {
    for (let i = 0; i < max; i += 1) {
      // Tab past the last span leaves the text (so the page stays reachable): start again at the top.
      if (!(await this.textHasFocus())) await this.clickAtOffset(0);
      if ((await this.selectedSpanText()) === spanText) return;
      await this.page.keyboard.press('Tab');
      if ((await this.selectedSpanText()) === spanText) return;
    }
    throw new Error(`Tab never selected the span "${spanText}" (selected: ${await this.selectedSpanText()})`);
  }

  /** While linking to a span: Tab until the candidate is the span with this text. */
  async tabToLinkTarget(spanText: string, { max = 12 }: { max?: number } = {}): Promise<void> {
    for (let i = 0; i < max; i += 1) {
      if ((await this.linkTargetText()) === spanText) return;
      await this.page.keyboard.press('Tab');
    }
    throw new Error(`Tab never offered "${spanText}" as the link target (offered: ${await this.linkTargetText()})`);
  }

  /**
   * Clicks a relation's arc at a point of its curve where the arc is on top (arcs can cross),
   * trying the middle first.
   */
  async clickArc(relationId: string): Promise<void> {
    const point = await this.arc(relationId).evaluate((g) => {
      const hit = g.querySelector<SVGPathElement>('path.arc__hit');
      if (!hit) return null;
      const length = hit.getTotalLength();
      const matrix = hit.getScreenCTM();
      if (!matrix) return null;
      for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8]) {
        const p = hit.getPointAtLength(length * t);
        const x = matrix.a * p.x + matrix.c * p.y + matrix.e;
        const y = matrix.b * p.x + matrix.d * p.y + matrix.f;
        if (document.elementFromPoint(x, y) === hit) return { x, y };
      }
      return null;
    });
    if (!point) throw new Error(`the arc of ${relationId} cannot be clicked anywhere`);
    await this.page.mouse.click(point.x, point.y);
  }

  // ---- the passage's controls ---------------------------------------------------------------

  /** "Skip…" in the header: opens the dialog that asks for a reason. */
  get skipButton(): Locator {
    return this.page.getByRole('button', { name: 'Skip…' });
  }

  get skipDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Skip this passage' });
  }

  get skipReason(): Locator {
    return this.skipDialog.getByLabel('Why are you skipping it?');
  }

  get skipConfirm(): Locator {
    return this.skipDialog.getByRole('button', { name: 'Skip and next' });
  }

  /** The selected span's note field in the side panel. */
  get noteField(): Locator {
    return this.selectedSpan.getByLabel('Note', { exact: true });
  }

  /** A relation type's "shown" checkbox in the toolbar. */
  relationTypeShown(name: string): Locator {
    return this.page.getByRole('group', { name: 'Relation types shown' }).getByRole('checkbox', { name, exact: true });
  }

  /** "Log in again", offered by the save status once the session has ended. */
  get logInAgain(): Locator {
    return this.saveStatus.getByRole('button', { name: 'Log in again' });
  }

  /** Whether keyboard focus is on the passage text itself. */
  async textHasFocus(): Promise<boolean> {
    return this.page.evaluate(() => document.activeElement?.classList.contains('text-content') ?? false);
  }

  /**
   * Drags the selected span's start or end handle (`.handle--start` / `.handle--end`) and drops
   * it over the grapheme at `offset` (its start for 'start', its end for 'end'). With `exact`,
   * Alt is held during the drag and the drop.
   */
  async dragHandle(edge: 'start' | 'end', offset: number, { exact = false }: { exact?: boolean } = {}): Promise<void> {
    const handle = this.page.locator(`.text-content .handle--${edge}`);
    await expect(handle).toHaveCount(1);
    const box = await handle.boundingBox();
    if (!box) throw new Error(`the ${edge} handle is not laid out`);
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const to = await this.pointAt(offset, edge);
    const mouse = this.page.mouse;
    if (exact) await this.page.keyboard.down('Alt');
    try {
      await mouse.move(from.x, from.y);
      await mouse.down();
      await mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 3 });
      await mouse.move(to.x, to.y, { steps: 3 });
      await mouse.up();
    } finally {
      if (exact) await this.page.keyboard.up('Alt');
    }
  }

  /**
   * A key press as the browser reports it on another keyboard layout: `key` is what the layout
   * types, `code` the physical key (e.g. key 'з', code 'KeyP' on a Russian layout). Sent through
   * the DevTools protocol, so the page receives trusted keydown / keyup events.
   */
  async pressOnLayout(key: string, code: string, keyCode: number): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    try {
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, text: key, unmodifiedText: key, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode });
    } finally {
      await cdp.detach();
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
