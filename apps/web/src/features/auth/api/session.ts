import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { sessionResponse, type SessionResponse, type User } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { useLocaleStore } from '../../../lib/i18n/locale-store.ts';
import { forgetRememberedSession, isRememberedSession, rememberSession, rememberedSession } from './remembered-session.ts';

const SESSION_TIMEOUT_MS = 15_000;

export const authKeys = {
  all: ['auth'] as const,
  session: () => [...authKeys.all, 'session'] as const,
};

/**
 * The live session, or null when nobody is logged in (a 401 here is an answer, not an error).
 * When the server cannot be reached, the last session this browser saw (so an offline reload
 * still opens the app); it is asked for again as soon as the connection returns.
 */
export function sessionQueryOptions(timeoutMs = SESSION_TIMEOUT_MS) {
  return queryOptions({
    queryKey: authKeys.session(),
    queryFn: async ({ signal }): Promise<SessionResponse | null> => {
      try {
        // Never "Loading…" for ever: a request that gets no answer in time counts as no answer
        // (the stand-in below, or an error the login page shows its form for).
        const bounded = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
        const session = await apiClient.get('/api/auth/session', sessionResponse, { signal: bounded, allowUnauthenticated: true });
        // The account's language wins when the app opens. Only here and at login: a language
        // switch updates the cached user too, and must not be answered by an older saved value.
        useLocaleStore.getState().setLocale(session.user.locale);
        rememberSession(session);
        return session;
      } catch (error) {
        if (isApiError(error) && error.status === 401) {
          forgetRememberedSession();
          return null;
        }
        if (isApiError(error) && error.code === 'NETWORK_ERROR') {
          const last = rememberedSession();
          if (last) return last;
        }
        throw error;
      }
    },
    // A remembered session is only a stand-in: stale at once, so reconnecting or refocusing asks the server.
    staleTime: (query) => (isRememberedSession(query.state.data) ? 0 : 5 * 60_000),
    // Run even while the browser says it is offline: the stand-in above is the answer then.
    networkMode: 'always',
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
  forgetRememberedSession();
  dropUserData(queryClient);
  queryClient.setQueryData(authKeys.session(), null);
}
