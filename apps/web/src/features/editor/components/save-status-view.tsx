import { useT } from '../../../lib/i18n/use-t.ts';
import type { SaveStatus } from '../sync/save-engine.ts';
import { saveStatusText } from '../sync/save-status-text.ts';

/** Saved, saving, offline with N unsaved edits, signed out, conflict, or a refused edit. */
export function SaveStatusView({
  status,
  onRetry,
  onLogInAgain,
}: {
  status: SaveStatus;
  onRetry: () => void;
  /** The session ended: go to the login page and come back (the edits wait in this tab's storage). */
  onLogInAgain: () => void;
}) {
  const t = useT();
  const text = saveStatusText(status, t);
  const tone =
    status.kind === 'saved' ? 'ok' : status.kind === 'saving' ? 'busy' : status.kind === 'offline' || status.kind === 'signed-out' ? 'warn' : 'bad';
  return (
    <div className={`save-status save-status--${tone}`} role="status" aria-live="polite" data-save-state={status.kind}>
      <span className="save-status__dot" aria-hidden="true" />
      <span>{text}</span>
      {status.kind === 'signed-out' ? (
        <button type="button" className="link-button save-status__action" onClick={onLogInAgain}>
          {t('editor.save.logIn')}
        </button>
      ) : null}
      {status.kind === 'offline' || status.kind === 'error' ? (
        <button type="button" className="link-button save-status__action" onClick={onRetry}>
          {t('editor.save.retry')}
        </button>
      ) : null}
    </div>
  );
}
