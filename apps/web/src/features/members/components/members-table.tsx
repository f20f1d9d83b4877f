import type { Member } from '@warrant/contracts';
import { Alert } from '../../../components/ui/alert.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Loading } from '../../../components/ui/loading.tsx';
import { Table, type Column } from '../../../components/ui/table.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useFormatNumber, useT } from '../../../lib/i18n/use-t.ts';
import { useMembers } from '../api/members.ts';

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
      <Alert tone="error">
        <p>{errorMessage(members.error, t)}</p>
        <Button onClick={() => void members.refetch()}>{t('app.retry')}</Button>
      </Alert>
    );
  }
  return <Table caption={t('members.title')} columns={columns} rows={members.data.members} rowKey={(row) => row.user.id} />;
}
