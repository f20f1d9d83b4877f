import { useCallback, useSyncExternalStore } from 'react';
import type { SaveEngine, SaveStatus } from './save-engine.ts';

const idle: SaveStatus = { kind: 'saved', pending: 0, savedAt: null };

/** The engine's status for React (the 'saved' idle status while there is no engine yet). */
export function useSaveStatus(engine: SaveEngine | null): SaveStatus {
  const subscribe = useCallback((onChange: () => void) => (engine ? engine.subscribe(onChange) : () => {}), [engine]);
  const read = useCallback(() => (engine ? engine.getStatus() : idle), [engine]);
  return useSyncExternalStore(subscribe, read, read);
}
