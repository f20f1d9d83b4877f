import { entityId } from '@warrant/contracts';
import { Link, useParams } from 'react-router';
import { NotFound } from '../../components/not-found.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { Loading } from '../../components/ui/loading.tsx';
import { usePassage, usePassageSets } from '../../features/passages/api/passages.ts';
import { PassageView } from '../../features/passages/components/passage-view.tsx';
import { useProject } from '../../features/projects/api/projects.ts';
import { useQueue } from '../../features/queue/api/queue.ts';
import { isApiError } from '../../lib/api-error.ts';
import { useT } from '../../lib/i18n/use-t.ts';
import { paths } from '../../lib/paths.ts';
import { QueryError } from '../../components/query-error.tsx';

export function PassageRoute() {
  const { projectId = '', passageId = '' } = useParams();
  if (!entityId.safeParse(projectId).success || !entityId.safeParse(passageId).success) return <NotFound />;
  return <PassagePage projectId={projectId} passageId={passageId} />;
}

/** The reader's own status (annotator) or every annotator's (lead), beside the text. */
function PassageStatus({ projectId, passageId, isLead }: { projectId: string; passageId: string; isLead: boolean }) {
  const t = useT();
  const queue = useQueue(projectId, !isLead);
  const sets = usePassageSets(passageId, isLead);
  if (isLead) {
    if (!sets.data || sets.data.sets.length === 0) return null;
    return (
      <div>
        <h2 className="visually-hidden">{t('passage.annotators')}</h2>
        <ul className="set-list" aria-label={t('passage.annotators')}>
          {sets.data.sets.map((set) => (
            <li key={set.id}>
              {set.annotator.displayName || set.annotator.username} <StatusBadge status={set.status} />
            </li>
          ))}
        </ul>
        {sets.data.sets.filter((set) => set.status === 'submitted').length >= 2 ? (
          <p className="passage-compare">
            <Link to={paths.adjudicate(projectId, passageId)}>{t('passage.compare')}</Link>
          </p>
        ) : null}
      </div>
    );
  }
  const item = queue.data?.items.find((candidate) => candidate.passageId === passageId);
  if (!item) return null;
  return (
    <p className="project-card__meta">
      {t('passage.status')}: <StatusBadge status={item.status} />
    </p>
  );
}

function PassagePage({ projectId, passageId }: { projectId: string; passageId: string }) {
  const t = useT();
  const project = useProject(projectId);
  const passage = usePassage(passageId);

  const failed = project.error ?? passage.error;
  if (failed) {
    if (isApiError(failed) && failed.code === 'NOT_FOUND') return <NotFound />;
    return (
      <QueryError error={failed} onRetry={() => Promise.all([project.refetch(), passage.refetch()])} />
    );
  }
  if (!project.data || !passage.data) return <Loading label={t('app.loading')} />;
  if (passage.data.projectId !== projectId) return <NotFound />;

  return (
    <>
      <Link className="breadcrumb" to={paths.project(projectId)}>
        ← {t('passage.back')}: {project.data.name}
      </Link>
      <PassageView
        passage={passage.data}
        status={<PassageStatus projectId={projectId} passageId={passageId} isLead={project.data.role === 'lead'} />}
      />
    </>
  );
}
