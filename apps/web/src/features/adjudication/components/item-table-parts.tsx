import { Button } from '../../../components/ui/button.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';

/** The header cell over a column of row actions: named for screen readers, blank on screen. */
export function ActionsHeader() {
  const t = useT();
  return (
    <th scope="col">
      <span className="visually-hidden">{t('adjudication.col.actions')}</span>
    </th>
  );
}

/** The one row of a table with nothing in it yet. */
export function EmptyRow({ columns, text }: { columns: number; text: string }) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {text}
      </td>
    </tr>
  );
}

/** Accept and Reject for one annotators' item, named after it for screen readers. */
export function AcceptRejectCell({ item, onAccept, onReject }: { item: string; onAccept: () => void; onReject: () => void }) {
  const t = useT();
  return (
    <td className="item-actions">
      <Button className="button--small" onClick={onAccept} aria-label={t('adjudication.acceptNamed', { item })}>
        {t('adjudication.accept')}
      </Button>
      <Button className="button--small" variant="quiet" onClick={onReject} aria-label={t('adjudication.rejectNamed', { item })}>
        {t('adjudication.reject')}
      </Button>
    </td>
  );
}

/** Remove for one item of the gold version. */
export function RemoveCell({ item, onRemove }: { item: string; onRemove: () => void }) {
  const t = useT();
  return (
    <td className="item-actions">
      <Button className="button--small" variant="quiet" onClick={onRemove} aria-label={t('adjudication.removeNamed', { item })}>
        {t('adjudication.remove')}
      </Button>
    </td>
  );
}
