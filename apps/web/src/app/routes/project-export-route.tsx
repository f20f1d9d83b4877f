import { ExportPanel } from '../../features/exports/components/export-panel.tsx';
import { LeadOnly } from './lead-only.tsx';
import { useProjectContext } from './use-project-context.ts';

export function ProjectExportRoute() {
  const project = useProjectContext();
  return (
    <LeadOnly>
      <ExportPanel projectId={project.id} />
    </LeadOnly>
  );
}
