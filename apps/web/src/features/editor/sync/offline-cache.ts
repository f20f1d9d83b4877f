import type { z } from 'zod';
import { CACHE_STORE, defaultIdbFactory, durableTransaction, openEditorDatabase, requestResult, transactionDone } from './database.ts';
import { isNetworkError } from './network-error.ts';

/**
 * What the editor needs to open a passage without the server: the project (with its scheme),
 * the passage and the queue, as last loaded online. The annotation set itself is in the outbox
 * (SaveEngine.start(null)). Keys carry the user id, so one account never reads another's copy.
 */
export const offlineKeys = {
  project: (userId: string, projectId: string) => `user:${userId}:project:${projectId}`,
  passage: (userId: string, passageId: string) => `user:${userId}:passage:${passageId}`,
  queue: (userId: string, projectId: string) => `user:${userId}:queue:${projectId}`,
};

interface CacheEntry {
  key: string;
  value: unknown;
  storedAt: number;
}

export interface OfflineCache {
  put(key: string, value: unknown): Promise<void>;
  get(key: string): Promise<unknown>;
  clear(): Promise<void>;
}

export class IndexedDbOfflineCache implements OfflineCache {
  private readonly factory: IDBFactory;

  constructor(factory: IDBFactory) {
    this.factory = factory;
  }

  async put(key: string, value: unknown): Promise<void> {
    const db = await openEditorDatabase(this.factory);
    const tx = durableTransaction(db, CACHE_STORE);
    const done = transactionDone(tx);
    tx.objectStore(CACHE_STORE).put({ key, value, storedAt: Date.now() } satisfies CacheEntry);
    await done;
  }

  async get(key: string): Promise<unknown> {
    const db = await openEditorDatabase(this.factory);
    const entry = (await requestResult(db.transaction(CACHE_STORE, 'readonly').objectStore(CACHE_STORE).get(key))) as CacheEntry | undefined;
    return entry?.value;
  }

  async clear(): Promise<void> {
    const db = await openEditorDatabase(this.factory);
    const tx = durableTransaction(db, CACHE_STORE);
    const done = transactionDone(tx);
    tx.objectStore(CACHE_STORE).clear();
    await done;
  }
}

export class MemoryOfflineCache implements OfflineCache {
  private readonly entries = new Map<string, unknown>();

  async put(key: string, value: unknown): Promise<void> {
    this.entries.set(key, structuredClone(value));
  }

  async get(key: string): Promise<unknown> {
    return structuredClone(this.entries.get(key));
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }
}

let cache: OfflineCache | undefined;

function offlineCache(): OfflineCache {
  if (!cache) {
    const factory = defaultIdbFactory();
    cache = factory ? new IndexedDbOfflineCache(factory) : new MemoryOfflineCache();
  }
  return cache;
}

/** For tests: use this cache instead of the browser's. */
export function setOfflineCache(replacement: OfflineCache | undefined): void {
  cache = replacement;
}

/** Remembers a value loaded online. Never fails: a full disk only costs the offline copy. */
export async function cachePut(key: string, value: unknown): Promise<void> {
  try {
    await offlineCache().put(key, value);
  } catch {
    // The app works online without it.
  }
}

/** The stored value, checked with the contract schema when one is given (an older app's copy may not fit). */
export async function cacheGet(key: string): Promise<unknown>;
export async function cacheGet<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | undefined>;
export async function cacheGet(key: string, schema?: z.ZodType): Promise<unknown> {
  let value: unknown;
  try {
    value = await offlineCache().get(key);
  } catch {
    return undefined;
  }
  if (value === undefined || !schema) return value;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Forgets every stored copy (on logout: the next person at this browser must not read them). */
export async function clearOfflineCache(): Promise<void> {
  try {
    await offlineCache().clear();
  } catch {
    // Nothing stored, or nothing to store in.
  }
}

/**
 * For a queryFn: loads online and keeps a copy; when the server cannot be reached, answers with
 * the copy instead (and when there is none, fails as the load did). Use with `networkMode: 'always'`,
 * or TanStack Query pauses the query while the browser says it is offline and this never runs.
 */
export async function withOfflineFallback<S extends z.ZodType>(key: string, schema: S, load: () => Promise<z.output<S>>): Promise<z.output<S>> {
  try {
    const value = await load();
    void cachePut(key, value);
    return value;
  } catch (error) {
    if (!isNetworkError(error)) throw error;
    const cached = await cacheGet(key, schema);
    if (cached === undefined) throw error;
    return cached;
  }
}
