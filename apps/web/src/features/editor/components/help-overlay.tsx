import type { LabelScheme } from '@warrant/domain';
import { useEffect, useRef } from 'react';
import type { MessageKey } from '../../../lib/i18n/en.ts';
import { useT } from '../../../lib/i18n/use-t.ts';
import { ModalDialog } from '../../../components/ui/modal-dialog.tsx';
import { useEditorStore } from '../stores/editor-store.ts';

const GENERAL: [keys: string, what: MessageKey][] = [
  ['← → ', 'editor.help.caret'],
  ['Ctrl + ← →', 'editor.help.caretWord'],
  ['↑ ↓', 'editor.help.caretLine'],
  ['Shift + ←→↑↓', 'editor.help.extend'],
  ['Home / End', 'editor.help.homeEnd'],
  ['editor.help.keys.altMouse', 'editor.help.precise'],
  ['Tab / Shift + Tab', 'editor.help.nextSpan'],
  ['Delete', 'editor.help.delete'],
  ['[ / ]', 'editor.help.moveStart'],
  ['{ / }', 'editor.help.moveEnd'],
  ['Alt + [ ] { }', 'editor.help.moveGrapheme'],
  ['Enter', 'editor.help.note'],
  ['Ctrl + Z', 'editor.help.undo'],
  ['Ctrl + Shift + Z', 'editor.help.redo'],
  ['Ctrl + Enter', 'editor.help.submit'],
  ['Ctrl + Shift + S', 'editor.help.skip'],
  ['Esc', 'editor.help.escape'],
  ['?', 'editor.help.help'],
];

/** Every shortcut, including the project's hotkeys for labels, relation types and categories. */
export function HelpOverlay({ scheme }: { scheme: LabelScheme }) {
  const t = useT();
  const open = useEditorStore((s) => s.helpOpen);
  const setOpen = useEditorStore((s) => s.setHelpOpen);
  const closeRef = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);
  if (!open) return null;
  const rows: [string, string][] = [
    ...GENERAL.map(([keys, what]): [string, string] => [keys.startsWith('editor.') ? t(keys as MessageKey) : keys, t(what)]),
    ...scheme.spanLabels.filter((l) => l.hotkey).map((l): [string, string] => [l.hotkey, t('editor.help.label', { name: l.name })]),
    ...scheme.relationTypes
      .filter((r) => r.hotkey)
      .map((r): [string, string] => [r.hotkey, t(r.target === 'relation' ? 'editor.help.linkRelation' : 'editor.help.link', { name: r.name })]),
    ['Tab / Enter', t('editor.help.linkChoose')],
    ...scheme.categories.filter((c) => c.hotkey).map((c): [string, string] => [c.hotkey, t('editor.help.category', { name: c.name })]),
  ];
  return (
    <ModalDialog open={open} onCancel={() => setOpen(false)} labelledBy="help-title">
        <div className="overlay__head">
          <h2 id="help-title">{t('editor.help.title')}</h2>
          <button ref={closeRef} type="button" className="button" onClick={() => setOpen(false)}>
            {t('editor.close')}
          </button>
        </div>
        <table className="shortcut-table">
          <tbody>
            {rows.map(([keys, what]) => (
              <tr key={`${keys}-${what}`}>
                <th scope="row">
                  <kbd>{keys}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
    </ModalDialog>
  );
}
