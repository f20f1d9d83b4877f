import type { AnnotationState } from '@warrant/domain';
import { useEffect, useState } from 'react';
import { engineApi, type EditorData } from '../api/editor-data.ts';
import { EditorSession } from '../core/session.ts';
import { engineRegistry } from '../sync/engine-registry.ts';
import { SaveEngine } from '../sync/save-engine.ts';
import { useEditorStore } from '../stores/editor-store.ts';

export interface LiveEditor {
  session: EditorSession;
  engine: SaveEngine;
  /** Edits found unsent from an earlier visit (this tab before a reload, or a closed tab). */
  restored: number;
}

/** The open passage's session and save engine, started from the server's state and this tab's outbox. */
export function useLiveEditor(data: EditorData | undefined, userId: string | undefined): { live: LiveEditor | null; error: unknown } {
  const [live, setLive] = useState<LiveEditor | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!data || !userId) return;
    const key = data.setId;
    let cancelled = false;
    const engine = new SaveEngine({
      setId: data.setId,
      userId,
      text: data.passage.text,
      scheme: data.project.scheme,
      api: engineApi,
    });
    // One engine per set in this tab: one still sending this set in the background (the annotator
    // came back, or the app's drainer took it up) stops and hands over through storage, which the
    // new engine reads on start.
    engineRegistry.openInEditor(key, engine);
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
      // Leaving the passage: the engine keeps sending in the background until nothing is pending
      // (the app's OutboxDrainer takes up whatever it could not send).
      engineRegistry.retire(key, engine);
    };
  }, [data, userId]);

  return { live, error };
}
