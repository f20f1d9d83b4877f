import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { project, projectList, type CreateProjectBody } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';

export const projectKeys = {
  all: ['projects'] as const,
  list: () => [...projectKeys.all, 'list'] as const,
  detail: (projectId: string) => [...projectKeys.all, 'detail', projectId] as const,
};

export function projectsQueryOptions() {
  return queryOptions({
    queryKey: projectKeys.list(),
    queryFn: ({ signal }) => apiClient.get('/api/projects', projectList, { signal }),
  });
}

export function projectQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: projectKeys.detail(projectId),
    queryFn: ({ signal }) => apiClient.get(`/api/projects/${encodeURIComponent(projectId)}`, project, { signal }),
  });
}

export function useProjects() {
  return useQuery(projectsQueryOptions());
}

export function useProject(projectId: string) {
  return useQuery(projectQueryOptions(projectId));
}

export function useCreateProject() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateProjectBody) => apiClient.post('/api/projects', project, body),
    onSuccess: (created) => {
      queryClient.setQueryData(projectKeys.detail(created.id), created);
      void queryClient.invalidateQueries({ queryKey: projectKeys.list() });
    },
  });
}
