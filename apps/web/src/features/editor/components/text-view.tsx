import { snapToGraphemes, snapToWords, type LabelScheme } from '@warrant/domain';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';
import type { EditorController } from '../core/controller.ts';
import { offsetAtPoint, selectionOffsets } from '../core/dom.ts';
import { blockAt, type Block } from '../core/blocks.ts';
import { layoutBlock, type BlockLayout, type Marks } from '../core/segments.ts';
import type { EditorSession } from '../core/session.ts';
import { BlockViewport } from '../core/viewport.ts';
import { useEditorStore } from '../stores/editor-store.ts';
import { BlockView, type SpanLook } from './block-view.tsx';
import { RelationLayer } from './relation-layer.tsx';

/** Blocks this far outside the visible area are rendered too, so scrolling shows text at once. */
const OVERSCAN_PX = 800;
const INITIAL_BLOCKS = 12;
// (Blocks are rendered from the range the scroll position gives; the rest is two spacers.)

export interface TextViewProps {
  session: EditorSession;
  /** The scheme as shown (names in the interface language). */
  scheme: LabelScheme;
  controller: EditorController;
  looks: ReadonlyMap<string, SpanLook>;
  emphasis: { spanIds: ReadonlySet<string>; relationIds: ReadonlySet<string> } | null;
  /** Registers how to bring an offset into view (graph clicks, Tab to a far span). */
  onReady: (api: TextViewApi) => void;
  autoFocus?: boolean;
}

export interface TextViewApi {
  scrollToOffset: (offset: number) => void;
  /** The offset a line above or below the caret, or null. */
  lineFromCaret: (direction: -1 | 1) => number | null;
  /** Gives the text keyboard focus. */
  focus: () => void;
}

function marksFor(start: number, end: number, anchor: number | null, focus: number | null): Marks | null {
  if (focus === null) return null;
  const selStart = Math.min(anchor ?? focus, focus);
  const selEnd = Math.max(anchor ?? focus, focus);
  const touches = (selEnd > start && selStart < end) || (focus >= start && focus <= end);
  if (!touches) return null;
  return { selection: selEnd > selStart ? { start: selStart, end: selEnd } : null, caret: focus };
}

const NO_MARKS: Marks = { selection: null, caret: null };

/** Where the first block begins, in the scroller's scrolled coordinates. */
function blocksTop(scroller: HTMLElement, content: HTMLElement): number {
  const padding = parseFloat(getComputedStyle(content).paddingTop) || 0;
  return content.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop + padding;
}
/** While something is hovered, the blocks outside its chain are drawn dimmed: all with this one set. */
const EMPTY: ReadonlySet<string> = new Set();

/**
 * The passage: only blocks near the viewport are rendered, between two spacers as tall as the
 * blocks above and below (measured once rendered, estimated before). Selections, clicks and hovers are read from the DOM and turned
 * into offsets at once; nothing about the DOM is kept.
 */
export function TextView({ session, scheme, controller, looks, emphasis, onReady, autoFocus = false }: TextViewProps) {
  const t = useT();
  const version = useSyncExternalStore(session.subscribe, session.getVersion);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const contentRef = useRef<HTMLDivElement | null>(null);
  // Heights and positions of the blocks (framework-free), and the range rendered now.
  const [viewport] = useState(() => new BlockViewport(session.blocks.map((b) => b.end - b.start)));
  const [range, setRange] = useState(() => ({ first: 0, last: Math.min(session.blocks.length - 1, INITIAL_BLOCKS) }));
  // Bumped when measured heights change the page (spacers, and the arcs' positions).
  const [layoutTick, setLayoutTick] = useState(0);
  // Arcs are measured from the laid-out text: a new width (window, side panel) re-measures them.
  const [widthKey, setWidthKey] = useState(0);
  useEffect(() => {
    const content = contentRef.current;
    if (!content) return;
    let width = content.clientWidth;
    const observer = new ResizeObserver(() => {
      if (content.clientWidth === width) return;
      width = content.clientWidth;
      setWidthKey((k) => k + 1);
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  const anchor = useEditorStore((s) => s.anchor);
  const focus = useEditorStore((s) => s.focus);
  const selectedSpanId = useEditorStore((s) => s.selectedSpanId);
  const selectedRelationId = useEditorStore((s) => s.selectedRelationId);
  const mode = useEditorStore((s) => s.mode);
  const hiddenTypes = useEditorStore((s) => s.hiddenRelationTypes);

  // Which blocks to render: from the scroll position and the blocks' heights, once a frame.
  // Rendered blocks report their heights through a ResizeObserver (after layout, so nothing forces
  // a layout on the key path); a change moves the spacers and, if needed, the range.
  useEffect(() => {
    const scroller = scrollRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;
    let frame = 0;
    // Arcs are measured relative to the text layer, so scrolling alone moves nothing: only new
    // heights (spacers, shifted blocks) re-measure them; a new range does through layoutKey.
    let heightsChanged = false;
    const update = () => {
      frame = 0;
      const top = scroller.scrollTop - blocksTop(scroller, content);
      const next = viewport.range(top, top + scroller.clientHeight, OVERSCAN_PX);
      setRange((current) => (current.first === next.first && current.last === next.last ? current : next));
      if (heightsChanged) {
        heightsChanged = false;
        setLayoutTick((k) => k + 1);
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    const sizes = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const element = entry.target as HTMLElement;
        const height = entry.borderBoxSize[0]?.blockSize ?? element.offsetHeight;
        if (viewport.setHeight(Number(element.dataset.index), height)) changed = true;
      }
      if (changed) {
        heightsChanged = true;
        schedule();
      }
    });
    const watch = (node: Node) => {
      if (node instanceof HTMLElement && node.dataset.index !== undefined) sizes.observe(node);
    };
    content.querySelectorAll('[data-index]').forEach(watch);
    const mutations = new MutationObserver((records) => {
      for (const record of records) record.addedNodes.forEach(watch);
    });
    mutations.observe(content, { childList: true });
    scroller.addEventListener('scroll', schedule, { passive: true });
    const resize = new ResizeObserver(schedule);
    resize.observe(scroller);
    schedule();
    return () => {
      if (frame) cancelAnimationFrame(frame);
      sizes.disconnect();
      mutations.disconnect();
      resize.disconnect();
      scroller.removeEventListener('scroll', schedule);
    };
  }, [viewport]);


  const scrollToOffset = useCallback(
    (offset: number) => {
      const scroller = scrollRef.current;
      const content = contentRef.current;
      if (!scroller || !content) return;
      const index = blockAt(session.blocks, offset);
      const element = content.querySelector<HTMLElement>(`[data-index="${index}"]`);
      if (element) {
        element.scrollIntoView({ block: 'center' });
        return;
      }
      // Not rendered: scroll to where it will be; the range follows the scroll.
      scroller.scrollTop = Math.max(0, blocksTop(scroller, content) + viewport.top(index) - scroller.clientHeight / 3);
    },
    [session, viewport],
  );

  const lineFromCaret = useCallback((direction: -1 | 1) => {
    const caret = contentRef.current?.querySelector<HTMLElement>('.caret');
    if (!caret) return null;
    const rect = caret.getBoundingClientRect();
    const block = caret.closest<HTMLElement>('.block');
    const line = block ? parseFloat(getComputedStyle(block).lineHeight) || rect.height * 1.6 : rect.height * 1.6;
    return offsetAtPoint(rect.left + 1, rect.top + rect.height / 2 + direction * line);
  }, []);

  const focusText = useCallback(() => contentRef.current?.focus({ preventScroll: true }), []);
  useEffect(() => onReady({ scrollToOffset, lineFromCaret, focus: focusText }), [onReady, scrollToOffset, lineFromCaret, focusText]);
  useEffect(() => {
    if (autoFocus) focusText();
  }, [autoFocus, focusText]);

  // Keep the caret in view when it moves by keyboard.
  useEffect(() => {
    if (focus === null) return;
    const caret = contentRef.current?.querySelector<HTMLElement>('.caret');
    if (caret) caret.scrollIntoView({ block: 'nearest' });
    else scrollToOffset(focus);
  }, [focus, scrollToOffset]);

  // Dragging an edge of the selected span resizes it; the text selection previews the new range.
  const drag = useRef<{ spanId: string; edge: 'start' | 'end' } | null>(null);
  const onMouseDown = (event: React.MouseEvent) => {
    const handle = (event.target as HTMLElement).closest<HTMLElement>('[data-handle]');
    const spanId = useEditorStore.getState().selectedSpanId;
    if (!handle || !spanId) return;
    event.preventDefault();
    drag.current = { spanId, edge: handle.dataset.handle === 'start' ? 'start' : 'end' };
    // Released outside the text: the drag ends there, without resizing.
    const cancel = (up: MouseEvent) => {
      window.removeEventListener('mouseup', cancel);
      if (drag.current && !contentRef.current?.contains(up.target as Node)) {
        drag.current = null;
        useEditorStore.getState().clearTextRange();
      }
    };
    window.addEventListener('mouseup', cancel);
  };
  const onMouseMove = (event: React.MouseEvent) => {
    const current = drag.current;
    if (!current) return;
    const span = session.state.spans.get(current.spanId);
    const offset = offsetAtPoint(event.clientX, event.clientY);
    if (!span || offset === null) return;
    const store = useEditorStore.getState();
    if (current.edge === 'start' && offset < span.end) store.setTextRange(offset, span.end);
    if (current.edge === 'end' && offset > span.start) store.setTextRange(span.start, offset);
  };

  const onMouseUp = (event: React.MouseEvent) => {
    const current = drag.current;
    if (current) {
      drag.current = null;
      const offset = offsetAtPoint(event.clientX, event.clientY);
      const store = useEditorStore.getState();
      store.clearTextRange();
      if (offset !== null) controller.resizeTo(current.spanId, current.edge, offset, event.altKey);
      store.selectSpan(current.spanId);
      return;
    }
    const selection = window.getSelection();
    const store = useEditorStore.getState();
    const range = selectionOffsets(selection);
    if (range && range.end > range.start) {
      const snapped = event.altKey ? snapToGraphemes(session.text, range.start, range.end) : snapToWords(session.text, range.start, range.end);
      selection?.removeAllRanges();
      if (!snapped) return;
      store.setTextRange(snapped.start, snapped.end);
      store.selectSpan(null);
      store.setPopover({ x: event.clientX, y: event.clientY });
      return;
    }
    const offset = offsetAtPoint(event.clientX, event.clientY);
    if (offset === null) return;
    const span = controller.spanAt(offset);
    if (store.mode.kind === 'link') {
      if (span && store.mode.targetKind === 'span') controller.confirmLink(span.id);
      return;
    }
    store.setPopover(null);
    store.setCaret(offset);
    store.selectSpan(span?.id ?? null);
  };

  const onMouseOver = (event: React.MouseEvent) => {
    const segment = (event.target as HTMLElement).closest<HTMLElement>('[data-s]');
    const store = useEditorStore.getState();
    if (!segment?.dataset.spans) {
      store.setHover(null);
      return;
    }
    const span = controller.spanAt(Number(segment.dataset.s));
    store.setHover(span?.id ?? null);
  };

  // Layouts are kept per block until its spans (revision) or its marks change, so the memoised
  // BlockView of an untouched block is not rendered again.
  const [layouts] = useState(() => new Map<number, { revision: number; marksKey: string; layout: BlockLayout }>());
  const layoutOf = (block: Block, marks: Marks): BlockLayout => {
    const revision = session.blockRevisions[block.index] ?? 0;
    const marksKey = `${marks.selection?.start ?? ''}:${marks.selection?.end ?? ''}:${marks.caret ?? ''}`;
    const cached = layouts.get(block.index);
    if (cached && cached.revision === revision && cached.marksKey === marksKey) return cached.layout;
    const spans = session.index.overlapping(block.start, Math.max(block.textEnd, block.start + 1));
    const layout = layoutBlock(block, spans, marks);
    layouts.set(block.index, { revision, marksKey, layout });
    return layout;
  };

  const linkSourceId = mode.kind === 'link' ? mode.sourceId : null;
  const linkCandidateId = mode.kind === 'link' && mode.targetKind === 'span' ? mode.candidateId : null;
  const relationCandidateId = mode.kind === 'link' && mode.targetKind === 'relation' ? mode.candidateId : null;
  const relations = useMemo(() => [...session.state.relations.values()], [session, session.relationsVersion]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className="text-scroll" ref={scrollRef}>
      <div
        className="text-content"
        ref={contentRef}
        role="document"
        aria-label={t('editor.textLabel')}
        aria-describedby="editor-text-help"
        tabIndex={0}
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={onMouseUp}
        onMouseOver={onMouseOver}
        onMouseLeave={() => useEditorStore.getState().setHover(null)}
      >
        <div className="block-spacer" style={{ height: viewport.top(range.first) }} aria-hidden="true" />
        {session.blocks.slice(range.first, range.last + 1).map((block) => {
          const marks = marksFor(block.start, block.textEnd, anchor, focus) ?? NO_MARKS;
          const layout = layoutOf(block, marks);
          // Only what concerns this block's own spans reaches it, so a change of selection or
          // hover renders the blocks involved, not every visible one.
          const mine = (id: string | null) => (id !== null && layout.spanIds.has(id) ? id : null);
          const selected = mine(selectedSpanId) ? session.state.spans.get(selectedSpanId ?? '') : undefined;
          const handles = selected
            ? {
                start: selected.start >= block.start && selected.start < block.textEnd ? selected.start : null,
                end: selected.end > block.start && selected.end <= block.textEnd ? selected.end : null,
              }
            : null;
          const chain = emphasis?.spanIds;
          const blockEmphasis = chain && [...layout.spanIds].some((id) => chain.has(id)) ? chain : null;
          return (
            <BlockView
              key={block.index}
              block={block}
              text={session.text}
              layout={layout}
              looks={looks}
              emphasis={emphasis === null ? null : (blockEmphasis ?? EMPTY)}
              selectedSpanId={mine(selectedSpanId)}
              handles={handles && (handles.start !== null || handles.end !== null) ? handles : null}
              linkSourceId={mine(linkSourceId)}
              linkCandidateId={mine(linkCandidateId)}
            />
          );
        })}
        <div className="block-spacer" style={{ height: viewport.total() - viewport.top(range.last + 1) }} aria-hidden="true" />
        <RelationLayer
          contentRef={contentRef}
          relations={relations}
          scheme={scheme}
          layoutKey={`${version}:${range.first}:${range.last}:${layoutTick}:${widthKey}`}
          hiddenTypes={hiddenTypes}
          emphasis={emphasis?.relationIds ?? null}
          selectedRelationId={selectedRelationId}
          candidateRelationId={relationCandidateId}
          onPick={(id) => {
            const store = useEditorStore.getState();
            if (store.mode.kind === 'link' && store.mode.targetKind === 'relation') controller.confirmLink(id);
            else store.selectRelation(id);
          }}
          typeName={(key) => scheme.relationTypes.find((type) => type.key === key)?.name ?? key}
        />
      </div>
    </div>
  );
}

