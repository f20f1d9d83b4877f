import { MAX_OPS_PER_CHANGE, annotationSet, type AnnotationSet, type ChangeBody, type ChangeResponse } from '@warrant/contracts';
import {
  AnnotationOpError,
  annotationStateToContent,
  applyOp,
  applyOps,
  cloneAnnotationState,
  createAnnotationState,
  diffAnnotationStates,
  type AnnotationContext,
  type AnnotationOp,
  type AnnotationState,
  type LabelScheme,
} from '@warrant/domain';
import { isApiError, retryAfterSeconds } from '../../../lib/api-error.ts';
import { isNetworkError } from './network-error.ts';
import {
  defaultOutboxStore,
  outboxKey,
  type AckedChange,
  type OutboxRecord,
  type OutboxStore,
  type PendingChange,
  type StoredOutbox,
} from './outbox-store.ts';
import { browserTabs, type TabRegistry } from './tab-id.ts';

/** Why a status is 'error'; the text the user reads is chosen by it (see save-status-text.ts). */
export type SaveErrorReason =
  /** The server refused an edit (400, or a change id it had seen with other ops): it was dropped. */
  | 'refused'
  /** The server cannot store changes now (503, another 5xx, 429): retrying. */
  | 'unavailable'
  /** The set is gone or not yours any more (404): kept here, retried on retryNow(). */
  | 'not-found'
  /** 403 (a stale CSRF token, a changed role): kept here, retried every 10 s and on retryNow(). */
  | 'forbidden'
  /** Edits left unsent by an earlier visit no longer apply to the passage: they were dropped. */
  | 'not-restored';

export type SaveStatus =
  | { kind: 'saved'; pending: 0; savedAt: number | null }
  | { kind: 'saving'; pending: number }
  | { kind: 'offline'; pending: number }
  | { kind: 'signed-out'; pending: number }
  | { kind: 'conflict'; pending: number; theirs: AnnotationSet }
  | {
      kind: 'error';
      pending: number;
      /** The server's (or the domain's) sentence, in English. */
      message: string;
      reason: SaveErrorReason;
      /** For 'refused' and 'not-restored': how many edits were dropped. */
      dropped?: number;
    };

export interface EngineApi {
  /** Throws ApiError, or TypeError when offline. */
  sendChange(setId: string, body: ChangeBody): Promise<ChangeResponse>;
  getSet(setId: string): Promise<AnnotationSet>;
}

export interface SaveEngineOptions {
  setId: string;
  userId: string;
  /** The passage text and the project's scheme: the context every op is validated in. */
  text: string;
  scheme: LabelScheme;
  api: EngineApi;
  store?: OutboxStore;
  /** How long edits gather before they are sent (default 250 ms). */
  debounceMs?: number;
  /** Tab identity and liveness (default: sessionStorage + Web Locks). */
  tabs?: TabRegistry;
  /** Where 'online' events come from (default: window), which trigger a retry at once. */
  onlineEvents?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
}

export interface StartResult {
  state: AnnotationState;
  /** Edits not yet on the server (left by this tab before a reload, or adopted from a closed tab). */
  pending: number;
  version: number;
}

/** start(null) (offline) found nothing stored for this set: the passage cannot be shown. */
export class OfflineUnavailableError extends Error {
  override readonly name = 'OfflineUnavailableError';
}

const BACKOFF_MS = [1000, 2000, 4000, 8000, 10_000] as const;
const SLOW_RETRY_MS = 10_000;
/** Acknowledged changes are folded into a new stored base after this long without edits or answers... */
export const COMPACT_IDLE_MS = 3000;
/** ... or at once when there are more of them than this (changes, or ops in all). */
export const COMPACT_AFTER_CHANGES = 200;
export const COMPACT_AFTER_OPS = 1000;

/** 32 hex digits: matches CLIENT_ID_PATTERN (letters, digits, '-', '_'; 1 to 64). */
export function newChangeId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

/** A fresh state (createAnnotationState copies), so the snapshot stays what the server said. */
function stateOf(set: AnnotationSet): AnnotationState {
  return createAnnotationState(set);
}

/** The set as the server would now return it (its order), at `version`; `fields` gives everything but the content. */
function setOf(fields: AnnotationSet, state: AnnotationState, version: number): AnnotationSet {
  return { ...fields, ...annotationStateToContent(state), version };
}

/** The set's fields other than its content (id, annotator, dates): what setOf needs besides a state. */
function fieldsOf(set: AnnotationSet): AnnotationSet {
  return { ...set, spans: [], relations: [] };
}

/**
 * The stored snapshot: the base with the acknowledged changes applied in order. Each of them was
 * applied by the server and, when it was acknowledged, by this engine in the same context, so they
 * apply again; only a scheme changed since then can refuse one. Then what still applies is kept,
 * op by op. That can only happen when the snapshot is not the server's anyway (offline, or own
 * edits on an older version), and the next state read from the server replaces it (start online,
 * a 409, a refusal).
 */
function replay(base: AnnotationSet, acked: readonly AckedChange[], context: AnnotationContext): AnnotationState {
  const state = stateOf(base);
  for (const change of acked) {
    try {
      applyOps(state, change.ops, context);
    } catch (error) {
      if (!(error instanceof AnnotationOpError)) throw error;
      for (const op of change.ops) {
        try {
          applyOp(state, op, context);
        } catch (opError) {
          if (!(opError instanceof AnnotationOpError)) throw opError;
        }
      }
    }
  }
  return state;
}

function ackedOps(acked: readonly AckedChange[]): number {
  let count = 0;
  for (const change of acked) count += change.ops.length;
  return count;
}

function chunks(ops: readonly AnnotationOp[]): AnnotationOp[][] {
  const result: AnnotationOp[][] = [];
  for (let start = 0; start < ops.length; start += MAX_OPS_PER_CHANGE) result.push(ops.slice(start, start + MAX_OPS_PER_CHANGE));
  return result;
}

type Failure =
  | { kind: 'network' }
  | { kind: 'unauthenticated' }
  | { kind: 'conflict'; current: AnnotationSet | null }
  | { kind: 'refused'; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'unavailable'; message: string; retryAfterMs: number | undefined };

function classify(error: unknown): Failure {
  if (isNetworkError(error)) return { kind: 'network' };
  if (!isApiError(error)) {
    return { kind: 'unavailable', message: error instanceof Error ? error.message : String(error), retryAfterMs: undefined };
  }
  if (error.code === 'ABORTED') return { kind: 'network' };
  if (error.status === 401) return { kind: 'unauthenticated' };
  if (error.status === 409 && error.code === 'VERSION_CONFLICT') {
    const details = error.details;
    const parsed = annotationSet.safeParse(typeof details === 'object' && details !== null ? (details as { current?: unknown }).current : undefined);
    return { kind: 'conflict', current: parsed.success ? parsed.data : null };
  }
  // 409 CONFLICT: this change id was applied with other ops. Not ours to retry: refused like a 400.
  if (error.status === 400 || error.status === 409 || error.status === 413 || error.status === 422) {
    return { kind: 'refused', message: error.message };
  }
  if (error.status === 404) return { kind: 'not-found', message: error.message };
  if (error.status === 403) return { kind: 'forbidden', message: error.message };
  const seconds = retryAfterSeconds(error);
  return { kind: 'unavailable', message: error.message, retryAfterMs: seconds === undefined ? undefined : seconds * 1000 };
}

/** Per store and record key, the tail of a queue of tasks: shared by every engine of this page. */
type Chains = WeakMap<OutboxStore, Map<string, Promise<void>>>;
const writeChains: Chains = new WeakMap();
const startChains: Chains = new WeakMap();

/** Runs `task` after every task queued before it for this key (whether those succeeded or not). */
function exclusive<T>(all: Chains, store: OutboxStore, key: string, task: () => Promise<T>): Promise<T> {
  let chains = all.get(store);
  if (!chains) {
    chains = new Map();
    all.set(store, chains);
  }
  const run = (chains.get(key) ?? Promise.resolve()).then(task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  chains.set(key, tail);
  void tail.then(() => {
    if (chains.get(key) === tail) chains.delete(key);
  });
  return run;
}

function writesSettled(store: OutboxStore, key: string): Promise<void> {
  return writeChains.get(store)?.get(key) ?? Promise.resolve();
}

type Problem =
  | { kind: 'offline' }
  | { kind: 'signed-out' }
  | { kind: 'error'; reason: 'unavailable' | 'not-found' | 'forbidden'; message: string };

interface Notice {
  reason: 'refused' | 'not-restored';
  message: string;
  dropped: number;
}

function sameStatus(a: SaveStatus, b: SaveStatus): boolean {
  if (a.kind !== b.kind || a.pending !== b.pending) return false;
  if (a.kind === 'saved' && b.kind === 'saved') return a.savedAt === b.savedAt;
  if (a.kind === 'conflict' && b.kind === 'conflict') return a.theirs === b.theirs;
  if (a.kind === 'error' && b.kind === 'error') return a.message === b.message && a.reason === b.reason && a.dropped === b.dropped;
  return true;
}

/**
 * Saves one annotation set: every edit is a list of ops, stored in IndexedDB before enqueue()
 * resolves (per tab), sent in order, one request at a time, within about a second; retried with
 * the same change id after a lost connection (the server applies a change id once); resumed after
 * a reload, a new login, or in another tab once this one is closed; a 409 becomes a conflict to
 * resolve. Contract: docs/editor.md, "Save engine".
 */
export class SaveEngine {
  private readonly setId: string;
  private readonly userId: string;
  private readonly context: AnnotationContext;
  private readonly api: EngineApi;
  private readonly store: OutboxStore;
  private readonly debounceMs: number;
  private readonly tabs: TabRegistry;
  private readonly onlineEvents: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | undefined;

  /** This tab's record (what is stored, minus the base snapshot); its changes are never changed in place. */
  private record: OutboxRecord | null = null;
  /**
   * The server's state as this tab last heard it, at record.ackVersion: the stored base with
   * record.acked applied. Kept up to date op by op (never shared: the editor gets copies).
   */
  private snapshot: AnnotationState | null = null;
  /** The set's other fields (id, annotator, dates), for the AnnotationSet form of the snapshot. */
  private snapshotFields: AnnotationSet | null = null;
  /** The stored base is to be replaced: the next write stores the snapshot as the base and empties acked. */
  private baseDirty = false;
  /** A write queued and not yet begun: it will store the record as it is then, so later edits join it. */
  private queuedWrite: Promise<void> | undefined;
  private compactTimer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private stopped = false;
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = 0;
  private attempt = 0;
  private problem: Problem | null = null;
  private notice: Notice | null = null;
  private theirs: AnnotationSet | null = null;
  private savedAt: number | null = null;
  private status: SaveStatus = { kind: 'saved', pending: 0, savedAt: null };
  private readonly statusListeners = new Set<(status: SaveStatus) => void>();
  private readonly replaceListeners = new Set<(state: AnnotationState, version: number) => void>();
  private readonly onOnline = () => this.retryNow();

  constructor(options: SaveEngineOptions) {
    this.setId = options.setId;
    this.userId = options.userId;
    this.context = { text: options.text, scheme: options.scheme };
    this.api = options.api;
    this.store = options.store ?? defaultOutboxStore();
    this.debounceMs = options.debounceMs ?? 250;
    this.tabs = options.tabs ?? browserTabs;
    this.onlineEvents = options.onlineEvents ?? (typeof window === 'undefined' ? undefined : window);
  }

  /** Server state (null when offline) merged with what this tab (or a closed one) left unsent. */
  async start(server: AnnotationSet | null): Promise<StartResult> {
    if (this.started) throw new Error('SaveEngine.start called twice');
    this.started = true;
    const now = Date.now();
    const tabId = await this.tabs.currentTabId();
    const key = outboxKey(this.setId, tabId);
    // One start at a time per record: a quick remount (StrictMode, coming back to a passage) must
    // not read the record while the engine before it is still adopting or writing it.
    return exclusive(startChains, this.store, key, () => this.startExclusive(server, tabId, key, now));
  }

  private async startExclusive(server: AnnotationSet | null, tabId: string, key: string, now: number): Promise<StartResult> {
    await writesSettled(this.store, key);
    if (this.stopped) throw new Error('SaveEngine stopped before it started');
    let stored = await this.store.get(key);
    if (stored && stored.record.userId !== this.userId) {
      // Another account's unsent work in this tab: set it aside (lock-free, so that user's next tab adopts it).
      await this.store.rekey(stored.record.key, `aside-${newChangeId()}`, now);
      stored = undefined;
    }
    if (this.stopped) throw new Error('SaveEngine stopped before it started');
    stored ??= await this.adopt(tabId, now);
    // A record without its base (damaged storage) and nothing unsent: as if there were none.
    if (stored && !stored.base && stored.record.pending.length === 0) stored = undefined;

    let record: OutboxRecord;
    let snapshot: { set: AnnotationSet; state?: AnnotationState; stored: boolean };
    if (!stored) {
      const base = server ?? (await this.freshestStored());
      if (!base) throw new OfflineUnavailableError(`annotation set ${this.setId} is not stored on this device`);
      const version = base.version;
      record = { key, setId: this.setId, tabId, userId: this.userId, ackVersion: version, baseVersion: version, acked: [], pending: [], updatedAt: now };
      snapshot = { set: base, stored: false };
    } else if (server && (stored.record.pending.length === 0 || server.version === stored.record.ackVersion)) {
      record = stored.record;
      const same = stored.base !== undefined && stored.base.version === server.version && record.acked.length === 0;
      snapshot = { set: server, stored: same };
    } else if (stored.base) {
      // Pending edits stay on top of the version they were made on: a newer server version means a 409 to resolve.
      record = stored.record;
      snapshot = { set: stored.base, state: replay(stored.base, record.acked, this.context), stored: true };
    } else {
      // Unsent edits whose base was lost: shown on the newest state at hand, still sent on the
      // version they were made on (so a newer server version still shows as a 409).
      record = stored.record;
      const base = server ?? (await this.freshestStored());
      if (!base) throw new OfflineUnavailableError(`annotation set ${this.setId} is not stored on this device`);
      snapshot = { set: { ...base, version: record.ackVersion }, stored: false };
    }
    if (this.stopped) throw new Error('SaveEngine stopped before it started');

    this.record = record;
    if (snapshot.state) {
      this.snapshot = snapshot.state;
      this.snapshotFields = fieldsOf(snapshot.set);
    } else {
      // Stored as the new base by the write below (so that an offline reload can show the
      // passage), unless the stored base is that very version already.
      this.takeSnapshot(snapshot.set);
      if (snapshot.stored) this.baseDirty = false;
    }
    const { state, dropped, message } = this.rebuild();
    if (dropped > 0) this.notice = { reason: 'not-restored', message, dropped };
    record.updatedAt = now;
    await this.persist().catch(() => undefined);
    void this.removeLeftovers(key);

    if (!this.stopped) {
      this.onlineEvents?.addEventListener('online', this.onOnline);
      this.emit();
      this.scheduleCompaction();
      if (record.pending.length > 0) void this.pump();
    }
    return { state, pending: this.pendingCount(), version: record.ackVersion };
  }

  /**
   * Already applied locally and validated by the caller; persisted before this returns. Its work
   * is proportional to the edit (and to what is unsent), never to the set: the record it stores
   * holds no snapshot.
   */
  async enqueue(ops: AnnotationOp[]): Promise<void> {
    const record = this.record;
    if (!record) throw new Error('SaveEngine.enqueue before start');
    if (this.stopped) throw new Error('SaveEngine.enqueue after stop');
    if (ops.length === 0) return;
    // The user has carried on editing: a refused edit has been seen.
    this.notice = null;
    const now = Date.now();
    for (const part of chunks(structuredClone(ops))) {
      record.pending.push({ changeId: newChangeId(), ops: part, sent: false, createdAt: now, edits: 1 });
    }
    record.updatedAt = now;
    const written = this.persist();
    this.emit();
    // A retry already waiting (offline, signed out) keeps its time: edits do not shorten the backoff.
    if (!this.inFlight && !this.theirs && (this.problem === null || this.timer === undefined)) this.schedule(this.debounceMs);
    // Compaction waits for a pause in the typing.
    if (this.compactTimer !== undefined) this.scheduleCompaction();
    await written;
  }

  /** Calls the listener now and on every change of status. */
  subscribe(listener: (status: SaveStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.status);
    return () => this.statusListeners.delete(listener);
  }

  getStatus(): SaveStatus {
    return this.status;
  }

  /** The document was replaced by the server's (conflict resolved as theirs, or a change refused). */
  onReplace(listener: (state: AnnotationState, version: number) => void): () => void {
    this.replaceListeners.add(listener);
    return () => this.replaceListeners.delete(listener);
  }

  /**
   * 'theirs': drop what was unsent and take the server's state (onReplace fires).
   * 'mine': keep `mine` (the editor's current state) as one new change on top of theirs.
   */
  async resolveConflict(choice: 'mine' | 'theirs', mine: AnnotationState): Promise<void> {
    const record = this.record;
    const theirs = this.theirs;
    if (!record || !theirs || this.stopped) return;
    this.theirs = null;
    this.problem = null;
    this.attempt = 0;
    const snapshot = this.takeSnapshot(theirs);
    record.updatedAt = Date.now();
    if (choice === 'theirs') {
      record.pending = [];
      const written = this.persist();
      this.emit();
      for (const listener of this.replaceListeners) listener(stateOf(theirs), theirs.version);
      await written;
      return;
    }
    const ops = diffAnnotationStates(snapshot, mine);
    const now = Date.now();
    record.pending = chunks(ops).map((part) => ({ changeId: newChangeId(), ops: part, sent: false, createdAt: now, edits: 1 }));
    const written = this.persist();
    this.emit();
    await written;
    if (record.pending.length > 0) void this.pump();
  }

  /** Try now (after a new login, or a user's "retry"); backoff starts over. */
  retryNow(): void {
    if (this.stopped || !this.record || this.theirs) return;
    this.attempt = 0;
    this.clearTimer();
    void this.pump();
  }

  /** Stops sending and listening. Unsent edits stay stored for the next start (in this tab or another). */
  stop(): void {
    if (!this.stopped && this.record && this.record.acked.length > 0) {
      // The next start (in this tab or another) then reads one snapshot and replays nothing.
      this.baseDirty = true;
      this.write().catch(() => undefined);
    }
    this.stopped = true;
    this.clearTimer();
    this.clearCompactTimer();
    this.onlineEvents?.removeEventListener('online', this.onOnline);
    this.statusListeners.clear();
    this.replaceListeners.clear();
  }

  // ---- sending -------------------------------------------------------------------------------

  private async pump(): Promise<void> {
    if (this.inFlight || this.stopped || this.theirs || !this.record) return;
    this.clearTimer();
    this.inFlight = true;
    this.emit();
    try {
      while (!this.stopped && !this.theirs && this.record.pending.length > 0) {
        if (!(await this.sendHead(this.record))) break;
      }
    } finally {
      this.inFlight = false;
    }
    this.emit();
  }

  /** Sends the first pending change; true when the next one may follow at once. */
  private async sendHead(record: OutboxRecord): Promise<boolean> {
    const change = await this.prepareHead(record);
    if (this.stopped) return false;
    let response: ChangeResponse;
    try {
      response = await this.api.sendChange(this.setId, { changeId: change.changeId, baseVersion: record.ackVersion, ops: change.ops });
    } catch (error) {
      if (this.stopped) return false;
      return this.failed(record, change, error);
    }
    if (this.stopped) return false;
    await this.acknowledged(record, change, response);
    return true;
  }

  /**
   * An unsent head takes every unsent change after it (up to the server's limit) under its own
   * change id, and is marked sent in the store before it goes out, so no retry can differ from it.
   */
  private async prepareHead(record: OutboxRecord): Promise<PendingChange> {
    const [head, ...rest] = record.pending;
    if (!head) throw new Error('no pending change');
    if (head.sent) return head;
    const ops = [...head.ops];
    let edits = head.edits;
    let taken = 0;
    for (const next of rest) {
      if (next.sent || ops.length + next.ops.length > MAX_OPS_PER_CHANGE) break;
      ops.push(...next.ops);
      edits += next.edits;
      taken++;
    }
    const merged: PendingChange = { ...head, ops, edits, sent: true };
    record.pending = [merged, ...rest.slice(taken)];
    record.updatedAt = Date.now();
    // Sending matters more than the bookkeeping: a failed write here is only a risk after a reload.
    await this.persist().catch(() => undefined);
    return merged;
  }

  /**
   * The change joins the snapshot (its ops applied to it: O(ops)) and the record's acknowledged
   * changes; the stored base is rewritten only by a compaction.
   */
  private async acknowledged(record: OutboxRecord, change: PendingChange, response: ChangeResponse): Promise<void> {
    const snapshot = this.snapshot;
    if (!snapshot) throw new Error('no snapshot');
    let exact = true;
    try {
      applyOps(snapshot, change.ops, this.context);
      record.acked.push({ changeId: change.changeId, ops: change.ops, version: response.version });
    } catch (error) {
      if (!(error instanceof AnnotationOpError)) throw error;
      // The server took what this client cannot replay (its scheme changed meanwhile): ask the server.
      exact = false;
    }
    record.ackVersion = response.version;
    record.pending = record.pending.filter((pending) => pending.changeId !== change.changeId);
    record.updatedAt = Date.now();
    this.problem = null;
    this.attempt = 0;
    this.savedAt = Date.now();
    if (record.acked.length > COMPACT_AFTER_CHANGES || ackedOps(record.acked) > COMPACT_AFTER_OPS) {
      this.baseDirty = true; // this write compacts
      this.clearCompactTimer();
    } else {
      this.scheduleCompaction();
    }
    await this.persist().catch(() => undefined);
    if (!exact) await this.replaceFromServer(record);
    this.emit();
  }

  /** Handles a failed send; true when the next change may be sent at once. */
  private async failed(record: OutboxRecord, change: PendingChange, error: unknown): Promise<boolean> {
    const failure = classify(error);
    switch (failure.kind) {
      case 'network':
        this.problem = { kind: 'offline' };
        this.retryLater(this.backoff());
        return false;
      case 'unavailable':
        this.problem = { kind: 'error', reason: 'unavailable', message: failure.message };
        this.retryLater(failure.retryAfterMs ?? this.backoff());
        return false;
      case 'unauthenticated':
        this.problem = { kind: 'signed-out' };
        this.retryLater(SLOW_RETRY_MS);
        return false;
      case 'forbidden':
        this.problem = { kind: 'error', reason: 'forbidden', message: failure.message };
        this.retryLater(SLOW_RETRY_MS);
        return false;
      case 'not-found':
        // Never delete unsent work: it stays stored, and retryNow() tries again.
        this.problem = { kind: 'error', reason: 'not-found', message: failure.message };
        this.emit();
        return false;
      case 'conflict': {
        let theirs = failure.current;
        if (!theirs) {
          try {
            theirs = await this.api.getSet(this.setId);
          } catch (fetchError) {
            if (this.stopped) return false;
            const again = classify(fetchError).kind;
            // Retried like the send itself; the retry will meet the 409 again and read it then.
            return this.failed(record, change, again === 'conflict' || again === 'refused' ? new Error('the current version could not be read') : fetchError);
          }
        }
        if (this.stopped) return false;
        this.problem = null;
        this.theirs = theirs;
        this.emit();
        return false;
      }
      case 'refused':
        await this.refused(record, change, failure.message);
        return !this.stopped;
    }
  }

  /** The server will never take this change: drop it, start again from the server's state, keep what still applies. */
  private async refused(record: OutboxRecord, change: PendingChange, message: string): Promise<void> {
    record.pending = record.pending.filter((pending) => pending.changeId !== change.changeId);
    const { dropped } = await this.replaceFromServer(record);
    if (this.stopped) return;
    this.notice = { reason: 'refused', message, dropped: change.edits + dropped };
    this.emit();
  }

  /** Snapshot := the server's set (when it can be read), pending re-applied on it, onReplace fired. */
  private async replaceFromServer(record: OutboxRecord): Promise<{ dropped: number }> {
    try {
      const server = await this.api.getSet(this.setId);
      if (this.stopped) return { dropped: 0 };
      this.takeSnapshot(server);
    } catch {
      // Unreadable now: rebuild on what this tab last heard; a stale base shows up as a 409 later.
    }
    if (this.stopped) return { dropped: 0 };
    const { state, dropped } = this.rebuild();
    record.updatedAt = Date.now();
    await this.persist().catch(() => undefined);
    if (this.stopped) return { dropped };
    for (const listener of this.replaceListeners) listener(state, record.ackVersion);
    return { dropped };
  }

  /**
   * Local state = snapshot + pending. Unsent changes that no longer apply are dropped (and counted);
   * a sent one is kept even then, because the server may have it already: its answer decides.
   */
  private rebuild(): { state: AnnotationState; dropped: number; message: string } {
    const record = this.record;
    const snapshot = this.snapshot;
    if (!record || !snapshot) throw new Error('no record');
    const state = cloneAnnotationState(snapshot);
    const kept: PendingChange[] = [];
    let dropped = 0;
    let message = '';
    for (const change of record.pending) {
      try {
        applyOps(state, change.ops, this.context);
        kept.push(change);
      } catch (error) {
        if (!(error instanceof AnnotationOpError)) throw error;
        if (change.sent) {
          kept.push(change);
        } else {
          dropped += change.edits;
          message = error.message;
        }
      }
    }
    record.pending = kept;
    return { state, dropped, message };
  }

  /** The server's set becomes the snapshot at its version, to be stored as the new base; returns the snapshot. */
  private takeSnapshot(set: AnnotationSet): AnnotationState {
    const record = this.record;
    if (!record) throw new Error('no record');
    const state = stateOf(set);
    this.snapshot = state;
    this.snapshotFields = fieldsOf(set);
    record.ackVersion = set.version;
    record.baseVersion = set.version;
    record.acked = [];
    this.baseDirty = true;
    return state;
  }

  // ---- tabs and storage ----------------------------------------------------------------------

  /** A closed tab's unsent edits on this set, by this user, re-keyed (with their base) to this tab. */
  private async adopt(tabId: string, now: number): Promise<StoredOutbox | undefined> {
    const candidates = (await this.store.listForSet(this.setId))
      .filter((record) => record.userId === this.userId && record.tabId !== tabId && record.pending.length > 0)
      .sort((a, b) => b.updatedAt - a.updatedAt);
    for (const candidate of candidates) {
      if (await this.tabs.isTabAlive(candidate.tabId)) continue;
      const adopted = await this.store.rekey(candidate.key, tabId, now);
      if (adopted) return adopted;
    }
    return undefined;
  }

  /** Offline, in a tab that never opened this set: the newest server state another tab stored. */
  private async freshestStored(): Promise<AnnotationSet | undefined> {
    const records = (await this.store.listForSet(this.setId)).filter((record) => record.userId === this.userId);
    records.sort((a, b) => b.ackVersion - a.ackVersion);
    for (const candidate of records) {
      // Record and base read together: the listed record may have been compacted since.
      const stored = await this.store.get(candidate.key);
      if (!stored?.base || stored.record.userId !== this.userId) continue;
      const { record, base } = stored;
      if (record.acked.length === 0) return { ...base, version: record.ackVersion };
      return setOf(base, replay(base, record.acked, this.context), record.ackVersion);
    }
    return undefined;
  }

  /** Records of closed tabs with nothing unsent: this tab's record now holds a fresher snapshot. */
  private async removeLeftovers(ownKey: string): Promise<void> {
    try {
      const records = await this.store.listForSet(this.setId);
      for (const record of records) {
        if (record.key === ownKey || record.userId !== this.userId || record.pending.length > 0) continue;
        if (!(await this.tabs.isTabAlive(record.tabId))) await this.store.delete(record.key);
      }
    } catch {
      // Tidying only.
    }
  }

  /** Resolves once the record (as it is now, or newer) is stored; writes of a record never overtake each other. */
  private persist(): Promise<void> {
    if (!this.record || this.stopped) return Promise.resolve();
    return this.write();
  }

  /**
   * Queues a write after every earlier write of this record (by any engine of this page). The
   * write stores the record as it is when it runs, so edits made while it waits join it, and it is
   * always a state the engine was in between two of its steps: base, record and snapshot agree.
   */
  private write(): Promise<void> {
    const record = this.record;
    if (!record) return Promise.resolve();
    if (this.queuedWrite) return this.queuedWrite;
    const run = exclusive(writeChains, this.store, record.key, () => {
      this.queuedWrite = undefined;
      return this.writeNow(record);
    });
    this.queuedWrite = run;
    return run;
  }

  private writeNow(record: OutboxRecord): Promise<void> {
    let base: AnnotationSet | undefined;
    if (this.baseDirty && this.snapshot && this.snapshotFields) {
      // Compaction: the snapshot at ackVersion becomes the base, which holds every acknowledged change.
      record.acked = [];
      record.baseVersion = record.ackVersion;
      base = setOf(this.snapshotFields, this.snapshot, record.ackVersion);
      this.baseDirty = false;
    }
    // Changes are never changed in place: copying the arrays copies the record (the store clones it again).
    const copy: OutboxRecord = { ...record, acked: [...record.acked], pending: [...record.pending] };
    return this.store.put(copy, base).catch((error: unknown) => {
      // The stored pair is still the old one, whole: the next write stores a base again.
      if (base) this.baseDirty = true;
      throw error;
    });
  }

  /** Compacts after COMPACT_IDLE_MS without edits or answers (never on the way of a key press). */
  private scheduleCompaction(): void {
    this.clearCompactTimer();
    if (this.stopped || !this.record || this.record.acked.length === 0) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined;
      if (this.stopped || !this.record || this.record.acked.length === 0) return;
      this.baseDirty = true;
      this.persist().catch(() => undefined);
    }, COMPACT_IDLE_MS);
  }

  private clearCompactTimer(): void {
    if (this.compactTimer !== undefined) clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
  }

  // ---- timers and status ---------------------------------------------------------------------

  private backoff(): number {
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] ?? SLOW_RETRY_MS;
    this.attempt++;
    return delay;
  }

  private retryLater(delayMs: number): void {
    this.clearTimer();
    this.schedule(delayMs);
    this.emit();
  }

  /** Runs pump after delayMs, unless a run is already due sooner. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const due = Date.now() + delayMs;
    if (this.timer !== undefined && this.timerDue <= due) return;
    this.clearTimer();
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pendingCount(): number {
    return this.record?.pending.reduce((sum, change) => sum + change.edits, 0) ?? 0;
  }

  private computeStatus(): SaveStatus {
    const pending = this.pendingCount();
    if (this.theirs) return { kind: 'conflict', pending, theirs: this.theirs };
    if (this.problem) {
      if (this.problem.kind === 'error') return { kind: 'error', pending, message: this.problem.message, reason: this.problem.reason };
      return { kind: this.problem.kind, pending };
    }
    if (this.notice) return { kind: 'error', pending, ...this.notice };
    if (pending > 0) return { kind: 'saving', pending };
    return { kind: 'saved', pending: 0, savedAt: this.savedAt };
  }

  private emit(): void {
    if (this.stopped) return;
    const next = this.computeStatus();
    if (sameStatus(next, this.status)) return;
    this.status = next;
    for (const listener of this.statusListeners) listener(next);
  }
}
