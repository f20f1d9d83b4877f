import { MAX_IMPORT_BYTES, PASSAGE_IMPORT_EXTENSIONS, importRejection, type ImportRejection, type ImportSummary } from '@warrant/contracts';
import { create } from 'zustand';
import { ApiError, isApiError } from '../../../lib/api-error.ts';
import { uploadImport } from '../api/upload-import.ts';
import type { ImportRequest } from '../core/import-request.ts';

export const ACCEPTED_EXTENSIONS = PASSAGE_IMPORT_EXTENSIONS;

/** The names of the files sent (the panel words them: "a.xml and 2 more"). */
function namesOf(request: ImportRequest): string[] {
  return request.kind === 'passages' ? [request.file.name] : request.files.map((file) => file.name);
}

/** One project's import, from choosing the file to the server's verdict. */
export type ImportState =
  | { phase: 'idle' }
  | { phase: 'uploading'; filenames: string[]; loaded: number; total: number; controller: AbortController }
  | { phase: 'done'; filenames: string[]; summary: ImportSummary }
  | { phase: 'rejected'; filenames: string[]; rejection: ImportRejection }
  | { phase: 'failed'; filenames: string[]; error: ApiError | { code: 'TOO_LARGE_LOCALLY' | 'UNSUPPORTED_LOCALLY' } };

const IDLE: ImportState = { phase: 'idle' };

interface ImportStoreState {
  byProject: Record<string, ImportState>;
  /** Starts an upload; `onImported` runs once passages were added (to refresh what shows them). */
  start: (projectId: string, request: ImportRequest, onImported: () => void) => void;
  cancel: (projectId: string) => void;
  reset: (projectId: string) => void;
}

/**
 * Upload state lives outside the panel so that switching to another section and back during a
 * long upload still shows its progress and its result.
 */
export const useImportStore = create<ImportStoreState>()((set, get) => {
  const put = (projectId: string, state: ImportState) =>
    set((current) => ({ byProject: { ...current.byProject, [projectId]: state } }));

  return {
    byProject: {},
    start: (projectId, request, onImported) => {
      const filenames = namesOf(request);
      if (request.kind === 'passages') {
        const lower = request.file.name.toLowerCase();
        if (!ACCEPTED_EXTENSIONS.some((extension) => lower.endsWith(extension))) {
          put(projectId, { phase: 'failed', filenames, error: { code: 'UNSUPPORTED_LOCALLY' } });
          return;
        }
      }
      const size = request.kind === 'passages' ? request.file.size : request.files.reduce((sum, file) => sum + file.size, 0);
      if (size > MAX_IMPORT_BYTES) {
        put(projectId, { phase: 'failed', filenames, error: { code: 'TOO_LARGE_LOCALLY' } });
        return;
      }
      const controller = new AbortController();
      put(projectId, { phase: 'uploading', filenames, loaded: 0, total: size, controller });
      uploadImport(projectId, request, {
        signal: controller.signal,
        onProgress: ({ loaded, total }) => {
          const current = get().byProject[projectId];
          if (current?.phase === 'uploading' && current.controller === controller) {
            put(projectId, { ...current, loaded, total: total || current.total });
          }
        },
      }).then(
        ({ import: summary }) => {
          put(projectId, { phase: 'done', filenames, summary });
          onImported();
        },
        (error: unknown) => {
          if (isApiError(error) && error.code === 'ABORTED') {
            put(projectId, IDLE);
            return;
          }
          if (isApiError(error) && error.code === 'IMPORT_REJECTED') {
            const rejection = importRejection.safeParse(error.details);
            if (rejection.success) {
              put(projectId, { phase: 'rejected', filenames, rejection: rejection.data });
              return;
            }
          }
          put(projectId, {
            phase: 'failed',
            filenames,
            error: isApiError(error) ? error : new ApiError(0, 'NETWORK_ERROR', String(error)),
          });
        },
      );
    },
    cancel: (projectId) => {
      const current = get().byProject[projectId];
      if (current?.phase === 'uploading') current.controller.abort();
    },
    reset: (projectId) => put(projectId, IDLE),
  };
});

export function useImportState(projectId: string): ImportState {
  return useImportStore((state) => state.byProject[projectId] ?? IDLE);
}
