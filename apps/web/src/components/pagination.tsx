import { useT } from '../lib/i18n/use-t.ts';
import { Button } from './ui/button.tsx';

/**
 * Which rows are shown ("51–100 of 230", read out when it changes) and Previous / Next, disabled at
 * the ends and while the next page loads.
 */
export function Pagination({
  label,
  range,
  page,
  lastPage,
  busy,
  onPage,
}: {
  /** The navigation landmark's name. */
  label: string;
  range: string;
  page: number;
  lastPage: number;
  busy: boolean;
  onPage: (page: number) => void;
}) {
  const t = useT();
  return (
    <nav className="pagination" aria-label={label}>
      <p className="muted" aria-live="polite">
        {range}
      </p>
      {lastPage > 1 ? (
        <div className="actions">
          <Button disabled={page <= 1 || busy} onClick={() => onPage(page - 1)}>
            {t('passages.previous')}
          </Button>
          <Button disabled={page >= lastPage || busy} onClick={() => onPage(page + 1)}>
            {t('passages.next')}
          </Button>
        </div>
      ) : null}
    </nav>
  );
}
