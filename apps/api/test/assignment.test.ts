import { annotationSet, errorBody, passage, queue } from '@warrant/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, createUser, type TestApp } from './helpers/app.ts';
import { createProjectWithTeam, importTexts, next, type ProjectFixture } from './helpers/project.ts';

let t: TestApp;
let f: ProjectFixture;

const setsPerPassage = () =>
  t.app.sqlite
    .prepare('select p.external_id as id, count(s.id) as n, p.assigned_count as counted from passages p left join annotation_sets s on s.passage_id = p.id where p.project_id = ? group by p.id order by p.ordinal')
    .all(f.project.id) as { id: string; n: number; counted: number }[];

beforeAll(async () => {
  t = await createTestApp();
  f = await createProjectWithTeam(t.app, 'asg', 5, { annotatorsPerPassage: 2 });
  await importTexts(
    f.lead,
    f.project.id,
    Array.from({ length: 6 }, (_, i) => ({ id: `p${i + 1}`, text: `Passage number ${i + 1}.` })),
  );
});
afterAll(async () => t.close());

function ann(i: number): Client {
  const client = f.annotators[i];
  if (!client) throw new Error(`no annotator ${i}`);
  return client;
}

describe('assignment', () => {
  it('hands an annotator the same unfinished passage until it is done', async () => {
    const first = await next(ann(0), f.project.id);
    const again = await next(ann(0), f.project.id);
    expect(first?.externalId).toBe('p1');
    expect(again?.setId).toBe(first?.setId);
  });

  it('prefers passages another annotator has started, so overlap accrues early', async () => {
    const item = await next(ann(1), f.project.id);
    expect(item?.externalId).toBe('p1');
  });

  it('never gives one passage to more annotators than the project asks for', async () => {
    const item = await next(ann(2), f.project.id);
    expect(item?.externalId).toBe('p2');
  });

  it('serialises concurrent callers: no passage ever exceeds its number of annotators', async () => {
    // Annotators submit what they have so each call hands out a new passage.
    const submitAll = async (client: Client) => {
      const q = queue.parse((await client.get(`/api/projects/${f.project.id}/queue`)).json());
      for (const item of q.items.filter((i) => i.status === 'draft')) {
        const set = annotationSet.parse((await client.get(`/api/annotation-sets/${item.setId}`)).json());
        const res = await client.post(`/api/annotation-sets/${item.setId}/changes`, {
          changeId: `submit-${item.setId}`,
          baseVersion: set.version,
          ops: [{ op: 'setStatus', status: 'submitted' }],
        });
        expect(res.statusCode).toBe(200);
      }
    };
    for (let round = 0; round < 4; round += 1) {
      await Promise.all(f.annotators.map((client) => submitAll(client)));
      const results = await Promise.all(f.annotators.flatMap((client) => [client, client].map((c) => c.post(`/api/projects/${f.project.id}/queue/next`))));
      for (const res of results) expect(res.statusCode).toBe(200);
    }
    const rows = setsPerPassage();
    for (const row of rows) {
      expect(row.n).toBeLessThanOrEqual(2);
      expect(row.counted).toBe(row.n);
    }
    expect(rows.every((row) => row.n === 2)).toBe(true);
    const perUser = t.app.sqlite
      .prepare('select count(*) as n from annotation_sets group by passage_id, user_id having n > 1')
      .all();
    expect(perUser).toEqual([]);
  });

  it('answers null when nothing is left, and the queue says so', async () => {
    const client = ann(4);
    const q = queue.parse((await client.get(`/api/projects/${f.project.id}/queue`)).json());
    for (const item of q.items.filter((i) => i.status === 'draft')) {
      const set = annotationSet.parse((await client.get(`/api/annotation-sets/${item.setId}`)).json());
      await client.post(`/api/annotation-sets/${item.setId}/changes`, {
        changeId: `done-${item.setId}`,
        baseVersion: set.version,
        ops: [{ op: 'setStatus', status: 'skipped', reason: 'off topic' }],
      });
    }
    expect(await next(client, f.project.id)).toBeNull();
    const after = queue.parse((await client.get(`/api/projects/${f.project.id}/queue`)).json());
    expect(after.moreAvailable).toBe(false);
  });

  it('refuses the database an extra annotation set even if a caller raced past the check', () => {
    const row = t.app.sqlite.prepare('select id from passages where project_id = ? limit 1').get(f.project.id) as { id: string };
    const user = t.app.sqlite.prepare("select id from users where username = 'asg-lead'").get() as { id: string };
    expect(() =>
      t.app.sqlite
        .prepare("insert into annotation_sets (id, project_id, passage_id, user_id, status, version, created_at, updated_at) values ('extra0001', ?, ?, ?, 'draft', 0, 0, 0)")
        .run(f.project.id, row.id, user.id),
    ).toThrow(/full number of annotators/);
  });

  it('gives leads no queue of their own', async () => {
    const res = await f.lead.post(`/api/projects/${f.project.id}/queue/next`);
    expect(res.statusCode).toBe(403);
  });
});

describe('blind annotation', () => {
  it('shows an annotator only their own sets and passages; other sets answer 404', async () => {
    const a = ann(0);
    const b = ann(1);
    const qa = queue.parse((await a.get(`/api/projects/${f.project.id}/queue`)).json());
    const qb = queue.parse((await b.get(`/api/projects/${f.project.id}/queue`)).json());
    const shared = qa.items.find((i) => qb.items.some((j) => j.passageId === i.passageId));
    expect(shared).toBeDefined();
    const bSet = qb.items.find((j) => j.passageId === shared?.passageId);
    const res = await a.get(`/api/annotation-sets/${bSet?.setId}`);
    expect(res.statusCode).toBe(404);
    expect(errorBody.parse(res.json()).error.code).toBe('NOT_FOUND');
    const write = await a.post(`/api/annotation-sets/${bSet?.setId}/changes`, { changeId: 'peek', baseVersion: 0, ops: [{ op: 'setCategory', category: 'noise' }] });
    expect(write.statusCode).toBe(404);
    const history = await a.get(`/api/annotation-sets/${bSet?.setId}/history`);
    expect(history.statusCode).toBe(404);
    // Passages not handed to the annotator are invisible too.
    const notMine = t.app.sqlite
      .prepare('select id from passages where project_id = ? and id not in (select passage_id from annotation_sets where user_id = ?) limit 1')
      .get(f.project.id, a.user.id) as { id: string } | undefined;
    if (notMine) expect((await a.get(`/api/passages/${notMine.id}`)).statusCode).toBe(404);
    const mine = await a.get(`/api/passages/${shared?.passageId}`);
    expect(mine.statusCode).toBe(200);
    expect(passage.parse(mine.json()).id).toBe(shared?.passageId);
    // Lead-only listings stay closed to annotators.
    expect((await a.get(`/api/projects/${f.project.id}/passages`)).statusCode).toBe(403);
    expect((await a.get(`/api/passages/${shared?.passageId}/annotation-sets`)).statusCode).toBe(403);
  });

  it('lets leads read every set of their project but not write it', async () => {
    const a = ann(0);
    const qa = queue.parse((await a.get(`/api/projects/${f.project.id}/queue`)).json());
    const item = qa.items[0];
    const res = await f.lead.get(`/api/annotation-sets/${item?.setId}`);
    expect(res.statusCode).toBe(200);
    expect(annotationSet.parse(res.json()).annotator.username).toBe('asg-ann1');
    const write = await f.lead.post(`/api/annotation-sets/${item?.setId}/changes`, { changeId: 'lead-w', baseVersion: 0, ops: [{ op: 'setCategory', category: 'noise' }] });
    expect(write.statusCode).toBe(403);
  });

  it('hides everything from users outside the project (404, never 403)', async () => {
    await createUser(t.app, { username: 'stranger', canCreateProjects: true });
    const stranger = await Client.login(t.app, 'stranger');
    const set = t.app.sqlite.prepare('select id, passage_id from annotation_sets limit 1').get() as { id: string; passage_id: string };
    for (const url of [
      `/api/projects/${f.project.id}`,
      `/api/projects/${f.project.id}/queue`,
      `/api/projects/${f.project.id}/passages`,
      `/api/passages/${set.passage_id}`,
      `/api/passages/${set.passage_id}/annotation-sets`,
      `/api/annotation-sets/${set.id}`,
      `/api/projects/${f.project.id}/export`,
    ]) {
      const res = await stranger.get(url);
      expect(res.statusCode, url).toBe(404);
    }
    expect((await stranger.post(`/api/projects/${f.project.id}/queue/next`)).statusCode).toBe(404);
  });
});

describe('membership changes', () => {
  it('shuts a removed annotator out of their own sets, and gives untouched passages back', async () => {
    const team = await createProjectWithTeam(t.app, 'rm', 2, { annotatorsPerPassage: 1 });
    await importTexts(team.lead, team.project.id, [
      { id: 'a', text: 'First passage.' },
      { id: 'b', text: 'Second passage.' },
    ]);
    const leaving = ann2(team, 0);
    const worked = await next(leaving, team.project.id);
    const res = await leaving.post(`/api/annotation-sets/${worked?.setId}/changes`, {
      changeId: 'w1',
      baseVersion: 0,
      ops: [{ op: 'setStatus', status: 'submitted' }],
    });
    expect(res.statusCode).toBe(200);
    const untouched = await next(leaving, team.project.id);
    expect(untouched?.externalId).toBe('b');

    const removed = await team.lead.delete(`/api/projects/${team.project.id}/members/${leaving.user.id}`);
    expect(removed.statusCode).toBe(204);
    for (const url of [`/api/annotation-sets/${worked?.setId}`, `/api/annotation-sets/${worked?.setId}/history`, `/api/passages/${worked?.passageId}`]) {
      expect((await leaving.get(url)).statusCode, url).toBe(404);
    }
    const write = await leaving.post(`/api/annotation-sets/${worked?.setId}/changes`, {
      changeId: 'w2',
      baseVersion: 1,
      ops: [{ op: 'setCategory', category: 'noise' }],
    });
    expect(write.statusCode).toBe(404);
    // The lead still reads the submitted work; the untouched passage goes to the next annotator.
    expect((await team.lead.get(`/api/annotation-sets/${worked?.setId}`)).statusCode).toBe(200);
    expect((await next(ann2(team, 1), team.project.id))?.externalId).toBe('b');
  });

  it('gives the place of a skipped passage to another annotator', async () => {
    const team = await createProjectWithTeam(t.app, 'skip', 2, { annotatorsPerPassage: 1 });
    await importTexts(team.lead, team.project.id, [{ id: 'only', text: 'The only passage.' }]);
    const first = await next(ann2(team, 0), team.project.id);
    expect(await next(ann2(team, 1), team.project.id)).toBeNull();
    const skip = await ann2(team, 0).post(`/api/annotation-sets/${first?.setId}/changes`, {
      changeId: 's1',
      baseVersion: 0,
      ops: [{ op: 'setStatus', status: 'skipped', reason: 'unreadable' }],
    });
    expect(skip.statusCode).toBe(200);
    expect((await next(ann2(team, 1), team.project.id))?.externalId).toBe('only');
  });

  it('refuses to take a skipped passage back once its place went to someone else, so it never has one annotator too many', async () => {
    const team = await createProjectWithTeam(t.app, 'unskip', 2, { annotatorsPerPassage: 1 });
    await importTexts(team.lead, team.project.id, [{ id: 'only', text: 'The only passage.' }]);
    const first = await next(ann2(team, 0), team.project.id);
    const skip = await ann2(team, 0).post(`/api/annotation-sets/${first?.setId}/changes`, {
      changeId: 'u1',
      baseVersion: 0,
      ops: [{ op: 'setStatus', status: 'skipped', reason: 'unreadable' }],
    });
    expect(skip.statusCode).toBe(200);
    expect((await next(ann2(team, 1), team.project.id))?.externalId).toBe('only');

    const back = await ann2(team, 0).post(`/api/annotation-sets/${first?.setId}/changes`, {
      changeId: 'u2',
      baseVersion: 1,
      ops: [{ op: 'setStatus', status: 'draft' }],
    });
    expect(back.statusCode).toBe(409);
    const body = errorBody.parse(back.json());
    expect(body.error.code).toBe('CONFLICT');
    expect(body.error.message).toContain('went to another annotator');
    const counts = t.app.sqlite
      .prepare("select p.assigned_count as counted, (select count(*) from annotation_sets s where s.passage_id = p.id and s.status != 'skipped') as taken from passages p where p.project_id = ?")
      .get(team.project.id);
    expect(counts).toEqual({ counted: 1, taken: 1 });
    // The database refuses it as well, whatever path a write takes.
    expect(() => t.app.sqlite.prepare("update annotation_sets set status = 'draft' where id = ?").run(first?.setId)).toThrow(
      /full number of annotators/,
    );
  });

  it('lets a skipped passage be taken back while its place is still free', async () => {
    const team = await createProjectWithTeam(t.app, 'unskip-free', 1, { annotatorsPerPassage: 1 });
    await importTexts(team.lead, team.project.id, [{ id: 'only', text: 'The only passage.' }]);
    const first = await next(ann2(team, 0), team.project.id);
    const skip = await ann2(team, 0).post(`/api/annotation-sets/${first?.setId}/changes`, {
      changeId: 'f1',
      baseVersion: 0,
      ops: [{ op: 'setStatus', status: 'skipped', reason: 'later' }],
    });
    expect(skip.statusCode).toBe(200);
    const back = await ann2(team, 0).post(`/api/annotation-sets/${first?.setId}/changes`, {
      changeId: 'f2',
      baseVersion: 1,
      ops: [{ op: 'setStatus', status: 'draft' }],
    });
    expect(back.statusCode).toBe(200);
    expect(annotationSet.parse((await ann2(team, 0).get(`/api/annotation-sets/${first?.setId}`)).json()).status).toBe('draft');
  });

  it('hands passages to an administrator who joined as an annotator', async () => {
    const team = await createProjectWithTeam(t.app, 'adm', 0);
    await importTexts(team.lead, team.project.id, [{ id: 'x', text: 'Text.' }]);
    await createUser(t.app, { username: 'adm-admin', isAdmin: true });
    expect((await team.lead.post(`/api/projects/${team.project.id}/members`, { username: 'adm-admin', role: 'annotator' })).statusCode).toBe(201);
    const admin = await Client.login(t.app, 'adm-admin');
    expect((await next(admin, team.project.id))?.externalId).toBe('x');
  });
});

function ann2(team: ProjectFixture, i: number): Client {
  const client = team.annotators[i];
  if (!client) throw new Error(`no annotator ${i}`);
  return client;
}
