import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { AgreementDashboard } from '../../features/agreement/components/agreement-dashboard.tsx';
import { AgreementNav } from '../../features/agreement/components/agreement-nav.tsx';
import { readFilters, writeFilters } from '../../features/agreement/core/filters.ts';
import { useMembers } from '../../features/members/api/members.ts';
import { displayScheme } from '../../lib/display-scheme.ts';
import { useT } from '../../lib/i18n/use-t.ts';
import { LeadOnly } from './lead-only.tsx';
import { useProjectContext } from './use-project-context.ts';

/** The agreement dashboard; its filters live in the address so a view can be shared. */
export function ProjectAgreementRoute() {
  const project = useProjectContext();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const members = useMembers(project.id);
  const filters = readFilters(params);
  const scheme = useMemo(() => displayScheme(project.scheme, t), [project.scheme, t]);
  const annotators = (members.data?.members ?? [])
    .filter((member) => member.role === 'annotator')
    .map((member) => ({ value: member.user.id, label: member.user.displayName || member.user.username }));
  return (
    <LeadOnly>
      <AgreementNav projectId={project.id} />
      <AgreementDashboard
        projectId={project.id}
        scheme={scheme}
        annotators={annotators}
        filters={filters}
        // At once, not in a transition: the checkbox the lead just clicked must not flicker back.
        onFiltersChange={(next) => setParams(writeFilters(next), { replace: true, preventScrollReset: true, flushSync: true })}
      />
    </LeadOnly>
  );
}
