import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';

/**
 * While `when` holds: leaving for another page of the app asks first (in a modal dialog of the
 * page, not window.confirm), and closing or reloading the tab gets the browser's own warning.
 */
export function UnsavedChangesGuard({ when }: { when: boolean }) {
  const t = useT();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => when && currentLocation.pathname !== nextLocation.pathname);

  useEffect(() => {
    if (!when) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the warning only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [when]);

  if (blocker.state !== 'blocked') return null;
  return (
    <dialog
      className="confirm-dialog"
      aria-labelledby="leave-title"
      aria-describedby="leave-text"
      ref={(node) => {
        if (node && !node.open) node.showModal();
      }}
      onCancel={(event) => {
        event.preventDefault();
        blocker.reset();
      }}
    >
      <h2 id="leave-title">{t('scheme.leave.title')}</h2>
      <p id="leave-text">{t('scheme.leave.text')}</p>
      <div className="actions">
        <Button variant="primary" autoFocus onClick={() => blocker.reset()}>
          {t('scheme.leave.stay')}
        </Button>
        <Button variant="danger" onClick={() => blocker.proceed()}>
          {t('scheme.leave.leave')}
        </Button>
      </div>
    </dialog>
  );
}
