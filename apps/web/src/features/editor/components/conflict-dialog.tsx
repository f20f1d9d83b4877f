import type { AnnotationSet } from '@warrant/contracts';
import { cloneAnnotationState, createAnnotationState, type AnnotationState, type LabelScheme, type Span } from '@warrant/domain';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ModalDialog } from '../../../components/ui/modal-dialog.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';

interface Side {
  spans: Span[];
  /** Relations by what they link (not by id, which differ between versions), with a readable line. */
  relations: Map<string, string>;
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
  onChoose: (choice: 'mine' | 'theirs', mine: AnnotationState) => Promise<void>;
}) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  // What "my version" is, frozen when the dialog opens: what is shown is exactly what would be kept.
  const [mineAtOpen] = useState(() => cloneAnnotationState(mine));
  const firstButton = useRef<HTMLButtonElement | null>(null);
  useEffect(() => firstButton.current?.focus(), []);
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
    const toSide = (state: AnnotationState): Side => {
      const spanText = (id: string) => {
        const span = state.spans.get(id);
        return span ? [spanKey(span), `«${excerpt(text, span)}»`] : [`rel:${id}`, '…'];
      };
      const relations = new Map<string, string>();
      for (const relation of state.relations.values()) {
        const [sourceKey, sourceText] = spanText(relation.source);
        const [targetKey, targetText] = spanText(relation.target);
        const typeName = scheme.relationTypes.find((r) => r.key === relation.type)?.name ?? relation.type;
        relations.set(`${relation.type}|${sourceKey}|${targetKey}`, `${sourceText} ${typeName} ${targetText}`);
      }
      return { spans: [...state.spans.values()].sort((a, b) => a.start - b.start), relations, category: state.category, status: state.status };
    };
    return { mine: toSide(mineAtOpen), theirs: toSide(theirState) };
  }, [mineAtOpen, theirState, scheme, text]);
  const theirKeys = new Set(sides.theirs.spans.map(spanKey));
  const myKeys = new Set(sides.mine.spans.map(spanKey));
  const labelName = (key: string) => scheme.spanLabels.find((l) => l.key === key)?.name ?? key;
  const categoryName = (key: string | null) => (key === null ? t('editor.category.none') : (scheme.categories.find((c) => c.key === key)?.name ?? key));

  const notesOf = (side: Side) => new Map(side.spans.map((span) => [spanKey(span), span.note ?? '']));
  const myNotes = notesOf(sides.mine);
  const theirNotes = notesOf(sides.theirs);
  const column = (side: Side, other: Side, others: Set<string>, otherNotes: Map<string, string>, title: string, id: string) => {
    const only = side.spans.filter((span) => !others.has(spanKey(span)));
    const onlyRelations = [...side.relations].filter(([key]) => !other.relations.has(key)).map(([, line]) => line);
    const notes = side.spans.filter((span) => others.has(spanKey(span)) && (span.note ?? '') !== otherNotes.get(spanKey(span)));
    return (
      <section aria-labelledby={id} className="conflict__side">
        <h3 id={id}>{title}</h3>
        <p>
          {t('editor.conflict.counts', { spans: side.spans.length, relations: side.relations.size })}
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
        {onlyRelations.length > 0 ? (
          <>
            <h4>{t('editor.conflict.relationsOnlyHere', { count: onlyRelations.length })}</h4>
            <ul className="conflict__spans">
              {onlyRelations.slice(0, 50).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        ) : null}
        {notes.length > 0 ? (
          <>
            <h4>{t('editor.conflict.notesDiffer', { count: notes.length })}</h4>
            <ul className="conflict__spans">
              {notes.slice(0, 50).map((span) => (
                <li key={span.id}>
                  «{excerpt(text, span)}»: {span.note ? span.note : t('editor.conflict.noNote')}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    );
  };

  const choose = (choice: 'mine' | 'theirs') => {
    setBusy(true);
    void onChoose(choice, mineAtOpen).finally(() => setBusy(false));
  };

  return (
    // No way out but a choice: Esc and the backdrop do nothing.
    <ModalDialog open labelledBy="conflict-title" role="alertdialog" className="modal--wide">
        <h2 id="conflict-title">{t('editor.conflict.title')}</h2>
        <p>{t('editor.conflict.explain', { version: theirs.version })}</p>
        <div className="conflict">
          {column(sides.mine, sides.theirs, theirKeys, theirNotes, t('editor.conflict.mine'), 'conflict-mine')}
          {column(sides.theirs, sides.mine, myKeys, myNotes, t('editor.conflict.theirs'), 'conflict-theirs')}
        </div>
        <div className="overlay__actions">
          <button ref={firstButton} type="button" className="button" disabled={busy} onClick={() => choose('theirs')}>
            {t('editor.conflict.useTheirs')}
          </button>
          <button type="button" className="button button--primary" disabled={busy} onClick={() => choose('mine')}>
            {t('editor.conflict.keepMine')}
          </button>
        </div>
    </ModalDialog>
  );
}
