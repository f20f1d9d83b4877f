import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { sessionResponse, type SessionResponse, type User } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { useLocaleStore } from '../../../lib/i18n/locale-store.ts';

export const authKeys = {
  all: ['auth'] as const,
  session: () => [...authKeys.all, 'session'] as const,
};

/** The live session, or null when nobody is logged in (a 401 here is an answer, not an error). */
export function sessionQueryOptions() {
  return queryOptions({
    queryKey: authKeys.session(),
    queryFn: async ({ signal }): Promise<SessionResponse | null> => {
      try {
        const session = await apiClient.get('/api/auth/session', sessionResponse, { signal, allowUnauthenticated: true });
        // The account's language wins when the app opens. Only here and at login: a language
        // switch updates the cached user too, and must not be answered by an older saved value.
        useLocaleStore.getState().setLocale(session.user.locale);
        return session;
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

export function useSession() {
  return useQuery(sessionQueryOptions());
}

/** The signed-in user; only inside RequireSession, which renders nothing else without one. */
export function useCurrentUser(): User {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentUser outside RequireSession');
  return data.user;
}

export function csrfTokenFrom(queryClient: QueryClient): string | undefined {
  return queryClient.getQueryData<SessionResponse | null>(authKeys.session())?.csrfToken;
}

/** Drops every cached answer except the session's: nothing one user loaded may show to the next. */
export function dropUserData(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
}

/** After logout or a lost session: nobody is signed in any more, and nothing of theirs stays cached. */
export function forgetSession(queryClient: QueryClient): void {
  dropUserData(queryClient);
  queryClient.setQueryData(authKeys.session(), null);
}
