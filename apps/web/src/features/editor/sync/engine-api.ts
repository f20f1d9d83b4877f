import { annotationSet, changeResponse, type AnnotationSet, type ChangeBody, type ChangeResponse } from '@warrant/contracts';
import type { ApiClient } from '../../../lib/api-client.ts';
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
