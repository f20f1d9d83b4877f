import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient, noContent } from '../../../lib/api-client.ts';
import { forgetSession } from './session.ts';

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiClient.post('/api/auth/logout', noContent, undefined, { allowUnauthenticated: true }),
    // Even if the server could not be told, this tab stops acting as the user.
    onSettled: () => forgetSession(queryClient),
  });
}
