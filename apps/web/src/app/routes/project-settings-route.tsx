import { useQueryClient } from '@tanstack/react-query';
import type { Project } from '@warrant/contracts';
import { projectKeys } from '../../features/projects/api/projects.ts';
import { SettingsPage } from '../../features/scheme/components/settings-page.tsx';
import { LeadOnly } from './lead-only.tsx';
import { useProjectContext } from './use-project-context.ts';

/** A lead's guidelines and label scheme; for an annotator this page does not exist. */
export function ProjectSettingsRoute() {
  const project = useProjectContext();
  const queryClient = useQueryClient();
  const saved = (updated: Project) => {
    // Every screen reads the scheme and guidelines from the project query: give it the answer
    // at once, then let lists (and anything else derived) refetch.
    queryClient.setQueryData(projectKeys.detail(updated.id), updated);
    void queryClient.invalidateQueries({ queryKey: projectKeys.all });
  };
  return (
    <LeadOnly>
      <SettingsPage project={project} onSaved={saved} />
    </LeadOnly>
  );
}
