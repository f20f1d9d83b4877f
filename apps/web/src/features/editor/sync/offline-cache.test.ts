import { IDBFactory } from 'fake-indexeddb';
import { passage } from '@warrant/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-error.ts';
import { IndexedDbOfflineCache, cacheGet, cachePut, clearOfflineCache, offlineKeys, setOfflineCache, withOfflineFallback } from './offline-cache.ts';

const aPassage = {
  id: 'passage-01',
  projectId: 'project-01',
  externalId: 'p-1',
  ordinal: 1,
  text: 'Socrates is a man.',
  textSha256: '0'.repeat(64),
  meta: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('offline cache', () => {
  afterEach(() => setOfflineCache(undefined));

  it('keeps values by key, per user, in IndexedDB', async () => {
    setOfflineCache(new IndexedDbOfflineCache(new IDBFactory()));
    await cachePut(offlineKeys.project('user-1', 'project-01'), { name: 'Logic' });
    expect(await cacheGet(offlineKeys.project('user-1', 'project-01'))).toEqual({ name: 'Logic' });
    expect(await cacheGet(offlineKeys.project('user-2', 'project-01'))).toBeUndefined();
    await clearOfflineCache();
    expect(await cacheGet(offlineKeys.project('user-1', 'project-01'))).toBeUndefined();
  });

  it('checks a stored value against the contract and ignores one that no longer fits', async () => {
    setOfflineCache(new IndexedDbOfflineCache(new IDBFactory()));
    await cachePut('old', { id: 'x' });
    expect(await cacheGet('old', passage)).toBeUndefined();
  });

  it('withOfflineFallback: stores online answers and gives them back when the server cannot be reached', async () => {
    setOfflineCache(new IndexedDbOfflineCache(new IDBFactory()));
    const key = offlineKeys.passage('user-1', 'passage-01');
    const parsed = passage.safeParse(aPassage);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(await withOfflineFallback(key, passage, async () => parsed.data!)).toEqual(parsed.data);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the copy is written in the background

    const offline = () => Promise.reject(new ApiError(0, 'NETWORK_ERROR', 'the server could not be reached'));
    expect(await withOfflineFallback(key, passage, offline)).toEqual(parsed.data);
    // Not a network problem: the server's answer stands.
    const notFound = new ApiError(404, 'NOT_FOUND', 'gone');
    await expect(withOfflineFallback(key, passage, () => Promise.reject(notFound))).rejects.toBe(notFound);
    // Nothing stored: the network error stands.
    await expect(withOfflineFallback('other', passage, offline)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });
});
