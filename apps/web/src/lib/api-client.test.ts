import { errorBody, sessionResponse } from '@warrant/contracts';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiClient, noContent } from './api-client.ts';
import { ApiError, apiErrorFromResponse, fieldIssues, retryAfterSeconds } from './api-error.ts';

const user = {
  id: 'user_0000000001',
  username: 'anna',
  displayName: 'Anna',
  isAdmin: false,
  canCreateProjects: false,
  disabled: false,
  imported: false,
  locale: 'en',
  createdAt: '2026-01-01T00:00:00.000Z',
};

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function clientWith(response: Response | (() => Promise<Response>), extra: Partial<ConstructorParameters<typeof ApiClient>[0]> = {}) {
  const fetch = vi.fn<typeof globalThis.fetch>(typeof response === 'function' ? response : async () => response);
  const onUnauthenticated = vi.fn();
  const client = new ApiClient({ fetch, onUnauthenticated, getCsrfToken: () => 'csrf-123', ...extra });
  return { client, fetch, onUnauthenticated };
}

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('ApiClient requests', () => {
  it('parses a 2xx body with the given contract', async () => {
    const { client, fetch } = clientWith(json(200, { user, csrfToken: 'tok' }));
    const session = await client.get('/api/auth/session', sessionResponse);
    expect(session.user.username).toBe('anna');
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('/api/auth/session');
    expect(init?.credentials).toBe('same-origin');
    expect((init?.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('sends JSON and the CSRF token on writes', async () => {
    const { client, fetch } = clientWith(json(200, user));
    await client.patch('/api/me', z.object({ username: z.string() }), { locale: 'ru' });
    const init = fetch.mock.calls[0]?.[1];
    expect(init?.method).toBe('PATCH');
    expect(init?.body).toBe('{"locale":"ru"}');
    expect(init?.headers).toMatchObject({ 'content-type': 'application/json', 'x-csrf-token': 'csrf-123' });
  });

  it('adds query parameters, leaving out undefined ones', async () => {
    const { client, fetch } = clientWith(json(200, {}));
    await client.get('/api/projects/p/passages', z.object({}), { query: { offset: 50, limit: 50, extra: undefined } });
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/projects/p/passages?offset=50&limit=50');
  });

  it('reads a 204 as undefined', async () => {
    const { client } = clientWith(new Response(null, { status: 204 }));
    await expect(client.post('/api/auth/logout', noContent)).resolves.toBeUndefined();
  });

  it('refuses a 2xx body that does not match the contract', async () => {
    const { client } = clientWith(json(200, { user: { ...user, locale: 'de' }, csrfToken: 'tok' }));
    const error = await caught(client.get('/api/auth/session', sessionResponse));
    expect(error.code).toBe('UNEXPECTED_RESPONSE');
    expect(error.status).toBe(200);
  });

  it('reads a text answer as it is (a release README), and its failures as ApiErrors', async () => {
    const { client, fetch } = clientWith(new Response('# Dataset\n\n{not json}', { status: 200, headers: { 'content-type': 'text/markdown' } }));
    await expect(client.getText('/api/projects/p/releases/r/files/README.md')).resolves.toBe('# Dataset\n\n{not json}');
    expect((fetch.mock.calls[0]?.[1]?.headers as Record<string, string>).accept).toContain('text/markdown');
    const failing = clientWith(json(404, { error: { code: 'NOT_FOUND', message: 'no such release' } }));
    expect(await caught(failing.client.getText('/x'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('turns a failed fetch into NETWORK_ERROR', async () => {
    const { client } = clientWith(() => Promise.reject(new TypeError('Failed to fetch')));
    const error = await caught(client.get('/api/projects', z.unknown()));
    expect(error).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });
});

describe('ApiClient errors', () => {
  it('throws a typed ApiError parsed with errorBody', async () => {
    const body = { error: { code: 'ALREADY_MEMBER', message: 'this user is already a annotator of the project' } };
    expect(errorBody.safeParse(body).success).toBe(true);
    const { client } = clientWith(json(409, body));
    const error = await caught(client.post('/api/projects/p/members', z.unknown(), { username: 'anna' }));
    expect(error).toMatchObject({ status: 409, code: 'ALREADY_MEMBER', message: body.error.message });
  });

  it('keeps details, such as an import rejection', async () => {
    const details = { filename: 'a.jsonl', errorCount: 1, errors: [{ line: 2, message: 'not JSON' }] };
    const { client } = clientWith(json(400, { error: { code: 'IMPORT_REJECTED', message: 'rejected', details } }));
    const error = await caught(client.get('/api/x', z.unknown()));
    expect(error.details).toEqual(details);
  });

  it('reports a lost session (401 UNAUTHENTICATED) once, and still throws', async () => {
    const { client, onUnauthenticated } = clientWith(json(401, { error: { code: 'UNAUTHENTICATED', message: 'log in' } }));
    const error = await caught(client.get('/api/projects', z.unknown()));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('does not treat a wrong password as a lost session', async () => {
    const { client, onUnauthenticated } = clientWith(
      json(401, { error: { code: 'INVALID_CREDENTIALS', message: 'wrong username or password' } }),
    );
    const error = await caught(client.post('/api/auth/login', sessionResponse, { username: 'a', password: 'b' }));
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('lets the session probe answer 401 without a redirect', async () => {
    const { client, onUnauthenticated } = clientWith(json(401, { error: { code: 'UNAUTHENTICATED', message: 'log in' } }));
    await caught(client.get('/api/auth/session', sessionResponse, { allowUnauthenticated: true }));
    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it('reads the wait of a rate-limited login from details, else from Retry-After', async () => {
    const withDetails = apiErrorFromResponse(
      429,
      JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'wait', details: { retryAfterSeconds: 840 } } }),
      '840',
    );
    expect(retryAfterSeconds(withDetails)).toBe(840);
    const headerOnly = apiErrorFromResponse(429, JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'wait' } }), '12');
    expect(retryAfterSeconds(headerOnly)).toBe(12);
  });

  it('gives a code by status to answers that are not our error body', () => {
    expect(apiErrorFromResponse(413, '<html>Request Entity Too Large</html>')).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(apiErrorFromResponse(502, '')).toMatchObject({ status: 502, code: 'INTERNAL' });
    expect(apiErrorFromResponse(404, '{"message":"nope"}')).toMatchObject({ code: 'NOT_FOUND' });
    // An unknown code is not ours either: it must not pass as one.
    expect(apiErrorFromResponse(400, JSON.stringify({ error: { code: 'SOMETHING_NEW', message: 'x' } })).code).toBe('VALIDATION_FAILED');
  });

  it('maps validation issues to form fields', () => {
    const error = apiErrorFromResponse(
      400,
      JSON.stringify({
        error: {
          code: 'VALIDATION_FAILED',
          message: 'body.name: a project needs a name',
          details: { issues: [{ path: 'body.name', message: 'a project needs a name' }, { path: 'body.annotatorsPerPassage', message: 'too big' }] },
        },
      }),
    );
    expect(fieldIssues(error)).toEqual({ name: 'a project needs a name', annotatorsPerPassage: 'too big' });
  });
});
