import { useMutation } from '@tanstack/react-query';
import { project, type Project, type UpdateSchemeBody } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { apiClient } from '../../../lib/api-client.ts';

const projectUrl = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`;

/**
 * Saving a project's guidelines. The caller (the route) puts the answer into the project query,
 * since that cache belongs to the projects feature.
 */
export function useUpdateGuidelines(projectId: string, onSaved: (saved: Project) => void) {
  return useMutation({
    mutationFn: (guidelines: string) => apiClient.patch(projectUrl(projectId), project, { guidelines }),
    onSuccess: onSaved,
  });
}

/** Replacing a project's label scheme; 409 LABEL_IN_USE and 400 INVALID_SCHEME come back as ApiErrors. */
export function useUpdateScheme(projectId: string, onSaved: (saved: Project) => void) {
  return useMutation({
    // The client has no put() shorthand yet; request() is the same path with the method named.
    mutationFn: ({ scheme, baseSchemeVersion }: { scheme: LabelScheme; baseSchemeVersion: number }) =>
      apiClient.request(`${projectUrl(projectId)}/scheme`, project, {
        method: 'PUT',
        body: { scheme, baseSchemeVersion } satisfies UpdateSchemeBody,
      }),
    onSuccess: onSaved,
  });
}
