import type { Project } from '@warrant/contracts';
import { Link } from 'react-router';
import { useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { RoleBadge } from './role-badge.tsx';

export function ProjectHeader({ project }: { project: Project }) {
  const t = useT();
  useDocumentTitle(project.name, t('app.name'));
  return (
    <>
      <Link className="breadcrumb" to={paths.home()}>
        ← {t('project.allProjects')}
      </Link>
      <div className="page-header">
        <div>
          <h1>{project.name}</h1>
          {project.description ? <p className="page-header__lead">{project.description}</p> : null}
        </div>
        <p className="project-card__meta">
          <span>
            <span className="visually-hidden">{t('projects.role')}: </span>
            <RoleBadge role={project.role} />
          </span>
          <span>{t('project.annotatorsPerPassage', { count: project.annotatorsPerPassage })}</span>
        </p>
      </div>
    </>
  );
}
