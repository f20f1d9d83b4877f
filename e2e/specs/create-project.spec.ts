import { expect, test } from '../fixtures/test.ts';
import { uniqueName } from '../fixtures/seed-api.ts';
import { ProjectPage } from '../pages/project-page.ts';
import { NewProjectPage, ProjectsPage } from '../pages/projects-page.ts';

test.describe('creating a project', () => {
  test('a lead creates a project through the form and lands on its page', async ({ page, lead, signIn }) => {
    await signIn(page, lead);
    const projects = new ProjectsPage(page);
    await projects.goto();
    await expect(page.getByText('There are no projects yet. Create the first one.')).toBeVisible();

    await projects.newProjectLink.click();
    const form = new NewProjectPage(page);
    await expect(form.heading).toBeVisible();
    await expect(form.annotatorsPerPassage).toHaveValue('2');

    const name = `Op-eds ${uniqueName('p')}`;
    await form.create({
      name,
      description: 'Opinion pieces from the spring issue.',
      annotatorsPerPassage: 3,
      guidelines: 'Mark the main claim first.\nThen its reasons.',
    });

    const project = new ProjectPage(page);
    await expect(project.heading(name)).toBeVisible();
    await expect(page).toHaveURL(/\/projects\/[A-Za-z0-9_-]{8,64}$/);
    await expect(page.getByText('Opinion pieces from the spring issue.')).toBeVisible();
    await expect(page.getByText('3 annotators per passage')).toBeVisible();
    await expect(page.getByRole('main').getByText('Lead', { exact: true })).toBeVisible();
    await expect(page.getByText('No passages yet. Import a file to add some.')).toBeVisible();

    // And it is in the list, with the user's role and no progress yet.
    await page.getByRole('link', { name: 'All projects' }).click();
    await expect(projects.card(name)).toBeVisible();
    await expect(projects.progressOf(name)).toHaveAttribute('aria-valuenow', '0');
    await expect(projects.card(name).getByText('0 of 0 annotations submitted')).toBeVisible();
  });

  test('an empty name is refused on the form, nothing is created', async ({ page, lead, signIn }) => {
    await signIn(page, lead);
    await page.goto('/projects/new');
    const form = new NewProjectPage(page);
    await form.submit.click();
    await expect(page.getByText('A project needs a name.')).toBeVisible();
    await expect(form.name).toHaveAttribute('aria-invalid', 'true');
    await expect(form.heading).toBeVisible();
  });

  test('someone who may not create projects is not offered to', async ({ page, createPerson, signIn }) => {
    const annotator = await createPerson({ prefix: 'ann' });
    await signIn(page, annotator);
    const projects = new ProjectsPage(page);
    await projects.goto();
    await expect(page.getByText('You are not in any project yet. A project lead can add you.')).toBeVisible();
    await expect(projects.newProjectLink).toHaveCount(0);
  });
});
