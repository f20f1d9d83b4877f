import { expect, test } from '../fixtures/test.ts';
import { AppHeader } from '../pages/app-header.ts';
import { LoginPage } from '../pages/login-page.ts';
import { ProjectsPage } from '../pages/projects-page.ts';

test('switching to Russian changes the interface, survives a reload and follows the account to another browser', async ({
  page,
  browser,
  baseURL,
  createPerson,
  signIn,
  apiAs,
}) => {
  const person = await createPerson({ prefix: 'sasha', displayName: 'Саша' });
  await signIn(page, person);
  const projects = new ProjectsPage(page);
  await projects.goto();
  await expect(projects.heading).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  const header = new AppHeader(page);
  const saved = page.waitForResponse((response) => response.url().endsWith('/api/me') && response.request().method() === 'PATCH');
  await header.switchLanguage('Русский');
  expect((await saved).status()).toBe(200);

  const russianHeading = page.getByRole('heading', { name: 'Проекты', level: 1 });
  await expect(russianHeading).toBeVisible();
  await expect(header.logoutButton).toHaveText('Выйти');
  await expect(header.language).toHaveAccessibleName('Язык');
  await expect(page.getByText('Вы пока не участвуете ни в одном проекте. Руководитель проекта может добавить вас.')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');

  await page.reload();
  await expect(russianHeading).toBeVisible();
  await expect(header.language).toHaveValue('ru');

  // A browser that never saw the switch: the login page is in English, the account brings Russian.
  const context = await browser.newContext({ baseURL, locale: 'en-GB' });
  try {
    const other = await context.newPage();
    const login = new LoginPage(other);
    await login.goto();
    await login.login(person.username, person.password);
    await expect(other.getByRole('heading', { name: 'Проекты', level: 1 })).toBeVisible();
  } finally {
    await context.close();
  }

  // On a slow network, back and forth quickly: the last choice stays, on the page and in the account.
  await page.route('**/api/me', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  const firstSave = page.waitForResponse((response) => response.url().endsWith('/api/me'));
  await header.switchLanguage('English');
  await header.switchLanguage('Русский');
  await firstSave;
  const api = await apiAs(person);
  await expect.poll(async () => (await api.session()).user.locale, { timeout: 5_000 }).toBe('ru');
  await expect(russianHeading).toBeVisible();
  await page.unroute('**/api/me');

  await header.switchLanguage('English');
  await expect(projects.heading).toBeVisible();
  await expect.poll(async () => (await api.session()).user.locale).toBe('en');
});
