/** The app's URLs, built in one place so links and routes agree. */
export const paths = {
  home: () => '/',
  login: () => '/login',
  newProject: () => '/projects/new',
  project: (projectId: string) => `/projects/${encodeURIComponent(projectId)}`,
  projectImport: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/import`,
  projectMembers: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/members`,
  projectExport: (projectId: string) => `/projects/${encodeURIComponent(projectId)}/export`,
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

/** API URLs that the browser fetches directly (downloads), not through the client. */
export const apiPaths = {
  export: (projectId: string, format: string) => `/api/projects/${encodeURIComponent(projectId)}/export?format=${encodeURIComponent(format)}`,
} as const;
