import { Link } from 'react-router';
import { useT } from '../lib/i18n/use-t.ts';
import { paths } from '../lib/paths.ts';
import { useDocumentTitle } from '../lib/use-document-title.ts';

/** For unknown addresses and for anything the API answers 404 to. */
export function NotFound() {
  const t = useT();
  useDocumentTitle(t('notFound.title'), t('app.name'));
  return (
    <section className="panel" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <Link to={paths.home()}>{t('notFound.home')}</Link>
    </section>
  );
}
