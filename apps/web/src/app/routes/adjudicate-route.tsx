import { entityId } from '@warrant/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useParams } from 'react-router';
import { NotFound } from '../../components/not-found.tsx';
import { Loading } from '../../components/ui/loading.tsx';
import { AdjudicationPage } from '../../features/adjudication/components/adjudication-page.tsx';
import { agreementKeys } from '../../features/agreement/api/agreement.ts';
import { passageKeys } from '../../features/passages/api/passages.ts';
import { useProject } from '../../features/projects/api/projects.ts';
import { isApiError } from '../../lib/api-error.ts';
import { displayScheme } from '../../lib/display-scheme.ts';
import { useT } from '../../lib/i18n/use-t.ts';
import { QueryError } from '../../components/query-error.tsx';

/** A lead compares a passage's annotations side by side and builds its gold version. */
export function AdjudicateRoute() {
  const { projectId = '', passageId = '' } = useParams();
  if (!entityId.safeParse(projectId).success || !entityId.safeParse(passageId).success) return <NotFound />;
  return <Adjudicate key={passageId} projectId={projectId} passageId={passageId} />;
}

function Adjudicate({ projectId, passageId }: { projectId: string; passageId: string }) {
  const t = useT();
  const project = useProject(projectId);
  const queryClient = useQueryClient();
  const scheme = useMemo(() => (project.data ? displayScheme(project.data.scheme, t) : null), [project.data, t]);

  if (project.isPending) return <Loading label={t('app.loading')} />;
  if (project.isError) {
    if (isApiError(project.error) && project.error.code === 'NOT_FOUND') return <NotFound />;
    return (
      <QueryError error={project.error} onRetry={() => project.refetch()} />
    );
  }
  // Annotators never see adjudication (the API answers 403 as well).
  if (project.data.role !== 'lead' || !scheme) return <NotFound />;
  return (
    <AdjudicationPage
      projectId={projectId}
      projectName={project.data.name}
      passageId={passageId}
      scheme={scheme}
      onGoldChanged={() => {
        void queryClient.invalidateQueries({ queryKey: passageKeys.lists(projectId) });
        void queryClient.invalidateQueries({ queryKey: agreementKeys.project(projectId) });
      }}
    />
  );
}
