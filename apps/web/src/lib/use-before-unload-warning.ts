import { useEffect } from 'react';

/**
 * Closing or reloading the tab asks first (the browser's own wording) while `when` holds: a flag,
 * or a check made at that moment (keep the function stable, e.g. defined at module level).
 */
export function useBeforeUnloadWarning(when: boolean | (() => boolean)): void {
  useEffect(() => {
    if (when === false) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (typeof when === 'function' && !when()) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [when]);
}
