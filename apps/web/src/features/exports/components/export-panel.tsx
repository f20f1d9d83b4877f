import { EXPORT_FORMATS } from '@warrant/contracts';
import { useState, type MouseEvent } from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { ProgressBar } from '../../../components/ui/progress-bar.tsx';
import { SelectField } from '../../../components/ui/select-field.tsx';
import { errorMessage } from '../../../lib/error-message.ts';
import { formatBytes } from '../../../lib/format-bytes.ts';
import { useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { apiPaths } from '../../../lib/paths.ts';
import { useExportProgress } from '../api/export-progress.ts';
import { barValues, newProgressToken } from '../core/export-progress.ts';
import './exports.css';

type Format = (typeof EXPORT_FORMATS)[number];

interface Download {
  token: string;
  format: Format;
  startedAt: number;
}

function DownloadProgress({ projectId, download }: { projectId: string; download: Download }) {
  const t = useT();
  const locale = useLocale();
  const progress = useExportProgress(projectId, download);
  const label = t('export.progress.label', { format: t(`export.name.${download.format}`) });
  if (progress.isError) {
    return (
      <Alert tone="warning" title={t('export.progress.lost')}>
        <p>{errorMessage(progress.error, t)}</p>
      </Alert>
    );
  }
  const data = progress.data ?? { state: 'pending' as const, passages: 0, total: 0, bytes: 0 };
  if (data.state === 'unavailable') {
    return <p className="muted" role="status">{t('export.progress.unavailable')}</p>;
  }
  if (data.state === 'failed') {
    return (
      <Alert tone="error" title={t('export.progress.failed')}>
        <p>{t('export.progress.failedHelp')}</p>
      </Alert>
    );
  }
  const { value, max } = barValues(data);
  const size = formatBytes(data.bytes, locale);
  const text =
    data.state === 'pending'
      ? t('export.progress.pending')
      : data.state === 'running'
        ? t('export.progress.running', { passages: data.passages, count: data.total, size })
        : t('export.progress.done', { count: data.passages, size });
  return (
    <div role={data.state === 'done' ? 'status' : undefined}>
      <ProgressBar label={label} value={value} max={max} text={text} />
    </div>
  );
}

/**
 * The download itself is a plain link the browser follows with the session cookie, no script in
 * between, so a large export goes straight to disk (constant memory); the page follows its
 * progress by a token it chose and put in the link.
 */
export function ExportPanel({ projectId }: { projectId: string }) {
  const t = useT();
  const [format, setFormat] = useState<Format>('jsonl');
  const [download, setDownload] = useState<Download | null>(null);

  // The link carries a fresh token from the moment it is followed: the browser reads the address
  // after this handler, so the download it starts is the one the page then asks about.
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    const token = newProgressToken();
    event.currentTarget.href = apiPaths.export(projectId, format, token);
    setDownload({ token, format, startedAt: Date.now() });
  };

  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">{t('export.title')}</h2>
      <p className="muted">{t('export.help')}</p>
      <SelectField
        label={t('export.format')}
        value={format}
        onChange={(event) => setFormat(event.target.value as Format)}
        options={EXPORT_FORMATS.map((value) => ({ value, label: t(`export.name.${value}`) }))}
        aria-describedby="export-about"
      />
      <p id="export-about">{t(`export.about.${format}`)}</p>
      <a className="button button--primary" href={apiPaths.export(projectId, format)} download onClick={follow}>
        {t('export.download', { format: t(`export.name.${format}`) })}
      </a>
      {download ? (
        <div className="export-progress">
          <DownloadProgress key={download.token} projectId={projectId} download={download} />
        </div>
      ) : null}
    </section>
  );
}
