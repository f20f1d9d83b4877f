import type { ProjectSummary } from '@warrant/contracts';
import { Link } from 'react-router';
import { Loading } from '../../../components/ui/loading.tsx';
import { ProgressBar } from '../../../components/ui/progress-bar.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { useProjects } from '../api/projects.ts';
import { RoleBadge } from './role-badge.tsx';
import { QueryError } from '../../../components/query-error.tsx';

function ProjectCard({ project }: { project: ProjectSummary }) {
  const t = useT();
  const { progress, myProgress } = project;
  const headingId = `project-${project.id}`;
  return (
    <li>
      <article className="panel project-card" aria-labelledby={headingId}>
        <h2 id={headingId}>
          <Link to={paths.project(project.id)}>{project.name}</Link>
        </h2>
        <p className="project-card__description">{project.description || t('projects.noDescription')}</p>
        <p className="project-card__meta">
          <span>
            <span className="visually-hidden">{t('projects.role')}: </span>
            <RoleBadge role={project.role} />
          </span>
          <span>{t('projects.passages', { count: progress.passages })}</span>
        </p>
        {myProgress ? (
          <p className="project-card__meta">
            {t('projects.myProgress', {
              submitted: myProgress.submitted,
              skipped: myProgress.skipped,
              open: Math.max(0, myProgress.assigned - myProgress.submitted - myProgress.skipped),
            })}
          </p>
        ) : null}
        <div className="project-card__progress">
          <ProgressBar
            size="small"
            label={t('projects.progressLabel', { name: project.name })}
            value={progress.submitted}
            max={progress.required}
            text={t('projects.progressText', { submitted: progress.submitted, required: progress.required })}
          />
        </div>
      </article>
    </li>
  );
}

export interface ProjectListProps {
  /** Whether the signed-in user may create projects (admin or canCreateProjects). */
  canCreate: boolean;
}

export function ProjectList({ canCreate }: ProjectListProps) {
  const t = useT();
  const projects = useProjects();
  useDocumentTitle(t('projects.title'), t('app.name'));

  return (
    <>
      <div className="page-header">
        <h1>{t('projects.title')}</h1>
        {canCreate ? (
          <Link className="button button--primary" to={paths.newProject()}>
            {t('projects.new')}
          </Link>
        ) : null}
      </div>
      {projects.isPending ? <Loading label={t('app.loading')} /> : null}
      {projects.isError ? (
        <QueryError error={projects.error} onRetry={() => projects.refetch()} />
      ) : null}
      {projects.data && projects.data.projects.length === 0 ? (
        <p className="panel muted">{canCreate ? t('projects.emptyCreator') : t('projects.empty')}</p>
      ) : null}
      {projects.data && projects.data.projects.length > 0 ? (
        <ul className="project-list" aria-label={t('projects.listLabel')}>
          {projects.data.projects.map((project) => (
            <ProjectCard key={project.id} project={project} />
          ))}
        </ul>
      ) : null}
    </>
  );
}
