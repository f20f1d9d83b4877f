import { useMutation, useQueryClient } from '@tanstack/react-query';
import { user, type SessionResponse, type UpdateMeBody } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { rememberSession } from './remembered-session.ts';
import { authKeys } from './session.ts';

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    // One at a time, in order: a quick en -> ru -> en must end as "en" on the server too.
    scope: { id: 'update-me' },
    mutationFn: (body: UpdateMeBody) => apiClient.patch('/api/me', user, body),
    onSuccess: (updated) => {
      const session = queryClient.setQueryData<SessionResponse | null>(authKeys.session(), (current) =>
        current ? { ...current, user: updated } : current,
      );
      if (session) rememberSession(session);
    },
  });
}
