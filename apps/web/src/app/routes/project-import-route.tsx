import { useQueryClient } from '@tanstack/react-query';
import { ImportPanel } from '../../features/imports/components/import-panel.tsx';
import { passageKeys } from '../../features/passages/api/passages.ts';
import { projectKeys } from '../../features/projects/api/projects.ts';
import { LeadOnly } from './lead-only.tsx';
import { useProjectContext } from './use-project-context.ts';

export function ProjectImportRoute() {
  const project = useProjectContext();
  const queryClient = useQueryClient();
  const projectId = project.id;
  return (
    <LeadOnly>
      <ImportPanel
        projectId={projectId}
        onImported={() => {
          void queryClient.invalidateQueries({ queryKey: passageKeys.lists(projectId) });
          void queryClient.invalidateQueries({ queryKey: projectKeys.all });
        }}
      />
    </LeadOnly>
  );
}
