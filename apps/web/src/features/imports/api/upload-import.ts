import { importResponse, type ImportResponse } from '@warrant/contracts';
import { apiClient, type UploadOptions } from '../../../lib/api-client.ts';
import { buildImportForm, type ImportRequest } from '../core/import-request.ts';

/**
 * POST /api/projects/:id/imports: plain passages in one file, or an annotated corpus (its fields
 * first, then every file in a field named `file`).
 */
export function uploadImport(projectId: string, request: ImportRequest, options: UploadOptions = {}): Promise<ImportResponse> {
  return apiClient.upload(`/api/projects/${encodeURIComponent(projectId)}/imports`, importResponse, buildImportForm(request), options);
}
