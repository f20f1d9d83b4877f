import type { Progress } from '@warrant/contracts';
import { ProgressBar } from '../../../components/ui/progress-bar.tsx';
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
    <section className="panel" aria-labelledby="progress-title">
      <h2 id="progress-title">{t('project.progress')}</h2>
      <dl className="stats">
        {stats.map(([key, value]) => (
          <div key={key}>
            <dt>{t(key)}</dt>
            <dd>{formatNumber(value)}</dd>
          </div>
        ))}
      </dl>
      <ProgressBar
        label={t('progress.barLabel')}
        value={progress.submitted}
        max={progress.required}
        text={t('projects.progressText', { submitted: progress.submitted, required: progress.required })}
      />
    </section>
  );
}
