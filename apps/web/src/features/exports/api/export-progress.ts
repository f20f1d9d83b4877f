import { queryOptions, useQuery } from '@tanstack/react-query';
import { exportProgress } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';
import { isApiError } from '../../../lib/api-error.ts';
import { apiPaths } from '../../../lib/paths.ts';
import { POLL_MS, isFinished, pendingOrUnavailable, type TrackedProgress } from '../core/export-progress.ts';

export const exportKeys = {
  all: ['exports'] as const,
  progress: (projectId: string, token: string) => [...exportKeys.all, 'progress', projectId, token] as const,
};

/** One download's progress, asked every POLL_MS until it is done, failed or will not be reported. */
export function exportProgressQueryOptions(projectId: string, token: string, startedAt: number) {
  return queryOptions({
    queryKey: exportKeys.progress(projectId, token),
    queryFn: async ({ signal }): Promise<TrackedProgress> => {
      try {
        const progress = await apiClient.get(apiPaths.exportProgress(projectId, token), exportProgress, { signal });
        return progress.state === 'pending' ? pendingOrUnavailable(startedAt, Date.now()) : progress;
      } catch (error) {
        // Until the server has begun (or on a server without the route), there is nothing to report yet.
        if (isApiError(error) && error.code === 'NOT_FOUND') return pendingOrUnavailable(startedAt, Date.now());
        throw error;
      }
    },
    refetchInterval: (query) => (isFinished(query.state.data) || query.state.status === 'error' ? false : POLL_MS),
    refetchIntervalInBackground: true,
    retry: 2,
    staleTime: 0,
    gcTime: 60_000,
  });
}

export function useExportProgress(projectId: string, download: { token: string; startedAt: number } | null) {
  return useQuery({
    ...exportProgressQueryOptions(projectId, download?.token ?? '', download?.startedAt ?? 0),
    enabled: download !== null,
  });
}
