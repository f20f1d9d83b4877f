import { ReleasesPage } from '../../features/releases/components/releases-page.tsx';
import { LeadOnly } from './lead-only.tsx';
import { useProjectContext } from './use-project-context.ts';

export function ProjectReleasesRoute() {
  const project = useProjectContext();
  return (
    <LeadOnly>
      <ReleasesPage project={project} />
    </LeadOnly>
  );
}
