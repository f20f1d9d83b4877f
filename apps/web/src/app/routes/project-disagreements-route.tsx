import { useSearchParams } from 'react-router';
import { AgreementNav } from '../../features/agreement/components/agreement-nav.tsx';
import { DisagreementQueue } from '../../features/agreement/components/disagreement-queue.tsx';
import { displayScheme } from '../../lib/display-scheme.ts';
import { useT } from '../../lib/i18n/use-t.ts';
import { LeadOnly } from './lead-only.tsx';
import { useProjectContext } from './use-project-context.ts';

/** Passages ranked by how much their annotators disagree, worst first. */
export function ProjectDisagreementsRoute() {
  const project = useProjectContext();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const open = params.get('open') === 'true';
  const categories = displayScheme(project.scheme, t).categories;
  return (
    <LeadOnly>
      <AgreementNav projectId={project.id} />
      <DisagreementQueue
        projectId={project.id}
        page={page}
        open={open}
        categoryName={(key) => categories.find((category) => category.key === key)?.name ?? key}
        onChange={(next) => {
          const search = new URLSearchParams();
          if (next.page > 1) search.set('page', String(next.page));
          if (next.open) search.set('open', 'true');
          setParams(search, { flushSync: true });
        }}
      />
    </LeadOnly>
  );
}
