/** The app's URLs, built in one place so links and routes agree. */
export const paths = {
  home: () => '/',
  login: () => '/login',
  newProject: () => '/projects/new',
  project: (projectId: string) => `/projects/${encodeURIComponent(projectId)}`,
  projectImport: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/import`,
  projectMembers: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/members`,
  projectExport: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/export`,
  projectReleases: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/releases`,
  projectSettings: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/settings`,
  /** The agreement dashboard; `search` carries its filters (`?labels=…`). */
  projectAgreement: (projectId: string, search = '') => `/projects/${encodeURIComponent(projectId)}/agreement${search}`,
  projectDisagreements: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/agreement/passages`,
  annotate: (projectId: string, setId: string) =>
    `/projects/${encodeURIComponent(projectId)}/annotate/${encodeURIComponent(setId)}`,
  passage: (projectId: string, passageId: string) =>
    `/projects/${encodeURIComponent(projectId)}/passages/${encodeURIComponent(passageId)}`,
  adjudicate: (projectId: string, passageId: string) =>
    `/projects/${encodeURIComponent(projectId)}/passages/${encodeURIComponent(passageId)}/adjudicate`,
} as const;

/** API URLs: downloads the browser fetches itself (plain links), and the calls beside them. */
export const apiPaths = {
  /** `progress`: a token to follow the download at exportProgress(projectId, token). */
  export: (projectId: string, format: string, progress?: string) =>
    `/api/projects/${encodeURIComponent(projectId)}/export?format=${encodeURIComponent(format)}${progress ? `&progress=${encodeURIComponent(progress)}` : ''}`,
  exportProgress: (projectId: string, token: string) =>
    `/api/projects/${encodeURIComponent(projectId)}/export/progress/${encodeURIComponent(token)}`,
  releases: (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/releases`,
  releaseDownload: (projectId: string, releaseId: string) =>
    `/api/projects/${encodeURIComponent(projectId)}/releases/${encodeURIComponent(releaseId)}/download`,
  releaseFile: (projectId: string, releaseId: string, path: string) =>
    `/api/projects/${encodeURIComponent(projectId)}/releases/${encodeURIComponent(releaseId)}/files/${encodeURIComponent(path)}`,
} as const;
