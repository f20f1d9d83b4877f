import { QueryClient } from '@tanstack/react-query';
import { csrfTokenFrom, forgetSession } from '../features/auth/api/session.ts';
import { apiClient } from '../lib/api-client.ts';
import { isApiError } from '../lib/api-error.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // A 4xx will answer the same again; only a lost connection or a 5xx is worth a retry.
        retry: (failures, error) => failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
}

/**
 * The API client takes its CSRF token from the cached session, and a lost session clears the
 * cache: RequireSession then sends the user to the login page and back here afterwards.
 */
export function connectApiClient(queryClient: QueryClient): void {
  apiClient.configure({
    getCsrfToken: () => csrfTokenFrom(queryClient),
    onUnauthenticated: () => forgetSession(queryClient),
  });
}
