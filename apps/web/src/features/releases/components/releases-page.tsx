import type { Project } from '@warrant/contracts';
import { displayScheme } from '../../../lib/display-scheme.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { CreateReleaseForm } from './create-release-form.tsx';
import { ReleaseList } from './release-list.tsx';
import './releases.css';

/** A lead's releases: cut a new one, and the list of those cut so far. */
export function ReleasesPage({ project }: { project: Project }) {
  const t = useT();
  return (
    <>
      <CreateReleaseForm projectId={project.id} scheme={displayScheme(project.scheme, t)} />
      <ReleaseList projectId={project.id} />
    </>
  );
}
