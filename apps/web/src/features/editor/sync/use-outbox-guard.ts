import { useEffect } from 'react';
import { apiClient } from '../../../lib/api-client.ts';
import { useBeforeUnloadWarning } from '../../../lib/use-before-unload-warning.ts';
import { createDrainApi } from './engine-api.ts';
import { engineRegistry } from './engine-registry.ts';
import { OutboxDrainer } from './outbox-drainer.ts';

const hasUnsentEdits = () => engineRegistry.pendingEdits() > 0;

/** A 401 while draining does not end the session for the whole app: the engine waits and retries. */
const drainApi = createDrainApi(apiClient, { quietUnauthenticated: true });

/**
 * App-wide, for the signed-in user: sends whatever edits were left unsent (OutboxDrainer), on any
 * page; and while this tab holds unsent edits, closing or reloading it asks first (the browser's
 * own wording), wherever the user is in the app.
 */
export function useOutboxGuard(userId: string | null): void {
  useBeforeUnloadWarning(hasUnsentEdits);

  useEffect(() => {
    if (!userId) return;
    const drainer = new OutboxDrainer({ userId, api: drainApi });
    drainer.start();
    return () => drainer.stop();
  }, [userId]);
}
