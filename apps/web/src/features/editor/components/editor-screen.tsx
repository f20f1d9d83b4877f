import { analyzeStructure, type AnnotationOp, type StructureWarning } from '@warrant/domain';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import './editor.css';
import { Link, useNavigate } from 'react-router';
import { Markdown } from '../../../components/markdown.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import { useT } from '../../../lib/i18n/use-t.ts';
import { paths } from '../../../lib/paths.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { takeNext, type EditorData } from '../api/editor-data.ts';
import { readableTextOn } from '../core/colors.ts';
import { EditorController } from '../core/controller.ts';
import { useEditorStore, type SideTab } from '../stores/editor-store.ts';
import { useSaveStatus } from '../sync/use-save-status.ts';
import type { SpanLook } from './block-view.tsx';
import { displayScheme } from '../../../lib/display-scheme.ts';
import { Announcer } from './announcer.tsx';
import { ConflictDialog } from './conflict-dialog.tsx';
import { EditorToolbar } from './editor-toolbar.tsx';
import { GraphPanel } from './graph-panel.tsx';
import { HelpOverlay } from './help-overlay.tsx';
import { LabelPopover } from './label-popover.tsx';
import { SaveStatusView } from './save-status-view.tsx';
import { SkipDialog } from './skip-dialog.tsx';
import { SpanPanel } from './span-panel.tsx';
import { TextView, type TextViewApi } from './text-view.tsx';
import type { LiveEditor } from './use-live-editor.ts';
import { WarningsPanel } from './warnings-panel.tsx';

const SAVE_WAIT_MS = 8000;

/** The shortest name prefixes (1 to 3 letters) that tell the labels apart: П/В, or По/Пр when needed. */
export function distinctTags(names: readonly string[]): string[] {
  for (let length = 1; length <= 3; length += 1) {
    const tags = names.map((name) => {
      const letters = Array.from(name.trim());
      return (letters[0]?.toUpperCase() ?? '?') + letters.slice(1, length).join('').toLowerCase();
    });
    if (new Set(tags).size === tags.length) return tags;
  }
  return names.map((name) => Array.from(name.trim()).slice(0, 3).join(''));
}

/** Resolves true once nothing is pending, false after `ms` (offline, conflict...). */
function whenSaved(live: LiveEditor, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe());
      resolve(value);
    };
    const timer = setTimeout(() => finish(false), ms);
    const unsubscribe = live.engine.subscribe((status) => {
      if (status.kind === 'saved') finish(true);
    });
  });
}

/** The annotation editor for one passage: text with spans and arcs, side panels, and the save state. */
export function EditorScreen({ data, live, onLogInAgain }: { data: EditorData; live: LiveEditor; onLogInAgain: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const { session, engine } = live;
  const scheme = useMemo(() => displayScheme(data.project.scheme, t), [data.project.scheme, t]);
  const version = useSyncExternalStore(session.subscribe, session.getVersion);
  const status = useSaveStatus(engine);
  const sideTab = useEditorStore((s) => s.sideTab);
  const setSideTab = useEditorStore((s) => s.setSideTab);
  const hoverSpanId = useEditorStore((s) => s.hoverSpanId);
  const notice = useEditorStore((s) => s.notice);
  const textApi = useRef<TextViewApi | null>(null);
  const [leaving, setLeaving] = useState<'idle' | 'waiting' | 'queued'>('idle');
  useDocumentTitle(t('editor.title', { id: data.passage.externalId }), t('app.name'));

  const looks = useMemo(() => {
    const map = new Map<string, SpanLook>();
    const tags = distinctTags(scheme.spanLabels.map((label) => label.name));
    scheme.spanLabels.forEach((label, i) => {
      map.set(label.key, { color: label.color, ink: readableTextOn(label.color), tag: tags[i] ?? '?', name: label.name });
    });
    return map;
  }, [scheme]);

  const moveOn = useCallback(
    async (editor: EditorController, op: AnnotationOp) => {
      if (!editor.edit([op])) return;
      setLeaving('waiting');
      const saved = await whenSaved(live, SAVE_WAIT_MS);
      // Moving on only if the submission (or skip) is what the server now has: a conflict resolved
      // with the other version, or a refused edit, keeps the annotator here.
      if (!saved || live.session.state.status !== (op.op === 'setStatus' ? op.status : live.session.state.status)) {
        const waiting = ['saving', 'offline', 'signed-out'].includes(live.engine.getStatus().kind);
        setLeaving(!saved && waiting ? 'queued' : 'idle');
        return;
      }
      const next = await takeNext(data.project.id).catch(() => null);
      setLeaving('idle');
      if (next && next.setId !== data.setId) navigate(paths.annotate(data.project.id, next.setId));
      else navigate(paths.project(data.project.id));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [live, data],
  );

  const controller = useMemo(
    () =>
      new EditorController({
        session,
        store: useEditorStore,
        sink: engine,
        messages: {
          refused: (code) => t(code === 'INVALID_OFFSETS' ? 'editor.notice.refusedOffsets' : 'editor.notice.refused'),
          selectTextFirst: t('editor.notice.selectText'),
          selectSpanFirst: t('editor.notice.selectSpan'),
          duplicateSpan: t('editor.notice.duplicate'),
          duplicateRelation: t('editor.notice.duplicateRelation'),
          noTarget: t('editor.notice.noTarget'),
          selfRelation: t('editor.notice.self'),
        },
        onSubmit: (editor) => void moveOn(editor, { op: 'setStatus', status: 'submitted' }),
        focusNote: () => document.getElementById('span-note')?.focus(),
        focusText: () => textApi.current?.focus(),
      }),
    [session, engine, t, moveOn],
  );

  useEffect(() => {
    // For the editor benchmark (and any profiler): when the editor first takes input.
    performance.mark('warrant:editor-ready');
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const handled = controller.keydown(event, {
        moveLine: (direction) => textApi.current?.lineFromCaret(direction) ?? null,
        inText: event.target instanceof Element && event.target.closest('.text-content') !== null,
        // The conflict dialog is modal: nothing may change the document behind it.
        blocked: engine.getStatus().kind === 'conflict',
      });
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller, engine]);

  // Warnings follow the edits a moment later, off the path from a key press to the screen.
  const [warnings, setWarnings] = useState<StructureWarning[]>([]);
  useEffect(() => {
    const timer = setTimeout(() => setWarnings(analyzeStructure(session.state.spans.values(), session.state.relations.values(), scheme)), 200);
    return () => clearTimeout(timer);
  }, [session, scheme, version]);
  const emphasis = useMemo(() => (hoverSpanId ? controller.chainOf(hoverSpanId) : null), [controller, hoverSpanId, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const selectedSpanId = useEditorStore((s) => s.selectedSpanId);
  const graphFocus = useMemo(() => (selectedSpanId ? controller.chainOf(selectedSpanId) : null), [controller, selectedSpanId, version]); // eslint-disable-line react-hooks/exhaustive-deps

  const showSpan = useCallback(
    (spanId: string) => {
      const span = session.state.spans.get(spanId);
      if (!span) return;
      const store = useEditorStore.getState();
      store.selectSpan(spanId);
      store.setTextRange(span.start, span.start);
      textApi.current?.scrollToOffset(span.start);
    },
    [session],
  );

  const tabs: { id: SideTab; label: string }[] = [
    { id: 'span', label: t('editor.tab.span') },
    { id: 'graph', label: t('editor.tab.graph') },
    { id: 'warnings', label: t('editor.tab.warnings', { count: warnings.length }) },
    { id: 'guidelines', label: t('editor.tab.guidelines') },
  ];
  const myProgress = data.project.myProgress;

  return (
    <div className="editor" data-ready="true">
      <div className="editor-head">
        <div className="editor-head__title">
          <Link className="breadcrumb" to={paths.project(data.project.id)}>
            ← {data.project.name}
          </Link>
          <h1>{t('editor.title', { id: data.passage.externalId })}</h1>
          <StatusBadge status={session.state.status} />
          {myProgress ? (
            <span className="muted">{t('editor.progress', { submitted: myProgress.submitted, assigned: myProgress.assigned })}</span>
          ) : null}
          {data.offline ? <span className="badge badge--warning">{t('editor.offlineCopy')}</span> : null}
        </div>
        <div className="editor-head__actions">
          <SaveStatusView status={status} onRetry={() => engine.retryNow()} onLogInAgain={onLogInAgain} />
          <button type="button" className="button" onClick={() => useEditorStore.getState().setSkipOpen(true)} aria-keyshortcuts="Control+Shift+S">
            {t('editor.skip.button')}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={leaving === 'waiting'}
            onClick={() => void moveOn(controller, { op: 'setStatus', status: 'submitted' })}
            aria-keyshortcuts="Control+Enter"
          >
            {leaving === 'waiting' ? t('editor.submitting') : t('editor.submit')}
          </button>
        </div>
      </div>
      {live.restored > 0 ? <p className="editor-note">{t('editor.restored', { count: live.restored })}</p> : null}
      {leaving === 'queued' ? <p className="editor-note editor-note--warn">{t('editor.queuedNotSent')}</p> : null}
      <div inert={status.kind === 'conflict'}>
        <EditorToolbar session={session} scheme={scheme} controller={controller} />
      </div>
      {notice ? (
        <p className="editor-note editor-note--warn" role="alert">
          {notice}
        </p>
      ) : null}
      <div className="editor-main" inert={status.kind === 'conflict'}>
        <TextView
          key={data.setId}
          session={session}
          scheme={scheme}
          controller={controller}
          looks={looks}
          emphasis={emphasis}
          onReady={(api) => {
            textApi.current = api;
          }}
          // Keyboard focus starts in the text, where the editing keys work.
          autoFocus
        />
        <aside className="editor-side" aria-label={t('editor.side')}>
          <div className="tabs tabs--small" role="tablist" aria-label={t('editor.side')}>
            {tabs.map((tab) => (
              <button
                key={tab.id}
                type="button"
                role="tab"
                id={`side-tab-${tab.id}`}
                aria-selected={sideTab === tab.id}
                aria-controls={`side-panel-${tab.id}`}
                className={`tab${sideTab === tab.id ? ' tab--active' : ''}`}
                onClick={() => setSideTab(tab.id)}
              >
                {tab.label}
              </button>
            ))}
          </div>
          <div className="editor-side__panel" role="tabpanel" id={`side-panel-${sideTab}`} aria-labelledby={`side-tab-${sideTab}`}>
            {sideTab === 'span' ? <SpanPanel session={session} scheme={scheme} controller={controller} /> : null}
            {sideTab === 'graph' ? <GraphPanel session={session} scheme={scheme} focus={graphFocus} onShowSpan={showSpan} /> : null}
            {sideTab === 'warnings' ? <WarningsPanel warnings={warnings} session={session} scheme={scheme} onShowSpan={showSpan} /> : null}
            {sideTab === 'guidelines' ? <Markdown source={data.project.guidelines} empty={<p className="muted">{t('editor.noGuidelines')}</p>} /> : null}
          </div>
        </aside>
      </div>
      <Announcer session={session} scheme={scheme} />
      <LabelPopover labels={scheme.spanLabels} onLabel={(key) => controller.labelSelection(key)} />
      <HelpOverlay scheme={scheme} />
      <SkipDialog onSkip={(reason) => void moveOn(controller, { op: 'setStatus', status: 'skipped', reason })} />
      {status.kind === 'conflict' ? (
        <ConflictDialog
          text={session.text}
          scheme={scheme}
          mine={session.state}
          theirs={status.theirs}
          onChoose={(choice, mine) => engine.resolveConflict(choice, mine)}
        />
      ) : null}
    </div>
  );
}
