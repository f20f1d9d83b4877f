import type { AnnotationSet } from '@warrant/contracts';
import { createAnnotationState, type AnnotationState, type LabelScheme, type Span } from '@warrant/domain';
import { useMemo, useState } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';

interface Side {
  spans: Span[];
  relations: number;
  category: string | null;
  status: string;
}

function spanKey(span: Span): string {
  return `${span.start}:${span.end}:${span.label}`;
}

function excerpt(text: string, span: Span): string {
  const points = Array.from(text.slice(span.start, span.end).replace(/\s+/g, ' '));
  return points.length > 60 ? `${points.slice(0, 60).join('')}…` : points.join('');
}

/**
 * The passage was saved elsewhere (another tab or device) since this tab's edits were made.
 * Both versions are shown, with what differs; the annotator chooses. Nothing is overwritten
 * before that.
 */
export function ConflictDialog({
  text,
  scheme,
  mine,
  theirs,
  onChoose,
}: {
  text: string;
  scheme: LabelScheme;
  mine: AnnotationState;
  theirs: AnnotationSet;
  onChoose: (choice: 'mine' | 'theirs') => Promise<void>;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const theirState = useMemo(
    () =>
      createAnnotationState({
        spans: theirs.spans,
        relations: theirs.relations,
        category: theirs.category,
        status: theirs.status,
        skipReason: theirs.skipReason,
      }),
    [theirs],
  );
  const sides = useMemo(() => {
    const toSide = (state: AnnotationState): Side => ({
      spans: [...state.spans.values()].sort((a, b) => a.start - b.start),
      relations: state.relations.size,
      category: state.category,
      status: state.status,
    });
    return { mine: toSide(mine), theirs: toSide(theirState) };
  }, [mine, theirState]);
  const theirKeys = new Set(sides.theirs.spans.map(spanKey));
  const myKeys = new Set(sides.mine.spans.map(spanKey));
  const labelName = (key: string) => scheme.spanLabels.find((l) => l.key === key)?.name ?? key;
  const categoryName = (key: string | null) => (key === null ? t('editor.category.none') : (scheme.categories.find((c) => c.key === key)?.name ?? key));

  const column = (side: Side, others: Set<string>, title: string, id: string) => {
    const only = side.spans.filter((span) => !others.has(spanKey(span)));
    return (
      <section aria-labelledby={id} className="conflict__side">
        <h3 id={id}>{title}</h3>
        <p>
          {t('editor.conflict.counts', { spans: side.spans.length, relations: side.relations })}
          <br />
          {t('editor.conflict.category', { category: categoryName(side.category) })}
        </p>
        <h4>{t('editor.conflict.onlyHere', { count: only.length })}</h4>
        {only.length === 0 ? (
          <p className="muted">{t('editor.conflict.nothingOnlyHere')}</p>
        ) : (
          <ul className="conflict__spans">
            {only.slice(0, 50).map((span) => (
              <li key={span.id}>
                <strong>{labelName(span.label)}</strong> «{excerpt(text, span)}»
              </li>
            ))}
          </ul>
        )}
      </section>
    );
  };

  const choose = (choice: 'mine' | 'theirs') => {
    setBusy(true);
    void onChoose(choice).finally(() => setBusy(false));
  };

  return (
    <div className="overlay" role="presentation">
      <div className="overlay__dialog overlay__dialog--wide" role="alertdialog" aria-modal="true" aria-labelledby="conflict-title">
        <h2 id="conflict-title">{t('editor.conflict.title')}</h2>
        <p>{t('editor.conflict.explain', { version: theirs.version })}</p>
        <div className="conflict">
          {column(sides.mine, theirKeys, t('editor.conflict.mine'), 'conflict-mine')}
          {column(sides.theirs, myKeys, t('editor.conflict.theirs'), 'conflict-theirs')}
        </div>
        <div className="overlay__actions">
          <button type="button" className="button" disabled={busy} onClick={() => choose('theirs')}>
            {t('editor.conflict.useTheirs')}
          </button>
          <button type="button" className="button button--primary" disabled={busy} onClick={() => choose('mine')}>
            {t('editor.conflict.keepMine')}
          </button>
        </div>
      </div>
    </div>
  );
}
