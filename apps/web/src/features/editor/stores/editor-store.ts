import type { AnnotationOp, RelationTarget } from '@warrant/domain';
import { create, type StateCreator } from 'zustand';

/** What the keyboard and mouse are doing: plain editing, or choosing the target of a new relation. */
export type EditorMode =
  | { kind: 'normal' }
  | { kind: 'link'; sourceId: string; relationType: string; targetKind: RelationTarget; candidateId: string | null };

export type SideTab = 'span' | 'graph' | 'warnings' | 'guidelines';

export interface HistoryEntry {
  ops: AnnotationOp[];
  inverse: AnnotationOp[];
}

export interface SelectionSlice {
  /** Text selection: the fixed end and the moving end (the caret). Equal: a caret only. */
  anchor: number | null;
  focus: number | null;
  selectedSpanId: string | null;
  selectedRelationId: string | null;
  setCaret: (offset: number, extend?: boolean) => void;
  setTextRange: (start: number, end: number) => void;
  clearTextRange: () => void;
  selectSpan: (id: string | null) => void;
  selectRelation: (id: string | null) => void;
}

export interface ModeSlice {
  mode: EditorMode;
  setMode: (mode: EditorMode) => void;
}

export interface HoverSlice {
  hoverSpanId: string | null;
  setHover: (id: string | null) => void;
}

export interface PanelSlice {
  hiddenRelationTypes: string[];
  toggleRelationType: (key: string) => void;
  sideTab: SideTab;
  setSideTab: (tab: SideTab) => void;
  helpOpen: boolean;
  setHelpOpen: (open: boolean) => void;
  /** Where the label popover opens (viewport coordinates), after a mouse selection. */
  popover: { x: number; y: number } | null;
  setPopover: (at: { x: number; y: number } | null) => void;
  skipOpen: boolean;
  setSkipOpen: (open: boolean) => void;
  /** A short message about the last refused edit (shown near the text, then cleared). */
  notice: string | null;
  setNotice: (notice: string | null) => void;
}

export interface HistorySlice {
  undoStack: HistoryEntry[];
  redoStack: HistoryEntry[];
  record: (entry: HistoryEntry) => void;
  takeUndo: () => HistoryEntry | undefined;
  takeRedo: () => HistoryEntry | undefined;
  clearHistory: () => void;
}

export type EditorState = SelectionSlice & ModeSlice & HoverSlice & PanelSlice & HistorySlice & { reset: () => void };

const HISTORY_LIMIT = 500;

const createSelectionSlice: StateCreator<EditorState, [], [], SelectionSlice> = (set) => ({
  anchor: null,
  focus: null,
  selectedSpanId: null,
  selectedRelationId: null,
  setCaret: (offset, extend = false) =>
    set((state) => ({ focus: offset, anchor: extend && state.anchor !== null ? state.anchor : offset })),
  setTextRange: (start, end) => set({ anchor: start, focus: end }),
  clearTextRange: () => set((state) => ({ anchor: state.focus, focus: state.focus })),
  selectSpan: (id) => set({ selectedSpanId: id, selectedRelationId: null }),
  selectRelation: (id) => set({ selectedRelationId: id }),
});

const createModeSlice: StateCreator<EditorState, [], [], ModeSlice> = (set) => ({
  mode: { kind: 'normal' },
  setMode: (mode) => set({ mode }),
});

const createHoverSlice: StateCreator<EditorState, [], [], HoverSlice> = (set) => ({
  hoverSpanId: null,
  setHover: (id) => set((state) => (state.hoverSpanId === id ? state : { hoverSpanId: id })),
});

const createPanelSlice: StateCreator<EditorState, [], [], PanelSlice> = (set) => ({
  hiddenRelationTypes: [],
  toggleRelationType: (key) =>
    set((state) => ({
      hiddenRelationTypes: state.hiddenRelationTypes.includes(key)
        ? state.hiddenRelationTypes.filter((k) => k !== key)
        : [...state.hiddenRelationTypes, key],
    })),
  sideTab: 'span',
  setSideTab: (sideTab) => set({ sideTab }),
  helpOpen: false,
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  popover: null,
  setPopover: (popover) => set({ popover }),
  skipOpen: false,
  setSkipOpen: (skipOpen) => set({ skipOpen }),
  notice: null,
  setNotice: (notice) => set({ notice }),
});

const createHistorySlice: StateCreator<EditorState, [], [], HistorySlice> = (set, get) => ({
  undoStack: [],
  redoStack: [],
  record: (entry) => set((state) => ({ undoStack: [...state.undoStack.slice(-(HISTORY_LIMIT - 1)), entry], redoStack: [] })),
  takeUndo: () => {
    const entry = get().undoStack.at(-1);
    if (entry) set((state) => ({ undoStack: state.undoStack.slice(0, -1), redoStack: [...state.redoStack, entry] }));
    return entry;
  },
  takeRedo: () => {
    const entry = get().redoStack.at(-1);
    if (entry) set((state) => ({ redoStack: state.redoStack.slice(0, -1), undoStack: [...state.undoStack, entry] }));
    return entry;
  },
  clearHistory: () => set({ undoStack: [], redoStack: [] }),
});

/** Editor and UI state of the open passage: one store of typed slices; server data stays in TanStack Query. */
export const useEditorStore = create<EditorState>()((...args) => {
  const [set] = args;
  return {
    ...createSelectionSlice(...args),
    ...createModeSlice(...args),
    ...createHoverSlice(...args),
    ...createPanelSlice(...args),
    ...createHistorySlice(...args),
    reset: () =>
      set({
        anchor: null,
        focus: null,
        selectedSpanId: null,
        selectedRelationId: null,
        mode: { kind: 'normal' },
        hoverSpanId: null,
        popover: null,
        skipOpen: false,
        helpOpen: false,
        notice: null,
        undoStack: [],
        redoStack: [],
      }),
  };
});
