import { NavLink } from 'react-router';
import { useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';

/** The Agreement section's two views: the figures and the disagreement queue. */
export function AgreementNav({ projectId }: { projectId: string }) {
  const t = useT();
  return (
    <nav aria-label={t('agreement.views')}>
      <ul className="subtabs">
        <li>
          <NavLink to={paths.projectAgreement(projectId)} end>
            {t('agreement.view.figures')}
          </NavLink>
        </li>
        <li>
          <NavLink to={paths.projectDisagreements(projectId)}>{t('agreement.view.queue')}</NavLink>
        </li>
      </ul>
    </nav>
  );
}
