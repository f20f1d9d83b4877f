import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLIENT_ID_PATTERN, applyOps, createAnnotationState, type AnnotationOp, type Span } from '@warrant/domain';
import { MemoryOutboxStore, outboxKey, type OutboxRecord, type OutboxStore } from './outbox-store.ts';
import { translator } from '../../../lib/i18n/translate.ts';
import { COMPACT_AFTER_CHANGES, COMPACT_IDLE_MS, MAX_CHANGE_BYTES, OfflineUnavailableError, SaveEngine, type SaveStatus } from './save-engine.ts';
import { saveStatusText } from './save-status-text.ts';
import { FakeServer, FakeTabs, SCHEME, SET_ID, TEXT, USER_ID, addSpan, makeSet } from './test-support/fake-server.ts';

const DEBOUNCE = 250;

/** Every method of `inner` but put: for a test store that changes how writes go. */
const through = (inner: OutboxStore): Omit<OutboxStore, 'put'> => ({
  get: (key) => inner.get(key),
  delete: (key) => inner.delete(key),
  listForSet: (setId) => inner.listForSet(setId),
  listAll: () => inner.listAll(),
  removeSettled: (userId) => inner.removeSettled(userId),
  rekey: (oldKey, tabId, at) => inner.rekey(oldKey, tabId, at),
});

interface Harness {
  engine: SaveEngine;
  statuses: SaveStatus[];
  replaced: Array<{ spans: string[]; version: number }>;
  online: EventTarget;
}

function createEngine(server: FakeServer, store: OutboxStore, tabs: FakeTabs): Harness {
  const online = new EventTarget();
  const engine = new SaveEngine({ setId: SET_ID, userId: USER_ID, text: TEXT, scheme: SCHEME, api: server, store, tabs, onlineEvents: online });
  const statuses: SaveStatus[] = [];
  const replaced: Harness['replaced'] = [];
  engine.subscribe((status) => statuses.push(status));
  engine.onReplace((state, version) => replaced.push({ spans: [...state.spans.keys()].sort(), version }));
  return { engine, statuses, replaced, online };
}

const spanIds = (set: { spans: Array<{ id: string }> }) => set.spans.map((span) => span.id).sort();
const opsOf = (server: FakeServer) => server.requests.map((request) => request.ops.map((op) => (op.op === 'addSpan' ? op.span.id : op.op)));
/** Lets timers due within `ms` fire and every promise they start settle. */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('SaveEngine', () => {
  let server: FakeServer;
  let store: MemoryOutboxStore;
  let tabs: FakeTabs;
  let engines: SaveEngine[];

  const start = async (options: { tabs?: FakeTabs; online?: boolean } = {}) => {
    const harness = createEngine(server, store, options.tabs ?? tabs);
    engines.push(harness.engine);
    const result = await harness.engine.start(options.online === false ? null : await server.getSet(SET_ID));
    return { ...harness, result };
  };
  const storedRecord = (tabId = 'tab-a') => store.records.get(outboxKey(SET_ID, tabId));
  /** What a reload would start from: the stored base with the stored acknowledged changes on it. */
  const storedSnapshot = (tabId = 'tab-a') => {
    const record = storedRecord(tabId);
    const base = store.bases.get(outboxKey(SET_ID, tabId));
    if (!record || !base) return undefined;
    expect(base.version).toBe(record.baseVersion);
    const state = createAnnotationState(base);
    for (const change of record.acked) applyOps(state, change.ops, { text: TEXT, scheme: SCHEME });
    return { version: record.ackVersion, spans: [...state.spans.values()], relations: [...state.relations.values()] };
  };

  beforeEach(() => {
    vi.useFakeTimers();
    server = new FakeServer();
    store = new MemoryOutboxStore();
    tabs = new FakeTabs('tab-a');
    engines = [];
  });

  afterEach(() => {
    for (const engine of engines) engine.stop();
    vi.useRealTimers();
  });

  it('sends edits in order, each on the version the previous one produced, and ends saved', async () => {
    const { engine, statuses } = await start();
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    expect(engine.getStatus()).toEqual({ kind: 'saving', pending: 1 });
    await advance(DEBOUNCE);
    await engine.enqueue([addSpan('premise', 19, 37, 'b')]);
    await advance(DEBOUNCE);
    await engine.enqueue([{ op: 'deleteSpan', id: 'a' }]);
    await advance(DEBOUNCE);

    expect(server.requests.map((request) => request.baseVersion)).toEqual([0, 1, 2]);
    expect(opsOf(server)).toEqual([['a'], ['b'], ['deleteSpan']]);
    expect(spanIds(server.set)).toEqual(['b']);
    expect(engine.getStatus()).toMatchObject({ kind: 'saved', pending: 0 });
    expect(statuses.at(-1)?.kind).toBe('saved');
    expect(storedRecord()).toMatchObject({ ackVersion: 3, pending: [] });
    expect(spanIds(storedSnapshot()!)).toEqual(['b']);
  });

  it('reaches the server within the debounce even while edits keep coming', async () => {
    const { engine } = await start();
    for (let index = 0; index < 5; index++) {
      await engine.enqueue([addSpan('premise', index, index + 1, `k${index}`)]);
      await advance(100);
    }
    // The first edit was made 500 ms ago: it must not wait for the typing to stop.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests[0]?.ops.length).toBeLessThan(5);
  });

  it('merges consecutive unsent changes into one request under the first change id', async () => {
    const { engine } = await start();
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    const firstId = storedRecord()!.pending[0]!.changeId;
    await engine.enqueue([addSpan('premise', 19, 37, 'b')]);
    await engine.enqueue([addSpan('conclusion', 42, 61, 'c')]);
    expect(engine.getStatus()).toEqual({ kind: 'saving', pending: 3 });

    await advance(DEBOUNCE);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.changeId).toBe(firstId);
    expect(server.requests[0]?.changeId).toMatch(CLIENT_ID_PATTERN);
    expect(opsOf(server)).toEqual([['a', 'b', 'c']]);
    expect(engine.getStatus().kind).toBe('saved');
  });

  it('edits made while a change is on its way go in the next request, merged', async () => {
    const { engine } = await start();
    server.holding = true;
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    await engine.enqueue([addSpan('premise', 19, 37, 'b')]);
    await engine.enqueue([addSpan('conclusion', 42, 61, 'c')]);
    await advance(DEBOUNCE);
    expect(server.requests).toHaveLength(1);
    server.holding = false;
    server.release();
    await advance(0);
    expect(opsOf(server)).toEqual([['a'], ['b', 'c']]);
    expect(server.requests[1]?.baseVersion).toBe(1);
    expect(engine.getStatus().kind).toBe('saved');
  });

  it('goes offline, keeps the edits, and retries the same change id with backoff; the server applies it once', async () => {
    const { engine, online } = await start();
    server.mode = 'offline';
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    expect(engine.getStatus()).toEqual({ kind: 'offline', pending: 1 });
    const sentId = server.requests[0]!.changeId;
    expect(storedRecord()?.pending).toMatchObject([{ changeId: sentId, sent: true }]);

    // Edits made offline do not change what was already sent; they wait behind it.
    await engine.enqueue([addSpan('premise', 19, 37, 'b')]);
    expect(engine.getStatus()).toEqual({ kind: 'offline', pending: 2 });

    await advance(1000); // retry 1 after 1 s
    expect(server.requests).toHaveLength(2);
    await advance(1999);
    expect(server.requests).toHaveLength(2); // retry 2 waits 2 s
    await advance(1);
    expect(server.requests).toHaveLength(3);

    server.mode = 'up';
    online.dispatchEvent(new Event('online')); // at once, not after 4 s
    await advance(0);
    expect(server.requests.slice(0, 4).map((request) => request.changeId)).toEqual([sentId, sentId, sentId, sentId]);
    expect(server.requests.slice(0, 4).every((request) => JSON.stringify(request.ops) === JSON.stringify(server.requests[0]!.ops))).toBe(true);
    expect(opsOf(server).at(-1)).toEqual(['b']);
    expect(spanIds(server.set)).toEqual(['a', 'b']);
    expect(server.set.version).toBe(2);
    expect(engine.getStatus().kind).toBe('saved');
  });

  it('backs off 1, 2, 4, 8 s and then every 10 s', async () => {
    const { engine } = await start();
    server.mode = 'offline';
    await engine.enqueue([addSpan()]);
    await advance(DEBOUNCE);
    const times: number[] = [];
    let seen = server.requests.length;
    for (let second = 1; second <= 45; second++) {
      await advance(1000);
      if (server.requests.length > seen) {
        times.push(second);
        seen = server.requests.length;
      }
    }
    expect(times).toEqual([1, 3, 7, 15, 25, 35, 45]);
  });

  it('takes a replayed answer as success when the first answer was lost', async () => {
    const { engine } = await start();
    server.loseNextResponse = true;
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    expect(engine.getStatus().kind).toBe('offline');
    expect(server.set.version).toBe(1);

    await advance(1000);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.changeId).toBe(server.requests[0]?.changeId);
    expect(server.set.version).toBe(1); // applied once
    expect(storedRecord()).toMatchObject({ ackVersion: 1, pending: [] });

    await engine.enqueue([addSpan('premise', 19, 37, 'b')]);
    await advance(DEBOUNCE);
    expect(server.requests[2]?.baseVersion).toBe(1);
    expect(spanIds(server.set)).toEqual(['a', 'b']);
    expect(engine.getStatus().kind).toBe('saved');
  });

  it('503: says the server cannot store, and retries like offline', async () => {
    const { engine } = await start();
    server.mode = 'unavailable';
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    expect(engine.getStatus()).toEqual({ kind: 'error', pending: 1, reason: 'unavailable', message: 'the disk is full' });
    server.mode = 'up';
    await advance(1000);
    expect(spanIds(server.set)).toEqual(['a']);
    expect(engine.getStatus().kind).toBe('saved');
  });

  it('401: keeps everything, retries every 10 s, and at once on retryNow()', async () => {
    const { engine } = await start();
    server.mode = 'unauthenticated';
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    expect(engine.getStatus()).toEqual({ kind: 'signed-out', pending: 1 });
    await advance(10_000);
    expect(server.requests).toHaveLength(2);
    expect(engine.getStatus().kind).toBe('signed-out');
    expect(storedRecord()?.pending).toHaveLength(1);

    server.mode = 'up'; // logged in again
    engine.retryNow();
    await advance(0);
    expect(server.requests).toHaveLength(3);
    expect(spanIds(server.set)).toEqual(['a']);
    expect(engine.getStatus().kind).toBe('saved');
  });

  it('404: an error, and the unsent edits stay stored', async () => {
    const { engine } = await start();
    server.mode = 'not-found';
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'not-found', pending: 1 });
    await advance(60_000);
    expect(server.requests).toHaveLength(1); // nothing to gain from hammering
    expect(storedRecord()?.pending).toHaveLength(1);
    server.mode = 'up';
    engine.retryNow();
    await advance(0);
    expect(engine.getStatus().kind).toBe('saved');
  });

  describe('409 VERSION_CONFLICT', () => {
    const conflicted = async () => {
      const harness = await start();
      server.edit([addSpan('conclusion', 42, 61, 'theirs')]); // another tab, version 1
      await harness.engine.enqueue([addSpan('premise', 0, 8, 'mine')]);
      await advance(DEBOUNCE);
      return harness;
    };

    it('stops sending and shows theirs', async () => {
      const { engine } = await conflicted();
      const status = engine.getStatus();
      expect(status.kind).toBe('conflict');
      expect(status.kind === 'conflict' && spanIds(status.theirs)).toEqual(['theirs']);
      await engine.enqueue([addSpan('premise', 19, 37, 'more')]);
      await advance(30_000);
      expect(server.requests).toHaveLength(1);
      expect(engine.getStatus()).toMatchObject({ kind: 'conflict', pending: 2 });
    });

    it("'theirs' drops the unsent edits and replaces the document", async () => {
      const { engine, replaced } = await conflicted();
      await engine.resolveConflict('theirs', createAnnotationState(makeSet({ spans: [{ id: 'mine', label: 'premise', start: 0, end: 8, note: null }] })));
      expect(replaced).toEqual([{ spans: ['theirs'], version: 1 }]);
      expect(engine.getStatus().kind).toBe('saved');
      expect(storedRecord()).toMatchObject({ ackVersion: 1, pending: [] });
      expect(storedSnapshot()).toMatchObject({ version: 1, spans: [{ id: 'theirs' }] });
      await advance(30_000);
      expect(server.requests).toHaveLength(1);
    });

    it("'mine' sends one new change that turns theirs into mine", async () => {
      const { engine, replaced } = await conflicted();
      // The editor's document: what this tab showed (its snapshot plus its edits).
      const mine = createAnnotationState(makeSet({ spans: [{ id: 'mine', label: 'premise', start: 0, end: 8, note: null }] }));
      await engine.resolveConflict('mine', mine);
      await advance(0);

      const last = server.requests.at(-1)!;
      expect(last.changeId).not.toBe(server.requests[0]!.changeId);
      expect(last.baseVersion).toBe(1);
      expect(spanIds(server.set)).toEqual(['mine']);
      expect(replaced).toEqual([]);
      expect(engine.getStatus().kind).toBe('saved');
      expect(storedRecord()).toMatchObject({ ackVersion: 2, pending: [] });
      expect(spanIds(storedSnapshot()!)).toEqual(['mine']);
    });

    it("'mine' with nothing different sends nothing", async () => {
      const { engine } = await conflicted();
      await engine.resolveConflict('mine', createAnnotationState(server.set));
      await advance(DEBOUNCE);
      expect(server.requests).toHaveLength(1);
      expect(engine.getStatus().kind).toBe('saved');
    });
  });

  it('400: drops the refused change, reloads the set, keeps the later edits that still apply, and says so', async () => {
    server.edit([addSpan('premise', 0, 8, 'base')]);
    const { engine, replaced } = await start();
    server.holding = true;
    await engine.enqueue([{ op: 'updateSpan', id: 'base', note: 'refused' } satisfies AnnotationOp]);
    await advance(DEBOUNCE); // on its way
    await engine.enqueue([addSpan('premise', 19, 37, 'b')]); // still applies
    await engine.enqueue([{ op: 'addRelation', relation: { id: 'r1', type: 'supports', source: 'base', target: 'b' } }]);
    server.refuse = (body) => (body.ops.some((op) => op.op === 'updateSpan') ? 'notes are locked' : undefined);
    server.holding = false;
    server.release();
    await advance(0);

    expect(replaced).toHaveLength(1);
    expect(replaced[0]).toEqual({ spans: ['b', 'base'], version: 1 });
    expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'refused', message: 'notes are locked', dropped: 1 });
    // The rest still went out, on the server's version.
    expect(server.requests.at(-1)).toMatchObject({ baseVersion: 1 });
    expect(spanIds(server.set)).toEqual(['b', 'base']);
    expect(server.set.relations.map((relation) => relation.id)).toEqual(['r1']);
    expect(server.set.spans.find((span) => span.id === 'base')?.note).toBeNull();
    expect(storedSnapshot()).toMatchObject({ version: server.set.version, relations: [{ id: 'r1' }] });
    // The notice stays until the user edits again.
    expect(engine.getStatus().kind).toBe('error');
    await engine.enqueue([addSpan('conclusion', 42, 61, 'c')]);
    expect(engine.getStatus().kind).toBe('saving');
    await advance(DEBOUNCE);
    expect(engine.getStatus().kind).toBe('saved');
  });

  it('400: later edits that no longer apply without the refused one are dropped too', async () => {
    const { engine, replaced } = await start();
    server.refuse = (body) => (body.ops.some((op) => op.op === 'addSpan' && op.span.id === 'a') ? 'no' : undefined);
    server.holding = true;
    await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    await engine.enqueue([{ op: 'updateSpan', id: 'a', label: 'conclusion' }]); // needs 'a'
    await engine.enqueue([addSpan('premise', 19, 37, 'b')]);
    server.holding = false;
    server.release();
    await advance(0);
    expect(replaced).toEqual([{ spans: ['b'], version: 0 }]);
    expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'refused', dropped: 2 });
    expect(spanIds(server.set)).toEqual(['b']);
    expect(storedRecord()?.pending).toEqual([]);
  });

  it('a reload finds the unsent edits of this tab, shows them, and sends them', async () => {
    const first = await start();
    server.mode = 'offline';
    await first.engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await first.engine.enqueue([addSpan('premise', 19, 37, 'b')]);
    first.engine.stop(); // the page goes away before anything was sent

    server.mode = 'up';
    const second = await start();
    expect(second.result.pending).toBe(2);
    expect(second.result.version).toBe(0);
    expect([...second.result.state.spans.keys()].sort()).toEqual(['a', 'b']);
    expect(second.engine.getStatus()).toMatchObject({ pending: 2 });
    await advance(0);
    expect(spanIds(server.set)).toEqual(['a', 'b']);
    expect(second.engine.getStatus().kind).toBe('saved');
  });

  it('a reload after a lost answer resends the same change, which the server does not apply twice', async () => {
    const first = await start();
    server.loseNextResponse = true;
    await first.engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    first.engine.stop();

    const second = await start(); // the server is at version 1 already
    expect([...second.result.state.spans.keys()]).toEqual(['a']);
    await advance(0);
    expect(server.requests.map((request) => request.changeId)).toEqual([server.requests[0]!.changeId, server.requests[0]!.changeId]);
    expect(server.set.version).toBe(1);
    expect(second.engine.getStatus().kind).toBe('saved');
    expect(storedRecord()).toMatchObject({ ackVersion: 1, pending: [] });
  });

  it('opens offline from the stored snapshot, and refuses to guess when nothing is stored', async () => {
    server.edit([addSpan('premise', 0, 8, 'a')]);
    const online = await start();
    online.engine.stop();
    server.mode = 'offline';
    const offline = await start({ online: false });
    expect([...offline.result.state.spans.keys()]).toEqual(['a']);
    expect(offline.result.version).toBe(1);

    const elsewhere = createEngine(server, new MemoryOutboxStore(), new FakeTabs('tab-z'));
    engines.push(elsewhere.engine);
    await expect(elsewhere.engine.start(null)).rejects.toBeInstanceOf(OfflineUnavailableError);
  });

  describe('other tabs', () => {
    /** A tab that left span 'a' unsent (made offline) and was closed; the server is reachable again. */
    async function orphanOfClosedTab(): Promise<FakeTabs> {
      const closedTab = new FakeTabs('tab-old');
      const old = await start({ tabs: closedTab });
      server.mode = 'offline';
      await old.engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      old.engine.stop();
      closedTab.close();
      server.mode = 'up';
      return closedTab;
    }

    it("adopts a closed tab's unsent edits on this set and sends them", async () => {
      const closedTab = await orphanOfClosedTab();

      const fresh = await start({ tabs: new FakeTabs('tab-new', closedTab) });
      expect(fresh.result.pending).toBe(1);
      expect(storedRecord('tab-old')).toBeUndefined();
      expect(storedRecord('tab-new')?.tabId).toBe('tab-new');
      await advance(0);
      expect(spanIds(server.set)).toEqual(['a']);
    });

    it('a remount that stops the first engine while it starts (React StrictMode) loses nothing it adopted', async () => {
      const closedTab = await orphanOfClosedTab();

      const sameTab = new FakeTabs('tab-new', closedTab);
      const first = createEngine(server, store, sameTab);
      const second = createEngine(server, store, sameTab);
      engines.push(first.engine, second.engine);
      const set = await server.getSet(SET_ID);
      const firstStart = first.engine.start(set).catch(() => null);
      first.engine.stop();
      const result = await second.engine.start(set);
      await firstStart;
      expect(result.pending).toBe(1);
      await advance(0);
      expect(spanIds(server.set)).toEqual(['a']);
    });

    it('a second engine of this tab waits for the first to finish adopting before it reads', async () => {
      const closedTab = await orphanOfClosedTab();

      const sameTab = new FakeTabs('tab-new', closedTab);
      const firstEngine: { current?: SaveEngine } = {};
      // The first engine is stopped in the middle of adopting, after it found the orphan free.
      const stopsMidway: FakeTabs = Object.assign(Object.create(sameTab) as FakeTabs, {
        isTabAlive: async (tabId: string) => {
          const alive = await sameTab.isTabAlive(tabId);
          firstEngine.current?.stop();
          return alive;
        },
      });
      // ... and the second is slower to look, so without a lock it would read before the first wrote.
      const slowToLook: FakeTabs = Object.assign(Object.create(sameTab) as FakeTabs, {
        isTabAlive: async (tabId: string) => {
          for (let tick = 0; tick < 10; tick++) await Promise.resolve();
          return sameTab.isTabAlive(tabId);
        },
      });
      const first = createEngine(server, store, stopsMidway);
      firstEngine.current = first.engine;
      const second = createEngine(server, store, slowToLook);
      engines.push(first.engine, second.engine);
      const set = await server.getSet(SET_ID);
      const firstStart = first.engine.start(set).catch(() => null);
      const result = await second.engine.start(set);
      await firstStart;
      expect(result.pending).toBe(1);
      expect(storedRecord('tab-new')?.pending).toHaveLength(1);
    });

    it('leaves an open tab its own edits', async () => {
      const openTab = new FakeTabs('tab-open');
      const other = await start({ tabs: openTab });
      server.mode = 'offline';
      await other.engine.enqueue([addSpan('premise', 0, 8, 'a')]);

      server.mode = 'up';
      const mine = await start({ tabs: new FakeTabs('tab-mine', openTab) });
      expect(mine.result.pending).toBe(0);
      expect(storedRecord('tab-open')?.pending).toHaveLength(1);
    });

    it("never adopts another user's edits, and sets aside another user's record in this tab", async () => {
      const closed = new FakeTabs('tab-old');
      const foreign: OutboxRecord = {
        key: outboxKey(SET_ID, 'tab-old'),
        setId: SET_ID,
        tabId: 'tab-old',
        userId: 'someone-else',
        ackVersion: 0,
        baseVersion: 0,
        acked: [],
        pending: [{ changeId: 'c1', ops: [addSpan()], sent: false, createdAt: 0, edits: 1 }],
        updatedAt: 0,
      };
      await store.put(foreign, makeSet());
      await store.put({ ...foreign, key: outboxKey(SET_ID, 'tab-a'), tabId: 'tab-a' }, makeSet());
      closed.close();
      const mine = await start();
      expect(mine.result.pending).toBe(0);
      const others = [...store.records.values()].filter((record) => record.userId === 'someone-else');
      expect(others).toHaveLength(2);
      expect(others.every((record) => record.pending.length === 1 && record.tabId !== 'tab-a')).toBe(true);
      // Each set aside with its base.
      expect(others.every((record) => store.bases.get(record.key)?.version === 0)).toBe(true);
    });
  });

  it('enqueue resolves only once the record is stored', async () => {
    let releaseWrite: () => void = () => {};
    const slow: OutboxStore = {
      ...through(store),
      put: async (record, base) => {
        if (record.pending.length > 0) await new Promise<void>((resolve) => (releaseWrite = resolve));
        await store.put(record, base);
      },
    };
    const { engine } = createEngine(server, slow, tabs);
    engines.push(engine);
    await engine.start(makeSet());
    let resolved = false;
    const enqueued = engine.enqueue([addSpan('premise', 0, 8, 'a')]).then(() => (resolved = true));
    await advance(0);
    expect(resolved).toBe(false);
    expect(storedRecord()?.pending).toEqual([]);
    releaseWrite();
    await enqueued;
    expect(storedRecord()?.pending).toHaveLength(1);
  });

  /** A store that notes what each write holds, then stores it. */
  const recording = () => {
    const writes: Array<{ bytes: number; base: number | null; acked: number; pending: number }> = [];
    const wrapped: OutboxStore = {
      ...through(store),
      put: async (record, base) => {
        writes.push({
          bytes: JSON.stringify(record).length + (base ? JSON.stringify(base).length : 0),
          base: base ? base.version : null,
          acked: record.acked.length,
          pending: record.pending.length,
        });
        await store.put(record, base);
      },
    };
    return { writes, store: wrapped };
  };

  describe('storage: a small record per edit, the snapshot only now and then', () => {
    it('acknowledged changes join the record; after a pause they are folded into a new base', async () => {
      const { engine } = await start();
      expect(store.bases.get(outboxKey(SET_ID, 'tab-a'))?.version).toBe(0);
      await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      await advance(DEBOUNCE);
      await engine.enqueue([addSpan('premise', 19, 37, 'b')]);
      await advance(DEBOUNCE);
      expect(storedRecord()).toMatchObject({ baseVersion: 0, ackVersion: 2, acked: [{ version: 1 }, { version: 2 }], pending: [] });
      expect(store.bases.get(outboxKey(SET_ID, 'tab-a'))).toMatchObject({ version: 0, spans: [] });
      expect(storedSnapshot()).toMatchObject({ version: 2 });
      expect(spanIds(storedSnapshot()!)).toEqual(['a', 'b']);

      await advance(COMPACT_IDLE_MS - 100);
      expect(storedRecord()?.acked).toHaveLength(2);
      await advance(100);
      expect(storedRecord()).toMatchObject({ baseVersion: 2, ackVersion: 2, acked: [], pending: [] });
      expect(spanIds(store.bases.get(outboxKey(SET_ID, 'tab-a'))!)).toEqual(['a', 'b']);
      // The base is what the server would return: its order, its other fields.
      const { updatedAt: _stored, ...storedBase } = store.bases.get(outboxKey(SET_ID, 'tab-a'))!;
      const { updatedAt: _server, ...serverSet } = server.set;
      expect(storedBase).toEqual(serverSet);
    });

    it('typing postpones the compaction', async () => {
      const { engine } = await start();
      await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      await advance(DEBOUNCE);
      server.mode = 'offline'; // no more answers: only the edits push the compaction back
      await advance(COMPACT_IDLE_MS - 500);
      await engine.enqueue([addSpan('premise', 19, 37, 'b')]);
      await advance(COMPACT_IDLE_MS - 500);
      expect(storedRecord()?.acked).toHaveLength(1);
      await advance(500);
      expect(storedRecord()).toMatchObject({ baseVersion: 1, acked: [], pending: [{ sent: true }] });
      expect(spanIds(storedSnapshot()!)).toEqual(['a']);
    });

    it('compacts at once when the acknowledged changes pile up', async () => {
      const { engine } = await start();
      const edits = COMPACT_AFTER_CHANGES + 1;
      for (let index = 0; index < edits; index++) {
        const start = index % 50;
        await engine.enqueue([addSpan('premise', start, start + 1 + Math.floor(index / 50), `k${index}`)]);
        await advance(DEBOUNCE); // each sent and acknowledged alone
      }
      expect(server.requests).toHaveLength(edits);
      expect(storedRecord()).toMatchObject({ ackVersion: edits, baseVersion: edits, acked: [] });
      expect(store.bases.get(outboxKey(SET_ID, 'tab-a'))?.spans).toHaveLength(edits);
    });

    it('stop folds the acknowledged changes into the base, and the next start reads it', async () => {
      const first = await start();
      await first.engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      await advance(DEBOUNCE);
      expect(storedRecord()?.acked).toHaveLength(1);
      first.engine.stop();
      await advance(0);
      expect(storedRecord()).toMatchObject({ baseVersion: 1, ackVersion: 1, acked: [] });

      server.mode = 'offline';
      const second = await start({ online: false });
      expect(second.result).toMatchObject({ version: 1, pending: 0 });
      expect([...second.result.state.spans.keys()]).toEqual(['a']);
    });

    it('a reload after a compaction starts from the new base, with the unsent edits on top', async () => {
      const first = await start();
      await first.engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      await advance(DEBOUNCE + COMPACT_IDLE_MS);
      expect(storedRecord()).toMatchObject({ baseVersion: 1, acked: [] });
      server.mode = 'offline';
      await first.engine.enqueue([addSpan('premise', 19, 37, 'b')]);
      first.engine.stop();

      const second = await start({ online: false });
      expect(second.result).toMatchObject({ version: 1, pending: 1 });
      expect([...second.result.state.spans.keys()].sort()).toEqual(['a', 'b']);
      server.mode = 'up';
      second.online.dispatchEvent(new Event('online'));
      await advance(0);
      expect(server.requests.at(-1)).toMatchObject({ baseVersion: 1 });
      expect(spanIds(server.set)).toEqual(['a', 'b']);
      expect(second.engine.getStatus().kind).toBe('saved');
    });

    it('a reload before any compaction (the page was killed) replays the acknowledged changes on the base', async () => {
      const first = await start();
      await first.engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      await advance(DEBOUNCE);
      server.mode = 'offline';
      await first.engine.enqueue([addSpan('premise', 19, 37, 'b')]);
      await advance(DEBOUNCE);
      // The page dies here: what is on disk is all there is (no stop, no compaction).
      const disk = new MemoryOutboxStore();
      for (const [key, record] of store.records) disk.records.set(key, structuredClone(record));
      for (const [key, base] of store.bases) disk.bases.set(key, structuredClone(base));
      first.engine.stop();
      expect(disk.records.get(outboxKey(SET_ID, 'tab-a'))).toMatchObject({ baseVersion: 0, ackVersion: 1, acked: [{ version: 1 }], pending: [{ sent: true }] });

      const second = createEngine(server, disk, tabs);
      engines.push(second.engine);
      const result = await second.engine.start(null);
      expect(result).toMatchObject({ version: 1, pending: 1 });
      expect([...result.state.spans.keys()].sort()).toEqual(['a', 'b']);
      await advance(0);
      expect(second.engine.getStatus()).toEqual({ kind: 'offline', pending: 1 });
      server.mode = 'up';
      second.online.dispatchEvent(new Event('online'));
      await advance(0);
      expect(server.requests.at(-1)).toMatchObject({ baseVersion: 1, changeId: server.requests.at(-2)!.changeId });
      expect(spanIds(server.set)).toEqual(['a', 'b']);
      expect(server.set.version).toBe(2);
      expect(second.engine.getStatus().kind).toBe('saved');
    });

    it("adopts a closed tab's record with acknowledged changes not yet compacted, and opens offline from another tab's", async () => {
      server.edit([addSpan('premise', 0, 8, 'a')]); // version 1: the closed tab's acknowledged change
      const closed: OutboxRecord = {
        key: outboxKey(SET_ID, 'tab-old'),
        setId: SET_ID,
        tabId: 'tab-old',
        userId: USER_ID,
        ackVersion: 1,
        baseVersion: 0,
        acked: [{ changeId: 'c1', ops: [addSpan('premise', 0, 8, 'a')], version: 1 }],
        pending: [{ changeId: 'c2', ops: [addSpan('premise', 19, 37, 'b')], sent: false, createdAt: 0, edits: 1 }],
        updatedAt: 0,
      };
      await store.put(closed, makeSet());
      // Another tab, still open, with nothing unsent and version 1 in its acknowledged changes.
      await store.put({ ...closed, key: outboxKey(SET_ID, 'tab-open'), tabId: 'tab-open', pending: [] }, makeSet());
      const openTab = new FakeTabs('tab-open');

      server.mode = 'offline';
      const elsewhere = await start({ online: false, tabs: new FakeTabs('tab-z', openTab) }); // closed tab not alive: adopts it
      expect(elsewhere.result).toMatchObject({ version: 1, pending: 1 });
      expect([...elsewhere.result.state.spans.keys()].sort()).toEqual(['a', 'b']);
      expect(storedRecord('tab-old')).toBeUndefined();
      expect(store.bases.has(outboxKey(SET_ID, 'tab-old'))).toBe(false);
      expect(storedRecord('tab-z')).toMatchObject({ baseVersion: 0, acked: [{ changeId: 'c1' }] });

      const fresh = await start({ online: false, tabs: new FakeTabs('tab-y', openTab) }); // nothing to adopt: the newest stored state
      expect(fresh.result).toMatchObject({ version: 1, pending: 0 });
      expect([...fresh.result.state.spans.keys()]).toEqual(['a']);

      server.mode = 'up';
      elsewhere.engine.retryNow();
      await advance(0);
      expect(server.requests.at(-1)).toMatchObject({ baseVersion: 1 });
      expect(spanIds(server.set)).toEqual(['a', 'b']);
    });

    it('a base that could not be written is written with the next record, so base and record always agree', async () => {
      let failBase = false;
      const failing: OutboxStore = {
        ...through(store),
        put: async (record, base) => {
          if (base && failBase) throw new Error('QuotaExceededError');
          await store.put(record, base);
        },
      };
      const { engine } = createEngine(server, failing, tabs);
      engines.push(engine);
      await engine.start(await server.getSet(SET_ID));
      await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      await advance(DEBOUNCE);
      failBase = true;
      await advance(COMPACT_IDLE_MS); // the compaction fails: the old pair stays
      expect(storedRecord()).toMatchObject({ baseVersion: 0, acked: [{ version: 1 }] });
      expect(spanIds(storedSnapshot()!)).toEqual(['a']);

      failBase = false;
      server.mode = 'offline';
      await engine.enqueue([addSpan('premise', 19, 37, 'b')]); // this write carries the base as well
      expect(storedRecord()).toMatchObject({ baseVersion: 1, ackVersion: 1, acked: [], pending: [{ changeId: expect.any(String) }] });
      expect(storedSnapshot()).toMatchObject({ version: 1 });
      expect(spanIds(storedSnapshot()!)).toEqual(['a']);
    });

    it('unsent edits whose base is missing are shown on the server state and still sent on their own version', async () => {
      const orphan: OutboxRecord = {
        key: outboxKey(SET_ID, 'tab-a'),
        setId: SET_ID,
        tabId: 'tab-a',
        userId: USER_ID,
        ackVersion: 0,
        baseVersion: 0,
        acked: [],
        pending: [{ changeId: 'c1', ops: [addSpan('premise', 0, 8, 'a')], sent: false, createdAt: 0, edits: 1 }],
        updatedAt: 0,
      };
      await store.put(orphan); // no base was ever stored with it
      server.edit([addSpan('conclusion', 42, 61, 'x')]); // version 1
      const { engine, result } = await start();
      expect(result).toMatchObject({ version: 0, pending: 1 });
      expect([...result.state.spans.keys()].sort()).toEqual(['a', 'x']);
      expect(storedSnapshot()).toMatchObject({ version: 0 }); // a base is stored with it now
      await advance(DEBOUNCE);
      expect(server.requests).toMatchObject([{ changeId: 'c1', baseVersion: 0 }]);
      expect(engine.getStatus().kind).toBe('conflict');
    });

    it('on a set of 5,000 spans, an edit and its acknowledgement copy and store only the edit, never the set', async () => {
      const spans: Span[] = [];
      for (let begin = 1; begin < TEXT.length && spans.length < 5000; begin++) {
        for (let end = begin + 1; end <= TEXT.length && spans.length < 5000; end++) {
          for (const label of ['premise', 'inference', 'conclusion']) spans.push({ id: `s-${begin}-${end}-${label}`, label, start: begin, end, note: null });
        }
      }
      const relations = Array.from({ length: 1000 }, (_, index) => ({ id: `r-${index}`, type: 'supports', source: spans[index]!.id, target: spans[index + 1]!.id }));
      server = new FakeServer(makeSet({ spans: spans.slice(0, 5000), relations }));
      const setBytes = JSON.stringify(server.set).length;
      expect(setBytes).toBeGreaterThan(400_000);
      const { writes, store: wrapped } = recording();
      const { engine } = createEngine(server, wrapped, tabs);
      engines.push(engine);
      await engine.start(await server.getSet(SET_ID));
      expect(writes).toEqual([expect.objectContaining({ base: 0 })]); // the server snapshot, stored once at start
      writes.length = 0;

      const clone = vi.spyOn(globalThis, 'structuredClone');
      try {
        await engine.enqueue([addSpan('conclusion', 0, 8, 'new')]);
        const cloned = clone.mock.calls.map(([value]) => JSON.stringify(value)?.length ?? 0);
        expect(cloned.length).toBeGreaterThan(0);
        expect(Math.max(...cloned)).toBeLessThan(1_000);
      } finally {
        clone.mockRestore();
      }
      expect(writes).toEqual([{ bytes: expect.any(Number), base: null, acked: 0, pending: 1 }]);
      expect(writes[0]!.bytes).toBeLessThan(1_000);

      await advance(DEBOUNCE); // sent (marked sent first) and acknowledged
      expect(engine.getStatus().kind).toBe('saved');
      expect(writes.slice(1).map((write) => write.base)).toEqual([null, null]);
      expect(Math.max(...writes.map((write) => write.bytes))).toBeLessThan(1_000);
      expect(storedSnapshot()?.spans).toHaveLength(5001);

      await advance(COMPACT_IDLE_MS); // the set is stored again only by the compaction, once
      expect(writes.slice(3)).toEqual([expect.objectContaining({ base: 1, acked: 0 })]);
      expect(writes[3]!.bytes).toBeGreaterThan(setBytes);
    });
  });

  describe('refusals drop only the refused edit', () => {
    /** The default scheme without 'inference': a lead removed the label, unused on the server. */
    const withoutInference = { ...SCHEME, spanLabels: SCHEME.spanLabels.filter((label) => label.key !== 'inference') };
    const en = translator('en');

    it('C1: three spans made offline; the lead removed the label of one: the other two reach the server, and the status names the dropped one', async () => {
      const { engine, online, replaced } = await start();
      server.mode = 'offline';
      await engine.enqueue([addSpan('premise', 0, 17, 'a')]);
      await engine.enqueue([addSpan('inference', 19, 37, 'b')]);
      await engine.enqueue([addSpan('conclusion', 39, 61, 'c')]);
      await advance(DEBOUNCE);
      expect(engine.getStatus()).toEqual({ kind: 'offline', pending: 3 });
      // Sent (and stored) as one change, its edits' boundaries noted.
      expect(storedRecord()?.pending).toMatchObject([{ sent: true, edits: 3, parts: [{ opCount: 1 }, { opCount: 1 }, { opCount: 1 }] }]);

      server.scheme = withoutInference;
      server.mode = 'up';
      online.dispatchEvent(new Event('online'));
      await advance(DEBOUNCE);

      expect(spanIds(server.set)).toEqual(['a', 'c']);
      expect(storedRecord()?.pending).toEqual([]);
      expect(replaced.at(-1)?.spans).toEqual(['a', 'c']);
      // C2: the status says what was dropped (not "Offline: 0 changes"), and keeps saying it.
      const status = engine.getStatus();
      expect(status).toMatchObject({ kind: 'error', reason: 'refused', dropped: 1, pending: 0 });
      expect(status.kind === 'error' && status.edits).toEqual([
        { op: 'addSpan', label: { key: 'inference', name: 'Inference' }, text: 'All men are mortal', cause: 'scheme' },
      ]);
      expect(saveStatusText(status, en)).toBe(
        '1 edit was not saved: the server refused the new span “All men are mortal” (Inference) because “Inference” is no longer in the project’s label scheme. The passage now shows what is saved.',
      );
      await advance(60_000);
      expect(engine.getStatus()).toBe(status);
    });

    it('drops the refused edit and the ones that depended on it, sends the rest on the same version', async () => {
      const { engine, online } = await start();
      server.mode = 'offline';
      await engine.enqueue([addSpan('premise', 0, 17, 'a')]);
      await engine.enqueue([addSpan('inference', 19, 37, 'b')]);
      await engine.enqueue([{ op: 'addRelation', relation: { id: 'r1', type: 'supports', source: 'a', target: 'b' } }]);
      await engine.enqueue([{ op: 'setCategory', category: 'reasoning' }]);
      await advance(DEBOUNCE);
      server.scheme = withoutInference;
      server.mode = 'up';
      online.dispatchEvent(new Event('online'));
      await advance(DEBOUNCE);
      expect(spanIds(server.set)).toEqual(['a']);
      expect(server.set.category).toBe('reasoning');
      expect(server.set.relations).toEqual([]);
      expect(server.requests.at(-1)).toMatchObject({ baseVersion: 0 });
      expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'refused', dropped: 2, pending: 0 });
      expect(saveStatusText(engine.getStatus(), en)).toMatch(/^2 edits were not saved; the first, the new span “All men are mortal” \(Inference\), was refused/);
    });

    it('without details.opIndex, sends the edits one by one and drops only the one refused', async () => {
      const { engine, online } = await start();
      server.omitOpIndex = true;
      server.mode = 'offline';
      await engine.enqueue([addSpan('premise', 0, 17, 'a')]);
      await engine.enqueue([addSpan('inference', 19, 37, 'b')]);
      await engine.enqueue([addSpan('conclusion', 39, 61, 'c')]);
      await advance(DEBOUNCE);
      server.scheme = withoutInference;
      server.mode = 'up';
      online.dispatchEvent(new Event('online'));
      await advance(DEBOUNCE);
      expect(spanIds(server.set)).toEqual(['a', 'c']);
      expect(opsOf(server).slice(-4)).toEqual([['a', 'b', 'c'], ['a'], ['b'], ['c']]);
      expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'refused', dropped: 1, edits: [{ op: 'addSpan', cause: 'scheme' }] });
    });

    it('413: splits the change and sends the halves; nothing is dropped', async () => {
      const { engine } = await start();
      server.holding = true;
      await engine.enqueue([addSpan('premise', 0, 8, 'first')]);
      await advance(DEBOUNCE);
      for (let index = 0; index < 8; index++) await engine.enqueue([addSpan('premise', index + 10, index + 20, `k${index}`)]);
      server.bodyLimit = 700; // one request holds about four of these
      server.holding = false;
      server.release();
      await advance(0);
      expect(spanIds(server.set)).toEqual(['first', 'k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
      expect(engine.getStatus().kind).toBe('saved');
      expect(storedRecord()?.pending).toEqual([]);
    });

    it('413 on a single op: refused with a clear status, the rest goes on', async () => {
      const { engine } = await start();
      server.bodyLimit = 2000;
      await engine.enqueue([{ op: 'addSpan', span: { id: 'big', label: 'premise', start: 0, end: 8, note: 'x'.repeat(3000) } }]);
      await engine.enqueue([addSpan('premise', 19, 37, 'small')]);
      await advance(DEBOUNCE);
      expect(spanIds(server.set)).toEqual(['small']);
      const status = engine.getStatus();
      expect(status).toMatchObject({ kind: 'error', reason: 'refused', dropped: 1, edits: [{ op: 'addSpan', cause: 'too-large' }] });
      expect(saveStatusText(status, en)).toContain('because it is too large to send');
    });

    it('never merges more than MAX_CHANGE_BYTES into one request', async () => {
      const { engine, online } = await start();
      server.mode = 'offline';
      const note = 'ё'.repeat(5000); // 10,000 bytes in UTF-8
      const edits = 80; // 800 KB in all: under the op limit, over the byte cap
      for (let index = 0; index < edits; index++) {
        await engine.enqueue([{ op: 'addSpan', span: { id: `n${index}`, label: 'premise', start: index % 50, end: (index % 50) + 1 + Math.floor(index / 50), note } }]);
      }
      await advance(DEBOUNCE);
      server.mode = 'up';
      online.dispatchEvent(new Event('online'));
      await advance(0);
      const sizes = server.requests.map((request) => new TextEncoder().encode(JSON.stringify(request)).length);
      expect(Math.max(...sizes)).toBeLessThan(512 * 1024 + 1000);
      expect(server.requests.length).toBeGreaterThan(1);
      expect(server.set.spans).toHaveLength(edits);
      expect(engine.getStatus().kind).toBe('saved');
      expect(MAX_CHANGE_BYTES).toBeLessThanOrEqual(512 * 1024);
    });

    it('409 CONFLICT (the change id was used with other ops): the edits go again under new ids', async () => {
      const { engine } = await start();
      await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      const id = storedRecord()!.pending[0]!.changeId;
      server.applied.set(id, { ops: '[]', version: 0 });
      await advance(DEBOUNCE);
      expect(spanIds(server.set)).toEqual(['a']);
      expect(server.requests.map((request) => request.changeId === id)).toEqual([true, false]);
      expect(engine.getStatus().kind).toBe('saved');
    });
  });

  describe('status after a refusal (C2)', () => {
    it('the notice shows the dropped edits until the next edit, whatever else happens meanwhile, and says what else is wrong', async () => {
      const { engine } = await start();
      server.refuse = (body) => (body.ops.some((op) => op.op === 'addSpan' && op.span.id === 'x') ? 'no' : undefined);
      await engine.enqueue([addSpan('premise', 0, 8, 'x')]);
      await advance(DEBOUNCE);
      expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'refused', dropped: 1 });
      // A refusal clears an earlier network problem: the server answered.
      server.mode = 'offline';
      server.holding = true;
      await advance(0);
      expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'refused', dropped: 1, pending: 0 });
      expect(engine.getStatus()).not.toHaveProperty('waiting');
      expect(saveStatusText(engine.getStatus(), translator('ru'))).toMatch(/^1 правка не сохранена: сервер отклонил новый отрезок «Socrates» \(Посылка\)/);
      expect(saveStatusText(engine.getStatus(), translator('ru'))).not.toMatch(/[A-Za-z]{4,}.*[A-Za-z]{4,}.*no\b/);
      server.holding = false;
      server.release();

      await engine.enqueue([addSpan('premise', 19, 37, 'y')]); // the next edit: the notice has been seen
      await advance(DEBOUNCE);
      expect(engine.getStatus()).toEqual({ kind: 'offline', pending: 1 });
    });

    it('a refusal after going offline says what was dropped, not "offline"', async () => {
      const { engine, online } = await start();
      server.mode = 'offline';
      await engine.enqueue([addSpan('premise', 0, 8, 'x')]);
      await advance(DEBOUNCE);
      expect(engine.getStatus()).toEqual({ kind: 'offline', pending: 1 });
      server.refuse = () => 'no';
      server.mode = 'up';
      online.dispatchEvent(new Event('online'));
      await advance(0);
      expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'refused', dropped: 1, pending: 0 });
    });

    it('dropped edits add up over several refusals until the user edits again', async () => {
      const { engine } = await start();
      server.refuse = (body) => (body.ops.some((op) => op.op === 'addSpan' && op.span.id.startsWith('x')) ? 'no' : undefined);
      server.omitOpIndex = true;
      server.holding = true;
      await engine.enqueue([addSpan('premise', 0, 8, 'first')]);
      await advance(DEBOUNCE);
      await engine.enqueue([addSpan('premise', 19, 37, 'x1')]);
      await engine.enqueue([addSpan('premise', 39, 61, 'x2')]);
      await engine.enqueue([addSpan('premise', 42, 61, 'ok')]);
      server.holding = false;
      server.release();
      await advance(0);
      expect(spanIds(server.set)).toEqual(['first', 'ok']);
      expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'refused', dropped: 2 });
    });
  });

  describe('storage failures (I9)', () => {
    const flaky = () => {
      let failing = false;
      let writes = 0;
      const wrapped: OutboxStore = {
        ...through(store),
        put: async (record, base) => {
          writes++;
          if (failing) throw new DOMException('The disk is full', 'QuotaExceededError');
          await store.put(record, base);
        },
      };
      return { wrapped, fail: (value: boolean) => (failing = value), writes: () => writes };
    };

    it('enqueue does not reject when the write fails: the edit is kept and sent, the status says storage, and the write is retried until it succeeds', async () => {
      const { wrapped, fail, writes } = flaky();
      const { engine } = createEngine(server, wrapped, tabs);
      engines.push(engine);
      await engine.start(await server.getSet(SET_ID));
      server.mode = 'offline';
      fail(true);
      await expect(engine.enqueue([addSpan('premise', 0, 8, 'a')])).resolves.toBeUndefined();
      expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'storage', pending: 1, message: 'The disk is full' });
      expect(saveStatusText(engine.getStatus(), translator('en'))).toBe(
        'This device could not store 1 change; it is kept in this tab only and still being sent. Trying to store it again…',
      );
      expect(storedRecord()?.pending ?? []).toEqual([]);
      const before = writes();
      await advance(5000);
      expect(writes()).toBeGreaterThan(before); // tried again
      expect(engine.getStatus()).toMatchObject({ kind: 'error', reason: 'storage' });

      fail(false);
      await advance(10_000);
      expect(storedRecord()?.pending).toHaveLength(1);
      expect(engine.getStatus()).toEqual({ kind: 'offline', pending: 1 });
      server.mode = 'up';
      engine.retryNow();
      await advance(0);
      expect(spanIds(server.set)).toEqual(['a']);
      expect(engine.getStatus().kind).toBe('saved');
    });

    it('the edit is sent even while it cannot be stored', async () => {
      const { wrapped, fail } = flaky();
      const { engine } = createEngine(server, wrapped, tabs);
      engines.push(engine);
      await engine.start(await server.getSet(SET_ID));
      fail(true);
      await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      await advance(DEBOUNCE);
      expect(spanIds(server.set)).toEqual(['a']);
      fail(false);
      await advance(10_000);
      expect(engine.getStatus().kind).toBe('saved');
    });

    it('with the memory store standing in for a missing IndexedDB, the status says the edits are NOT kept on this device', async () => {
      store = new MemoryOutboxStore({ volatile: true });
      const { engine } = await start();
      server.mode = 'offline';
      await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      expect(engine.getStatus()).toEqual({ kind: 'saving', pending: 1, volatile: true });
      await advance(DEBOUNCE);
      expect(engine.getStatus()).toEqual({ kind: 'offline', pending: 1, volatile: true });
      const en = saveStatusText(engine.getStatus(), translator('en'));
      expect(en).toContain('NOT kept on this device');
      expect(en).not.toContain('is kept on this device');
      expect(saveStatusText(engine.getStatus(), translator('ru'))).toContain('НЕ сохранено на этом устройстве');
    });
  });

  describe('an acknowledged change this client cannot replay', () => {
    // The client's scheme lacks 'conclusion' (the lead added it after the page loaded); the
    // server takes the edit (made by the undo of an older edit, say).
    const oldScheme = { ...SCHEME, spanLabels: SCHEME.spanLabels.filter((label) => label.key !== 'conclusion') };
    const startOld = async () => {
      const online = new EventTarget();
      const engine = new SaveEngine({ setId: SET_ID, userId: USER_ID, text: TEXT, scheme: oldScheme, api: server, store, tabs, onlineEvents: online });
      engines.push(engine);
      await engine.start(await server.getSet(SET_ID));
      return engine;
    };

    it('stays in the stored record (base + acked hold it) while the server cannot be read, and no compaction drops it', async () => {
      const engine = await startOld();
      await engine.enqueue([addSpan('premise', 0, 8, 'a')]);
      await advance(DEBOUNCE);
      server.failReads = 100;
      await engine.enqueue([addSpan('conclusion', 42, 61, 'c')]);
      await advance(DEBOUNCE);
      expect(server.set.version).toBe(2);
      expect(storedRecord()).toMatchObject({ ackVersion: 2 });
      expect(spanIds(storedSnapshot()!)).toEqual(['a', 'c']);
      await advance(COMPACT_IDLE_MS * 3); // the compaction waits for a server read
      expect(spanIds(storedSnapshot()!)).toEqual(['a', 'c']);
      engine.stop();
      await advance(0);
      expect(spanIds(storedSnapshot()!)).toEqual(['a', 'c']);
    });

    it('once the server can be read, its state becomes the stored base', async () => {
      const engine = await startOld();
      server.failReads = 1;
      await engine.enqueue([addSpan('conclusion', 42, 61, 'c')]);
      await advance(DEBOUNCE);
      await advance(COMPACT_IDLE_MS);
      expect(storedRecord()).toMatchObject({ baseVersion: 1, ackVersion: 1, acked: [] });
      expect(spanIds(store.bases.get(outboxKey(SET_ID, 'tab-a'))!)).toEqual(['c']);
      expect(engine.getStatus().kind).toBe('saved');
    });
  });

  it('a start given a set read before changes this tab has since had acknowledged reads it again (an engine sent them in the background meanwhile)', async () => {
    const stale = await server.getSet(SET_ID); // the editor's read, version 0
    const background = await start();
    await background.engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    await advance(DEBOUNCE);
    background.engine.stop();
    expect(server.set.version).toBe(1);

    const editor = createEngine(server, store, tabs);
    engines.push(editor.engine);
    const result = await editor.engine.start(stale);
    expect(result).toMatchObject({ version: 1, pending: 0 });
    expect([...result.state.spans.keys()]).toEqual(['a']);
    await editor.engine.enqueue([addSpan('premise', 19, 37, 'b')]);
    await advance(DEBOUNCE);
    expect(server.requests.at(-1)).toMatchObject({ baseVersion: 1 });
    expect(editor.engine.getStatus().kind).toBe('saved');
  });

  it("adopts a closed tab's unsent edits even when this tab has a record of the set with nothing unsent", async () => {
    const mine = await start();
    mine.engine.stop();
    await advance(0);
    expect(storedRecord()).toMatchObject({ pending: [] });
    const closedTab = new FakeTabs('tab-old', tabs);
    const old = await start({ tabs: closedTab });
    server.mode = 'offline';
    await old.engine.enqueue([addSpan('premise', 0, 8, 'a')]);
    old.engine.stop();
    closedTab.close();
    server.mode = 'up';

    const again = await start();
    expect(again.result.pending).toBe(1);
    expect(storedRecord('tab-old')).toBeUndefined();
    await advance(DEBOUNCE);
    expect(spanIds(server.set)).toEqual(['a']);
  });

  describe('upgrade from database version 1', () => {
    beforeEach(() => {
      vi.useRealTimers(); // fake-indexeddb runs on real timers
    });

    it('finds the unsent edits a version 1 record held, and sends them', async () => {
      const { IDBFactory } = await import('fake-indexeddb');
      const { IndexedDbOutboxStore } = await import('./outbox-store.ts');
      const factory = new IDBFactory();
      await new Promise<void>((resolve, reject) => {
        const request = factory.open('warrant-editor', 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          db.createObjectStore('outbox', { keyPath: 'key' }).createIndex('by-set', 'setId', { unique: false });
          db.createObjectStore('cache', { keyPath: 'key' });
          request.transaction!.objectStore('outbox').put({
            key: outboxKey(SET_ID, 'tab-a'),
            setId: SET_ID,
            tabId: 'tab-a',
            userId: USER_ID,
            ackVersion: 0,
            snapshot: makeSet(),
            pending: [{ changeId: 'c1', ops: [addSpan('premise', 0, 8, 'a')], sent: false, createdAt: 0, edits: 1 }],
            updatedAt: 0,
          });
        };
        request.onsuccess = () => {
          request.result.close();
          resolve();
        };
        request.onerror = () => reject(request.error);
      });

      const idb = new IndexedDbOutboxStore(factory);
      const engine = new SaveEngine({ setId: SET_ID, userId: USER_ID, text: TEXT, scheme: SCHEME, api: server, store: idb, tabs, debounceMs: 0, onlineEvents: new EventTarget() });
      engines.push(engine);
      server.mode = 'offline';
      const offline = await engine.start(null);
      expect(offline).toMatchObject({ version: 0, pending: 1 });
      expect([...offline.state.spans.keys()]).toEqual(['a']);
      server.mode = 'up';
      engine.retryNow();
      await vi.waitFor(() => expect(engine.getStatus().kind).toBe('saved'));
      expect(spanIds(server.set)).toEqual(['a']);
      expect(server.requests.at(-1)).toMatchObject({ changeId: 'c1', baseVersion: 0 });
      await vi.waitFor(async () => expect((await idb.get(outboxKey(SET_ID, 'tab-a')))?.record).toMatchObject({ ackVersion: 1, pending: [] }));
    });
  });
});
