import { DEFAULT_SCHEME, createAnnotationState } from '@warrant/domain';
import { describe, expect, it } from 'vitest';
import { useEditorStore } from '../stores/editor-store.ts';
import { EditorController, wordEdge } from './controller.ts';
import { EditorSession } from './session.ts';

const TEXT = 'The air. Cities should plant trees, ведь деревья охлаждают 😀 улицы.';

function setup(spans: { id: string; label: string; start: number; end: number }[] = []) {
  const session = new EditorSession(
    TEXT,
    DEFAULT_SCHEME,
    createAnnotationState({ spans: spans.map((s) => ({ ...s, note: null })), relations: [], category: null, status: 'draft', skipReason: null }),
  );
  const sent: unknown[] = [];
  useEditorStore.getState().reset();
  const controller = new EditorController({
    session,
    store: useEditorStore,
    sink: { enqueue: async (ops) => void sent.push(ops) },
    messages: {
      refused: (code) => `refused ${code}`,
      selectTextFirst: 'select text',
      selectSpanFirst: 'select span',
      duplicateSpan: 'duplicate span',
      duplicateRelation: 'duplicate relation',
      noTarget: 'no target',
      selfRelation: 'self',
    },
    onSubmit: () => undefined,
  });
  return { session, controller, sent };
}

/** What the controller reads of a key event (tests run without a DOM). */
const key = (k: string, extra: Partial<Pick<KeyboardEvent, 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>> = {}) =>
  ({ key: k, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, target: null, ...extra }) as unknown as KeyboardEvent;
const CTX = { moveLine: () => null, inText: true, blocked: false };
const textOf = (session: EditorSession, id: string) => {
  const span = session.state.spans.get(id);
  return span ? TEXT.slice(span.start, span.end) : undefined;
};

describe('moving span edges by word', () => {
  it('moves a start to the next word, skipping punctuation and spaces, and back', () => {
    const airEnd = TEXT.indexOf('.');
    expect(TEXT.slice(wordEdge(TEXT, 4, 'start', 1))).toMatch(/^Cities/);
    expect(wordEdge(TEXT, TEXT.indexOf('Cities'), 'start', -1)).toBe(4);
    expect(wordEdge(TEXT, TEXT.indexOf('Cities'), 'end', -1)).toBe(airEnd);
  });

  it('resizes with [ ] { } and never leaves white space at an edge', () => {
    const start = TEXT.indexOf('air');
    const { session, controller } = setup([{ id: 's1', label: 'premise', start, end: TEXT.indexOf(' plant') }]);
    useEditorStore.getState().selectSpan('s1');
    controller.keydown(key(']'), CTX);
    expect(textOf(session, 's1')).toBe('Cities should');
    controller.keydown(key('{'), CTX);
    expect(textOf(session, 's1')).toBe('Cities');
    controller.keydown(key('}'), CTX);
    expect(textOf(session, 's1')).toBe('Cities should');
    controller.keydown(key('['), CTX);
    expect(textOf(session, 's1')).toBe('air. Cities should');
  });

  it('moves by one grapheme with Alt, never splitting the emoji', () => {
    const emoji = TEXT.indexOf('😀');
    const { session, controller } = setup([{ id: 's1', label: 'premise', start: TEXT.indexOf('охлаждают'), end: emoji - 1 }]);
    useEditorStore.getState().selectSpan('s1');
    // One step over the space takes the whole emoji (two UTF-16 units), never half of it.
    controller.keydown(key('}', { altKey: true }), CTX);
    expect(textOf(session, 's1')).toBe('охлаждают 😀');
    controller.keydown(key('{', { altKey: true }), CTX);
    expect(textOf(session, 's1')).toBe('охлаждают');
  });
});

describe('keys while the shortcut list is open', () => {
  it('closes it with ? or Esc and does nothing else', () => {
    const { session, controller } = setup([{ id: 's1', label: 'premise', start: 0, end: 3 }]);
    const ui = useEditorStore.getState();
    ui.selectSpan('s1');
    controller.keydown(key('?'), CTX);
    expect(useEditorStore.getState().helpOpen).toBe(true);
    controller.keydown(key('Delete'), CTX);
    expect(session.state.spans.has('s1')).toBe(true);
    controller.keydown(key('Escape'), CTX);
    expect(useEditorStore.getState().helpOpen).toBe(false);
    expect(useEditorStore.getState().selectedSpanId).toBe('s1');
  });
});

describe('labelling and undo', () => {
  it('labels a keyboard selection without its surrounding spaces, undoes and redoes', () => {
    const { session, controller, sent } = setup();
    const ui = useEditorStore.getState();
    ui.setTextRange(TEXT.indexOf(' Cities'), TEXT.indexOf(' plant') + 1);
    controller.keydown(key('p'), CTX);
    const [span] = [...session.state.spans.values()];
    expect(TEXT.slice(span?.start, span?.end)).toBe('Cities should');
    controller.keydown(key('z', { ctrlKey: true }), CTX);
    expect(session.state.spans.size).toBe(0);
    controller.keydown(key('z', { ctrlKey: true, shiftKey: true }), CTX);
    expect(session.state.spans.size).toBe(1);
    expect(sent).toHaveLength(3);
  });

  it('refuses a second identical relation with its own message', () => {
    const { session, controller } = setup([
      { id: 'a', label: 'premise', start: 0, end: 3 },
      { id: 'b', label: 'conclusion', start: 9, end: 15 },
    ]);
    const ui = useEditorStore.getState();
    ui.selectSpan('a');
    expect(controller.startLink('supports')).toBe(true);
    expect(controller.confirmLink('b')).toBe(true);
    ui.selectSpan('a');
    controller.startLink('supports');
    expect(controller.confirmLink('b')).toBe(false);
    expect(useEditorStore.getState().notice).toBe('duplicate relation');
    expect(session.state.relations.size).toBe(1);
  });
});
