import type { AnnotationSet } from '@warrant/contracts';
import type { LabelScheme } from '@warrant/domain';
import { isApiError } from '../../../lib/api-error.ts';
import { engineRegistry, type EngineRegistry } from './engine-registry.ts';
import { defaultOutboxStore, type OutboxRecord, type OutboxStore } from './outbox-store.ts';
import { SaveEngine, type EngineApi } from './save-engine.ts';
import { browserTabs, type TabRegistry } from './tab-id.ts';

/** What an engine without UI needs besides the engine's two calls: the context its ops are checked in. */
export interface DrainApi extends EngineApi {
  /** The passage's text and the project's current scheme. */
  getContext(set: AnnotationSet): Promise<{ text: string; scheme: LabelScheme }>;
}

export interface OutboxDrainerOptions {
  userId: string;
  api: DrainApi;
  store?: OutboxStore;
  tabs?: TabRegistry;
  registry?: EngineRegistry;
  /** How often stored edits are looked for again (default 60 s). */
  intervalMs?: number;
  /** At most this many engines without UI at once (default 3). */
  maxEngines?: number;
  debounceMs?: number;
  /** Where 'online' events come from (default: window): a pass at once. */
  onlineEvents?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
}

export const DRAIN_INTERVAL_MS = 60_000;

function pendingEdits(record: OutboxRecord): number {
  return record.pending.reduce((sum, change) => sum + change.edits, 0);
}

/**
 * Sends what this user left unsent, wherever in the app the user is: at login or app start,
 * every minute, and when the connection returns, it adopts the user's outbox records that hold
 * unsent edits and that no engine runs for (this tab's, or a closed tab's whose lock is free) and
 * runs an engine without UI on each until nothing is pending. Engines go through the tab's
 * EngineRegistry, so an open editor and the drainer never run two engines for one set.
 */
export class OutboxDrainer {
  private readonly userId: string;
  private readonly api: DrainApi;
  private readonly store: OutboxStore;
  private readonly tabs: TabRegistry;
  private readonly registry: EngineRegistry;
  private readonly intervalMs: number;
  private readonly maxEngines: number;
  private readonly debounceMs: number | undefined;
  private readonly onlineEvents: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | undefined;
  /** The engines this drainer started, by set. */
  private readonly mine = new Map<SaveEngine, string>();
  private interval: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private stopped = false;
  private readonly onOnline = () => void this.drain();

  constructor(options: OutboxDrainerOptions) {
    this.userId = options.userId;
    this.api = options.api;
    this.store = options.store ?? defaultOutboxStore();
    this.tabs = options.tabs ?? browserTabs;
    this.registry = options.registry ?? engineRegistry;
    this.intervalMs = options.intervalMs ?? DRAIN_INTERVAL_MS;
    this.maxEngines = options.maxEngines ?? 3;
    this.debounceMs = options.debounceMs;
    this.onlineEvents = options.onlineEvents ?? (typeof window === 'undefined' ? undefined : window);
  }

  /** A pass now, then every interval and on 'online'. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.onlineEvents?.addEventListener('online', this.onOnline);
    this.interval = setInterval(() => void this.drain(), this.intervalMs);
    void this.drain();
  }

  /** Stops looking, and stops every engine without UI of this tab (their edits stay stored). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.interval !== undefined) clearInterval(this.interval);
    this.onlineEvents?.removeEventListener('online', this.onOnline);
    this.mine.clear();
    this.registry.stopBackground();
  }

  /** One pass (a pass asked for while one runs follows it). Never rejects. */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      do {
        this.again = false;
        await this.pass().catch(() => undefined);
      } while (this.again && !this.stopped);
    })();
    this.running = run.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    const tabId = await this.tabs.currentTabId();
    const all = (await this.store.listAll()).filter((record) => record.pending.length > 0);
    // This tab's stored edits that no engine holds (whoever made them): the app-level unload warning counts them.
    const unattended = new Map<string, number>();
    for (const record of all) {
      if (record.tabId === tabId) unattended.set(record.setId, (unattended.get(record.setId) ?? 0) + pendingEdits(record));
    }
    this.registry.setUnattended(unattended);
    const records = all.filter((record) => record.userId === this.userId).sort((a, b) => a.updatedAt - b.updatedAt);

    for (const record of records) {
      if (this.stopped) return;
      if (this.ownEngines() >= this.maxEngines) return;
      if (this.registry.engineFor(record.setId) || this.registry.isParked(record.setId)) continue;
      if (record.tabId !== tabId && (await this.tabs.isTabAlive(record.tabId))) continue;
      if (this.stopped) return;
      const outcome = await this.launch(record.setId);
      // The server cannot be reached (or the session is gone): the next pass tries again.
      if (outcome === 'unreachable') return;
    }
  }

  /** How many of the engines this drainer started still run. */
  private ownEngines(): number {
    for (const [engine, setId] of this.mine) {
      if (this.registry.engineFor(setId) !== engine) this.mine.delete(engine);
    }
    return this.mine.size;
  }

  /** Starts an engine without UI for the set; 'unreachable' when the server could not be asked. */
  private async launch(setId: string): Promise<'started' | 'skipped' | 'unreachable'> {
    let set: AnnotationSet;
    let context: { text: string; scheme: LabelScheme };
    try {
      set = await this.api.getSet(setId);
      context = await this.api.getContext(set);
    } catch (error) {
      // Gone, or not this user's any more: the editor shows that when the passage is opened.
      if (isApiError(error) && (error.status === 404 || error.status === 403)) return 'skipped';
      return 'unreachable';
    }
    if (this.stopped || this.registry.engineFor(setId)) return 'skipped';
    const engine = new SaveEngine({
      setId,
      userId: this.userId,
      text: context.text,
      scheme: context.scheme,
      api: this.api,
      store: this.store,
      tabs: this.tabs,
      ...(this.debounceMs === undefined ? {} : { debounceMs: this.debounceMs }),
      ...(this.onlineEvents ? { onlineEvents: this.onlineEvents } : {}),
    });
    if (!this.registry.reserve(setId, engine)) return 'skipped';
    this.mine.set(engine, setId);
    try {
      await engine.start(set);
    } catch {
      // Stopped meanwhile (the editor opened the set, or logout), or the storage failed.
      this.registry.release(setId, engine);
      this.mine.delete(engine);
      return 'skipped';
    }
    this.registry.runInBackground(setId, engine);
    return 'started';
  }
}
