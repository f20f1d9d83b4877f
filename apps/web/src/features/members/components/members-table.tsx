import type { Member } from '@warrant/contracts';
import { Badge } from '../../../components/ui/badge.tsx';
import { Loading } from '../../../components/ui/loading.tsx';
import { Table, type Column } from '../../../components/ui/table.tsx';
import { useFormatNumber, useT } from '../../../lib/i18n/use-t.ts';
import { useMembers } from '../api/members.ts';
import { QueryError } from '../../../components/query-error.tsx';

export function MembersTable({ projectId }: { projectId: string }) {
  const t = useT();
  const formatNumber = useFormatNumber();
  const members = useMembers(projectId);

  const columns: Column<Member>[] = [
    {
      id: 'username',
      header: t('members.col.username'),
      className: 'nowrap',
      cell: (row) => (
        <>
          {row.user.username}
          {row.user.disabled ? (
            <>
              {' '}
              <Badge tone="warning">{t('members.disabled')}</Badge>
            </>
          ) : null}
        </>
      ),
    },
    { id: 'displayName', header: t('members.col.displayName'), cell: (row) => row.user.displayName },
    {
      id: 'role',
      header: t('members.col.role'),
      cell: (row) => (row.role === 'lead' ? <Badge tone="accent">{t('role.lead')}</Badge> : t('role.annotator')),
    },
    { id: 'assigned', header: t('members.col.assigned'), className: 'numeric', cell: (row) => formatNumber(row.assigned) },
    { id: 'submitted', header: t('members.col.submitted'), className: 'numeric', cell: (row) => formatNumber(row.submitted) },
    { id: 'skipped', header: t('members.col.skipped'), className: 'numeric', cell: (row) => formatNumber(row.skipped) },
  ];

  if (members.isPending) return <Loading label={t('app.loading')} />;
  if (members.isError) {
    return (
      <QueryError error={members.error} onRetry={() => members.refetch()} />
    );
  }
  return <Table caption={t('members.title')} columns={columns} rows={members.data.members} rowKey={(row) => row.user.id} />;
}
