import { useEffect } from 'react';
import { apiClient } from '../../../lib/api-client.ts';
import { createDrainApi } from './engine-api.ts';
import { engineRegistry } from './engine-registry.ts';
import { OutboxDrainer } from './outbox-drainer.ts';

/** A 401 while draining does not end the session for the whole app: the engine waits and retries. */
const drainApi = createDrainApi(apiClient, { quietUnauthenticated: true });

/**
 * App-wide, for the signed-in user: sends whatever edits were left unsent (OutboxDrainer), on any
 * page; and while this tab holds unsent edits, closing or reloading it asks first (the browser's
 * own wording), wherever the user is in the app.
 */
export function useOutboxGuard(userId: string | null): void {
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (engineRegistry.pendingEdits() === 0) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  useEffect(() => {
    if (!userId) return;
    const drainer = new OutboxDrainer({ userId, api: drainApi });
    drainer.start();
    return () => drainer.stop();
  }, [userId]);
}
