import type { PassageListItem } from '@warrant/contracts';
import { Link } from 'react-router';
import { GoldBadge } from '../../../components/gold-badge.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { Loading } from '../../../components/ui/loading.tsx';
import { Pagination } from '../../../components/pagination.tsx';
import { Table, type Column } from '../../../components/ui/table.tsx';
import { useFormatNumber, useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { PASSAGE_PAGE_SIZE, usePassageList } from '../api/passages.ts';
import { QueryError } from '../../../components/query-error.tsx';

export interface PassagesTableProps {
  projectId: string;
  /** 1-based. */
  page: number;
  onPageChange: (page: number) => void;
}

/** A lead's view of the project's passages, a page at a time: each annotator's status, the gold status. */
export function PassagesTable({ projectId, page, onPageChange }: PassagesTableProps) {
  const t = useT();
  const formatNumber = useFormatNumber();
  const offset = (Math.max(1, page) - 1) * PASSAGE_PAGE_SIZE;
  const list = usePassageList(projectId, offset);

  const columns: Column<PassageListItem>[] = [
    {
      id: 'externalId',
      header: t('passages.col.externalId'),
      className: 'nowrap',
      cell: (row) => <Link to={paths.passage(projectId, row.id)}>{row.externalId}</Link>,
    },
    { id: 'preview', header: t('passages.col.preview'), className: 'wide', cell: (row) => <span className="preview">{row.preview}</span> },
    { id: 'length', header: t('passages.col.length'), className: 'numeric', cell: (row) => formatNumber(row.length) },
    {
      id: 'sets',
      header: t('passages.col.annotators'),
      cell: (row) =>
        row.sets.length === 0 ? (
          <span className="muted">{t('passages.notHandedOut')}</span>
        ) : (
          <ul className="set-list">
            {row.sets.map((set) => (
              <li key={set.setId}>
                {set.annotator} <StatusBadge status={set.status} />
              </li>
            ))}
          </ul>
        ),
    },
    { id: 'gold', header: t('passages.col.gold'), className: 'nowrap', cell: (row) => <GoldBadge status={row.gold} /> },
    {
      id: 'compare',
      header: <span className="visually-hidden">{t('passages.col.actions')}</span>,
      className: 'nowrap',
      // Side by side needs two submitted annotations to compare.
      cell: (row) =>
        row.sets.filter((set) => set.status === 'submitted').length >= 2 ? (
          <Link to={paths.adjudicate(projectId, row.id)} aria-label={t('passages.compareNamed', { id: row.externalId })}>
            {t('passages.compare')}
          </Link>
        ) : null,
    },
  ];

  if (list.isPending) return <Loading label={t('app.loading')} />;
  if (list.isError) {
    return (
      <QueryError error={list.error} onRetry={() => list.refetch()} />
    );
  }

  const { passages, total } = list.data;
  if (total === 0) return <p className="panel muted">{t('passages.empty')}</p>;
  const from = list.data.offset + 1;
  const to = list.data.offset + passages.length;
  const lastPage = Math.max(1, Math.ceil(total / PASSAGE_PAGE_SIZE));

  return (
    <>
      <Table caption={t('passages.title')} captionHidden columns={columns} rows={passages} rowKey={(row) => row.id} />
      <Pagination
        label={t('passages.pages')}
        range={t('passages.range', { from, to, total })}
        page={page}
        lastPage={lastPage}
        busy={list.isPlaceholderData}
        onPage={onPageChange}
      />
    </>
  );
}
