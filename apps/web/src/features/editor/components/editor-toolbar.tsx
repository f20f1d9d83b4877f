import type { LabelScheme } from '@warrant/domain';
import { useSyncExternalStore } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';
import type { EditorController } from '../core/controller.ts';
import type { EditorSession } from '../core/session.ts';
import { useEditorStore } from '../stores/editor-store.ts';

/** The passage category (by click or hotkey), undo/redo, which relation types to draw, help. */
export function EditorToolbar({
  session,
  scheme,
  controller,
}: {
  session: EditorSession;
  scheme: LabelScheme;
  controller: EditorController;
}) {
  const t = useT();
  useSyncExternalStore(session.subscribe, session.getVersion);
  const canUndo = useEditorStore((s) => s.undoStack.length > 0);
  const canRedo = useEditorStore((s) => s.redoStack.length > 0);
  const hidden = useEditorStore((s) => s.hiddenRelationTypes);
  const toggle = useEditorStore((s) => s.toggleRelationType);
  const setHelpOpen = useEditorStore((s) => s.setHelpOpen);
  const category = session.state.category;
  return (
    <div className="editor-toolbar">
      <div className="category-group" role="radiogroup" aria-label={t('editor.category.title')}>
        <span className="category-group__title" aria-hidden="true">
          {t('editor.category.title')}
        </span>
        {scheme.categories.map((c) => (
          <button
            key={c.key}
            type="button"
            role="radio"
            aria-checked={category === c.key}
            className={`chip${category === c.key ? ' chip--on' : ''}`}
            onClick={() => controller.setCategory(category === c.key ? null : c.key)}
          >
            {c.name}
            {c.hotkey ? <kbd>{c.hotkey}</kbd> : null}
          </button>
        ))}
      </div>
      <div className="toolbar-group" role="group" aria-label={t('editor.history')}>
        <button type="button" className="button button--small" disabled={!canUndo} onClick={() => controller.undo()}>
          {t('editor.undo')}
        </button>
        <button type="button" className="button button--small" disabled={!canRedo} onClick={() => controller.redo()}>
          {t('editor.redo')}
        </button>
      </div>
      <div className="toolbar-group" role="group" aria-label={t('editor.relationTypes')}>
        {scheme.relationTypes.map((type) => (
          <label key={type.key} className="toggle">
            <input type="checkbox" checked={!hidden.includes(type.key)} onChange={() => toggle(type.key)} />
            <span className="label-swatch" style={{ backgroundColor: type.color }} aria-hidden="true" />
            {type.name}
          </label>
        ))}
      </div>
      <button type="button" className="button button--small" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
        {t('editor.help.button')}
      </button>
    </div>
  );
}
