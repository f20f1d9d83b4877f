import { useT } from '../../../lib/i18n/use-t.ts';
import { apiPaths } from '../../../lib/paths.ts';

/** A plain link: the browser downloads the streamed JSONL with the session cookie, no script in between. */
export function ExportPanel({ projectId }: { projectId: string }) {
  const t = useT();
  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">{t('export.title')}</h2>
      <p className="muted">{t('export.help')}</p>
      <a className="button button--primary" href={apiPaths.exportJsonl(projectId)} download>
        {t('export.download')}
      </a>
    </section>
  );
}
