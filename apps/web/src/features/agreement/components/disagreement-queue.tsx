import type { DisagreementItem } from '@warrant/contracts';
import { Link } from 'react-router';
import { GoldBadge } from '../../../components/gold-badge.tsx';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { Loading } from '../../../components/ui/loading.tsx';
import { Pagination } from '../../../components/pagination.tsx';
import { Table, type Column } from '../../../components/ui/table.tsx';
import { figureText, formatCoefficient } from '../../../lib/coefficients.ts';
import { useFormatNumber, useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { DISAGREEMENT_PAGE_SIZE, useDisagreements } from '../api/agreement.ts';
import './agreement.css';
import { QueryError } from '../../../components/query-error.tsx';

export interface DisagreementQueueProps {
  projectId: string;
  /** 1-based. */
  page: number;
  /** Hide passages whose gold version is done. */
  open: boolean;
  onChange: (next: { page: number; open: boolean }) => void;
  /** A category key's name as shown. */
  categoryName: (key: string) => string;
}

/** Passages with two or more submitted sets, worst disagreement first, each a link to its comparison. */
export function DisagreementQueue({ projectId, page, open, onChange, categoryName }: DisagreementQueueProps) {
  const t = useT();
  const locale = useLocale();
  const formatNumber = useFormatNumber();
  const offset = (Math.max(1, page) - 1) * DISAGREEMENT_PAGE_SIZE;
  const list = useDisagreements(projectId, offset, open);

  const columns: Column<DisagreementItem>[] = [
    {
      id: 'rank',
      header: t('disagreements.col.rank'),
      className: 'numeric',
      cell: (row) => formatNumber(offset + (list.data?.items.indexOf(row) ?? 0) + 1),
    },
    {
      id: 'passage',
      header: t('passages.col.externalId'),
      className: 'nowrap',
      cell: (row) => <Link to={paths.adjudicate(projectId, row.passageId)}>{row.externalId}</Link>,
    },
    { id: 'preview', header: t('passages.col.preview'), className: 'wide', cell: (row) => <span className="preview">{row.preview}</span> },
    {
      id: 'disagreement',
      header: t('disagreements.col.disagreement'),
      className: 'numeric',
      cell: (row) => (
        <span className="meter">
          <span className="meter__track" aria-hidden="true">
            <span className="meter__fill" style={{ width: `${Math.round(Math.min(1, Math.max(0, row.disagreement)) * 100)}%` }} />
          </span>
          {formatCoefficient(row.disagreement, locale)}
        </span>
      ),
    },
    {
      id: 'categories',
      header: t('disagreements.col.categories'),
      cell: (row) =>
        row.categories.length === 0 ? (
          <span className="muted">{t('disagreements.noCategories')}</span>
        ) : (
          <ul className="category-counts">
            {row.categories.map((entry) => (
              <li key={entry.category ?? '-'}>
                {entry.category === null ? t('disagreements.noCategory') : categoryName(entry.category)} × {formatNumber(entry.count)}
              </li>
            ))}
          </ul>
        ),
    },
    { id: 'exact', header: t('agreement.measure.exact'), className: 'numeric', cell: (row) => figureCell(row.exactF1) },
    { id: 'unitizing', header: t('agreement.measure.unitizing'), className: 'numeric', cell: (row) => figureCell(row.unitizing) },
    { id: 'relations', header: t('disagreements.col.relationF1'), className: 'numeric', cell: (row) => figureCell(row.relationF1) },
    { id: 'gold', header: t('disagreements.col.gold'), cell: (row) => <GoldBadge status={row.gold} /> },
    {
      id: 'compare',
      header: <span className="visually-hidden">{t('disagreements.col.actions')}</span>,
      className: 'nowrap',
      cell: (row) => (
        <Link to={paths.adjudicate(projectId, row.passageId)} aria-label={t('disagreements.compareNamed', { id: row.externalId })}>
          {t('disagreements.compare')}
        </Link>
      ),
    },
  ];

  function figureCell(value: number | null) {
    return value === null ? <span className="muted" title={figureText(null, locale, t)}>{t('figures.undefinedShort')}</span> : formatCoefficient(value, locale);
  }

  const toggle = (
    <Checkbox
      label={t('disagreements.hideDone')}
      checked={open}
      onChange={(event) => onChange({ page: 1, open: event.target.checked })}
      className="queue-toggle"
    />
  );

  if (list.isPending) return <Loading label={t('app.loading')} />;
  if (list.isError) {
    return (
      <QueryError error={list.error} onRetry={() => list.refetch()} />
    );
  }

  const { items, total } = list.data;
  const lastPage = Math.max(1, Math.ceil(total / DISAGREEMENT_PAGE_SIZE));
  return (
    <section aria-labelledby="disagreements-title">
      <div className="section-head">
        <div>
          <h2 id="disagreements-title">{t('disagreements.title')}</h2>
          <p className="muted">{t('disagreements.help')}</p>
        </div>
        {toggle}
      </div>
      {total === 0 ? (
        <p className="panel muted">{open ? t('disagreements.emptyOpen') : t('disagreements.empty')}</p>
      ) : (
        <>
          <Table caption={t('disagreements.title')} captionHidden columns={columns} rows={items} rowKey={(row) => row.passageId} />
          <Pagination
            label={t('disagreements.pages')}
            range={t('disagreements.range', { from: list.data.offset + 1, to: list.data.offset + items.length, total })}
            page={page}
            lastPage={lastPage}
            busy={list.isPlaceholderData}
            onPage={(next) => onChange({ page: next, open })}
          />
        </>
      )}
    </section>
  );
}
