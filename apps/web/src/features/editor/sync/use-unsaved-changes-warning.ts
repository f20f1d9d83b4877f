import { useEffect } from 'react';

/** While edits are unsent, closing or reloading the tab asks first (the browser's own wording). */
export function useUnsavedChangesWarning(pending: number): void {
  const unsaved = pending > 0;
  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);
}
