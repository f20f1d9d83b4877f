import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { apiClient } from '../../../lib/api-client.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { sessionQueryOptions } from './session.ts';

/** A server that takes the request and never answers (until the request is given up). */
function silentFetch(): typeof fetch {
  return (_input, init) =>
    new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
    });
}

afterEach(() => apiClient.configure({ fetch: (...args) => globalThis.fetch(...args) }));

describe('the session probe', () => {
  it('gives up on a server that never answers, as a lost connection, instead of loading for ever', async () => {
    apiClient.configure({ fetch: silentFetch() });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const started = Date.now();
    const error = await queryClient.fetchQuery(sessionQueryOptions(50)).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(isApiError(error) && error.code).toBe('NETWORK_ERROR');
  });

  it('answers null (nobody signed in) for a 401', async () => {
    apiClient.configure({
      fetch: async () =>
        new Response(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'log in' } }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        }),
    });
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    await expect(queryClient.fetchQuery(sessionQueryOptions(50))).resolves.toBeNull();
  });
});
