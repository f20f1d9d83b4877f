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
  annotate: (projectId: string, setId: string) =>
    `/projects/${encodeURIComponent(projectId)}/annotate/${encodeURIComponent(setId)}`,
  passage: (projectId: string, passageId: string) =>
    `/projects/${encodeURIComponent(projectId)}/passages/${encodeURIComponent(passageId)}`,
} as const;

/** API URLs that the browser fetches directly (downloads), not through the client. */
export const apiPaths = {
  exportJsonl: (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/export?format=jsonl`,
} as const;
