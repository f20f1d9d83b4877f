import type { GoldStatus } from '@warrant/contracts';
import { useT } from '../lib/i18n/use-t.ts';
import { Badge } from './ui/badge.tsx';

/** A passage's gold version status in words and colour; "none yet" when there is none. */
export function GoldBadge({ status }: { status: GoldStatus | null }) {
  const t = useT();
  if (status === null) return <span className="muted">{t('gold.none')}</span>;
  return <Badge tone={status === 'done' ? 'success' : 'accent'}>{t(status === 'done' ? 'gold.done' : 'gold.inProgress')}</Badge>;
}
