import type { Passage } from '@warrant/contracts';
import type { ReactNode } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';

export interface PassageViewProps {
  passage: Passage;
  /** Status information the page supplies (the reader's own set, or every annotator's for a lead). */
  status?: ReactNode;
}

/** A passage's text, read-only, exactly as imported: spaces and line breaks kept. */
export function PassageView({ passage, status }: PassageViewProps) {
  const t = useT();
  const title = t('passage.title', { id: passage.externalId });
  useDocumentTitle(title, t('app.name'));
  return (
    <article aria-labelledby="passage-title">
      <div className="page-header">
        <div>
          <h1 id="passage-title">{title}</h1>
          <p className="page-header__lead">
            {t('passage.length', { count: passage.text.length })} · {t('passage.readOnly')}
          </p>
        </div>
        {status}
      </div>
      <div className="passage-text" role="region" aria-label={t('passage.text')} tabIndex={0}>
        {passage.text}
      </div>
    </article>
  );
}
