import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sessionResponse, type LoginBody } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { useLocaleStore } from '../../../lib/i18n/locale-store.ts';
import { rememberSession } from './remembered-session.ts';
import { authKeys, dropUserData } from './session.ts';

export function useLogin() {
  const queryClient = useQueryClient();
  const setLocale = useLocaleStore((state) => state.setLocale);
  return useMutation({
    mutationFn: (body: LoginBody) => apiClient.post('/api/auth/login', sessionResponse, body, { allowUnauthenticated: true }),
    onSuccess: (session) => {
      dropUserData(queryClient);
      queryClient.setQueryData(authKeys.session(), session);
      rememberSession(session);
      setLocale(session.user.locale);
    },
  });
}
