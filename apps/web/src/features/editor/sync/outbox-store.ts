import type { AnnotationSet } from '@warrant/contracts';
import type { AnnotationOp } from '@warrant/domain';
import {
  OUTBOX_BASE_STORE,
  OUTBOX_BY_SET,
  OUTBOX_STORE,
  defaultIdbFactory,
  durableTransaction,
  openEditorDatabase,
  requestResult,
  transactionDone,
} from './database.ts';

/**
 * One edit inside a merged change: its ops are the next `opCount` ops of the change. Kept so
 * that a refusal of one op drops only the edit it belongs to.
 */
export interface ChangePart {
  opCount: number;
  /** The edits (enqueue calls) it stands for: usually 1. */
  edits: number;
}

/**
 * One change as the server will see it. Once `sent`, its changeId and ops never change again.
 * Never changed in place once created (the engine replaces a change, it does not edit it), so a
 * record can be copied for storage without copying its changes.
 */
export interface PendingChange {
  changeId: string;
  ops: AnnotationOp[];
  /** Handed to the network at least once (maybe received): retried exactly as it is. */
  sent: boolean;
  createdAt: number;
  /** How many edits (enqueue calls) it carries, so merging does not change the count the user sees. */
  edits: number;
  /**
   * The edits merged into it, in order (their op counts add up to ops.length). Absent: the
   * change is one edit (records written before parts existed read the same way).
   */
  parts?: ChangePart[];
  /** Sent on its own, never merged with another: set while finding which edit the server refuses, and on halves of a change too large to send. */
  alone?: boolean;
}

/** A change the server has applied, kept until the next compaction folds it into the base snapshot. */
export interface AckedChange {
  changeId: string;
  ops: AnnotationOp[];
  /** The server version it produced. */
  version: number;
}

/**
 * A tab's view of one annotation set, without the snapshot: small, and rewritten on every edit.
 * The server state it last heard of is the base snapshot (stored apart, see OutboxStore.put) at
 * `baseVersion`, with the `acked` changes applied on top: that is the state at `ackVersion`.
 */
export interface OutboxRecord {
  /** `${setId}:${tabId}`, see outboxKey. */
  key: string;
  setId: string;
  tabId: string;
  userId: string;
  /** The server version the snapshot (base + acked) is at; the baseVersion of the next change. */
  ackVersion: number;
  /** The version of the stored base snapshot. */
  baseVersion: number;
  /** Changes acknowledged since the base, in order. */
  acked: AckedChange[];
  pending: PendingChange[];
  updatedAt: number;
}

/** A record and its base snapshot (the server's set at record.baseVersion), read in one transaction. */
export interface StoredOutbox {
  record: OutboxRecord;
  /** Missing only if the stored data was damaged (written by no version of this app). */
  base: AnnotationSet | undefined;
}

export interface OutboxStore {
  /** True when what it holds is lost with the page (the memory store standing in for a missing IndexedDB). */
  readonly volatile?: boolean;
  get(key: string): Promise<StoredOutbox | undefined>;
  /**
   * Resolves once the record is durably stored; with `base`, the record and its base snapshot are
   * written in one transaction (both or neither). Without it, the stored base stays as it is.
   */
  put(record: OutboxRecord, base?: AnnotationSet): Promise<void>;
  /** The record and its base. */
  delete(key: string): Promise<void>;
  /** The records only (no snapshots): cheap enough to scan. */
  listForSet(setId: string): Promise<OutboxRecord[]>;
  /** Every record (no snapshots), of every set and user. */
  listAll(): Promise<OutboxRecord[]>;
  /**
   * Deletes, with their bases, the records of `userId` that hold nothing unsent, checked in the
   * same transaction as the delete (a record that gained an edit meanwhile stays). Returns how many went.
   */
  removeSettled(userId: string): Promise<number>;
  /**
   * Moves a record and its base to another tab in one transaction (so two tabs can never both
   * adopt it). Returns what was moved, or undefined when `oldKey` is gone (another tab was quicker).
   */
  rekey(oldKey: string, tabId: string, updatedAt: number): Promise<StoredOutbox | undefined>;
}

export function outboxKey(setId: string, tabId: string): string {
  return `${setId}:${tabId}`;
}

function moved(record: OutboxRecord, tabId: string, updatedAt: number): OutboxRecord {
  return { ...record, key: outboxKey(record.setId, tabId), tabId, updatedAt };
}

/** How a base snapshot is stored in OUTBOX_BASE_STORE. */
interface BaseEntry {
  key: string;
  setId: string;
  snapshot: AnnotationSet;
}

/** The base only when it is the one the record was written with (a damaged pair reads as no base). */
function pairOf(record: OutboxRecord, entry: BaseEntry | undefined): StoredOutbox {
  const base = entry && entry.snapshot.version === record.baseVersion ? entry.snapshot : undefined;
  return { record, base };
}

export class IndexedDbOutboxStore implements OutboxStore {
  private readonly factory: IDBFactory;

  constructor(factory: IDBFactory) {
    this.factory = factory;
  }

  async get(key: string): Promise<StoredOutbox | undefined> {
    const db = await openEditorDatabase(this.factory);
    const tx = db.transaction([OUTBOX_STORE, OUTBOX_BASE_STORE], 'readonly');
    const [record, entry] = await Promise.all([
      requestResult(tx.objectStore(OUTBOX_STORE).get(key)) as Promise<OutboxRecord | undefined>,
      requestResult(tx.objectStore(OUTBOX_BASE_STORE).get(key)) as Promise<BaseEntry | undefined>,
    ]);
    return record && pairOf(record, entry);
  }

  async put(record: OutboxRecord, base?: AnnotationSet): Promise<void> {
    const db = await openEditorDatabase(this.factory);
    const tx = durableTransaction(db, base ? [OUTBOX_STORE, OUTBOX_BASE_STORE] : OUTBOX_STORE);
    const done = transactionDone(tx);
    try {
      if (base) tx.objectStore(OUTBOX_BASE_STORE).put({ key: record.key, setId: record.setId, snapshot: base } satisfies BaseEntry);
      tx.objectStore(OUTBOX_STORE).put(record);
    } catch (error) {
      // A value that cannot be stored (DataCloneError) throws here: neither part may commit.
      done.catch(() => undefined);
      tx.abort();
      throw error;
    }
    await done;
  }

  async delete(key: string): Promise<void> {
    const db = await openEditorDatabase(this.factory);
    const tx = durableTransaction(db, [OUTBOX_STORE, OUTBOX_BASE_STORE]);
    const done = transactionDone(tx);
    tx.objectStore(OUTBOX_STORE).delete(key);
    tx.objectStore(OUTBOX_BASE_STORE).delete(key);
    await done;
  }

  async listForSet(setId: string): Promise<OutboxRecord[]> {
    const db = await openEditorDatabase(this.factory);
    const tx = db.transaction(OUTBOX_STORE, 'readonly');
    return (await requestResult(tx.objectStore(OUTBOX_STORE).index(OUTBOX_BY_SET).getAll(setId))) as OutboxRecord[];
  }

  async listAll(): Promise<OutboxRecord[]> {
    const db = await openEditorDatabase(this.factory);
    const tx = db.transaction(OUTBOX_STORE, 'readonly');
    return (await requestResult(tx.objectStore(OUTBOX_STORE).getAll())) as OutboxRecord[];
  }

  async removeSettled(userId: string): Promise<number> {
    const db = await openEditorDatabase(this.factory);
    const tx = durableTransaction(db, [OUTBOX_STORE, OUTBOX_BASE_STORE]);
    const done = transactionDone(tx);
    const bases = tx.objectStore(OUTBOX_BASE_STORE);
    let removed = 0;
    // A cursor, not await: reading and deleting must stay in this one transaction.
    const cursorRequest = tx.objectStore(OUTBOX_STORE).openCursor();
    cursorRequest.onsuccess = () => {
      const cursor = cursorRequest.result;
      if (!cursor) return;
      const record = cursor.value as Partial<OutboxRecord>;
      if (record.userId === userId && Array.isArray(record.pending) && record.pending.length === 0) {
        cursor.delete();
        bases.delete(cursor.primaryKey);
        removed++;
      }
      cursor.continue();
    };
    await done;
    return removed;
  }

  async rekey(oldKey: string, tabId: string, updatedAt: number): Promise<StoredOutbox | undefined> {
    const db = await openEditorDatabase(this.factory);
    const tx = durableTransaction(db, [OUTBOX_STORE, OUTBOX_BASE_STORE]);
    const done = transactionDone(tx);
    const records = tx.objectStore(OUTBOX_STORE);
    const bases = tx.objectStore(OUTBOX_BASE_STORE);
    let result: StoredOutbox | undefined;
    // Callbacks rather than await: the reads, deletes and writes must stay in this one transaction.
    const readRecord = records.get(oldKey);
    const readBase = bases.get(oldKey);
    readBase.onsuccess = () => {
      // Requests of one transaction complete in order: the record was read before the base.
      const old = readRecord.result as OutboxRecord | undefined;
      if (!old) return;
      const record = moved(old, tabId, updatedAt);
      const entry = readBase.result as BaseEntry | undefined;
      records.delete(oldKey);
      records.put(record);
      if (entry) {
        bases.delete(oldKey);
        bases.put({ ...entry, key: record.key } satisfies BaseEntry);
      }
      result = pairOf(record, entry);
    };
    await done;
    return result;
  }
}

/**
 * For tests and for browsers without IndexedDB: the same behaviour, kept in memory (copies in and
 * out, as IndexedDB does).
 */
export class MemoryOutboxStore implements OutboxStore {
  readonly records = new Map<string, OutboxRecord>();
  readonly bases = new Map<string, AnnotationSet>();
  /** False by default (a test's stand-in for IndexedDB); true where it replaces a missing IndexedDB. */
  readonly volatile: boolean;

  constructor(options: { volatile?: boolean } = {}) {
    this.volatile = options.volatile ?? false;
  }

  async get(key: string): Promise<StoredOutbox | undefined> {
    const record = this.records.get(key);
    return record && structuredClone(pairOf(record, this.baseEntry(key)));
  }

  async put(record: OutboxRecord, base?: AnnotationSet): Promise<void> {
    // Both copied before either is stored: both or neither.
    const [recordCopy, baseCopy] = structuredClone([record, base] as const);
    this.records.set(record.key, recordCopy);
    if (baseCopy) this.bases.set(record.key, baseCopy);
  }

  async delete(key: string): Promise<void> {
    this.records.delete(key);
    this.bases.delete(key);
  }

  async listForSet(setId: string): Promise<OutboxRecord[]> {
    return [...this.records.values()].filter((record) => record.setId === setId).map((record) => structuredClone(record));
  }

  async listAll(): Promise<OutboxRecord[]> {
    return [...this.records.values()].map((record) => structuredClone(record));
  }

  async removeSettled(userId: string): Promise<number> {
    let removed = 0;
    for (const [key, record] of this.records) {
      if (record.userId !== userId || record.pending.length > 0) continue;
      this.records.delete(key);
      this.bases.delete(key);
      removed++;
    }
    return removed;
  }

  async rekey(oldKey: string, tabId: string, updatedAt: number): Promise<StoredOutbox | undefined> {
    const old = this.records.get(oldKey);
    if (!old) return undefined;
    const record = moved(old, tabId, updatedAt);
    const base = this.bases.get(oldKey);
    this.records.delete(oldKey);
    this.bases.delete(oldKey);
    this.records.set(record.key, record);
    if (base) this.bases.set(record.key, base);
    return structuredClone(pairOf(record, this.baseEntry(record.key)));
  }

  private baseEntry(key: string): BaseEntry | undefined {
    const snapshot = this.bases.get(key);
    return snapshot && { key, setId: snapshot.id, snapshot };
  }
}

let defaultStore: OutboxStore | undefined;

/**
 * The app's outbox: IndexedDB where the browser has it, else memory (edits then live as long as
 * the tab, and the save status says so).
 */
export function defaultOutboxStore(): OutboxStore {
  if (!defaultStore) {
    const factory = defaultIdbFactory();
    defaultStore = factory ? new IndexedDbOutboxStore(factory) : new MemoryOutboxStore({ volatile: true });
  }
  return defaultStore;
}
