import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { releaseList, releaseSummary, type CreateReleaseBody, type ReleaseList } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../lib/paths.ts';

export const releaseKeys = {
  all: ['releases'] as const,
  lists: () => [...releaseKeys.all, 'list'] as const,
  list: (projectId: string) => [...releaseKeys.lists(), projectId] as const,
  /** A file of a release: releases are immutable, so it never goes stale. */
  file: (projectId: string, releaseId: string, path: string) => [...releaseKeys.all, 'file', projectId, releaseId, path] as const,
};

export function releasesQueryOptions(projectId: string) {
  return queryOptions({
    queryKey: releaseKeys.list(projectId),
    queryFn: ({ signal }) => apiClient.get(apiPaths.releases(projectId), releaseList, { signal }),
  });
}

export function useReleases(projectId: string) {
  return useQuery(releasesQueryOptions(projectId));
}

/** A text file of a release (its README.md, the dataset card). */
export function releaseTextFileQueryOptions(projectId: string, releaseId: string, path: string) {
  return queryOptions({
    queryKey: releaseKeys.file(projectId, releaseId, path),
    queryFn: ({ signal }) => apiClient.getText(apiPaths.releaseFile(projectId, releaseId, path), { signal }),
    staleTime: Infinity,
  });
}

export function useReleaseTextFile(projectId: string, releaseId: string, path: string, enabled: boolean) {
  return useQuery({ ...releaseTextFileQueryOptions(projectId, releaseId, path), enabled });
}

export function useCreateRelease(projectId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateReleaseBody) => apiClient.post(apiPaths.releases(projectId), releaseSummary, body),
    onSuccess: (created) => {
      // Newest first, as the server lists them; then ask again for the server's own word.
      queryClient.setQueryData<ReleaseList>(releaseKeys.list(projectId), (current) =>
        current ? { releases: [created, ...current.releases.filter((release) => release.id !== created.id)] } : current,
      );
      void queryClient.invalidateQueries({ queryKey: releaseKeys.list(projectId) });
    },
  });
}
