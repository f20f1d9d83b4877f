import { useBeforeUnloadWarning } from '../lib/use-before-unload-warning.ts';
import { useBlocker } from 'react-router';
import { Button } from './ui/button.tsx';

export interface UnsavedChangesGuardProps {
  when: boolean;
  /** The dialog's words: its title, what would be lost, and the two choices. */
  title: string;
  text: string;
  stayLabel: string;
  leaveLabel: string;
}

/**
 * While `when` holds: leaving for another page of the app asks first (in a modal dialog of the
 * page, not window.confirm), and closing or reloading the tab gets the browser's own warning.
 */
export function UnsavedChangesGuard({ when, title, text, stayLabel, leaveLabel }: UnsavedChangesGuardProps) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => when && currentLocation.pathname !== nextLocation.pathname);

  useBeforeUnloadWarning(when);

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
      <h2 id="leave-title">{title}</h2>
      <p id="leave-text">{text}</p>
      <div className="actions">
        <Button variant="primary" autoFocus onClick={() => blocker.reset()}>
          {stayLabel}
        </Button>
        <Button variant="danger" onClick={() => blocker.proceed()}>
          {leaveLabel}
        </Button>
      </div>
    </dialog>
  );
}
