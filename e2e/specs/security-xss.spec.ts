import { CSRF_HEADER, importResponse, type CreateProjectBody, type ImportSummary, type Project } from '@warrant/contracts';
import { request as playwrightRequest, type Page, type TestInfo } from '@playwright/test';
import { sendOps } from '../fixtures/editor-seed.ts';
import { SeedApi, strongPassword, uniqueName } from '../fixtures/seed-api.ts';
import { expect, test as base, type Person } from '../fixtures/test.ts';
import { AdjudicationPage } from '../pages/adjudication-page.ts';
import { AgreementPage, DisagreementQueuePage } from '../pages/agreement-page.ts';
import { ReleasesSection } from '../pages/datasets-page.ts';
import { EditorPage } from '../pages/editor-page.ts';
import { ProjectPage } from '../pages/project-page.ts';
import { ProjectsPage } from '../pages/projects-page.ts';
import { SettingsPage } from '../pages/settings-page.ts';

/**
 * Stored XSS: hostile strings are put into every field a user can fill (through the API, as any
 * client could), then every screen is opened as lead, annotator and administrator in Chromium.
 * On each screen: no dialog opened, `window.__xss` was never set, no element from the data
 * carries an event handler, a javascript: link or an inline script, and the hostile text is on
 * the screen as text. The CSP would block an injected script anyway; the page must not even try,
 * so violations are recorded (and attached to the report) while the DOM checks decide.
 */

const P = {
  img: '<img src=x onerror=window.__xss=1>',
  script: '</script><script>window.__xss=1</script>',
  js: 'javascript:window.__xss=1',
  svgOnload: '<svg onload=window.__xss=1>',
  svgScript: '<svg><script>window.__xss=1</script></svg>',
  quote: '"><img src=x onerror=alert(1)>',
} as const;
const ALL = Object.values(P);

/** Markdown that tries every way of turning a URL or raw HTML into something that runs. */
const HOSTILE_MARKDOWN = [
  '# Rules',
  ...ALL.map((payload) => `- ${payload}`),
  '',
  `[click me](${P.js})`,
  '[tab trick](java\tscript:window.__xss=1)',
  '[entity trick](jav&#x61;script:window.__xss=1)',
  `<${P.js}>`,
  `![pic](${P.js})`,
  '[data url](data:text/html,<script>window.__xss=1</script>)',
  '<a href="javascript:window.__xss=1">raw anchor</a>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '',
  '| a | b |',
  '| - | - |',
  `| ${P.img} | ${P.svgOnload} |`,
].join('\n');

const SCHEME: NonNullable<CreateProjectBody['scheme']> = {
  spanLabels: [
    { key: 'claim', name: P.img, color: '#2f6fb0', hotkey: 'p', description: P.script },
    { key: 'reason', name: P.svgScript, color: '#8a5a00', hotkey: 'i', description: P.quote },
    { key: 'linky', name: `[x](${P.js})`, color: '#a8324a', hotkey: 'e', description: `[y](${P.js}) ${P.svgOnload}` },
  ],
  relationTypes: [
    { key: 'supports', name: P.quote, color: '#2e7d32', hotkey: 's', description: P.img, target: 'span' },
    { key: 'attacks', name: P.svgOnload, color: '#c62828', hotkey: 'a', description: P.js, target: 'span' },
  ],
  categories: [
    { key: 'c1', name: P.js, hotkey: 'k', description: P.svgScript },
    { key: 'c2', name: P.script, hotkey: 'n', description: P.img },
  ],
};

const CLAIM = 'Cities should plant trees';
const REASON = 'Because shade cools streets';
const passageText = (n: number) => `${CLAIM} ${n}. ${P.img}\n${REASON}. ${P.script}\n${P.js} ${P.svgOnload} ${P.svgScript} ${P.quote}`;
/** External ids are free text, shown in headings, tables and links. */
const PASSAGE_IDS = [P.quote, P.svgOnload] as const;

interface Seat {
  person: Person;
  api: SeedApi;
  sets: { setId: string; passageId: string; externalId: string }[];
}

interface Seed {
  project: Project;
  admin: Person;
  lead: Person;
  annotators: Seat[];
  /** Database id of the passage with a gold version (and a disagreement to adjudicate). */
  passageId: string;
}

async function csrf(api: SeedApi): Promise<Record<string, string>> {
  return { [CSRF_HEADER]: (await api.session()).csrfToken };
}

async function importJsonl(api: SeedApi, projectId: string, records: unknown[], filename: string): Promise<ImportSummary> {
  const buffer = Buffer.from(records.map((record) => JSON.stringify(record)).join('\n') + '\n', 'utf8');
  const response = await api.request.post(`/api/projects/${projectId}/imports`, {
    multipart: { file: { name: filename, mimeType: 'application/x-ndjson', buffer } },
    headers: await csrf(api),
  });
  if (!response.ok()) throw new Error(`import: ${response.status()} ${await response.text()}`);
  return importResponse.parse(await response.json()).import;
}

async function expectOk(what: string, response: { ok(): boolean; status(): number; text(): Promise<string> }): Promise<void> {
  if (!response.ok()) throw new Error(`${what}: ${response.status()} ${await response.text()}`);
}

async function seed(baseURL: string): Promise<Seed> {
  const context = await playwrightRequest.newContext({ baseURL });
  const admin = new SeedApi(context);
  const adminPassword = process.env.WARRANT_E2E_ADMIN_PASSWORD;
  if (!adminPassword) throw new Error('WARRANT_E2E_ADMIN_PASSWORD is not set: run the tests through playwright.config.ts');
  await admin.login('admin', adminPassword);

  const person = async (prefix: string, displayName: string, canCreateProjects = false): Promise<Person> => {
    const created = { username: uniqueName(prefix), displayName, password: strongPassword() };
    await admin.createUser({ ...created, canCreateProjects });
    return created;
  };
  const lead = await person('xss-lead', P.svgScript, true);
  const people = [await person('xss-ann', P.img), await person('xss-ann', P.quote)];

  const project = await admin.createProject({
    name: `${P.quote} ${P.svgOnload} ${uniqueName('x')}`,
    description: `${ALL.join(' ')} [desc link](${P.js})`,
    guidelines: HOSTILE_MARKDOWN,
    annotatorsPerPassage: 2,
    scheme: SCHEME,
  });
  await admin.addMember(project.id, lead.username, 'lead');
  for (const annotator of people) await admin.addMember(project.id, annotator.username, 'annotator');
  const leadApi = new SeedApi(await playwrightRequest.newContext({ baseURL }));
  await leadApi.login(lead.username, lead.password);
  await importJsonl(
    leadApi,
    project.id,
    PASSAGE_IDS.map((id, n) => ({ id, text: passageText(n + 1), meta: { source: P.img, [P.svgOnload]: P.script, nested: { url: P.js } } })),
    `${P.quote}.jsonl`,
  );

  // Each annotator marks both passages differently (so there is something to adjudicate), with notes.
  const annotators: Seat[] = [];
  for (const [index, annotator] of people.entries()) {
    const api = new SeedApi(await playwrightRequest.newContext({ baseURL }));
    await api.login(annotator.username, annotator.password);
    const seat: Seat = { person: annotator, api, sets: [] };
    for (;;) {
      const { item } = await api.takeNext(project.id);
      if (!item) break;
      const text = passageText(PASSAGE_IDS.indexOf(item.externalId as (typeof PASSAGE_IDS)[number]) + 1);
      const at = (part: string) => ({ start: text.indexOf(part), end: text.indexOf(part) + part.length });
      const ops: unknown[] = [
        { op: 'addSpan', span: { id: 'claim', label: index === 0 ? 'claim' : 'reason', ...at(CLAIM), note: `${P.svgScript} ${P.img}` } },
        { op: 'addSpan', span: { id: 'reason', label: 'reason', ...at(REASON), note: P.quote } },
        { op: 'addSpan', span: { id: 'linky', label: 'linky', ...at(P.js), note: P.js } },
        { op: 'addRelation', relation: { id: 'r1', type: index === 0 ? 'supports' : 'attacks', source: 'reason', target: 'claim' } },
        { op: 'setCategory', category: index === 0 ? 'c1' : 'c2' },
      ];
      await sendOps(api, item.setId, ops);
      // "Next passage" hands back the open set until it is submitted.
      await api.submitSet(item.setId);
      seat.sets.push({ setId: item.setId, passageId: item.passageId, externalId: item.externalId });
    }
    annotators.push(seat);
  }
  const first = annotators[0]?.sets.find((set) => set.externalId === PASSAGE_IDS[0]);
  if (!first) throw new Error('the first passage was not handed out');
  const text = passageText(1);
  const gold = await leadApi.request.put(`/api/projects/${project.id}/passages/${first.passageId}/gold`, {
    data: {
      baseVersion: 0,
      status: 'in_progress',
      category: 'c1',
      categorySources: [],
      spans: [{ id: 'g1', label: 'claim', start: text.indexOf(CLAIM), end: text.indexOf(CLAIM) + CLAIM.length, note: P.svgOnload, sources: [], edited: true }],
      relations: [],
      note: `${P.script} ${P.quote}`,
    },
    headers: await csrf(leadApi),
  });
  await expectOk('gold', gold);

  const release = await leadApi.request.post(`/api/projects/${project.id}/releases`, {
    data: {
      name: `${P.quote} ${P.svgOnload}`,
      description: HOSTILE_MARKDOWN,
      source: 'all',
      splits: { train: 1, dev: 0, test: 0 },
      licence: P.img,
      citation: `${P.script} ${P.svgScript} [cite](${P.js})`,
    },
    headers: await csrf(leadApi),
  });
  await expectOk('release', release);

  return { project, admin: { username: 'admin', displayName: 'admin', password: adminPassword }, lead, annotators, passageId: first.passageId };
}

// ---- the watch over a page ----------------------------------------------------------------------

/** Everything hostile a page did, per screen. */
class XssWatch {
  readonly dialogs: string[] = [];
  readonly csp: string[] = [];
  readonly errors: string[] = [];
  readonly screens: string[] = [];

  constructor(readonly page: Page) {
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (apply|execute|load|frame|connect)/i.test(message.text())) this.csp.push(message.text());
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  /**
   * The checks every screen must pass, once `visibleText` (the hostile strings it shows) is on
   * the screen and an image error or a load event had its turn.
   */
  async check(screen: string, visibleText: readonly string[]): Promise<void> {
    this.screens.push(screen);
    for (const text of visibleText) {
      await expect(this.page.getByText(text).filter({ visible: true }).first(), `${screen}: "${text}" shown as text`).toBeVisible({ timeout: 15_000 });
    }
    const found = await this.page.evaluate(async () => {
      // An <img src=x> fails to load in a task of its own: let those run first.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300)));
      const injected: string[] = [];
      for (const el of Array.from(document.querySelectorAll('*'))) {
        for (const attr of Array.from(el.attributes)) {
          if (/^on/i.test(attr.name)) injected.push(`<${el.localName} ${attr.name}="${attr.value}">`);
          if (/^(href|xlink:href|src|action|formaction|data)$/i.test(attr.name)) {
            let protocol = '';
            try {
              protocol = new URL(attr.value, location.href).protocol;
            } catch {
              // not a URL at all: nothing to follow
            }
            if (protocol === 'javascript:' || protocol === 'vbscript:' || (protocol === 'data:' && !/^data:image\//i.test(attr.value.trim()))) {
              injected.push(`<${el.localName} ${attr.name}="${attr.value}">`);
            }
          }
        }
        if (el.localName === 'script' && !el.getAttribute('src')) injected.push(`<script>${el.textContent ?? ''}</script>`);
        if (['iframe', 'object', 'embed', 'base', 'meta'].includes(el.localName) && !el.closest('head')) injected.push(`<${el.localName}>`);
        if (el.localName === 'img' && el.getAttribute('src') === 'x') injected.push('<img src=x>');
      }
      return { xss: (window as unknown as { __xss?: unknown }).__xss, injected };
    });
    expect(found.injected, `${screen}: markup from the data in the DOM`).toEqual([]);
    expect(found.xss, `${screen}: window.__xss`).toBeUndefined();
    expect(this.dialogs, `${screen}: dialogs`).toEqual([]);
    expect(this.errors, `${screen}: uncaught errors`).toEqual([]);
  }

  async report(testInfo: TestInfo): Promise<void> {
    await testInfo.attach('screens checked', { body: this.screens.join('\n'), contentType: 'text/plain' });
    if (this.csp.length > 0) {
      await testInfo.attach('CSP violations (blocked by the policy)', { body: this.csp.join('\n'), contentType: 'text/plain' });
      testInfo.annotations.push({ type: 'csp-violations', description: String(this.csp.length) });
    }
    console.log(`[xss] ${testInfo.title}: ${this.screens.length} screens inert; CSP violations recorded: ${this.csp.length}`);
  }
}

// The default watch fails a test on any CSP report; here they are recorded instead (see above).
// An override keeps the fixture automatic.
const test = base.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  pageProblems: async ({}, use) => {
    await use();
  },
});

test.describe.configure({ mode: 'serial' });

let data: Seed;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  data = await seed(`http://127.0.0.1:${process.env.WARRANT_E2E_PORT}`);
});

/** The screens a lead (or the administrator) sees, in the order of the project's sections. */
async function leadTour(page: Page, watch: XssWatch, who: string): Promise<void> {
  const { project } = data;
  const projects = new ProjectsPage(page);
  await projects.goto();
  await watch.check(`${who}: projects list`, [P.quote, P.svgOnload]);

  const projectPage = new ProjectPage(page);
  await projectPage.goto(project.id);
  await watch.check(`${who}: project header and passages`, [project.name, ...ALL, `[desc link](${P.js})`]);
  await expect(projectPage.passages.getByRole('link', { name: P.quote, exact: true })).toBeVisible();

  await page.goto(`/projects/${project.id}/passages/${data.passageId}`);
  await watch.check(`${who}: passage`, [`Passage ${P.quote}`, ...ALL]);

  await page.goto(`/projects/${project.id}/import`);
  const badName = `${P.quote}${P.svgOnload}.jsonl`;
  await projectPage.imports.file.setInputFiles({
    name: badName,
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(
      [
        JSON.stringify({ id: P.img, text: 'fine' }),
        JSON.stringify({ id: P.img, text: 'the same id again' }),
        JSON.stringify({ text: 'a field it does not know', [P.svgScript]: P.script }),
        `{"id": "${P.js}", "text": ${JSON.stringify(P.script)}`,
        JSON.stringify({ text: P.quote, meta: P.svgOnload }),
      ].join('\n') + '\n',
      'utf8',
    ),
  });
  await projectPage.imports.upload.click();
  // Chromium writes a `"` in a multipart file name as %22 (the HTML standard's form encoding), and the server echoes what it got.
  const shownName = badName.replaceAll('"', '%22');
  await expect(projectPage.imports.rejection(shownName)).toBeVisible();
  await expect(projectPage.imports.problems(shownName)).toHaveCount(4);
  await watch.check(`${who}: import refused`, [shownName, `'${P.img}'`, P.svgScript]);

  await page.goto(`/projects/${project.id}/members`);
  await expect(projectPage.members.table).toBeVisible();
  await watch.check(`${who}: members`, [P.img, P.quote, P.svgScript]);

  const agreement = new AgreementPage(page);
  await agreement.goto(project.id);
  await expect(agreement.labelFilter(P.img)).toBeVisible({ timeout: 20_000 });
  await expect(agreement.labelFilter(P.svgScript)).toBeVisible();
  await watch.check(`${who}: agreement dashboard`, [project.name]);
  const pairs = await agreement.chartTable('Agreement between pairs');
  await expect(pairs).toContainText(P.img);
  await expect(pairs).toContainText(P.quote);
  await watch.check(`${who}: agreement dashboard (pair table open)`, [P.img, P.quote]);

  const queue = new DisagreementQueuePage(page);
  await page.goto(`/projects/${project.id}/agreement/passages`);
  await expect(queue.row(P.quote)).toBeVisible({ timeout: 20_000 });
  await expect(queue.row(P.svgOnload)).toBeVisible();
  await watch.check(`${who}: disagreement queue`, [P.quote, P.svgOnload]);

  const adjudication = new AdjudicationPage(page);
  await page.goto(`/projects/${project.id}/passages/${data.passageId}/adjudicate`);
  await expect(adjudication.heading(P.quote)).toBeVisible({ timeout: 20_000 });
  await expect(adjudication.column(P.img)).toBeVisible();
  await expect(adjudication.column(P.quote)).toBeVisible();
  await expect(adjudication.note).toHaveValue(`${P.script} ${P.quote}`);
  await watch.check(`${who}: adjudication`, [P.img, P.svgScript, P.quote, P.svgOnload]);

  await page.goto(`/projects/${project.id}/export`);
  await expect(page.getByRole('combobox', { name: 'Format' })).toBeVisible();
  await watch.check(`${who}: export`, [P.quote]);

  const releases = new ReleasesSection(page);
  await releases.goto(project.id);
  const release = releases.release('v1');
  await expect(release).toBeVisible();
  await release.getByText('Dataset card').click();
  await expect(release.locator('.release__readme')).toBeVisible({ timeout: 15_000 });
  await watch.check(`${who}: releases, card open`, [`${P.quote} ${P.svgOnload}`, P.img, P.script, P.svgScript, P.js]);
  await expect(release.locator('.release__readme')).toContainText(P.svgScript);

  const settings = new SettingsPage(page);
  await settings.goto(project.id);
  await expect(settings.guidelinesSource).toHaveValue(HOSTILE_MARKDOWN);
  await expect(settings.item('Span labels', 'claim').name).toHaveValue(P.img);
  await expect(settings.item('Span labels', 'reason').description).toHaveValue(P.quote);
  await expect(settings.item('Relation types', 'supports').name).toHaveValue(P.quote);
  await expect(settings.item('Passage categories', 'c2').name).toHaveValue(P.script);
  await watch.check(`${who}: settings (guidelines preview, scheme editor)`, ['click me', 'raw anchor', P.svgOnload]);
}

test('as the project lead, every screen shows the hostile data as text and runs none of it', async ({ page, signIn }, testInfo) => {
  test.setTimeout(180_000);
  const watch = new XssWatch(page);
  await signIn(page, data.lead);
  await leadTour(page, watch, 'lead');
  await watch.report(testInfo);
});

test('as an annotator, the queue, the editor and its panels show the hostile data as text', async ({ page, signIn }, testInfo) => {
  test.setTimeout(120_000);
  const watch = new XssWatch(page);
  const seat = data.annotators[0];
  const set = seat?.sets.find((entry) => entry.externalId === PASSAGE_IDS[0]);
  if (!seat || !set) throw new Error('no seat');
  await signIn(page, seat.person);

  await new ProjectsPage(page).goto();
  await watch.check('annotator: projects list', [P.quote]);

  const projectPage = new ProjectPage(page);
  await projectPage.goto(data.project.id);
  await expect(projectPage.queue.row(P.quote)).toBeVisible();
  await watch.check('annotator: project header and queue', [data.project.name, P.svgOnload]);

  const editor = new EditorPage(page);
  await editor.goto(data.project.id, set.setId);
  await expect(editor.heading(P.quote)).toBeVisible();
  expect(await editor.renderedText()).toBe(passageText(1));
  await expect(editor.category(escapeRegExp(P.js))).toBeVisible();
  await expect(editor.category(escapeRegExp(P.script))).toBeVisible();
  await watch.check('annotator: editor', [P.img, P.script, P.svgScript]);
  expect((await editor.spans()).map((span) => span.label).sort()).toEqual([P.img, P.svgScript, `[x](${P.js})`].sort());

  await editor.clickSpan(CLAIM);
  await expect(editor.selectedSpan).toContainText(P.img);
  await watch.check('annotator: editor, span with note and relation selected', [`${P.svgScript} ${P.img}`, P.quote]);

  await editor.clickSpan(P.js);
  await watch.check('annotator: editor, javascript: span selected', [`[x](${P.js})`]);

  await editor.tab(/Guidelines/).click();
  await watch.check('annotator: editor guidelines', ['click me', 'raw anchor', P.svgOnload, P.img]);

  // A screen the annotator may not open: refused, and still nothing runs.
  await page.goto(`/projects/${data.project.id}/agreement`);
  await watch.check('annotator: agreement (refused)', [data.project.name]);
  await watch.report(testInfo);
});

test('as the administrator, every screen (and an import named with a payload) is inert', async ({ page, signIn }, testInfo) => {
  test.setTimeout(180_000);
  const watch = new XssWatch(page);
  await signIn(page, data.admin);
  await leadTour(page, watch, 'admin');

  // An accepted import echoes its file name too.
  const projectPage = new ProjectPage(page);
  await page.goto(`/projects/${data.project.id}/import`);
  const name = `${P.svgScript}.jsonl`;
  await projectPage.imports.file.setInputFiles({
    name,
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(JSON.stringify({ id: `${P.img}-late`, text: P.svgOnload }) + '\n', 'utf8'),
  });
  await projectPage.imports.upload.click();
  await expect(projectPage.imports.imported('1 passage imported')).toBeVisible();
  await watch.check('admin: import accepted', [name]);
  await projectPage.goto(data.project.id);
  await watch.check('admin: passages after the import', [`${P.img}-late`]);
  await watch.report(testInfo);
});

test('the watch itself notices markup that got into the page, and the CSP blocks its handler', async ({ page, signIn }) => {
  const watch = new XssWatch(page);
  await signIn(page, data.lead);
  await new ProjectsPage(page).goto();
  await watch.check('lead: projects list, before', [P.quote]);
  // What a renderer that used innerHTML would do with a project name.
  await page.evaluate((html) => document.querySelector('main')?.insertAdjacentHTML('beforeend', html), P.img);
  await expect(watch.check('lead: projects list, with injected markup', [])).rejects.toThrow(/markup from the data/);
  await expect.poll(() => watch.csp.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
