import { importResponse, nextResponse, project as projectSchema, type Project } from '@warrant/contracts';
import type { FastifyInstance } from 'fastify';
import { Client, createUser } from './app.ts';
import { multipart } from './multipart.ts';

export interface ProjectFixture {
  project: Project;
  lead: Client;
  annotators: Client[];
}

/** A project with a lead and `n` annotators (usernames get `prefix`), created through the API. */
export async function createProjectWithTeam(
  app: FastifyInstance,
  prefix: string,
  n: number,
  body: Record<string, unknown> = {},
): Promise<ProjectFixture> {
  await createUser(app, { username: `${prefix}-lead`, canCreateProjects: true });
  const lead = await Client.login(app, `${prefix}-lead`);
  const res = await lead.post('/api/projects', { name: `${prefix} project`, ...body });
  if (res.statusCode !== 201) throw new Error(`create project: ${res.statusCode} ${res.body}`);
  const project = projectSchema.parse(res.json());
  const annotators: Client[] = [];
  for (let i = 1; i <= n; i += 1) {
    const username = `${prefix}-ann${i}`;
    await createUser(app, { username });
    const added = await lead.post(`/api/projects/${project.id}/members`, { username, role: 'annotator' });
    if (added.statusCode !== 201) throw new Error(`add member: ${added.statusCode} ${added.body}`);
    annotators.push(await Client.login(app, username));
  }
  return { project, lead, annotators };
}

export async function importFile(client: Client, projectId: string, filename: string, content: string | Uint8Array, fields: Record<string, string> = {}) {
  const { payload, headers } = multipart({ filename, content }, fields);
  return client.request({ method: 'POST', url: `/api/projects/${projectId}/imports`, payload, headers });
}

export async function importTexts(client: Client, projectId: string, texts: { id: string; text: string }[]) {
  const content = texts.map((t) => JSON.stringify(t)).join('\n');
  const res = await importFile(client, projectId, 'texts.jsonl', content);
  if (res.statusCode !== 201) throw new Error(`import: ${res.statusCode} ${res.body}`);
  return importResponse.parse(res.json()).import;
}

export async function next(client: Client, projectId: string) {
  const res = await client.post(`/api/projects/${projectId}/queue/next`);
  if (res.statusCode !== 200) throw new Error(`next: ${res.statusCode} ${res.body}`);
  return nextResponse.parse(res.json()).item;
}
