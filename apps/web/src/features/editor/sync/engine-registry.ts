import type { SaveEngine, SaveStatus } from './save-engine.ts';

type Role = 'editor' | 'background';

interface Entry {
  engine: SaveEngine;
  role: Role;
  pending: number;
  unsubscribe: () => void;
  /** Set once the engine runs in the background: stops watching for "nothing left to send". */
  unwatch?: () => void;
}

/**
 * The save engines this tab runs, at most one per annotation set: the open editor's, and engines
 * without UI that keep sending edits the annotator left behind (a passage left with edits unsent,
 * or records the OutboxDrainer adopted). Two engines of one set in one tab would send the same
 * record twice over; every engine of the app goes through here.
 */
export class EngineRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Sets whose engine stopped without the annotator's help being possible (a conflict, a set gone): left for the editor. */
  private readonly parked = new Set<string>();
  /** Pending edits of this tab's stored records that no engine runs for (as the drainer last saw them). */
  private readonly unattended = new Map<string, number>();

  engineFor(setId: string): SaveEngine | undefined {
    return this.entries.get(setId)?.engine;
  }

  /** The editor opens a set: whatever engine this tab still runs for it stops (it hands over through storage). */
  openInEditor(setId: string, engine: SaveEngine): void {
    const previous = this.entries.get(setId);
    if (previous && previous.engine !== engine) this.release(setId, previous.engine);
    this.parked.delete(setId);
    this.unattended.delete(setId);
    this.entries.set(setId, this.track(engine, 'editor'));
  }

  /**
   * Claims a set for an engine without UI, before it starts: false when this tab runs an engine
   * for it already, or when it waits for the editor (parked).
   */
  reserve(setId: string, engine: SaveEngine): boolean {
    if (this.entries.has(setId) || this.parked.has(setId)) return false;
    this.unattended.delete(setId);
    this.entries.set(setId, this.track(engine, 'background'));
    return true;
  }

  /**
   * A started engine goes on without UI: it stops once nothing is pending, and also when it
   * cannot go on alone (a conflict to resolve, a set that is gone): its edits then stay stored,
   * the set is parked, and the editor takes them up when the passage is opened again.
   */
  runInBackground(setId: string, engine: SaveEngine): void {
    const entry = this.entries.get(setId);
    if (!entry || entry.engine !== engine) {
      engine.stop();
      return;
    }
    entry.role = 'background';
    entry.unwatch?.();
    entry.unwatch = engine.subscribe((status) => {
      const stuck = status.kind === 'conflict' || (status.kind === 'error' && status.reason === 'not-found');
      if (status.pending > 0 && !stuck) return;
      // Not inside the engine's own emit.
      queueMicrotask(() => {
        if (this.entries.get(setId)?.engine !== engine) return;
        const left = engine.getStatus().pending;
        if (left > 0 && !stuck) return;
        if (stuck) this.parked.add(setId);
        this.release(setId, engine);
        if (left > 0) this.unattended.set(setId, left);
      });
    });
  }

  /** The editor leaves the set: the engine goes on in the background while anything is pending. */
  retire(setId: string, engine: SaveEngine): void {
    this.runInBackground(setId, engine);
  }

  /** Stops the engine and forgets it (its unsent edits stay stored). */
  release(setId: string, engine: SaveEngine): void {
    const entry = this.entries.get(setId);
    engine.stop();
    if (!entry || entry.engine !== engine) return;
    entry.unsubscribe();
    entry.unwatch?.();
    this.entries.delete(setId);
  }

  /** Stops every engine without UI (logout, another user): their edits stay stored for the next drain. */
  stopBackground(): void {
    for (const [setId, entry] of [...this.entries]) {
      if (entry.role !== 'background') continue;
      const left = entry.pending;
      this.release(setId, entry.engine);
      if (left > 0) this.unattended.set(setId, left);
    }
  }

  isParked(setId: string): boolean {
    return this.parked.has(setId);
  }

  /** The drainer's view of this tab's stored records that no engine runs for. */
  setUnattended(pendingBySet: ReadonlyMap<string, number>): void {
    this.unattended.clear();
    for (const [setId, pending] of pendingBySet) {
      if (pending > 0 && !this.entries.has(setId)) this.unattended.set(setId, pending);
    }
  }

  /** Edits this tab has not yet got onto the server: in its engines, and in its stored records no engine runs for. */
  pendingEdits(): number {
    let count = 0;
    for (const entry of this.entries.values()) count += entry.pending;
    for (const pending of this.unattended.values()) count += pending;
    return count;
  }

  /** For tests: forgets everything (stopping every engine). */
  reset(): void {
    for (const [setId, entry] of [...this.entries]) this.release(setId, entry.engine);
    this.parked.clear();
    this.unattended.clear();
  }

  private track(engine: SaveEngine, role: Role): Entry {
    const entry: Entry = { engine, role, pending: 0, unsubscribe: () => {} };
    entry.unsubscribe = engine.subscribe((status: SaveStatus) => {
      entry.pending = status.pending;
    });
    return entry;
  }
}

/** This tab's engines. */
export const engineRegistry = new EngineRegistry();
