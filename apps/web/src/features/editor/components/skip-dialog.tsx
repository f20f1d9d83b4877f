import { useEffect, useRef, useState } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';
import { ModalDialog } from '../../../components/ui/modal-dialog.tsx';
import { useEditorStore } from '../stores/editor-store.ts';

/** Skipping needs a reason: asked here, then the passage is skipped and the next one opens. */
export function SkipDialog({ onSkip }: { onSkip: (reason: string) => void }) {
  const t = useT();
  const open = useEditorStore((s) => s.skipOpen);
  const setOpen = useEditorStore((s) => s.setSkipOpen);
  const [reason, setReason] = useState('');
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <ModalDialog open={open} onCancel={() => setOpen(false)} labelledBy="skip-title" className="modal--small">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim() === '') return;
          setOpen(false);
          onSkip(reason.trim());
          setReason('');
        }}
      >
        <h2 id="skip-title">{t('editor.skip.title')}</h2>
        <label className="field__label" htmlFor="skip-reason">
          {t('editor.skip.reason')}
        </label>
        <textarea
          id="skip-reason"
          ref={inputRef}
          className="input"
          rows={3}
          value={reason}
          maxLength={1000}
          onChange={(event) => setReason(event.target.value)}
        />
        <div className="overlay__actions">
          <button type="button" className="button" onClick={() => setOpen(false)}>
            {t('editor.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={reason.trim() === ''}>
            {t('editor.skip.confirm')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
