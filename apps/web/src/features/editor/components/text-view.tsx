import { snapToGraphemes, snapToWords, type LabelScheme } from '@warrant/domain';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useT } from '../../../lib/i18n/use-t.ts';
import type { EditorController } from '../core/controller.ts';
import { offsetAtPoint, selectionOffsets } from '../core/dom.ts';
import type { Block } from '../core/blocks.ts';
import { layoutBlock, type BlockLayout, type Marks } from '../core/segments.ts';
import type { EditorSession } from '../core/session.ts';
import { useEditorStore } from '../stores/editor-store.ts';
import { BlockView, type SpanLook } from './block-view.tsx';
import { RelationLayer } from './relation-layer.tsx';

/** Blocks this far outside the visible area are rendered too, so scrolling shows text at once. */
const OVERSCAN_PX = 800;
const INITIAL_BLOCKS = 12;

export interface TextViewProps {
  session: EditorSession;
  /** The scheme as shown (names in the interface language). */
  scheme: LabelScheme;
  controller: EditorController;
  looks: ReadonlyMap<string, SpanLook>;
  emphasis: { spanIds: ReadonlySet<string>; relationIds: ReadonlySet<string> } | null;
  /** Registers how to bring an offset into view (graph clicks, Tab to a far span). */
  onReady: (api: TextViewApi) => void;
}

export interface TextViewApi {
  scrollToOffset: (offset: number) => void;
  /** The offset a line above or below the caret, or null. */
  lineFromCaret: (direction: -1 | 1) => number | null;
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
/** While something is hovered, the blocks outside its chain are drawn dimmed: all with this one set. */
const EMPTY: ReadonlySet<string> = new Set();

/**
 * The passage: blocks near the viewport are rendered, the rest are placeholders of their
 * measured (or estimated) height. Selections, clicks and hovers are read from the DOM and turned
 * into offsets at once; nothing about the DOM is kept.
 */
export function TextView({ session, scheme, controller, looks, emphasis, onReady }: TextViewProps) {
  const t = useT();
  const version = useSyncExternalStore(session.subscribe, session.getVersion);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const contentRef = useRef<HTMLDivElement | null>(null);
  // Mutable caches that never need a render of their own.
  const [heights] = useState(() => new Map<number, number>());
  const [visible, setVisible] = useState<ReadonlySet<number>>(() => new Set(session.blocks.slice(0, INITIAL_BLOCKS).map((b) => b.index)));
  const [visibleKey, setVisibleKey] = useState(0);

  const anchor = useEditorStore((s) => s.anchor);
  const focus = useEditorStore((s) => s.focus);
  const selectedSpanId = useEditorStore((s) => s.selectedSpanId);
  const selectedRelationId = useEditorStore((s) => s.selectedRelationId);
  const mode = useEditorStore((s) => s.mode);
  const hiddenTypes = useEditorStore((s) => s.hiddenRelationTypes);

  // Which blocks are near the viewport: one observer over every block element.
  useEffect(() => {
    const root = scrollRef.current;
    const content = contentRef.current;
    if (!root || !content) return;
    const pending = new Map<number, boolean>();
    let frame = 0;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const index = Number((entry.target as HTMLElement).dataset.index);
          pending.set(index, entry.isIntersecting);
        }
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(() => {
          setVisible((current) => {
            const next = new Set(current);
            for (const [index, on] of pending) {
              if (on) next.add(index);
              else next.delete(index);
            }
            pending.clear();
            return next;
          });
          setVisibleKey((k) => k + 1);
        });
      },
      { root, rootMargin: `${OVERSCAN_PX}px 0px` },
    );
    // Rendered heights, remembered so placeholders keep the page length steady. A ResizeObserver
    // reports them after layout, instead of forcing a layout on every render.
    const sizes = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const element = entry.target as HTMLElement;
        if (element.classList.contains('block--placeholder')) continue;
        const height = entry.borderBoxSize[0]?.blockSize ?? element.offsetHeight;
        heights.set(Number(element.dataset.index), height);
      }
    });
    const watch = (element: HTMLElement) => {
      observer.observe(element);
      sizes.observe(element);
    };
    for (const element of content.querySelectorAll<HTMLElement>('[data-index]')) watch(element);
    const mutations = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) if (node instanceof HTMLElement && node.dataset.index !== undefined) watch(node);
      }
    });
    mutations.observe(content, { childList: true });
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      sizes.disconnect();
      mutations.disconnect();
    };
  }, [session, heights]);

  // Placeholder heights before a block was ever rendered: about 90 characters a line.
  const estimate = (start: number, end: number) => Math.max(1, Math.ceil((end - start) / 90)) * 30;

  const scrollToOffset = useCallback(
    (offset: number) => {
      const block = session.blocks.find((b) => offset >= b.start && offset <= b.end) ?? session.blocks.at(-1);
      if (!block) return;
      const element = contentRef.current?.querySelector<HTMLElement>(`[data-index="${block.index}"]`);
      element?.scrollIntoView({ block: 'center' });
    },
    [session],
  );

  const lineFromCaret = useCallback((direction: -1 | 1) => {
    const caret = contentRef.current?.querySelector<HTMLElement>('.caret');
    if (!caret) return null;
    const rect = caret.getBoundingClientRect();
    const block = caret.closest<HTMLElement>('.block');
    const line = block ? parseFloat(getComputedStyle(block).lineHeight) || rect.height * 1.6 : rect.height * 1.6;
    return offsetAtPoint(rect.left + 1, rect.top + rect.height / 2 + direction * line);
  }, []);

  useEffect(() => onReady({ scrollToOffset, lineFromCaret }), [onReady, scrollToOffset, lineFromCaret]);

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
        onMouseDown={onMouseDown}
        onMouseMove={onMouseMove}
        onMouseUp={onMouseUp}
        onMouseOver={onMouseOver}
        onMouseLeave={() => useEditorStore.getState().setHover(null)}
      >
        {session.blocks.map((block) => {
          if (!visible.has(block.index)) {
            const height = heights.get(block.index) ?? estimate(block.start, block.end);
            return <div key={block.index} className="block block--placeholder" data-index={block.index} style={{ height }} />;
          }
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
        <RelationLayer
          contentRef={contentRef}
          relations={relations}
          scheme={scheme}
          layoutKey={`${version}:${visibleKey}`}
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

