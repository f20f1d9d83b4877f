import { importResponse, type ImportResponse } from '@warrant/contracts';
import { apiClient, type UploadOptions } from '../../../lib/api-client.ts';

/** POST /api/projects/:id/imports with the file in the multipart field `file`. */
export function uploadPassages(projectId: string, file: File, options: UploadOptions = {}): Promise<ImportResponse> {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiClient.upload(`/api/projects/${encodeURIComponent(projectId)}/imports`, importResponse, form, options);
}
