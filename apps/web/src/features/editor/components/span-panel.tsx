import type { LabelScheme, Relation, Span } from '@warrant/domain';
import { useState } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';
import type { EditorController } from '../core/controller.ts';
import type { EditorSession } from '../core/session.ts';
import { useEditorStore } from '../stores/editor-store.ts';

function excerpt(text: string, span: Span | undefined, max = 80): string {
  if (!span) return '?';
  const points = Array.from(text.slice(span.start, span.end).replace(/\s+/g, ' '));
  return points.length > max ? `${points.slice(0, max).join('')}…` : points.join('');
}

function relationText(relation: Relation, session: EditorSession, scheme: LabelScheme): string {
  const type = scheme.relationTypes.find((t) => t.key === relation.type);
  const source = excerpt(session.text, session.state.spans.get(relation.source), 40);
  const targetSpan = session.state.spans.get(relation.target);
  const target = targetSpan ? excerpt(session.text, targetSpan, 40) : `(${relation.target})`;
  return `«${source}» ${type?.name ?? relation.type} «${target}»`;
}

/** The selected span (label, note, relations) or the selected relation; what you can do to it. */
export function SpanPanel({ session, scheme, controller }: { session: EditorSession; scheme: LabelScheme; controller: EditorController }) {
  const t = useT();
  const selectedSpanId = useEditorStore((s) => s.selectedSpanId);
  const selectedRelationId = useEditorStore((s) => s.selectedRelationId);
  const mode = useEditorStore((s) => s.mode);
  const span = selectedSpanId ? session.state.spans.get(selectedSpanId) : undefined;
  const relation = selectedRelationId ? session.state.relations.get(selectedRelationId) : undefined;

  if (mode.kind === 'link') {
    const type = scheme.relationTypes.find((ty) => ty.key === mode.relationType);
    return (
      <div className="side-section" role="status">
        <h3>{t('editor.link.title', { type: type?.name ?? mode.relationType })}</h3>
        <p>{t(mode.targetKind === 'relation' ? 'editor.link.chooseRelation' : 'editor.link.chooseSpan')}</p>
        <button type="button" className="button" onClick={() => useEditorStore.getState().setMode({ kind: 'normal' })}>
          {t('editor.cancel')}
        </button>
      </div>
    );
  }

  return (
    <div className="side-section">
      {relation ? (
        <section aria-labelledby="relation-title" className="relation-card">
          <h3 id="relation-title">{t('editor.relation.title')}</h3>
          <p>{relationText(relation, session, scheme)}</p>
          <button type="button" className="button button--danger" onClick={() => controller.deleteRelation(relation.id)}>
            {t('editor.relation.delete')}
          </button>
        </section>
      ) : null}
      {span ? (
        <section aria-labelledby="span-title">
          <h3 id="span-title">{t('editor.span.title')}</h3>
          <blockquote className="span-quote">{excerpt(session.text, span, 200)}</blockquote>
          <fieldset className="label-choice">
            <legend>{t('editor.span.label')}</legend>
            {scheme.spanLabels.map((label) => (
              <label key={label.key} className="label-choice__item">
                <input
                  type="radio"
                  name="span-label"
                  checked={span.label === label.key}
                  onChange={() => controller.relabel(span.id, label.key)}
                />
                <span className="label-swatch" style={{ backgroundColor: label.color }} aria-hidden="true" />
                {label.name}
                {label.hotkey ? <kbd>{label.hotkey}</kbd> : null}
              </label>
            ))}
          </fieldset>
          <NoteEditor key={`${span.id}:${span.note ?? ''}`} initial={span.note ?? ''} onSave={(value) => controller.setNote(span.id, value)} />
          <div className="span-actions">
            {scheme.relationTypes.map((type) => (
              <button key={type.key} type="button" className="button button--small" onClick={() => controller.startLink(type.key)}>
                {t(type.target === 'relation' ? 'editor.span.linkRelation' : 'editor.span.link', { type: type.name })}
                {type.hotkey ? <kbd>{type.hotkey}</kbd> : null}
              </button>
            ))}
          </div>
          <RelationList session={session} scheme={scheme} controller={controller} spanId={span.id} />
          <button type="button" className="button button--danger" onClick={() => controller.deleteSpan(span.id)}>
            {t('editor.span.delete')}
          </button>
        </section>
      ) : relation ? null : (
        <p className="muted">{t('editor.span.none')}</p>
      )}
    </div>
  );
}

/** The note of the selected span: saved when the field is left, or with Ctrl+Enter / Esc. */
function NoteEditor({ initial, onSave }: { initial: string; onSave: (note: string) => void }) {
  const t = useT();
  const [note, setNote] = useState(initial);
  return (
    <>
      <label className="field__label" htmlFor="span-note">
        {t('editor.span.note')}
      </label>
      <textarea
        id="span-note"
        className="input"
        rows={3}
        maxLength={5000}
        value={note}
        onChange={(event) => setNote(event.target.value)}
        onBlur={() => onSave(note)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' || (event.key === 'Enter' && (event.ctrlKey || event.metaKey))) {
            event.preventDefault();
            (event.target as HTMLTextAreaElement).blur();
          }
        }}
      />
    </>
  );
}

function RelationList({
  session,
  scheme,
  controller,
  spanId,
}: {
  session: EditorSession;
  scheme: LabelScheme;
  controller: EditorController;
  spanId: string;
}) {
  const t = useT();
  const related = [...session.state.relations.values()].filter((r) => r.source === spanId || r.target === spanId);
  if (related.length === 0) return <p className="muted">{t('editor.span.noRelations')}</p>;
  return (
    <ul className="relation-list" aria-label={t('editor.span.relations')}>
      {related.map((relation) => (
        <li key={relation.id}>
          <button type="button" className="link-button" onClick={() => useEditorStore.getState().selectRelation(relation.id)}>
            {relationText(relation, session, scheme)}
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={t('editor.relation.delete')}
            onClick={() => controller.deleteRelation(relation.id)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
