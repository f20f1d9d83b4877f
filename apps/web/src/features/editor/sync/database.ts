/**
 * The editor's IndexedDB database: unsent edits (the outbox) and what an offline reload needs
 * (the cache). One database, so one upgrade path; bump DB_VERSION and extend `upgrade` to change it.
 */
export const DB_NAME = 'warrant-editor';
export const DB_VERSION = 2;
/** Per set and tab, the small record written on every edit: versions, acknowledged and unsent changes. */
export const OUTBOX_STORE = 'outbox';
export const OUTBOX_BY_SET = 'by-set';
/** Per outbox record (same key), the server snapshot it starts from: written only now and then (v2). */
export const OUTBOX_BASE_STORE = 'outbox-base';
export const CACHE_STORE = 'cache';

const opened = new WeakMap<IDBFactory, Promise<IDBDatabase>>();

/** Version 1's outbox record: the whole snapshot inside the record, rewritten on every edit. */
interface OutboxRecordV1 {
  key: string;
  setId: string;
  tabId: string;
  userId: string;
  ackVersion: number;
  snapshot: { version: number } & Record<string, unknown>;
  pending: unknown[];
  updatedAt: number;
}

/** v1 to v2: each record's snapshot moves to OUTBOX_BASE_STORE; the record keeps the rest (no acknowledged changes yet). */
function splitOutboxRecords(tx: IDBTransaction): void {
  const outbox = tx.objectStore(OUTBOX_STORE);
  const bases = tx.objectStore(OUTBOX_BASE_STORE);
  const cursorRequest = outbox.openCursor();
  cursorRequest.onsuccess = () => {
    const cursor = cursorRequest.result;
    if (!cursor) return;
    const old = cursor.value as Partial<OutboxRecordV1>;
    try {
      if (old.snapshot && typeof old.ackVersion === 'number') {
        const { snapshot, ...rest } = old as OutboxRecordV1;
        // The old engine sent the next change on ackVersion, whatever the snapshot's own field said.
        bases.put({ key: rest.key, setId: rest.setId, snapshot: { ...snapshot, version: rest.ackVersion } });
        cursor.update({ ...rest, baseVersion: rest.ackVersion, acked: [] });
      } else {
        cursor.delete(); // not a record this app wrote: it could not be read anyway
      }
    } catch {
      cursor.delete(); // one unreadable record must not keep the database from opening
    }
    cursor.continue();
  };
}

function upgrade(db: IDBDatabase, tx: IDBTransaction, oldVersion: number): void {
  if (!db.objectStoreNames.contains(OUTBOX_STORE)) {
    const outbox = db.createObjectStore(OUTBOX_STORE, { keyPath: 'key' });
    outbox.createIndex(OUTBOX_BY_SET, 'setId', { unique: false });
  }
  if (!db.objectStoreNames.contains(CACHE_STORE)) db.createObjectStore(CACHE_STORE, { keyPath: 'key' });
  if (!db.objectStoreNames.contains(OUTBOX_BASE_STORE)) db.createObjectStore(OUTBOX_BASE_STORE, { keyPath: 'key' });
  if (oldVersion === 1) splitOutboxRecords(tx);
}

/** The browser's IndexedDB, or undefined where there is none (old private modes, tests without a fake). */
export function defaultIdbFactory(): IDBFactory | undefined {
  try {
    return typeof indexedDB === 'undefined' ? undefined : indexedDB;
  } catch {
    return undefined;
  }
}

/** One connection per factory, reopened after the browser closes it or another tab upgrades. */
export function openEditorDatabase(factory: IDBFactory): Promise<IDBDatabase> {
  let promise = opened.get(factory);
  if (promise) return promise;
  promise = new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = (event) => {
      const tx = request.transaction;
      if (!tx) throw new Error('IndexedDB upgrade without a transaction');
      upgrade(request.result, tx, event.oldVersion);
    };
    request.onsuccess = () => {
      const db = request.result;
      const forget = () => {
        if (opened.get(factory) === promise) opened.delete(factory);
      };
      // A newer version in another tab must not wait for this one: let go, reopen on next use.
      db.onversionchange = () => {
        forget();
        db.close();
      };
      db.onclose = forget;
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by an older tab of this app'));
  });
  promise.catch(() => {
    if (opened.get(factory) === promise) opened.delete(factory);
  });
  opened.set(factory, promise);
  return promise;
}

export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves once the transaction has committed (with 'strict' durability: on disk), rejects if it aborts. */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** A read-write transaction that reports `complete` only after the data is flushed to disk. */
export function durableTransaction(db: IDBDatabase, store: string | string[]): IDBTransaction {
  return db.transaction(store, 'readwrite', { durability: 'strict' });
}
