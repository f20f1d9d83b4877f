import {
  addMemberResponse,
  changeResponse,
  errorBody,
  importResponse,
  labelInUseDetails,
  memberList,
  nextResponse,
  project,
  projectList,
  sessionResponse,
  type Project,
} from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, createUser, type TestApp } from './helpers/app.ts';

let t: TestApp;
let admin: Client;
let creator: Client; // canCreateProjects
let plain: Client; // may not create projects
let annotator: Client;
let outsider: Client; // canCreateProjects, member of nothing of creator's

const count = (table: string) => (t.app.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

function errorOf(res: LightMyRequestResponse) {
  return errorBody.parse(res.json()).error;
}

function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(errorOf(res).code).toBe(code);
}

async function createProject(client: Client, body: Record<string, unknown>): Promise<Project> {
  const res = await client.post('/api/projects', body);
  expect(res.statusCode, res.body).toBe(201);
  return project.parse(res.json());
}

async function readProject(client: Client, id: string): Promise<Project> {
  const res = await client.get(`/api/projects/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return project.parse(res.json());
}

async function addMember(lead: Client, projectId: string, username: string, role: 'lead' | 'annotator' = 'annotator') {
  const res = await lead.post(`/api/projects/${projectId}/members`, { username, role });
  expect(res.statusCode, res.body).toBe(201);
  return addMemberResponse.parse(res.json());
}

/** A multipart body built by hand: one `file` part. */
function upload(client: Client, projectId: string, filename: string, content: string) {
  const boundary = 'warrant-test-boundary';
  const payload = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`,
    'utf8',
  );
  return client.request({
    method: 'POST',
    url: `/api/projects/${projectId}/imports`,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function importPassages(lead: Client, projectId: string, texts: string[]) {
  const res = await upload(lead, projectId, 'p.txt', texts.join('\n\n'));
  expect(res.statusCode, res.body).toBe(201);
  return importResponse.parse(res.json()).import;
}

async function nextSet(client: Client, projectId: string) {
  const res = await client.post(`/api/projects/${projectId}/queue/next`);
  expect(res.statusCode, res.body).toBe(200);
  const item = nextResponse.parse(res.json()).item;
  if (!item) throw new Error('no passage handed out');
  return item;
}

beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.app, { username: 'admin', isAdmin: true });
  await createUser(t.app, { username: 'creator', canCreateProjects: true });
  await createUser(t.app, { username: 'plain' });
  await createUser(t.app, { username: 'annotator' });
  await createUser(t.app, { username: 'outsider', canCreateProjects: true });
  admin = await Client.login(t.app, 'admin');
  creator = await Client.login(t.app, 'creator');
  plain = await Client.login(t.app, 'plain');
  annotator = await Client.login(t.app, 'annotator');
  outsider = await Client.login(t.app, 'outsider');
});
afterAll(async () => t.close());

describe('creating a project', () => {
  it('gives a user with canCreateProjects the default argument scheme and makes them the lead', async () => {
    const created = await createProject(creator, { name: 'Defaults' });
    expect(created).toMatchObject({ name: 'Defaults', role: 'lead', schemeVersion: 1, annotatorsPerPassage: 2, myProgress: null });
    const { scheme } = created;
    expect(scheme.spanLabels.map((l) => [l.key, l.hotkey])).toEqual([
      ['premise', 'p'],
      ['inference', 'i'],
      ['conclusion', 'c'],
    ]);
    for (const label of scheme.spanLabels) expect(label.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(new Set(scheme.spanLabels.map((l) => l.color.toLowerCase())).size).toBe(3);
    expect(scheme.relationTypes.map((r) => [r.key, r.target])).toEqual([
      ['supports', 'span'],
      ['attacks', 'span'],
      ['undercuts', 'relation'],
    ]);
    expect(scheme.categories.map((c) => c.key)).toEqual(['reasoning', 'knowledge', 'noise']);

    const members = memberList.parse((await creator.get(`/api/projects/${created.id}/members`)).json()).members;
    expect(members.map((m) => [m.user.username, m.role])).toEqual([['creator', 'lead']]);
  });

  it('lets an administrator create a project', async () => {
    const created = await createProject(admin, { name: 'By the admin' });
    expect(created.role).toBe('lead');
    const members = memberList.parse((await admin.get(`/api/projects/${created.id}/members`)).json()).members;
    expect(members.map((m) => [m.user.username, m.role])).toEqual([['admin', 'lead']]);
  });

  it('refuses a user without canCreateProjects with 403 and creates nothing', async () => {
    const before = count('projects');
    const res = await plain.post('/api/projects', { name: 'Not allowed' });
    expectError(res, 403, 'FORBIDDEN');
    expect(count('projects')).toBe(before);
    expect(count('project_members where user_id = (select id from users where username = \'plain\')')).toBe(0);
  });
});

describe('listing projects', () => {
  let alpha: Project;
  let beta: Project;
  beforeAll(async () => {
    alpha = await createProject(creator, { name: 'Alpha list', annotatorsPerPassage: 2 });
    beta = await createProject(outsider, { name: 'Beta list' });
    await addMember(creator, alpha.id, 'annotator');
    await importPassages(creator, alpha.id, ['First passage to read.', 'Second passage to read.']);
    await nextSet(annotator, alpha.id);
  });

  async function list(client: Client) {
    const res = await client.get('/api/projects');
    expect(res.statusCode).toBe(200);
    return projectList.parse(res.json()).projects;
  }

  it('shows each user only their own projects, with their role', async () => {
    const mine = await list(creator);
    expect(mine.map((p) => p.id)).toContain(alpha.id);
    expect(mine.map((p) => p.id)).not.toContain(beta.id);
    expect(mine.every((p) => p.role === 'lead')).toBe(true);

    const theirs = await list(outsider);
    expect(theirs.map((p) => p.id)).toEqual([beta.id]);

    expect(await list(plain)).toEqual([]);
  });

  it('gives progress to leads and an annotator their own progress', async () => {
    const forLead = (await list(creator)).find((p) => p.id === alpha.id);
    expect(forLead?.progress).toEqual({ passages: 2, required: 4, assigned: 1, submitted: 0, skipped: 0 });
    expect(forLead?.myProgress).toBeNull();

    const forAnnotator = await list(annotator);
    expect(forAnnotator.map((p) => [p.id, p.role])).toEqual([[alpha.id, 'annotator']]);
    expect(forAnnotator[0]?.myProgress).toEqual({ assigned: 1, submitted: 0, skipped: 0 });
    expect(forAnnotator[0]?.progress.passages).toBe(2);
  });

  it('shows an administrator every project', async () => {
    const all = await list(admin);
    const ids = all.map((p) => p.id);
    expect(ids).toContain(alpha.id);
    expect(ids).toContain(beta.id);
    expect(all).toHaveLength(count('projects'));
  });
});

describe('project access', () => {
  let p: Project;
  beforeAll(async () => {
    p = await createProject(creator, { name: 'Guarded', guidelines: 'Read carefully.' });
    await addMember(creator, p.id, 'annotator');
  });

  const leadActions = (id: string) =>
    [
      ['PATCH project', { method: 'PATCH', url: `/api/projects/${id}`, payload: { name: 'Hijacked' } }],
      ['PUT scheme', { method: 'PUT', url: `/api/projects/${id}/scheme`, payload: { scheme: { spanLabels: [{ key: 'x', name: 'X', color: '#000000', hotkey: '' }], relationTypes: [], categories: [] } } }],
      ['GET members', { method: 'GET', url: `/api/projects/${id}/members` }],
      ['POST members', { method: 'POST', url: `/api/projects/${id}/members`, payload: { username: 'plain' } }],
      ['GET passages', { method: 'GET', url: `/api/projects/${id}/passages` }],
      ['GET export', { method: 'GET', url: `/api/projects/${id}/export` }],
    ] as const;

  it('answers 404 NOT_FOUND (not 403) to a non-member for everything, as for an id that does not exist', async () => {
    const missing = await outsider.get('/api/projects/doesnotexist123');
    expectError(missing, 404, 'NOT_FOUND');
    const get = await outsider.get(`/api/projects/${p.id}`);
    expectError(get, 404, 'NOT_FOUND');
    expect(errorOf(get)).toEqual(errorOf(missing));
    for (const [name, options] of leadActions(p.id)) {
      const res = await outsider.request(options);
      expect(res.statusCode, name).toBe(404);
      expect(errorOf(res).code, name).toBe('NOT_FOUND');
    }
    const imported = await upload(outsider, p.id, 'p.txt', 'An intruder passage.');
    expectError(imported, 404, 'NOT_FOUND');
    const created = await outsider.post(`/api/projects/${p.id}/members`, { username: 'ghost', createAccount: true });
    expectError(created, 404, 'NOT_FOUND');
    expect(t.app.users.findByUsername('ghost')).toBeNull();

    const after = await readProject(creator, p.id);
    expect(after.name).toBe('Guarded');
    expect(after.schemeVersion).toBe(1);
    expect(after.progress.passages).toBe(0);
    expect(count(`project_members where project_id = '${p.id}'`)).toBe(2);
  });

  it('lets an annotator read the project but answers 403 to lead actions', async () => {
    const seen = await readProject(annotator, p.id);
    expect(seen.role).toBe('annotator');
    expect(seen.guidelines).toBe('Read carefully.');
    for (const [name, options] of leadActions(p.id)) {
      const res = await annotator.request(options);
      expect(res.statusCode, name).toBe(403);
      expect(errorOf(res).code, name).toBe('FORBIDDEN');
    }
    const imported = await upload(annotator, p.id, 'p.txt', 'An annotator passage.');
    expectError(imported, 403, 'FORBIDDEN');

    const after = await readProject(creator, p.id);
    expect(after.name).toBe('Guarded');
    expect(after.schemeVersion).toBe(1);
    expect(after.progress.passages).toBe(0);
    expect(count(`project_members where project_id = '${p.id}'`)).toBe(2);
  });

  it('lets the lead change name, guidelines and annotators per passage, recorded in history', async () => {
    const res = await creator.patch(`/api/projects/${p.id}`, { name: 'Guarded v2', guidelines: 'Read twice.', annotatorsPerPassage: 3 });
    expect(res.statusCode, res.body).toBe(200);
    expect(project.parse(res.json())).toMatchObject({ name: 'Guarded v2', guidelines: 'Read twice.', annotatorsPerPassage: 3 });
    expect(await readProject(annotator, p.id)).toMatchObject({ name: 'Guarded v2', guidelines: 'Read twice.', annotatorsPerPassage: 3 });

    const rows = t.app.sqlite
      .prepare("select * from history where entity = 'project' and entity_id = ? and action = 'update'")
      .all(p.id) as { user_id: string; data: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.user_id).toBe(creator.user.id);
    expect(JSON.parse(rows[0]?.data ?? '{}')).toEqual({
      after: { name: 'Guarded v2', guidelines: 'Read twice.', annotatorsPerPassage: 3 },
      before: { name: 'Guarded', guidelines: 'Read carefully.', annotatorsPerPassage: 2 },
    });
  });

  it('refuses unknown fields in a project patch', async () => {
    const res = await creator.patch(`/api/projects/${p.id}`, { schemeVersion: 99 });
    expectError(res, 400, 'VALIDATION_FAILED');
  });
});

describe('label scheme', () => {
  let p: Project;
  let setId: string;
  beforeAll(async () => {
    p = await createProject(creator, { name: 'Scheme work', annotatorsPerPassage: 1 });
    await addMember(creator, p.id, 'annotator');
    await importPassages(creator, p.id, ['Rain falls, so the ground is wet.']);
    setId = (await nextSet(annotator, p.id)).setId;
    const res = await annotator.post(`/api/annotation-sets/${setId}/changes`, {
      changeId: 'c1',
      baseVersion: 0,
      ops: [
        { op: 'addSpan', span: { id: 's1', label: 'premise', start: 0, end: 4 } },
        { op: 'addSpan', span: { id: 's2', label: 'conclusion', start: 19, end: 32 } },
        { op: 'addRelation', relation: { id: 'r1', type: 'supports', source: 's1', target: 's2' } },
        { op: 'setCategory', category: 'reasoning' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(changeResponse.parse(res.json()).version).toBe(1);
  });

  async function current(): Promise<Project> {
    return readProject(creator, p.id);
  }

  function putScheme(scheme: LabelScheme) {
    return creator.put(`/api/projects/${p.id}/scheme`, { scheme });
  }

  async function expectRefusedInUse(scheme: LabelScheme, usages: { kind: string; key: string; count: number }[]) {
    const before = await current();
    const res = await putScheme(scheme);
    expectError(res, 409, 'LABEL_IN_USE');
    const byKey = (a: { kind: string; key: string }, b: { kind: string; key: string }) => `${a.kind}:${a.key}`.localeCompare(`${b.kind}:${b.key}`);
    expect(labelInUseDetails.parse(errorOf(res).details).usages.sort(byKey)).toEqual([...usages].sort(byKey));
    const after = await current();
    expect(after.scheme).toEqual(before.scheme);
    expect(after.schemeVersion).toBe(before.schemeVersion);
  }

  it('adds a span label and bumps the scheme version', async () => {
    const before = await current();
    const scheme = {
      ...before.scheme,
      spanLabels: [...before.scheme.spanLabels, { key: 'claim', name: 'Claim', color: '#123456', hotkey: 'x', description: '' }],
    };
    const res = await putScheme(scheme);
    expect(res.statusCode, res.body).toBe(200);
    const updated = project.parse(res.json());
    expect(updated.schemeVersion).toBe(before.schemeVersion + 1);
    expect(updated.scheme.spanLabels.map((l) => l.key)).toEqual(['premise', 'inference', 'conclusion', 'claim']);
    expect((await current()).scheme).toEqual(scheme);
  });

  it.each([
    ['a duplicate span label key', (s: LabelScheme) => ({ ...s, spanLabels: [...s.spanLabels, { key: 'premise', name: 'Again', color: '#000000', hotkey: '', description: '' }] })],
    ['a duplicate hotkey across groups', (s: LabelScheme) => ({ ...s, spanLabels: [...s.spanLabels, { key: 'backing', name: 'Backing', color: '#000000', hotkey: 's', description: '' }] })],
    ['a duplicate category key', (s: LabelScheme) => ({ ...s, categories: [...s.categories, { key: 'noise', name: 'Noise 2', hotkey: '', description: '' }] })],
  ])('refuses %s with 400 INVALID_SCHEME and keeps the scheme', async (_name, change) => {
    const before = await current();
    const res = await putScheme(change(before.scheme));
    expectError(res, 400, 'INVALID_SCHEME');
    const after = await current();
    expect(after.scheme).toEqual(before.scheme);
    expect(after.schemeVersion).toBe(before.schemeVersion);
  });

  it('refuses a save based on an older scheme version with 409 CONFLICT (two leads editing at once)', async () => {
    const before = await current();
    const renamed = { ...before.scheme, spanLabels: before.scheme.spanLabels.map((l) => (l.key === 'premise' ? { ...l, name: 'Reason' } : l)) };
    const first = await creator.put(`/api/projects/${p.id}/scheme`, { scheme: renamed, baseSchemeVersion: before.schemeVersion });
    expect(first.statusCode, first.body).toBe(200);
    const stale = await creator.put(`/api/projects/${p.id}/scheme`, { scheme: before.scheme, baseSchemeVersion: before.schemeVersion });
    expectError(stale, 409, 'CONFLICT');
    const after = await current();
    expect(after.scheme).toEqual(renamed);
    expect(after.schemeVersion).toBe(before.schemeVersion + 1);
    // Put it back for the tests that follow.
    expect((await putScheme(before.scheme)).statusCode).toBe(200);
  });

  /** The scheme without some span labels, and without them in the relation types' label lists. */
  function withoutLabels(scheme: LabelScheme, keys: string[]): LabelScheme {
    const keep = (list?: string[]) => list?.filter((key) => !keys.includes(key));
    return {
      ...scheme,
      spanLabels: scheme.spanLabels.filter((l) => !keys.includes(l.key)),
      relationTypes: scheme.relationTypes.map((r) => ({ ...r, sources: keep(r.sources), targets: keep(r.targets) })),
    };
  }

  it('refuses a relation type that lists a span label the scheme does not have', async () => {
    const before = await current();
    const res = await putScheme({ ...before.scheme, spanLabels: before.scheme.spanLabels.filter((l) => l.key !== 'inference') });
    expectError(res, 400, 'INVALID_SCHEME');
    expect(JSON.stringify(errorOf(res).details)).toContain('scheme.relationTypes[0].sources');
    expect((await current()).schemeVersion).toBe(before.schemeVersion);
  });

  it('removes labels, relation types and categories nobody uses', async () => {
    const before = await current();
    const scheme = {
      spanLabels: withoutLabels(before.scheme, ['inference']).spanLabels,
      relationTypes: withoutLabels(before.scheme, ['inference']).relationTypes.filter((r) => r.key !== 'attacks'),
      categories: before.scheme.categories.filter((c) => c.key !== 'knowledge'),
    };
    const res = await putScheme(scheme);
    expect(res.statusCode, res.body).toBe(200);
    const updated = project.parse(res.json());
    expect(updated.schemeVersion).toBe(before.schemeVersion + 1);
    expect(updated.scheme.spanLabels.map((l) => l.key)).not.toContain('inference');
    expect(updated.scheme.relationTypes.map((r) => r.key)).not.toContain('attacks');
    expect(updated.scheme.categories.map((c) => c.key)).not.toContain('knowledge');
  });

  it('refuses to remove a span label in use, with the count', async () => {
    const { scheme } = await current();
    await expectRefusedInUse(withoutLabels(scheme, ['premise']), [
      { kind: 'spanLabel', key: 'premise', count: 1 },
    ]);
  });

  it('refuses to remove a relation type in use', async () => {
    const { scheme } = await current();
    await expectRefusedInUse({ ...scheme, relationTypes: scheme.relationTypes.filter((r) => r.key !== 'supports') }, [
      { kind: 'relationType', key: 'supports', count: 1 },
    ]);
  });

  it('refuses to change what a used relation type points at', async () => {
    const { scheme } = await current();
    const retargeted = scheme.relationTypes.map((r) => (r.key === 'supports' ? { ...r, target: 'relation' as const } : r));
    await expectRefusedInUse({ ...scheme, relationTypes: retargeted }, [{ kind: 'relationType', key: 'supports', count: 1 }]);
  });

  it('refuses to remove a category in use', async () => {
    const { scheme } = await current();
    await expectRefusedInUse({ ...scheme, categories: scheme.categories.filter((c) => c.key !== 'reasoning') }, [
      { kind: 'category', key: 'reasoning', count: 1 },
    ]);
  });

  it('reports every usage when several used entries go at once', async () => {
    const { scheme } = await current();
    await expectRefusedInUse(
      {
        spanLabels: withoutLabels(scheme, ['premise', 'conclusion']).spanLabels,
        relationTypes: withoutLabels(scheme, ['premise', 'conclusion']).relationTypes.filter((r) => r.key !== 'supports'),
        categories: scheme.categories.filter((c) => c.key !== 'reasoning'),
      },
      [
        { kind: 'spanLabel', key: 'conclusion', count: 1 },
        { kind: 'spanLabel', key: 'premise', count: 1 },
        { kind: 'relationType', key: 'supports', count: 1 },
        { kind: 'category', key: 'reasoning', count: 1 },
      ],
    );
  });

  it('leaves the annotations untouched after refusals', async () => {
    const res = await annotator.get(`/api/annotation-sets/${setId}`);
    expect(res.statusCode).toBe(200);
    const set = res.json() as { version: number; category: string; spans: { label: string }[]; relations: { type: string }[] };
    expect(set.version).toBe(1);
    expect(set.category).toBe('reasoning');
    expect(set.spans.map((s) => s.label)).toEqual(['premise', 'conclusion']);
    expect(set.relations.map((r) => r.type)).toEqual(['supports']);
  });
});

describe('members', () => {
  let p: Project;
  beforeAll(async () => {
    p = await createProject(creator, { name: 'Team' });
    await createUser(t.app, { username: 'joiner' });
  });

  async function members() {
    const res = await creator.get(`/api/projects/${p.id}/members`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/argon2|passwordHash|password_hash/);
    return memberList.parse(res.json()).members;
  }

  it('adds an existing user as annotator', async () => {
    const res = await creator.post(`/api/projects/${p.id}/members`, { username: 'Joiner', role: 'annotator' });
    expect(res.statusCode, res.body).toBe(201);
    const body = addMemberResponse.parse(res.json());
    expect(body.accountCreated).toBe(false);
    expect(body.generatedPassword).toBeUndefined();
    expect(body.member).toMatchObject({ role: 'annotator', user: { username: 'joiner' } });
    expect((await members()).map((m) => [m.user.username, m.role])).toContainEqual(['joiner', 'annotator']);
    // The new member now sees the project.
    const joiner = await Client.login(t.app, 'joiner');
    expect((await readProject(joiner, p.id)).role).toBe('annotator');
  });

  it('refuses to add someone twice with 409 ALREADY_MEMBER', async () => {
    const before = await members();
    const res = await creator.post(`/api/projects/${p.id}/members`, { username: 'joiner', role: 'lead' });
    expectError(res, 409, 'ALREADY_MEMBER');
    expect(await members()).toEqual(before);
  });

  it('answers 404 for an unknown username unless asked to create the account', async () => {
    const users = count('users');
    const res = await creator.post(`/api/projects/${p.id}/members`, { username: 'newcomer' });
    expectError(res, 404, 'NOT_FOUND');
    expect(count('users')).toBe(users);
  });

  it('creates an account with a generated password, shown once, that logs in', async () => {
    const res = await creator.post(`/api/projects/${p.id}/members`, { username: 'newcomer', createAccount: true, displayName: 'New Comer' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toMatch(/argon2|passwordHash|password_hash/);
    const body = addMemberResponse.parse(res.json());
    expect(body.accountCreated).toBe(true);
    expect(body.member).toMatchObject({ role: 'annotator', user: { username: 'newcomer', displayName: 'New Comer' } });
    const password = body.generatedPassword ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);

    const stored = t.app.sqlite.prepare("select password_hash as h from users where username = 'newcomer'").get() as { h: string };
    expect(stored.h).not.toContain(password);
    expect(stored.h).toMatch(/^\$argon2id\$/);

    const loggedIn = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'newcomer', password } });
    expect(loggedIn.statusCode).toBe(200);
    expect(sessionResponse.parse(loggedIn.json()).user.id).toBe(body.member.user.id);

    const again = await creator.post(`/api/projects/${p.id}/members`, { username: 'second-newcomer', createAccount: true });
    expect(again.statusCode, again.body).toBe(201);
    const second = addMemberResponse.parse(again.json()).generatedPassword ?? '';
    expect(second.length).toBeGreaterThanOrEqual(20);
    expect(second).not.toBe(password);

    // Adding an existing account never shows a password, even with createAccount.
    const existing = await creator.post(`/api/projects/${p.id}/members`, { username: 'plain', createAccount: true });
    expect(existing.statusCode).toBe(201);
    expect(addMemberResponse.parse(existing.json())).toMatchObject({ accountCreated: false });
    expect(addMemberResponse.parse(existing.json()).generatedPassword).toBeUndefined();
  });

  it('refuses an invalid username for a new account with 400 and creates nothing', async () => {
    const users = count('users');
    const res = await creator.post(`/api/projects/${p.id}/members`, { username: '../etc', createAccount: true });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(count('users')).toBe(users);
  });

  it('refuses an annotator who tries to add members', async () => {
    const joiner = await Client.login(t.app, 'joiner');
    const before = await members();
    const res = await joiner.post(`/api/projects/${p.id}/members`, { username: 'annotator' });
    expectError(res, 403, 'FORBIDDEN');
    const created = await joiner.post(`/api/projects/${p.id}/members`, { username: 'sneaky', createAccount: true });
    expectError(created, 403, 'FORBIDDEN');
    expect(await members()).toEqual(before);
    expect(t.app.users.findByUsername('sneaky')).toBeNull();
  });

  it('removes a member, who then no longer sees the project', async () => {
    const plainId = plain.user.id;
    const res = await creator.delete(`/api/projects/${p.id}/members/${plainId}`);
    expect(res.statusCode).toBe(204);
    expect((await members()).map((m) => m.user.id)).not.toContain(plainId);
    expectError(await plain.get(`/api/projects/${p.id}`), 404, 'NOT_FOUND');
    expectError(await creator.delete(`/api/projects/${p.id}/members/${plainId}`), 404, 'NOT_FOUND');
  });

  it('refuses to remove the last lead', async () => {
    const res = await creator.delete(`/api/projects/${p.id}/members/${creator.user.id}`);
    expectError(res, 403, 'FORBIDDEN');
    expect((await members()).filter((m) => m.role === 'lead').map((m) => m.user.id)).toEqual([creator.user.id]);
  });

  it('lets one of two leads step down', async () => {
    await addMember(creator, p.id, 'outsider', 'lead');
    const res = await outsider.delete(`/api/projects/${p.id}/members/${outsider.user.id}`);
    expect(res.statusCode).toBe(204);
    expect((await members()).filter((m) => m.role === 'lead').map((m) => m.user.id)).toEqual([creator.user.id]);
  });
});
