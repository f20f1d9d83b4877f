import { useNavigate } from 'react-router';
import { useCurrentUser } from '../../features/auth/api/session.ts';
import { CreateProjectForm } from '../../features/projects/components/create-project-form.tsx';
import { paths } from '../../lib/paths.ts';

export function NewProjectRoute() {
  const user = useCurrentUser();
  const navigate = useNavigate();
  return (
    <CreateProjectForm
      canCreate={user.isAdmin || user.canCreateProjects}
      onCreated={(project) => void navigate(paths.project(project.id))}
    />
  );
}
