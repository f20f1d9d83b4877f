import { expect, test } from '../fixtures/test.ts';
import { AppHeader } from '../pages/app-header.ts';
import { LoginPage } from '../pages/login-page.ts';
import { ProjectPage } from '../pages/project-page.ts';
import { ProjectsPage } from '../pages/projects-page.ts';

test.describe('logging in and out', () => {
  test('a wrong password is refused on the page; the right one opens the project list with the user’s name', async ({
    page,
    createPerson,
  }) => {
    const person = await createPerson({ prefix: 'lena', displayName: 'Lena Petrova' });
    const login = new LoginPage(page);
    await login.goto();

    await login.login(person.username, 'not-the-password');
    await expect(login.error).toHaveText('Wrong username or password.');
    await expect(page).toHaveURL(/\/login$/);
    await expect(login.password).toHaveValue('');

    await login.login(person.username, person.password);
    const projects = new ProjectsPage(page);
    await expect(projects.heading).toBeVisible();
    await expect(new AppHeader(page).signedInAs('Lena Petrova')).toBeVisible();
    await expect(login.error).toBeHidden();
  });

  test('the login form works from the keyboard alone', async ({ page, createPerson }) => {
    const person = await createPerson({ prefix: 'kbd', displayName: 'Keyboard User' });
    await page.goto('/login');
    const login = new LoginPage(page);
    await login.username.focus();
    await page.keyboard.type(person.username);
    await page.keyboard.press('Tab');
    await expect(login.password).toBeFocused();
    await page.keyboard.type(person.password);
    await page.keyboard.press('Enter');
    await expect(new ProjectsPage(page).heading).toBeVisible();
    await expect(new AppHeader(page).signedInAs('Keyboard User')).toBeVisible();
  });

  test('logging out ends the session: the app asks to log in again', async ({ page, createPerson, signIn }) => {
    const person = await createPerson({ prefix: 'olga', displayName: 'Olga' });
    await signIn(page, person);
    const projects = new ProjectsPage(page);
    await projects.goto();
    await expect(projects.heading).toBeVisible();

    await new AppHeader(page).logout();
    const login = new LoginPage(page);
    await expect(login.heading).toBeVisible();

    // The cookie is really gone: opening the app again lands on the login page.
    await projects.goto();
    await expect(login.heading).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
  });

  test('a link opened while logged out leads to the login page and then to the page asked for', async ({ page, admin, lead }) => {
    const project = await admin.createProject({ name: 'Deep link project' });
    await admin.addMember(project.id, lead.username, 'lead');

    await page.goto(`/projects/${project.id}/members`);
    const login = new LoginPage(page);
    await expect(login.heading).toBeVisible();
    await expect(page.getByText('Log in to continue to the page you asked for.')).toBeVisible();

    await login.login(lead.username, lead.password);
    const projectPage = new ProjectPage(page);
    await expect(projectPage.heading('Deep link project')).toBeVisible();
    await expect(projectPage.members.table).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/projects/${project.id}/members$`));
  });

  test('a session that ends while in use leads to the login page, and back to the page after logging in', async ({
    page,
    admin,
    lead,
    signIn,
    apiAs,
  }) => {
    const project = await admin.createProject({ name: 'Session end project' });
    await admin.addMember(project.id, lead.username, 'lead');
    await signIn(page, lead);
    const projects = new ProjectsPage(page);
    await projects.goto();
    await expect(projects.card('Session end project')).toBeVisible();

    // Elsewhere, the password changes: every other session of this user ends, this page's too.
    const newPassword = `${lead.password}-new`;
    await (await apiAs(lead)).changePassword(lead.password, newPassword);

    await projects.open('Session end project');
    const login = new LoginPage(page);
    await expect(login.heading).toBeVisible();
    await expect(page.getByText('Log in to continue to the page you asked for.')).toBeVisible();
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/projects/${project.id}`);

    await login.login(lead.username, newPassword);
    await expect(new ProjectPage(page).heading('Session end project')).toBeVisible();
  });

  test('after five wrong passwords the page says how long to wait', async ({ page, createPerson }) => {
    const person = await createPerson({ prefix: 'mallory' });
    const login = new LoginPage(page);
    await login.goto();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await login.login(person.username, `wrong-${attempt}`);
      await expect(login.error).toHaveText('Wrong username or password.');
      await expect(login.submit).toBeDisabled(); // the password was cleared
    }
    // Even the right password waits now: the account is throttled for 15 minutes.
    await login.login(person.username, person.password);
    await expect(login.error).toHaveText('Too many failed attempts. Try again in 15 minutes.');
  });
});
