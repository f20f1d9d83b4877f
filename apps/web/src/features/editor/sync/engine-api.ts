import { annotationSet, changeResponse, passage, project, type AnnotationSet, type ChangeBody, type ChangeResponse } from '@warrant/contracts';
import type { ApiClient } from '../../../lib/api-client.ts';
import type { DrainApi } from './outbox-drainer.ts';
import type { EngineApi } from './save-engine.ts';

/**
 * The engine's two calls over the app's client (CSRF header, contract parsing, typed errors).
 * `quietUnauthenticated`: a 401 on a save does not end the session for the whole app (the
 * engine shows 'signed-out' and waits for retryNow()); leave it false to send the user to login.
 */
export function createEngineApi(client: ApiClient, options: { quietUnauthenticated?: boolean } = {}): EngineApi {
  const allowUnauthenticated = options.quietUnauthenticated ?? false;
  return {
    sendChange: (setId: string, body: ChangeBody): Promise<ChangeResponse> =>
      client.post(`/api/annotation-sets/${encodeURIComponent(setId)}/changes`, changeResponse, body, { allowUnauthenticated }),
    getSet: (setId: string): Promise<AnnotationSet> =>
      client.get(`/api/annotation-sets/${encodeURIComponent(setId)}`, annotationSet, { allowUnauthenticated }),
  };
}

/**
 * The engine's calls plus what an engine without UI (OutboxDrainer) needs: the passage text and
 * the project's current scheme, read from the API.
 */
export function createDrainApi(client: ApiClient, options: { quietUnauthenticated?: boolean } = {}): DrainApi {
  const allowUnauthenticated = options.quietUnauthenticated ?? false;
  return {
    ...createEngineApi(client, options),
    getContext: async (set: AnnotationSet) => {
      const [text, scheme] = await Promise.all([
        client.get(`/api/passages/${encodeURIComponent(set.passageId)}`, passage, { allowUnauthenticated }).then((found) => found.text),
        client.get(`/api/projects/${encodeURIComponent(set.projectId)}`, project, { allowUnauthenticated }).then((found) => found.scheme),
      ]);
      return { text, scheme };
    },
  };
}
