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
  type Span,
} from '@warrant/domain';
import { isApiError, retryAfterSeconds } from '../../../lib/api-error.ts';
import { isNetworkError } from './network-error.ts';
import {
  defaultOutboxStore,
  outboxKey,
  type AckedChange,
  type ChangePart,
  type OutboxRecord,
  type OutboxStore,
  type PendingChange,
  type StoredOutbox,
} from './outbox-store.ts';
import { describeEdit, offsetProblem, refusalCause, type DroppedEdit, type RefusalCause } from './refusal.ts';
import { browserTabs, type TabRegistry } from './tab-id.ts';

export type { DroppedEdit, RefusalCause } from './refusal.ts';

/** Why a status is 'error'; the text the user reads is chosen by it (see save-status-text.ts). */
export type SaveErrorReason =
  /**
   * The server refused edits (400; one op alone larger than a request may be; or, after a 409
   * CONFLICT, edits that no longer apply): only those were dropped, the rest was sent.
   */
  | 'refused'
  /** The server cannot store changes now (503, another 5xx, 429): retrying. */
  | 'unavailable'
  /** The set is gone or not yours any more (404): kept here, retried on retryNow(). */
  | 'not-found'
  /** 403 (a stale CSRF token, a changed role): kept here, retried every 10 s and on retryNow(). */
  | 'forbidden'
  /** Edits left unsent by an earlier visit no longer apply to the passage: they were dropped. */
  | 'not-restored'
  /** This device's storage refused to write (full disk, broken IndexedDB): edits live in this page only; retrying. */
  | 'storage';

/** What else holds edits back while a notice about dropped edits is shown (its status, had there been no notice). */
export type SaveWaiting = 'offline' | 'signed-out' | 'unavailable' | 'not-found' | 'forbidden' | 'storage';

/** `volatile`: this browser has no IndexedDB, so unsent edits are NOT kept on this device (they live in the page). */
type Volatile = { volatile?: true };

export type SaveStatus =
  | { kind: 'saved'; pending: 0; savedAt: number | null }
  | ({ kind: 'saving'; pending: number } & Volatile)
  | ({ kind: 'offline'; pending: number } & Volatile)
  | ({ kind: 'signed-out'; pending: number } & Volatile)
  | { kind: 'conflict'; pending: number; theirs: AnnotationSet }
  | ({
      kind: 'error';
      pending: number;
      /** The server's (or the domain's, or the storage's) sentence, in English: for logs and tooltips, never the status text. */
      message: string;
      reason: SaveErrorReason;
      /** For 'refused' and 'not-restored': how many edits were dropped since the user's last edit. */
      dropped?: number;
      /** For 'refused' and 'not-restored': the first few dropped edits, named (the first is shown). */
      edits?: DroppedEdit[];
      /** For 'refused' and 'not-restored': what else is wrong meanwhile (offline...), shown after the notice. */
      waiting?: SaveWaiting;
    } & Volatile);

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
/**
 * Unsent changes are merged into one request only up to this many bytes of ops (JSON, UTF-8),
 * well below the API's 2 MiB body limit; a single edit larger than this is split into changes of
 * at most this size. A 413 all the same splits the change in two and tries again.
 */
export const MAX_CHANGE_BYTES = 512 * 1024;
/** How many dropped edits a status names at most. */
const NAMED_EDITS = 3;

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
      replayLoosely(state, change.ops, context);
    }
  }
  return state;
}

/** Applies what applies of `ops`, op by op (an acknowledged change this client's scheme refuses in part). */
function replayLoosely(state: AnnotationState, ops: readonly AnnotationOp[], context: AnnotationContext): void {
  for (const op of ops) {
    try {
      applyOp(state, op, context);
    } catch (error) {
      if (!(error instanceof AnnotationOpError)) throw error;
    }
  }
}

function ackedOps(acked: readonly AckedChange[]): number {
  let count = 0;
  for (const change of acked) count += change.ops.length;
  return count;
}

const encoder = new TextEncoder();

/** The size of ops in a request body (JSON, UTF-8). */
function bytesOf(ops: readonly AnnotationOp[]): number {
  return encoder.encode(JSON.stringify(ops)).length;
}

/** An edit's ops cut into changes the server takes: at most MAX_OPS_PER_CHANGE ops and (unless one op is larger) MAX_CHANGE_BYTES. */
function chunks(ops: readonly AnnotationOp[]): AnnotationOp[][] {
  const result: AnnotationOp[][] = [];
  let current: AnnotationOp[] = [];
  let bytes = 2;
  for (const op of ops) {
    const size = bytesOf([op]) - 1;
    if (current.length > 0 && (current.length >= MAX_OPS_PER_CHANGE || bytes + size > MAX_CHANGE_BYTES)) {
      result.push(current);
      current = [];
      bytes = 2;
    }
    current.push(op);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** The edits a change carries, in order: its parts, or the whole change as one. */
function partsOf(change: PendingChange): ChangePart[] {
  return change.parts && change.parts.length > 0 ? change.parts : [{ opCount: change.ops.length, edits: change.edits }];
}

interface Piece {
  ops: AnnotationOp[];
  edits: number;
}

/** A change cut back into its edits. */
function piecesOf(change: PendingChange): Piece[] {
  let at = 0;
  return partsOf(change).map((part) => {
    const ops = change.ops.slice(at, at + part.opCount);
    at += part.opCount;
    return { ops, edits: part.edits };
  });
}

/** A new unsent change made of pieces (with their boundaries when there are several). */
function changeOf(pieces: readonly Piece[], createdAt: number, alone: boolean): PendingChange {
  const change: PendingChange = {
    changeId: newChangeId(),
    ops: pieces.flatMap((piece) => piece.ops),
    sent: false,
    createdAt,
    edits: pieces.reduce((sum, piece) => sum + piece.edits, 0),
  };
  if (pieces.length > 1) change.parts = pieces.map((piece) => ({ opCount: piece.ops.length, edits: piece.edits }));
  if (alone) change.alone = true;
  return change;
}

interface Refusal {
  message: string;
  code: string | undefined;
  /** `details.opIndex`: the refused op's index in the change, when the server said. */
  opIndex: number | undefined;
  cause: RefusalCause;
  offsets: ReturnType<typeof offsetProblem>;
}

type Failure =
  | { kind: 'network' }
  | { kind: 'unauthenticated' }
  | { kind: 'conflict'; current: AnnotationSet | null }
  | ({ kind: 'refused' } & Refusal)
  /** 413: the request was too large; nothing was judged. */
  | { kind: 'too-large'; message: string }
  /** 409 CONFLICT: the server applied this change id with other ops; nothing of these was judged. */
  | { kind: 'reused'; message: string }
  | { kind: 'not-found'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'unavailable'; message: string; retryAfterMs: number | undefined };

function detailsOf(error: { details: unknown }): Record<string, unknown> {
  return typeof error.details === 'object' && error.details !== null ? (error.details as Record<string, unknown>) : {};
}

function classify(error: unknown): Failure {
  if (isNetworkError(error)) return { kind: 'network' };
  if (!isApiError(error)) {
    return { kind: 'unavailable', message: error instanceof Error ? error.message : String(error), retryAfterMs: undefined };
  }
  if (error.code === 'ABORTED') return { kind: 'network' };
  if (error.status === 401) return { kind: 'unauthenticated' };
  if (error.status === 409 && error.code === 'VERSION_CONFLICT') {
    const parsed = annotationSet.safeParse(detailsOf(error).current);
    return { kind: 'conflict', current: parsed.success ? parsed.data : null };
  }
  if (error.status === 413) return { kind: 'too-large', message: error.message };
  if (error.status === 409) return { kind: 'reused', message: error.message };
  if (error.status === 400 || error.status === 422) {
    const details = detailsOf(error);
    const opIndex = typeof details.opIndex === 'number' && Number.isInteger(details.opIndex) ? details.opIndex : undefined;
    const offsets = offsetProblem(details.reason);
    return { kind: 'refused', message: error.message, code: error.code, opIndex, cause: refusalCause(error.code, error.message), offsets };
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
  edits: DroppedEdit[];
}

function sameStatus(a: SaveStatus, b: SaveStatus): boolean {
  if (a.kind !== b.kind || a.pending !== b.pending) return false;
  if ('volatile' in a !== 'volatile' in b) return false;
  if (a.kind === 'saved' && b.kind === 'saved') return a.savedAt === b.savedAt;
  if (a.kind === 'conflict' && b.kind === 'conflict') return a.theirs === b.theirs;
  if (a.kind === 'error' && b.kind === 'error') {
    return a.message === b.message && a.reason === b.reason && a.dropped === b.dropped && a.edits === b.edits && a.waiting === b.waiting;
  }
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
  /**
   * The server applied an acknowledged change this client could not replay (the scheme changed):
   * the snapshot misses part of it. It is kept in `acked` (stored), the snapshot is never stored
   * as a base, and the set is read from the server again (before any compaction).
   */
  private snapshotStale = false;
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
  /** The last write failed with unsent edits in the record (the storage's message); null once a write succeeds. */
  private storageError: string | null = null;
  private storageTimer: ReturnType<typeof setTimeout> | undefined;
  private storageAttempt = 0;
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
    // A closed tab's unsent edits on this set are worth more than this tab's record with nothing
    // unsent: adopting re-keys them over it (record and base).
    if (!stored || stored.record.pending.length === 0) stored = (await this.adopt(tabId, now)) ?? stored;
    // A record without its base (damaged storage) and nothing unsent: as if there were none.
    if (stored && !stored.base && stored.record.pending.length === 0) stored = undefined;
    if (server && stored && server.version < stored.record.ackVersion) {
      // The set was read before changes this tab has since had acknowledged (an engine that went on
      // sending in the background, say): that read is out of date. Read it again; failing that,
      // start from what is stored.
      try {
        server = await this.api.getSet(this.setId);
      } catch {
        server = null;
      }
      if (this.stopped) throw new Error('SaveEngine stopped before it started');
    }

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
    const { state, dropped, message, edit } = this.rebuild();
    if (dropped > 0) this.addNotice('not-restored', message, dropped, edit ? [edit] : []);
    record.updatedAt = now;
    await this.persist();
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
   * holds no snapshot. A failed write does not reject: the edit stays in memory (and is sent),
   * the status is 'error'/'storage', and the write is tried again until it succeeds.
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
    if (!this.stopped && this.record && (this.record.acked.length > 0 || this.storageError !== null)) {
      // The next start (in this tab or another) then reads one snapshot and replays nothing; a
      // stale snapshot is not folded in (the acknowledged changes stay in the record).
      if (this.record.acked.length > 0 && !this.snapshotStale) this.baseDirty = true;
      this.write().catch(() => undefined);
    }
    this.stopped = true;
    this.clearTimer();
    this.clearCompactTimer();
    this.clearStorageTimer();
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
   * An unsent head takes every unsent change after it (up to the server's op limit and
   * MAX_CHANGE_BYTES) under its own change id, noting where each edit starts (`parts`), and is
   * marked sent in the store before it goes out, so no retry can differ from it. A change marked
   * `alone` is sent as it is.
   */
  private async prepareHead(record: OutboxRecord): Promise<PendingChange> {
    const [head, ...rest] = record.pending;
    if (!head) throw new Error('no pending change');
    if (head.sent) return head;
    const ops = [...head.ops];
    const parts = [...partsOf(head)];
    let edits = head.edits;
    let taken = 0;
    if (!head.alone) {
      let bytes = bytesOf(head.ops);
      for (const next of rest) {
        if (next.sent || next.alone || ops.length + next.ops.length > MAX_OPS_PER_CHANGE) break;
        const size = bytesOf(next.ops);
        if (bytes + size > MAX_CHANGE_BYTES) break;
        bytes += size;
        ops.push(...next.ops);
        parts.push(...partsOf(next));
        edits += next.edits;
        taken++;
      }
    }
    const merged: PendingChange = { ...head, ops, edits, sent: true };
    if (parts.length > 1) merged.parts = parts;
    record.pending = [merged, ...rest.slice(taken)];
    record.updatedAt = Date.now();
    // Sending matters more than the bookkeeping: a failed write here is only a risk after a reload.
    await this.persist();
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
    } catch (error) {
      if (!(error instanceof AnnotationOpError)) throw error;
      // The server took what this client cannot replay (its scheme changed meanwhile): keep
      // what applies, and ask the server for the real state before the snapshot is stored.
      replayLoosely(snapshot, change.ops, this.context);
      exact = false;
      this.snapshotStale = true;
    }
    // Stored in any case: base + acked must hold every acknowledged change, or an offline reload
    // would show a state without it.
    record.acked.push({ changeId: change.changeId, ops: change.ops, version: response.version });
    record.ackVersion = response.version;
    record.pending = record.pending.filter((pending) => pending.changeId !== change.changeId);
    record.updatedAt = Date.now();
    this.problem = null;
    this.attempt = 0;
    this.savedAt = Date.now();
    if (!this.snapshotStale && (record.acked.length > COMPACT_AFTER_CHANGES || ackedOps(record.acked) > COMPACT_AFTER_OPS)) {
      this.baseDirty = true; // this write compacts
      this.clearCompactTimer();
    } else {
      this.scheduleCompaction();
    }
    await this.persist();
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
            const answered = again === 'conflict' || again === 'refused' || again === 'too-large' || again === 'reused';
            return this.failed(record, change, answered ? new Error('the current version could not be read') : fetchError);
          }
        }
        if (this.stopped) return false;
        this.problem = null;
        this.theirs = theirs;
        this.emit();
        return false;
      }
      case 'refused':
        await this.refused(record, change, failure);
        return !this.stopped;
      case 'too-large':
        await this.tooLarge(record, change, failure.message);
        return !this.stopped;
      case 'reused':
        await this.reissue(record, change);
        return !this.stopped;
    }
  }

  /**
   * The server will never take this change (400). Only the edit holding the refused op
   * (`details.opIndex`) is dropped; the others go back in the queue as new changes, rebased on
   * the server's state (those that no longer apply there are dropped and counted). Without an
   * op index, a change of several edits is sent again one edit per request, so the one refused
   * is found and dropped alone.
   */
  private async refused(record: OutboxRecord, change: PendingChange, refusal: Refusal): Promise<void> {
    this.problem = null;
    this.attempt = 0;
    const pieces = piecesOf(change);
    const rest = record.pending.filter((pending) => pending.changeId !== change.changeId);
    const index = refusal.opIndex;
    let requeued: PendingChange[] = [];
    let dropped = 0;
    let edit: DroppedEdit | undefined;
    if (index !== undefined && index >= 0 && index < change.ops.length) {
      let start = 0;
      for (const piece of pieces) {
        const end = start + piece.ops.length;
        if (index >= start && index < end) {
          dropped = Math.max(piece.edits, 1);
          edit = this.describe(piece.ops[index - start], refusal.cause, refusal.offsets);
        } else if (piece.ops.length > 0) {
          requeued.push(changeOf([piece], change.createdAt, false));
        }
        start = end;
      }
    } else if (pieces.length > 1) {
      requeued = pieces.map((piece) => changeOf([piece], change.createdAt, true));
    } else {
      dropped = Math.max(change.edits, 1);
      edit = this.describe(change.ops[0], refusal.cause, refusal.offsets);
    }
    record.pending = [...requeued, ...rest];
    const later = await this.replaceFromServer(record);
    if (this.stopped) return;
    const edits = [edit, later.edit].filter((named): named is DroppedEdit => named !== undefined);
    if (dropped + later.dropped > 0) this.addNotice('refused', refusal.message, dropped + later.dropped, edits);
    this.emit();
  }

  /**
   * 413: the request was larger than the server takes. Nothing was applied: the change is split
   * in two (by edits, else by ops) and each half sent on its own; one op alone is dropped.
   */
  private async tooLarge(record: OutboxRecord, change: PendingChange, message: string): Promise<void> {
    const rest = record.pending.filter((pending) => pending.changeId !== change.changeId);
    const pieces = piecesOf(change);
    let halves: PendingChange[];
    if (pieces.length > 1) {
      const middle = Math.ceil(pieces.length / 2);
      halves = [changeOf(pieces.slice(0, middle), change.createdAt, true), changeOf(pieces.slice(middle), change.createdAt, true)];
    } else if (change.ops.length > 1) {
      // One edit too large for a request: its halves are saved one after the other.
      const middle = Math.ceil(change.ops.length / 2);
      halves = [
        changeOf([{ ops: change.ops.slice(0, middle), edits: change.edits }], change.createdAt, true),
        changeOf([{ ops: change.ops.slice(middle), edits: 0 }], change.createdAt, true),
      ];
    } else {
      await this.refused(record, change, { message, code: 'PAYLOAD_TOO_LARGE', opIndex: 0, cause: 'too-large', offsets: undefined });
      return;
    }
    this.problem = null;
    this.attempt = 0;
    record.pending = [...halves, ...rest];
    record.updatedAt = Date.now();
    await this.persist();
  }

  /**
   * 409 CONFLICT: the server applied this change id with other ops (a write that marked the
   * merge as sent never reached the disk, say). Its edits were not judged: they go back in the
   * queue under new ids, rebased on the server's state; those that no longer apply are dropped.
   */
  private async reissue(record: OutboxRecord, change: PendingChange): Promise<void> {
    this.problem = null;
    this.attempt = 0;
    const requeued = piecesOf(change).map((piece) => changeOf([piece], change.createdAt, false));
    record.pending = [...requeued, ...record.pending.filter((pending) => pending.changeId !== change.changeId)];
    const { dropped, edit, message } = await this.replaceFromServer(record);
    if (this.stopped) return;
    if (dropped > 0) this.addNotice('refused', message, dropped, edit ? [edit] : []);
    this.emit();
  }

  /** Snapshot := the server's set (when it can be read), pending re-applied on it, onReplace fired. */
  private async replaceFromServer(record: OutboxRecord): Promise<{ dropped: number; edit: DroppedEdit | undefined; message: string }> {
    try {
      const server = await this.api.getSet(this.setId);
      if (this.stopped) return { dropped: 0, edit: undefined, message: '' };
      this.takeSnapshot(server);
    } catch {
      // Unreadable now: rebuild on what this tab last heard; a stale base shows up as a 409 later.
    }
    if (this.stopped) return { dropped: 0, edit: undefined, message: '' };
    const { state, dropped, edit, message } = this.rebuild();
    record.updatedAt = Date.now();
    await this.persist();
    if (this.stopped) return { dropped, edit, message };
    for (const listener of this.replaceListeners) listener(state, record.ackVersion);
    return { dropped, edit, message };
  }

  /**
   * Local state = snapshot + pending. Unsent changes that no longer apply are dropped (and counted);
   * a sent one is kept even then, because the server may have it already: its answer decides.
   */
  private rebuild(): { state: AnnotationState; dropped: number; message: string; edit: DroppedEdit | undefined } {
    const record = this.record;
    const snapshot = this.snapshot;
    if (!record || !snapshot) throw new Error('no record');
    const state = cloneAnnotationState(snapshot);
    const kept: PendingChange[] = [];
    let dropped = 0;
    let message = '';
    let edit: DroppedEdit | undefined;
    for (const change of record.pending) {
      try {
        applyOps(state, change.ops, this.context);
        kept.push(change);
      } catch (error) {
        if (!(error instanceof AnnotationOpError)) throw error;
        if (change.sent) {
          kept.push(change);
        } else {
          dropped += Math.max(change.edits, 1);
          message ||= error.message;
          edit ??= this.describe(change.ops[error.opIndex], refusalCause(error.code, error.detail), error.reason, state);
        }
      }
    }
    record.pending = kept;
    return { state, dropped, message, edit };
  }

  /** Names a dropped op; spans it names by id are looked up in `state` (else the snapshot). */
  private describe(op: AnnotationOp | undefined, cause: RefusalCause, offsets: Refusal['offsets'], state?: AnnotationState): DroppedEdit {
    const spanOf = (id: string): Span | undefined => state?.spans.get(id) ?? this.snapshot?.spans.get(id);
    return describeEdit(op, this.context, cause, spanOf, offsets);
  }

  /** Dropped edits add up until the user edits again (enqueue clears the notice). */
  private addNotice(reason: Notice['reason'], message: string, dropped: number, edits: DroppedEdit[]): void {
    const before = this.notice;
    this.notice = {
      reason,
      message: message || before?.message || '',
      dropped: dropped + (before?.dropped ?? 0),
      edits: [...(before?.edits ?? []), ...edits].slice(0, NAMED_EDITS),
    };
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
    this.snapshotStale = false;
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

  /**
   * Resolves once the record (as it is now, or newer) is stored, or the write failed; never
   * rejects. Writes of a record never overtake each other. A failed write with unsent edits in the
   * record shows 'error'/'storage' and is tried again (1, 2, 4, 8, then every 10 s) until one succeeds.
   */
  private persist(): Promise<void> {
    if (!this.record || this.stopped) return Promise.resolve();
    return this.write().then(
      () => this.storageRecovered(),
      (error: unknown) => this.storageFailed(error),
    );
  }

  private storageRecovered(): void {
    this.storageAttempt = 0;
    this.clearStorageTimer();
    if (this.storageError === null) return;
    this.storageError = null;
    this.emit();
  }

  private storageFailed(error: unknown): void {
    if (this.stopped || !this.record) return;
    // A failed compaction alone loses nothing: the old record and base are whole, and the base
    // is written again with the next record. Unsent edits that are not on disk are another matter.
    if (this.record.pending.length === 0 && this.storageError === null) return;
    this.storageError = error instanceof Error ? error.message : String(error);
    this.emit();
    if (this.storageTimer !== undefined) return;
    const delay = BACKOFF_MS[Math.min(this.storageAttempt, BACKOFF_MS.length - 1)] ?? SLOW_RETRY_MS;
    this.storageAttempt++;
    this.storageTimer = setTimeout(() => {
      this.storageTimer = undefined;
      void this.persist();
    }, delay);
  }

  private clearStorageTimer(): void {
    if (this.storageTimer !== undefined) clearTimeout(this.storageTimer);
    this.storageTimer = undefined;
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
    // A stale snapshot is never stored as a base: it would drop acknowledged changes it misses.
    if (this.baseDirty && !this.snapshotStale && this.snapshot && this.snapshotFields) {
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

  /**
   * Compacts after COMPACT_IDLE_MS without edits or answers (never on the way of a key press).
   * A stale snapshot is first replaced by the server's state; while that cannot be read, the
   * acknowledged changes stay as they are, and it is tried again later.
   */
  private scheduleCompaction(): void {
    this.clearCompactTimer();
    if (this.stopped || !this.record || this.record.acked.length === 0) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined;
      const record = this.record;
      if (this.stopped || !record || record.acked.length === 0) return;
      if (this.snapshotStale) {
        // Not while a request is out: its answer changes the record, and re-reads itself when needed.
        if (this.inFlight) {
          this.scheduleCompaction();
          return;
        }
        void this.replaceFromServer(record).then(() => {
          if (this.snapshotStale) this.scheduleCompaction();
          else this.emit();
        });
        return;
      }
      this.baseDirty = true;
      void this.persist();
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

  /**
   * A conflict first (nothing moves until it is resolved), then a notice about dropped edits
   * (until the user's next edit, with what else is wrong meanwhile), then a storage failure,
   * then a network or server problem.
   */
  private computeStatus(): SaveStatus {
    const pending = this.pendingCount();
    const volatile = this.store.volatile === true && pending > 0 ? { volatile: true as const } : {};
    if (this.theirs) return { kind: 'conflict', pending, theirs: this.theirs };
    if (this.notice) {
      const waiting = this.storageError !== null ? 'storage' : pending > 0 && this.problem ? (this.problem.kind === 'error' ? this.problem.reason : this.problem.kind) : undefined;
      return { kind: 'error', pending, ...this.notice, ...(waiting ? { waiting } : {}), ...volatile };
    }
    if (this.storageError !== null) return { kind: 'error', pending, reason: 'storage', message: this.storageError, ...volatile };
    if (this.problem) {
      if (this.problem.kind === 'error') return { kind: 'error', pending, message: this.problem.message, reason: this.problem.reason, ...volatile };
      return { kind: this.problem.kind, pending, ...volatile };
    }
    if (pending > 0) return { kind: 'saving', pending, ...volatile };
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
