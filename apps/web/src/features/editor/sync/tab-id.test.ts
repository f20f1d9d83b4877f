import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** Enough of the Web Locks API for tab ids: exclusive locks, ifAvailable, query(), release on "close". */
class FakeLocks {
  readonly held = new Map<string, () => void>();

  request(name: string, options: { ifAvailable?: boolean }, callback: (lock: { name: string } | null) => Promise<unknown> | unknown) {
    if (this.held.has(name)) return Promise.resolve(callback(null));
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held.set(name, release);
    const result = Promise.resolve(callback({ name }));
    return Promise.race([result, released]);
  }

  async query() {
    return { held: [...this.held.keys()].map((name) => ({ name, mode: 'exclusive' })), pending: [] };
  }

  /** The tab holding this lock closed. */
  drop(name: string) {
    this.held.get(name)?.();
    this.held.delete(name);
  }
}

function fakeSessionStorage() {
  const values = new Map<string, string>();
  return { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value) };
}

describe('tab id', () => {
  let locks: FakeLocks;
  let storage: ReturnType<typeof fakeSessionStorage>;

  beforeEach(() => {
    vi.resetModules();
    locks = new FakeLocks();
    storage = fakeSessionStorage();
    vi.stubGlobal('navigator', { locks });
    vi.stubGlobal('sessionStorage', storage);
  });

  afterEach(() => vi.unstubAllGlobals());

  it('keeps its id in sessionStorage, holds its lock, and is alive until that lock goes', async () => {
    const { getTabId, isTabAlive, tabLockName } = await import('./tab-id.ts');
    const id = await getTabId();
    expect(storage.getItem('warrant-tab-id')).toBe(id);
    expect(await getTabId()).toBe(id);
    expect(await isTabAlive(id)).toBe(true);
    expect(await isTabAlive('another')).toBe(false);
    locks.drop(tabLockName(id));
    expect(await isTabAlive(id)).toBe(false);
  });

  it('a reload reuses the id from sessionStorage', async () => {
    storage.setItem('warrant-tab-id', 'reloaded');
    const { getTabId } = await import('./tab-id.ts');
    expect(await getTabId()).toBe('reloaded');
  });

  it('a duplicated tab (same sessionStorage, the original still open) takes a new id', async () => {
    vi.useFakeTimers();
    try {
      storage.setItem('warrant-tab-id', 'original');
      locks.held.set('warrant-tab-original', () => {});
      const { getTabId } = await import('./tab-id.ts');
      const claimed = getTabId();
      await vi.advanceTimersByTimeAsync(1000);
      const id = await claimed;
      expect(id).not.toBe('original');
      expect(storage.getItem('warrant-tab-id')).toBe(id);
    } finally {
      vi.useRealTimers();
    }
  });

  it('without Web Locks every tab counts as alive, so nothing is ever adopted', async () => {
    vi.stubGlobal('navigator', {});
    const { isTabAlive } = await import('./tab-id.ts');
    expect(await isTabAlive('closed-long-ago')).toBe(true);
  });
});
