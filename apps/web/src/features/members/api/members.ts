import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addMemberResponse, memberList, type AddMemberBody } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';

export const memberKeys = {
  all: ['members'] as const,
  list: (projectId: string) => [...memberKeys.all, 'list', projectId] as const,
};

export function membersQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: memberKeys.list(projectId),
    queryFn: ({ signal }) => apiClient.get(`/api/projects/${encodeURIComponent(projectId)}/members`, memberList, { signal }),
  });
}

export function useMembers(projectId: string) {
  return useQuery(membersQueryOptions(projectId));
}

export function useAddMember(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddMemberBody) =>
      apiClient.post(`/api/projects/${encodeURIComponent(projectId)}/members`, addMemberResponse, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: memberKeys.list(projectId) }),
  });
}
