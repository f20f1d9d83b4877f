import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { comparison, goldVersion, type Comparison, type GoldVersion, type PutGoldBody } from '@warrant/contracts';
import { z } from 'zod';
import { apiClient, noContent } from '../../../lib/api-client.ts';
import { isApiError } from '../../../lib/api-error.ts';

export const comparisonKeys = {
  all: ['comparison'] as const,
  detail: (projectId: string, passageId: string) => [...comparisonKeys.all, projectId, passageId] as const,
};

const base = (projectId: string, passageId: string) =>
  `/api/projects/${encodeURIComponent(projectId)}/passages/${encodeURIComponent(passageId)}`;

export function comparisonQueryOptions(projectId: string, passageId: string) {
  return queryOptions({
    queryKey: comparisonKeys.detail(projectId, passageId),
    queryFn: ({ signal }) => apiClient.get(`${base(projectId, passageId)}/comparison`, comparison, { signal }),
    // The lead may be mid-adjudication: a refetch on focus would only be ignored while edits wait.
    refetchOnWindowFocus: false,
  });
}

export function useComparison(projectId: string, passageId: string) {
  return useQuery(comparisonQueryOptions(projectId, passageId));
}

/** The gold version in the cached comparison, replaced by what the server answered. */
function setGold(queryClient: ReturnType<typeof useQueryClient>, projectId: string, passageId: string, gold: GoldVersion | null) {
  queryClient.setQueryData<Comparison>(comparisonKeys.detail(projectId, passageId), (current) => (current ? { ...current, gold } : current));
}

export function useSaveGold(projectId: string, passageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutGoldBody) => apiClient.put(`${base(projectId, passageId)}/gold`, goldVersion, body),
    onSuccess: (saved) => setGold(queryClient, projectId, passageId, saved),
  });
}

export function useDiscardGold(projectId: string, passageId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiClient.delete(`${base(projectId, passageId)}/gold`, noContent),
    onSuccess: () => setGold(queryClient, projectId, passageId, null),
  });
}

const conflictDetails = z.object({ current: goldVersion });

/** The gold version someone else saved meanwhile, from a 409 VERSION_CONFLICT; null for any other error. */
export function conflictingGold(error: unknown): GoldVersion | null {
  if (!isApiError(error) || error.code !== 'VERSION_CONFLICT') return null;
  const parsed = conflictDetails.safeParse(error.details);
  return parsed.success ? parsed.data.current : null;
}

/** Fetches the comparison afresh (after a conflict, on "Reload") and answers it. */
export function useReloadComparison(projectId: string, passageId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.fetchQuery({ ...comparisonQueryOptions(projectId, passageId), staleTime: 0 });
}
