import type { ProjectSummary, QueueItem } from '@warrant/contracts';
import { Link } from 'react-router';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Loading } from '../../../components/ui/loading.tsx';
import { StatsPanel } from '../../../components/ui/stats-panel.tsx';
import { Table, type Column } from '../../../components/ui/table.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { useFormatNumber, useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { useQueue, useTakeNext } from '../api/queue.ts';
import { QueryError } from '../../../components/query-error.tsx';

export interface QueuePanelProps {
  projectId: string;
  myProgress: ProjectSummary['myProgress'];
  /** Called with the passage handed out by "Next passage" (to open it, refresh counts). */
  onTaken: (item: QueueItem) => void;
}

function MyProgress({ progress }: { progress: NonNullable<ProjectSummary['myProgress']> }) {
  const t = useT();
  const formatNumber = useFormatNumber();
  const open = Math.max(0, progress.assigned - progress.submitted - progress.skipped);
  const stats = [
    ['progress.assigned', progress.assigned],
    ['status.draft', open],
    ['progress.submitted', progress.submitted],
    ['progress.skipped', progress.skipped],
  ] as const;
  return (
    <StatsPanel
      titleId="my-progress-title"
      title={t('queue.myProgress')}
      stats={stats.map(([key, value]) => ({ label: t(key), value: formatNumber(value) }))}
      bar={{
        label: t('queue.myProgress'),
        value: progress.submitted + progress.skipped,
        max: progress.assigned,
        text: t('projects.myProgress', { submitted: progress.submitted, open, skipped: progress.skipped }),
      }}
    />
  );
}

/** An annotator's own work in a project: progress, the passages handed to them, and "Next passage". */
export function QueuePanel({ projectId, myProgress, onTaken }: QueuePanelProps) {
  const t = useT();
  const queue = useQueue(projectId);
  const next = useTakeNext(projectId);

  const columns: Column<QueueItem>[] = [
    {
      id: 'externalId',
      header: t('queue.col.externalId'),
      className: 'nowrap',
      cell: (item) => <Link to={paths.annotate(projectId, item.setId)}>{item.externalId}</Link>,
    },
    { id: 'preview', header: t('queue.col.preview'), className: 'wide', cell: (item) => <span className="preview">{item.preview}</span> },
    { id: 'status', header: t('queue.col.status'), cell: (item) => <StatusBadge status={item.status} /> },
  ];

  const takeNext = () =>
    next.mutate(undefined, {
      onSuccess: ({ item }) => {
        if (item) onTaken(item);
      },
    });

  return (
    <>
      {myProgress ? <MyProgress progress={myProgress} /> : null}
      <section className="panel" aria-labelledby="queue-title">
        <div className="page-header">
          <h2 id="queue-title">{t('queue.title')}</h2>
          <Button variant="primary" busy={next.isPending} onClick={takeNext}>
            {next.isPending ? t('queue.taking') : t('queue.next')}
          </Button>
        </div>
        {next.isSuccess && next.data.item === null ? <Alert tone="info">{t('queue.nothingLeft')}</Alert> : null}
        {next.isError ? <Alert tone="error">{errorMessage(next.error, t)}</Alert> : null}
        {queue.isPending ? <Loading label={t('app.loading')} /> : null}
        {queue.isError ? (
          <QueryError error={queue.error} onRetry={() => queue.refetch()} />
        ) : null}
        {queue.data && queue.data.items.length === 0 ? <p className="muted">{t('queue.empty')}</p> : null}
        {queue.data && queue.data.items.length > 0 ? (
          <Table caption={t('queue.title')} captionHidden columns={columns} rows={queue.data.items} rowKey={(item) => item.setId} />
        ) : null}
      </section>
    </>
  );
}
