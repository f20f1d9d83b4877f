import { RELEASE_SPLITS, type ReleaseSummary } from '@warrant/contracts';
import { useState } from 'react';
import { Markdown } from '../../../components/markdown.tsx';
import { QueryError } from '../../../components/query-error.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Loading } from '../../../components/ui/loading.tsx';
import { formatBytes } from '../../../lib/format-bytes.ts';
import { useFormatNumber, useLocale, useT } from '../../../lib/i18n/use-t.ts';
import { apiPaths } from '../../../lib/paths.ts';
import { useReleaseTextFile, useReleases } from '../api/releases.ts';
import { shortHash } from '../core/release-form.ts';

const README = 'README.md';

function CopyHash({ path, sha256 }: { path: string; sha256: string }) {
  const t = useT();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(sha256).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <>
      <Button variant="quiet" onClick={copy} aria-label={t('releases.file.copyNamed', { path })}>
        {t('releases.file.copy')}
      </Button>
      <span role="status" className="release-files__copied">
        {copied === 'yes' ? t('releases.file.copied') : copied === 'failed' ? t('releases.file.copyFailed') : ''}
      </span>
    </>
  );
}

/** The release's README.md, fetched when the disclosure is first opened. */
function DatasetCard({ projectId, release }: { projectId: string; release: ReleaseSummary }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const hasReadme = release.files.some((file) => file.path === README);
  const readme = useReleaseTextFile(projectId, release.id, README, open && hasReadme);
  if (!hasReadme) return null;
  return (
    <details className="release__card" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('releases.card')}</summary>
      {readme.isPending ? (
        <Loading label={t('app.loading')} />
      ) : readme.isError ? (
        <QueryError error={readme.error} onRetry={() => readme.refetch()} />
      ) : (
        <Markdown source={readme.data} baseHeadingLevel={4} className="release__readme" />
      )}
    </details>
  );
}

function ReleaseItem({ projectId, release }: { projectId: string; release: ReleaseSummary }) {
  const t = useT();
  const locale = useLocale();
  const number = useFormatNumber();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(release.createdAt));
  const titleId = `release-${release.id}`;
  return (
    <li>
      <article className="panel release" aria-labelledby={titleId}>
        <div className="release__head">
          <h3 id={titleId}>
            <Badge tone="accent">{t('releases.version', { version: release.version })}</Badge> {release.name}
          </h3>
          <a className="button button--primary" href={apiPaths.releaseDownload(projectId, release.id)} download>
            {t('releases.download', { version: release.version })}
          </a>
        </div>
        <p className="release__meta">
          {release.createdBy ? t('releases.cutBy', { date, who: release.createdBy }) : t('releases.cutOn', { date })}
          {' · '}
          {t(`releases.source.${release.options.source}`)}
          {' · '}
          {formatBytes(release.bytes, locale)}
        </p>
        <dl className="stats release__stats">
          <div>
            <dt>{t('releases.stat.passages')}</dt>
            <dd>{number(release.passages)}</dd>
          </div>
          <div>
            <dt>{t('releases.stat.records')}</dt>
            <dd>{number(release.records)}</dd>
          </div>
          {RELEASE_SPLITS.map((split) => (
            <div key={split}>
              <dt>{t(`releases.split.${split}`)}</dt>
              <dd>{number(release.splits[split])}</dd>
            </div>
          ))}
        </dl>
        <div className="table-wrap">
          <table className="table release-files">
            <caption className="visually-hidden">{t('releases.files', { version: release.version })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('releases.file.path')}</th>
                <th scope="col" className="numeric">
                  {t('releases.file.size')}
                </th>
                <th scope="col">{t('releases.file.sha')}</th>
              </tr>
            </thead>
            <tbody>
              {release.files.map((file) => (
                <tr key={file.path}>
                  <td>
                    <a href={apiPaths.releaseFile(projectId, release.id, file.path)} download>
                      {file.path}
                    </a>
                  </td>
                  <td className="numeric">{formatBytes(file.bytes, locale)}</td>
                  <td className="release-files__sha">
                    <code title={file.sha256}>{shortHash(file.sha256)}</code> <CopyHash path={file.path} sha256={file.sha256} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <DatasetCard projectId={projectId} release={release} />
      </article>
    </li>
  );
}

/** Every release of the project, newest first; releases never change, so there is nothing to edit. */
export function ReleaseList({ projectId }: { projectId: string }) {
  const t = useT();
  const releases = useReleases(projectId);
  return (
    <section aria-labelledby="releases-title" className="releases">
      <h2 id="releases-title">{t('releases.title')}</h2>
      {releases.isPending ? (
        <Loading label={t('app.loading')} />
      ) : releases.isError ? (
        <QueryError error={releases.error} onRetry={() => releases.refetch()} />
      ) : releases.data.releases.length === 0 ? (
        <p className="muted">{t('releases.empty')}</p>
      ) : (
        <ol className="release-list" aria-labelledby="releases-title">
          {releases.data.releases.map((release) => (
            <ReleaseItem key={release.id} projectId={projectId} release={release} />
          ))}
        </ol>
      )}
    </section>
  );
}
