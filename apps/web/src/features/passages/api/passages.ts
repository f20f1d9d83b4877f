import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { annotationSetList, passage, passageList } from '@warrant/contracts';
import { apiClient } from '../../../lib/api-client.ts';

export const PASSAGE_PAGE_SIZE = 50;

export const passageKeys = {
  all: ['passages'] as const,
  lists: (projectId: string) => [...passageKeys.all, 'list', projectId] as const,
  list: (projectId: string, offset: number, limit: number) => [...passageKeys.lists(projectId), { offset, limit }] as const,
  detail: (passageId: string) => [...passageKeys.all, 'detail', passageId] as const,
  sets: (passageId: string) => [...passageKeys.all, 'sets', passageId] as const,
};

export function passageListQueryOptions(projectId: string, offset: number, limit = PASSAGE_PAGE_SIZE) {
  return queryOptions({
    queryKey: passageKeys.list(projectId, offset, limit),
    queryFn: ({ signal }) =>
      apiClient.get(`/api/projects/${encodeURIComponent(projectId)}/passages`, passageList, {
        signal,
        query: { offset, limit },
      }),
    placeholderData: keepPreviousData,
  });
}

export function passageQueryOptions(passageId: string) {
  return queryOptions({
    queryKey: passageKeys.detail(passageId),
    queryFn: ({ signal }) => apiClient.get(`/api/passages/${encodeURIComponent(passageId)}`, passage, { signal }),
    // A passage's text never changes once imported.
    staleTime: Infinity,
  });
}

export function passageSetsQueryOptions(passageId: string) {
  return queryOptions({
    queryKey: passageKeys.sets(passageId),
    queryFn: ({ signal }) =>
      apiClient.get(`/api/passages/${encodeURIComponent(passageId)}/annotation-sets`, annotationSetList, { signal }),
  });
}

export function usePassageList(projectId: string, offset: number) {
  return useQuery(passageListQueryOptions(projectId, offset));
}

export function usePassage(passageId: string) {
  return useQuery(passageQueryOptions(passageId));
}

export function usePassageSets(passageId: string, enabled: boolean) {
  return useQuery({ ...passageSetsQueryOptions(passageId), enabled });
}
