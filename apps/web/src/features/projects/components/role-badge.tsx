import type { ProjectSummary } from '@warrant/contracts';
import { Badge } from '../../../components/ui/badge.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';

export function RoleBadge({ role }: { role: ProjectSummary['role'] }) {
  const t = useT();
  if (role === 'lead') return <Badge tone="accent">{t('role.lead')}</Badge>;
  if (role === 'annotator') return <Badge tone="neutral">{t('role.annotator')}</Badge>;
  return <Badge tone="neutral">{t('role.none')}</Badge>;
}
