import type { QueueItem } from '@warrant/contracts';
import { useT } from '../lib/i18n/use-t.ts';
import { Badge } from './ui/badge.tsx';

type Status = QueueItem['status'];
const TONES = { draft: 'warning', submitted: 'success', skipped: 'neutral' } as const satisfies Record<Status, string>;

/** An annotation set's status, in words and colour. */
export function StatusBadge({ status }: { status: Status }) {
  const t = useT();
  return <Badge tone={TONES[status]}>{t(`status.${status}`)}</Badge>;
}
