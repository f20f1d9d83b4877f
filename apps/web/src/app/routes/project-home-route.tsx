import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { PassagesTable } from '../../features/passages/components/passages-table.tsx';
import { projectKeys } from '../../features/projects/api/projects.ts';
import { QueuePanel } from '../../features/queue/components/queue-panel.tsx';
import { paths } from '../../lib/paths.ts';
import { useProjectContext } from './use-project-context.ts';

/** A lead's passages table, or an annotator's queue. */
export function ProjectHomeRoute() {
  const project = useProjectContext();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  if (project.role !== 'lead') {
    return (
      <QueuePanel
        projectId={project.id}
        myProgress={project.myProgress}
        onTaken={(item) => {
          void queryClient.invalidateQueries({ queryKey: projectKeys.all });
          void navigate(paths.annotate(project.id, item.setId));
        }}
      />
    );
  }

  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  return (
    <PassagesTable
      projectId={project.id}
      page={page}
      onPageChange={(next) => setParams(next > 1 ? { page: String(next) } : {})}
    />
  );
}
