import { engineRegistry, type EngineRegistry } from './engine-registry.ts';
import { clearOfflineCache } from './offline-cache.ts';
import { defaultOutboxStore, type OutboxStore } from './outbox-store.ts';
import { browserTabs, type TabRegistry } from './tab-id.ts';

interface Where {
  store?: OutboxStore;
  tabs?: TabRegistry;
  registry?: EngineRegistry;
}

/**
 * Edits of this user not yet on the server, on this device: in every tab's stored records, and
 * for this tab whatever its engines hold that is not written yet. For the warning before logout.
 */
export async function unsentEditsOf(userId: string, where: Where = {}): Promise<number> {
  const store = where.store ?? defaultOutboxStore();
  const registry = where.registry ?? engineRegistry;
  let here = 0;
  let elsewhere = 0;
  try {
    const tabId = await (where.tabs ?? browserTabs).currentTabId();
    for (const record of await store.listAll()) {
      if (record.userId !== userId) continue;
      const edits = record.pending.reduce((sum, change) => sum + change.edits, 0);
      if (record.tabId === tabId) here += edits;
      else elsewhere += edits;
    }
  } catch {
    // Storage unreadable: what the engines hold is all there is to count.
  }
  return elsewhere + Math.max(here, registry.pendingEdits());
}

/**
 * After logout: the next person at this browser must not read the copies kept for offline use,
 * and the passages this user opened need not stay stored. Deletes the offline cache and this
 * user's outbox records (with their base snapshots) that hold nothing unsent. Unsent edits are
 * never deleted: they are sent after the user's next login here.
 */
export async function forgetOnLogout(userId: string, where: Pick<Where, 'store'> = {}): Promise<void> {
  const store = where.store ?? defaultOutboxStore();
  await Promise.all([clearOfflineCache(), store.removeSettled(userId).catch(() => 0)]);
}
