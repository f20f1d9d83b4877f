import type { AnnotationState } from '@warrant/domain';
import { useEffect, useState } from 'react';
import { engineApi, type EditorData } from '../api/editor-data.ts';
import { EditorSession } from '../core/session.ts';
import { SaveEngine } from '../sync/save-engine.ts';
import { useEditorStore } from '../stores/editor-store.ts';

export interface LiveEditor {
  session: EditorSession;
  engine: SaveEngine;
  /** Edits found unsent from an earlier visit (this tab before a reload, or a closed tab). */
  restored: number;
}

/**
 * Engines of passages the annotator left: they keep sending until nothing is pending (then
 * stop), so moving on never strands an edit in this tab's storage.
 */
const lingering = new Map<string, SaveEngine>();
const LINGER_MS = 120_000;

function retire(setId: string, engine: SaveEngine): void {
  if (engine.getStatus().pending === 0) {
    engine.stop();
    return;
  }
  lingering.set(setId, engine);
  const done = () => {
    unsubscribe();
    clearTimeout(timer);
    if (lingering.get(setId) === engine) lingering.delete(setId);
    engine.stop();
  };
  const unsubscribe = engine.subscribe((status) => {
    if (status.pending === 0) queueMicrotask(done);
  });
  const timer = setTimeout(done, LINGER_MS);
}

/** The open passage's session and save engine, started from the server's state and this tab's outbox. */
export function useLiveEditor(data: EditorData | undefined, userId: string | undefined): { live: LiveEditor | null; error: unknown } {
  const [live, setLive] = useState<LiveEditor | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!data || !userId) return;
    const key = data.setId;
    // Another engine of this set still sending (the annotator came back quickly): it hands over
    // through storage, which the new engine reads on start.
    const previous = lingering.get(key);
    if (previous) {
      previous.stop();
      lingering.delete(key);
    }
    let cancelled = false;
    const engine = new SaveEngine({
      setId: data.setId,
      userId,
      text: data.passage.text,
      scheme: data.project.scheme,
      api: engineApi,
    });
    let unsubscribeReplace: (() => void) | undefined;
    engine
      .start(data.set)
      .then(({ state, pending }) => {
        if (cancelled) return;
        const session = new EditorSession(data.passage.text, data.project.scheme, state);
        unsubscribeReplace = engine.onReplace((next: AnnotationState) => {
          session.replace(next);
          useEditorStore.getState().clearHistory();
        });
        useEditorStore.getState().reset();
        setLive({ session, engine, restored: pending });
      })
      .catch((reason: unknown) => {
        if (!cancelled) setError(reason);
      });
    return () => {
      cancelled = true;
      unsubscribeReplace?.();
      setLive(null);
      retire(key, engine);
    };
  }, [data, userId]);

  return { live, error };
}
