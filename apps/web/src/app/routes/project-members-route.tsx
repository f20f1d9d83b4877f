import { AddMemberForm } from '../../features/members/components/add-member-form.tsx';
import { MembersTable } from '../../features/members/components/members-table.tsx';
import { LeadOnly } from './lead-only.tsx';
import { useProjectContext } from './use-project-context.ts';

export function ProjectMembersRoute() {
  const project = useProjectContext();
  return (
    <LeadOnly>
      <div className="stack">
        <MembersTable projectId={project.id} />
        <AddMemberForm projectId={project.id} />
      </div>
    </LeadOnly>
  );
}
