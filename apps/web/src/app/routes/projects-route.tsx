import { useCurrentUser } from '../../features/auth/api/session.ts';
import { ProjectList } from '../../features/projects/components/project-list.tsx';

export function ProjectsRoute() {
  const user = useCurrentUser();
  return <ProjectList canCreate={user.isAdmin || user.canCreateProjects} />;
}
