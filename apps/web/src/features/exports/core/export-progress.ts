import { clientId, type ExportProgress } from '@warrant/contracts';

/** A token for …/export/progress/:token: 32 hex digits (a UUID without its dashes). */
export function newProgressToken(randomUuid: () => string = () => crypto.randomUUID()): string {
  const token = randomUuid().replace(/-/g, '');
  if (!clientId.safeParse(token).success) throw new Error(`not a usable progress token: ${token}`);
  return token;
}

/** How often the page asks how far the download has got. */
export const POLL_MS = 500;
/**
 * Past this, a download the server never reported on (an older server, a download the browser
 * refused) is not followed any further: the browser's own downloads list still shows it.
 */
export const PENDING_LIMIT_MS = 30_000;

/** What the panel shows: the server's figures, or that there will be none. */
export type TrackedProgress = ExportProgress | { state: 'unavailable' };

export const isFinished = (progress: TrackedProgress | undefined): boolean =>
  progress !== undefined && (progress.state === 'done' || progress.state === 'failed' || progress.state === 'unavailable');

/**
 * A 404 from the progress route means "not started yet" (or a server without the route); after
 * PENDING_LIMIT_MS of that, the progress is unavailable.
 */
export function pendingOrUnavailable(startedAt: number, now: number): TrackedProgress {
  return now - startedAt > PENDING_LIMIT_MS ? { state: 'unavailable' } : { state: 'pending', passages: 0, total: 0, bytes: 0 };
}

/** The bar's value and maximum: passages read of the snapshot's total; full once done. */
export function barValues(progress: TrackedProgress): { value: number; max: number } {
  if (progress.state === 'done') return { value: 1, max: 1 };
  if (progress.state === 'running' && progress.total > 0) return { value: progress.passages, max: progress.total };
  return { value: 0, max: 1 };
}
