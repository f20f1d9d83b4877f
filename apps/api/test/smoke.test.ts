import { healthResponse } from '@warrant/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, createUser, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await createUser(t.app, { username: 'lead', canCreateProjects: true });
});
afterAll(async () => t.close());

describe('smoke', () => {
  it('answers health', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(healthResponse.parse(res.json()).status).toBe('ok');
  });

  it('logs in and creates a project', async () => {
    const lead = await Client.login(t.app, 'lead');
    const res = await lead.post('/api/projects', { name: 'First' });
    expect(res.statusCode).toBe(201);
    expect(res.json().scheme.spanLabels.map((l: { key: string }) => l.key)).toEqual(['premise', 'inference', 'conclusion']);
  });
});
