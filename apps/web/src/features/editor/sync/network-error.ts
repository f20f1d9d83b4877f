import { isApiError } from '../../../lib/api-error.ts';

/** The server could not be reached at all (offline, DNS, connection refused): not an answer from it. */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  return isApiError(error) && error.status === 0 && error.code === 'NETWORK_ERROR';
}
