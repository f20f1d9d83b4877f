import { entityId } from '@warrant/contracts';
import { NavLink, Outlet, useParams } from 'react-router';
import { Markdown } from '../../components/markdown.tsx';
import { NotFound } from '../../components/not-found.tsx';
import { Loading } from '../../components/ui/loading.tsx';
import { useProject } from '../../features/projects/api/projects.ts';
import { ProgressSummary } from '../../features/projects/components/progress-summary.tsx';
import { ProjectHeader } from '../../features/projects/components/project-header.tsx';
import { isApiError } from '../../lib/api-error.ts';
import { useT } from '../../lib/i18n/use-t.ts';
import { paths } from '../../lib/paths.ts';
import { QueryError } from '../../components/query-error.tsx';

/** Loads the project once for every section; a lead gets the section tabs, an annotator their queue. */
export function ProjectRoute() {
  const { projectId = '' } = useParams();
  if (!entityId.safeParse(projectId).success) return <NotFound />;
  return <ProjectPage projectId={projectId} />;
}

function ProjectPage({ projectId }: { projectId: string }) {
  const t = useT();
  const project = useProject(projectId);

  if (project.isPending) return <Loading label={t('app.loading')} />;
  if (project.isError) {
    if (isApiError(project.error) && project.error.code === 'NOT_FOUND') return <NotFound />;
    return (
      <QueryError error={project.error} onRetry={() => project.refetch()} />
    );
  }

  const data = project.data;
  const isLead = data.role === 'lead';
  return (
    <>
      <ProjectHeader project={data} />
      {isLead ? <ProgressSummary progress={data.progress} /> : null}
      {data.guidelines.trim() ? (
        <details className="panel guidelines">
          <summary>{t('project.guidelines')}</summary>
          <Markdown source={data.guidelines} />
        </details>
      ) : null}
      {isLead ? (
        <nav aria-label={t('project.sections')}>
          <ul className="tabs">
            <li>
              <NavLink to={paths.project(projectId)} end>
                {t('project.tab.passages')}
              </NavLink>
            </li>
            <li>
              <NavLink to={paths.projectImport(projectId)}>{t('project.tab.import')}</NavLink>
            </li>
            <li>
              <NavLink to={paths.projectMembers(projectId)}>{t('project.tab.members')}</NavLink>
            </li>
            <li>
              <NavLink to={paths.projectAgreement(projectId)}>{t('project.tab.agreement')}</NavLink>
            </li>
            <li>
              <NavLink to={paths.projectExport(projectId)}>{t('project.tab.export')}</NavLink>
            </li>
            <li>
              <NavLink to={paths.projectReleases(projectId)}>{t('project.tab.releases')}</NavLink>
            </li>
            <li>
              <NavLink to={paths.projectSettings(projectId)}>{t('scheme.tab')}</NavLink>
            </li>
          </ul>
        </nav>
      ) : null}
      <Outlet context={data} />
    </>
  );
}
