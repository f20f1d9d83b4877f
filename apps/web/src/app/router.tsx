import { createBrowserRouter } from 'react-router';
import { NotFound } from '../components/not-found.tsx';
import { RequireSession } from '../features/auth/components/require-session.tsx';
import { CrashPage } from './crash-page.tsx';
import { AdjudicateRoute } from './routes/adjudicate-route.tsx';
import { AnnotateRoute } from './routes/annotate-route.tsx';
import { Layout } from './layout.tsx';
import { LoginRoute } from './routes/login-route.tsx';
import { NewProjectRoute } from './routes/new-project-route.tsx';
import { PassageRoute } from './routes/passage-route.tsx';
import { ProjectAgreementRoute } from './routes/project-agreement-route.tsx';
import { ProjectDisagreementsRoute } from './routes/project-disagreements-route.tsx';
import { ProjectExportRoute } from './routes/project-export-route.tsx';
import { ProjectHomeRoute } from './routes/project-home-route.tsx';
import { ProjectImportRoute } from './routes/project-import-route.tsx';
import { ProjectMembersRoute } from './routes/project-members-route.tsx';
import { ProjectReleasesRoute } from './routes/project-releases-route.tsx';
import { ProjectRoute } from './routes/project-route.tsx';
import { ProjectSettingsRoute } from './routes/project-settings-route.tsx';
import { ProjectsRoute } from './routes/projects-route.tsx';

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <CrashPage />,
    children: [
      { path: 'login', element: <LoginRoute /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <ProjectsRoute /> },
          { path: 'projects/new', element: <NewProjectRoute /> },
          {
            path: 'projects/:projectId',
            element: <ProjectRoute />,
            children: [
              { index: true, element: <ProjectHomeRoute /> },
              { path: 'import', element: <ProjectImportRoute /> },
              { path: 'members', element: <ProjectMembersRoute /> },
              { path: 'export', element: <ProjectExportRoute /> },
              { path: 'releases', element: <ProjectReleasesRoute /> },
              { path: 'agreement', element: <ProjectAgreementRoute /> },
              { path: 'agreement/passages', element: <ProjectDisagreementsRoute /> },
              { path: 'settings', element: <ProjectSettingsRoute /> },
            ],
          },
          { path: 'projects/:projectId/passages/:passageId', element: <PassageRoute /> },
          { path: 'projects/:projectId/passages/:passageId/adjudicate', element: <AdjudicateRoute /> },
          { path: 'projects/:projectId/annotate/:setId', element: <AnnotateRoute /> },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
