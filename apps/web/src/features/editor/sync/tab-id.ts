/**
 * Which browser tab this is, and whether another tab is still open. A tab's unsent edits belong
 * to it while it lives (its Web Lock is held); once it is closed, another tab may adopt them.
 */
const STORAGE_KEY = 'warrant-tab-id';
/** How often a reloaded tab asks again for its own lock, which the old page may not have let go of yet. */
const CLAIM_ATTEMPTS = 3;
const CLAIM_RETRY_MS = 100;

export interface TabRegistry {
  /** This tab's id, once its lock is held. */
  currentTabId(): Promise<string>;
  /** Whether the tab is open (its lock is held). Without the Web Locks API every tab counts as alive. */
  isTabAlive(tabId: string): Promise<boolean>;
}

export function tabLockName(tabId: string): string {
  return `warrant-tab-${tabId}`;
}

export function newTabId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

function locks(): LockManager | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.locks;
}

function readStoredId(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storeId(tabId: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, tabId);
  } catch {
    // No sessionStorage (privacy settings): the id lasts as long as this page.
  }
}

/** Takes the lock if nobody holds it, and keeps it until the page goes away. */
function tryHold(manager: LockManager, tabId: string): Promise<boolean> {
  return new Promise((resolve) => {
    manager
      .request(tabLockName(tabId), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise<never>(() => {});
      })
      .catch(() => resolve(false));
  });
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function claimTabId(): Promise<string> {
  const manager = locks();
  const stored = readStoredId();
  if (!manager) {
    const id = stored ?? newTabId();
    storeId(id);
    return id;
  }
  if (stored) {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      if (await tryHold(manager, stored)) return stored;
      await wait(CLAIM_RETRY_MS);
    }
    // Still held: this is a duplicated tab (the browser copied sessionStorage), not a reload.
  }
  const id = newTabId();
  await tryHold(manager, id);
  storeId(id);
  return id;
}

let claimed: Promise<string> | undefined;

export const browserTabs: TabRegistry = {
  currentTabId() {
    claimed ??= claimTabId();
    return claimed;
  },
  async isTabAlive(tabId) {
    const manager = locks();
    if (!manager) return true;
    try {
      const { held = [] } = await manager.query();
      return held.some((lock) => lock.name === tabLockName(tabId));
    } catch {
      return true;
    }
  },
};

/** This tab's id (kept in sessionStorage, so a reload keeps it), its lock held for the page's life. */
export function getTabId(): Promise<string> {
  return browserTabs.currentTabId();
}

export function isTabAlive(tabId: string): Promise<boolean> {
  return browserTabs.isTabAlive(tabId);
}
