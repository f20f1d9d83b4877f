import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DB_NAME, DB_VERSION, OUTBOX_BASE_STORE, OUTBOX_STORE } from './database.ts';
import { IndexedDbOutboxStore, MemoryOutboxStore, outboxKey, type OutboxRecord, type OutboxStore } from './outbox-store.ts';
import { makeSet } from './test-support/fake-server.ts';

function record(setId: string, tabId: string, pending = 0, baseVersion = 3): OutboxRecord {
  return {
    key: outboxKey(setId, tabId),
    setId,
    tabId,
    userId: 'user-00001',
    ackVersion: baseVersion + 1,
    baseVersion,
    acked: [{ changeId: 'a0', ops: [{ op: 'setCategory', category: null }], version: baseVersion + 1 }],
    pending: Array.from({ length: pending }, (_, index) => ({
      changeId: `c${index}`,
      ops: [{ op: 'setCategory', category: null }],
      sent: false,
      createdAt: index,
      edits: 1,
    })),
    updatedAt: 1,
  };
}

const base = (setId: string, version = 3) =>
  makeSet({ id: setId, version, spans: [{ id: `span-${version}`, label: 'premise', start: 0, end: 8, note: null }] });

function openRaw(factory: IDBFactory, version: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DB_NAME, version);
    request.onupgradeneeded = () => upgrade?.(request.result);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function readRaw(db: IDBDatabase, store: string, key: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = db.transaction(store).objectStore(store).get(key);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

describe.each([
  ['IndexedDB', () => new IndexedDbOutboxStore(new IDBFactory())],
  ['memory', () => new MemoryOutboxStore()],
] as const)('%s outbox store', (_name, create: () => OutboxStore) => {
  it('stores a record with its base, lists records by set, and deletes both', async () => {
    const store = create();
    await store.put(record('set-aaaaaa', 'tab1', 1), base('set-aaaaaa'));
    await store.put(record('set-aaaaaa', 'tab2'), base('set-aaaaaa'));
    await store.put(record('set-bbbbbb', 'tab1'), base('set-bbbbbb'));
    expect(await store.get(outboxKey('set-aaaaaa', 'tab1'))).toEqual({ record: record('set-aaaaaa', 'tab1', 1), base: base('set-aaaaaa') });
    expect((await store.listForSet('set-aaaaaa')).map((entry) => entry.tabId).sort()).toEqual(['tab1', 'tab2']);
    await store.delete(outboxKey('set-aaaaaa', 'tab1'));
    expect(await store.get(outboxKey('set-aaaaaa', 'tab1'))).toBeUndefined();
    expect(await store.listForSet('set-aaaaaa')).toHaveLength(1);
    // The base went with it: a new record under the key does not find the old base.
    await store.put(record('set-aaaaaa', 'tab1'));
    expect(await store.get(outboxKey('set-aaaaaa', 'tab1'))).toMatchObject({ base: undefined });
  });

  it('keeps the stored base when only the record is written, and replaces it when a base comes along', async () => {
    const store = create();
    const key = outboxKey('set-aaaaaa', 'tab1');
    await store.put(record('set-aaaaaa', 'tab1'), base('set-aaaaaa', 3));
    await store.put(record('set-aaaaaa', 'tab1', 2));
    expect(await store.get(key)).toEqual({ record: record('set-aaaaaa', 'tab1', 2), base: base('set-aaaaaa', 3) });
    await store.put(record('set-aaaaaa', 'tab1', 2, 7), base('set-aaaaaa', 7));
    expect(await store.get(key)).toEqual({ record: record('set-aaaaaa', 'tab1', 2, 7), base: base('set-aaaaaa', 7) });
  });

  it('never pairs a record with a base of another version', async () => {
    const store = create();
    await store.put(record('set-aaaaaa', 'tab1', 1, 3), base('set-aaaaaa', 3));
    await store.put(record('set-aaaaaa', 'tab1', 1, 5)); // a record that claims a base never written
    expect(await store.get(outboxKey('set-aaaaaa', 'tab1'))).toEqual({ record: record('set-aaaaaa', 'tab1', 1, 5), base: undefined });
  });

  it('returns copies: changing what it gave back changes nothing stored', async () => {
    const store = create();
    const original = record('set-aaaaaa', 'tab1', 1);
    const snapshot = base('set-aaaaaa');
    await store.put(original, snapshot);
    original.pending.length = 0;
    snapshot.spans.length = 0;
    const read = await store.get(original.key);
    read!.record.ackVersion = 99;
    read!.base!.spans.length = 0;
    expect(await store.get(original.key)).toMatchObject({ record: { ackVersion: 4, pending: [{ changeId: 'c0' }] }, base: { spans: [{ id: 'span-3' }] } });
  });

  it('lists every record; on logout removes the user’s records with nothing unsent, with their bases, and keeps the rest', async () => {
    const store = create();
    await store.put(record('set-aaaaaa', 'tab1'), base('set-aaaaaa'));
    await store.put(record('set-bbbbbb', 'tab1', 2), base('set-bbbbbb'));
    await store.put({ ...record('set-cccccc', 'tab2'), userId: 'someone-else' }, base('set-cccccc'));
    expect((await store.listAll()).map((entry) => entry.key).sort()).toEqual(
      [outboxKey('set-aaaaaa', 'tab1'), outboxKey('set-bbbbbb', 'tab1'), outboxKey('set-cccccc', 'tab2')].sort(),
    );

    expect(await store.removeSettled('user-00001')).toBe(1);
    expect(await store.get(outboxKey('set-aaaaaa', 'tab1'))).toBeUndefined();
    // The base went with it.
    await store.put(record('set-aaaaaa', 'tab1'));
    expect(await store.get(outboxKey('set-aaaaaa', 'tab1'))).toMatchObject({ base: undefined });
    // Unsent edits are never deleted; another user's records are not this logout's business.
    expect(await store.get(outboxKey('set-bbbbbb', 'tab1'))).toEqual({ record: record('set-bbbbbb', 'tab1', 2), base: base('set-bbbbbb') });
    expect(await store.get(outboxKey('set-cccccc', 'tab2'))).toMatchObject({ record: { userId: 'someone-else' }, base: base('set-cccccc') });
  });

  it('moves a record and its base to another tab once: the second mover finds it gone', async () => {
    const store = create();
    await store.put(record('set-aaaaaa', 'dead', 2), base('set-aaaaaa'));
    const [first, second] = await Promise.all([
      store.rekey(outboxKey('set-aaaaaa', 'dead'), 'tab-x', 5),
      store.rekey(outboxKey('set-aaaaaa', 'dead'), 'tab-y', 5),
    ]);
    expect([first?.record.tabId, second?.record.tabId].filter(Boolean)).toHaveLength(1);
    const moved = (first ?? second)!;
    const key = outboxKey('set-aaaaaa', moved.record.tabId);
    expect(moved).toMatchObject({
      record: { key, updatedAt: 5, acked: [{ changeId: 'a0' }], pending: [{ changeId: 'c0' }, { changeId: 'c1' }] },
      base: base('set-aaaaaa'),
    });
    expect(await store.listForSet('set-aaaaaa')).toEqual([moved.record]);
    expect(await store.get(key)).toEqual(moved);
    expect(await store.get(outboxKey('set-aaaaaa', 'dead'))).toBeUndefined();
  });
});

describe('IndexedDB outbox store', () => {
  it('has committed a record and its base when put resolves: another connection reads them', async () => {
    const factory = new IDBFactory();
    await new IndexedDbOutboxStore(factory).put(record('set-aaaaaa', 'tab1', 1), base('set-aaaaaa'));
    const db = await openRaw(factory, DB_VERSION);
    expect(await readRaw(db, OUTBOX_STORE, outboxKey('set-aaaaaa', 'tab1'))).toMatchObject({ setId: 'set-aaaaaa', pending: [{ changeId: 'c0' }] });
    expect(await readRaw(db, OUTBOX_BASE_STORE, outboxKey('set-aaaaaa', 'tab1'))).toMatchObject({ snapshot: { version: 3 } });
    db.close();
  });

  it('writes a record and its base in one transaction: a failed base leaves the old pair whole', async () => {
    const factory = new IDBFactory();
    const store = new IndexedDbOutboxStore(factory);
    const key = outboxKey('set-aaaaaa', 'tab1');
    await store.put(record('set-aaaaaa', 'tab1', 1), base('set-aaaaaa', 3));
    // A base IndexedDB cannot clone: the transaction aborts, the record is not written either.
    const unclonable = { ...base('set-aaaaaa', 7), note: () => undefined };
    await expect(store.put(record('set-aaaaaa', 'tab1', 3, 7), unclonable)).rejects.toThrow();
    expect(await store.get(key)).toEqual({ record: record('set-aaaaaa', 'tab1', 1), base: base('set-aaaaaa', 3) });
  });

  it('upgrades a version 1 database: each record keeps its unsent changes, its snapshot becomes its base', async () => {
    const factory = new IDBFactory();
    const v1 = await openRaw(factory, 1, (db) => {
      const outbox = db.createObjectStore(OUTBOX_STORE, { keyPath: 'key' });
      outbox.createIndex('by-set', 'setId', { unique: false });
      db.createObjectStore('cache', { keyPath: 'key' });
    });
    const key = outboxKey('set-aaaaaa', 'tab1');
    const pending = [{ changeId: 'c0', ops: [{ op: 'setCategory', category: null }], sent: true, createdAt: 0, edits: 2 }];
    await new Promise<void>((resolve, reject) => {
      const tx = v1.transaction([OUTBOX_STORE, 'cache'], 'readwrite');
      tx.objectStore(OUTBOX_STORE).put({
        key,
        setId: 'set-aaaaaa',
        tabId: 'tab1',
        userId: 'user-00001',
        ackVersion: 4,
        snapshot: base('set-aaaaaa', 4),
        pending,
        updatedAt: 9,
      });
      tx.objectStore('cache').put({ key: 'user:u:passage:p', value: { text: 'kept' }, storedAt: 1 });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    v1.close();

    const store = new IndexedDbOutboxStore(factory);
    expect(await store.get(key)).toEqual({
      record: { key, setId: 'set-aaaaaa', tabId: 'tab1', userId: 'user-00001', ackVersion: 4, baseVersion: 4, acked: [], pending, updatedAt: 9 },
      base: base('set-aaaaaa', 4),
    });
    expect((await store.listForSet('set-aaaaaa')).map((entry) => entry.key)).toEqual([key]);
    const db = await openRaw(factory, DB_VERSION);
    expect(await readRaw(db, OUTBOX_STORE, key)).not.toHaveProperty('snapshot');
    expect(await readRaw(db, 'cache', 'user:u:passage:p')).toMatchObject({ value: { text: 'kept' } });
    db.close();
  });
});
