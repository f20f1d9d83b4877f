import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface ModalDialogProps {
  open: boolean;
  /** Esc (or a click on the backdrop); leave unset for a dialog that must be answered. */
  onCancel?: () => void;
  labelledBy: string;
  className?: string;
  role?: 'dialog' | 'alertdialog';
  children: ReactNode;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native <dialog> shown with showModal(), so the browser makes everything
 * else inert. Tab and Shift+Tab wrap inside it (never out to the page or the browser), and when
 * it closes, focus goes back to what had it before.
 */
export function ModalDialog({ open, onCancel, labelledBy, className, role = 'dialog', children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      // Unmounted or closed: where the user was before the dialog.
      if (previous?.isConnected) previous.focus({ preventScroll: true });
    };
  }, [open]);

  const keepTabInside = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab') return;
    const items = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className={['modal', className].filter(Boolean).join(' ')}
      role={role}
      aria-modal="true"
      aria-labelledby={labelledBy}
      onKeyDown={keepTabInside}
      onCancel={(event) => {
        // Esc: only dialogs that may be dismissed close; the others wait for an answer.
        event.preventDefault();
        onCancel?.();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) dismisses.
        if (event.target === event.currentTarget) onCancel?.();
      }}
    >
      {children}
    </dialog>
  );
}
