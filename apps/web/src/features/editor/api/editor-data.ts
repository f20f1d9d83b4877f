import { queryOptions, useQuery } from '@tanstack/react-query';
import { annotationSet, nextResponse, passage, project, type AnnotationSet, type Passage, type Project } from '@warrant/contracts';
import { z } from 'zod';
import { apiClient } from '../../../lib/api-client.ts';
import { createEngineApi } from '../sync/engine-api.ts';
import { isNetworkError } from '../sync/network-error.ts';
import { cacheGet, cachePut } from '../sync/offline-cache.ts';

/** What the editor needs to open an annotation set. `set` is null when it was loaded offline. */
export interface EditorData {
  setId: string;
  set: AnnotationSet | null;
  passage: Passage;
  project: Project;
  offline: boolean;
}

const cachedBundle = z.object({ passage, project });

export const editorKeys = {
  all: ['editor'] as const,
  data: (userId: string, setId: string) => [...editorKeys.all, userId, setId] as const,
};

/** Keyed by user, so one account never opens another's copy on a shared browser. */
const cacheKey = (userId: string, setId: string) => `user:${userId}:editor:${setId}`;

/**
 * The set, its passage and its project from the API, kept on this device afterwards so a reload
 * while offline still opens the passage (the save engine keeps the set and the unsent edits).
 */
async function loadEditorData(userId: string, setId: string, signal?: AbortSignal): Promise<EditorData> {
  try {
    const set = await apiClient.get(`/api/annotation-sets/${encodeURIComponent(setId)}`, annotationSet, { signal });
    const [p, proj] = await Promise.all([
      apiClient.get(`/api/passages/${encodeURIComponent(set.passageId)}`, passage, { signal }),
      apiClient.get(`/api/projects/${encodeURIComponent(set.projectId)}`, project, { signal }),
    ]);
    void cachePut(cacheKey(userId, setId), { passage: p, project: proj });
    return { setId, set, passage: p, project: proj, offline: false };
  } catch (error) {
    if (!isNetworkError(error)) throw error;
    const cached = await cacheGet(cacheKey(userId, setId), cachedBundle);
    if (!cached) throw error;
    return { setId, set: null, passage: cached.passage, project: cached.project, offline: true };
  }
}

export function editorDataQueryOptions(userId: string, setId: string) {
  return queryOptions({
    queryKey: editorKeys.data(userId, setId),
    queryFn: ({ signal }) => loadEditorData(userId, setId, signal),
    // The editor keeps its own working copy once open; reloading under it would fight the engine.
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    // Run even when the browser says it is offline: the fallback to the stored copy lives in queryFn.
    networkMode: 'always',
  });
}

export function useEditorData(userId: string, setId: string) {
  return useQuery(editorDataQueryOptions(userId, setId));
}

/** The next passage for this annotator, or null when none is left. */
export async function takeNext(projectId: string): Promise<{ setId: string } | null> {
  const answer = await apiClient.post(`/api/projects/${encodeURIComponent(projectId)}/queue/next`, nextResponse);
  return answer.item;
}

/**
 * What the save engine calls. A 401 on a save does not throw the annotator out of the page: the
 * engine shows "signed out", keeps the edits, and sends them after a new login.
 */
export const engineApi = createEngineApi(apiClient, { quietUnauthenticated: true });
