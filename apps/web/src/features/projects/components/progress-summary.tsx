import type { Progress } from '@warrant/contracts';
import { StatsPanel } from '../../../components/ui/stats-panel.tsx';
import { useFormatNumber, useT } from '../../../lib/i18n/use-t.ts';

/** The whole project's counts and a bar of submitted annotations out of those needed. */
export function ProgressSummary({ progress }: { progress: Progress }) {
  const t = useT();
  const formatNumber = useFormatNumber();
  const stats = [
    ['progress.passages', progress.passages],
    ['progress.required', progress.required],
    ['progress.assigned', progress.assigned],
    ['progress.submitted', progress.submitted],
    ['progress.skipped', progress.skipped],
  ] as const;
  return (
    <StatsPanel
      titleId="progress-title"
      title={t('project.progress')}
      stats={stats.map(([key, value]) => ({ label: t(key), value: formatNumber(value) }))}
      bar={{
        label: t('progress.barLabel'),
        value: progress.submitted,
        max: progress.required,
        text: t('projects.progressText', { submitted: progress.submitted, required: progress.required }),
      }}
    />
  );
}
