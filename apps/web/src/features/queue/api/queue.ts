import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { nextResponse, queue } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';

export const queueKeys = {
  all: ['queue'] as const,
  detail: (projectId: string) => [...queueKeys.all, projectId] as const,
};

export function queueQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: queueKeys.detail(projectId),
    queryFn: ({ signal }) => apiClient.get(`/api/projects/${encodeURIComponent(projectId)}/queue`, queue, { signal }),
    // Statuses change outside this page (the editor, another tab): check again whenever the queue is shown.
    staleTime: 0,
  });
}

export function useQueue(projectId: string, enabled = true) {
  return useQuery({ ...queueQueryOptions(projectId), enabled });
}

/** Asks for the next passage; the answer's item is null when nothing is left. */
export function useTakeNext(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiClient.post(`/api/projects/${encodeURIComponent(projectId)}/queue/next`, nextResponse),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queueKeys.detail(projectId) }),
  });
}
