import { EXPORT_FORMATS } from '@warrant/contracts';
import { useState } from 'react';
import { SelectField } from '../../../components/ui/select-field.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';
import { apiPaths } from '../../../lib/paths.ts';

type Format = (typeof EXPORT_FORMATS)[number];

/**
 * A plain link: the browser downloads the streamed file with the session cookie, no script in
 * between, so a large export goes straight to disk (and the browser shows its progress).
 */
export function ExportPanel({ projectId }: { projectId: string }) {
  const t = useT();
  const [format, setFormat] = useState<Format>('jsonl');
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
      <a className="button button--primary" href={apiPaths.export(projectId, format)} download>
        {t('export.download', { format: t(`export.name.${format}`) })}
      </a>
    </section>
  );
}
