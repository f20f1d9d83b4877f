import {
  AnnotationOpError,
  chainOf,
  nextGraphemeBoundary,
  nextWordBoundary,
  previousGraphemeBoundary,
  previousWordBoundary,
  snapToGraphemes,
  snapToWords,
  type AnnotationOp,
  type Relation,
  type Span,
} from '@warrant/domain';
import type { StoreApi } from 'zustand';
import type { EditorState } from '../stores/editor-store.ts';
import type { EditorSession } from './session.ts';
import { newClientId } from './ids.ts';

/** Where edits go once applied locally: the save engine (persisted, then sent). */
export interface SaveSink {
  enqueue(ops: AnnotationOp[]): Promise<void>;
}

/** Messages the controller shows; the screen supplies them translated. */
export interface ControllerMessages {
  /** An edit the rules refuse that no friendlier check caught first (the code says which kind). */
  refused: (code: 'INVALID_OFFSETS' | 'INVALID_CHANGE') => string;
  selectTextFirst: string;
  selectSpanFirst: string;
  duplicateSpan: string;
  duplicateRelation: string;
  noTarget: string;
  selfRelation: string;
}

export interface ControllerOptions {
  session: EditorSession;
  store: StoreApi<EditorState>;
  sink: SaveSink;
  messages: ControllerMessages;
  /** Asked when the annotator submits (Ctrl+Enter): the screen saves and moves on. */
  onSubmit: (controller: EditorController) => void;
  /** Puts keyboard focus on the selected span's note field (Enter on a span). */
  focusNote?: () => void;
  /** Puts keyboard focus on the text (after starting a link from a button, so Tab cycles targets). */
  focusText?: () => void;
}

/**
 * Where a span edge lands when moved by a word: a start goes to the start of the previous or
 * next word, an end to the end of the previous or next word (punctuation and spaces skipped).
 */
export function wordEdge(text: string, offset: number, edge: 'start' | 'end', direction: -1 | 1): number {
  if (edge === 'start' && direction < 0) return previousWordBoundary(text, offset);
  if (edge === 'end' && direction > 0) return nextWordBoundary(text, offset);
  if (edge === 'start') {
    // The start of the word after the one the offset is in (or of the next word, from a space).
    const ahead = previousWordBoundary(text, nextWordBoundary(text, offset));
    if (ahead > offset) return ahead;
    const following = previousWordBoundary(text, nextWordBoundary(text, nextWordBoundary(text, offset)));
    return following > offset ? following : nextWordBoundary(text, offset);
  }
  // The end of the last word that ends before the offset.
  const behind = nextWordBoundary(text, previousWordBoundary(text, offset));
  if (behind < offset) return behind;
  return nextWordBoundary(text, previousWordBoundary(text, previousWordBoundary(text, offset)));
}

/**
 * [start, end) without white space at its ends, then widened to whole graphemes: trimming one
 * UTF-16 unit at a time could otherwise start a span on a combining mark carried by a space.
 */
export function trimToGraphemes(text: string, start: number, end: number): { start: number; end: number } | null {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s += 1;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e -= 1;
  if (e <= s) return null;
  return snapToGraphemes(text, s, e);
}

/**
 * The key an event means for the editor's shortcuts: on a non-Latin layout (Russian ЙЦУКЕН) the
 * physical key's Latin letter, digit or bracket, so hotkeys work whatever the layout.
 */
export function shortcutKey(event: Pick<KeyboardEvent, 'key' | 'code' | 'shiftKey'>): string {
  const key = event.key;
  if (key.length !== 1 || key.charCodeAt(0) < 128) return key;
  const code = event.code ?? '';
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter?.[1]) return letter[1].toLowerCase();
  const digit = /^Digit([0-9])$/.exec(code);
  if (digit?.[1]) return digit[1];
  if (code === 'BracketLeft') return event.shiftKey ? '{' : '[';
  if (code === 'BracketRight') return event.shiftKey ? '}' : ']';
  return key;
}

/** Keys that buttons, tabs, radios and links use themselves: the editor takes them only in the text. */
const CONTROL_KEYS = new Set(['Tab', 'Enter', ' ', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);

function isEditableTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Every edit an annotator makes, by keyboard or mouse: builds the ops, applies them to the
 * session (the same validation as the server), records them for undo, and hands them to the
 * save engine. Framework-free; the React screen calls it.
 */
export class EditorController {
  constructor(private readonly options: ControllerOptions) {}

  private get session(): EditorSession {
    return this.options.session;
  }

  private get ui(): EditorState {
    return this.options.store.getState();
  }

  /** Applies, records and saves; false (with a notice) when the edit is not allowed. */
  edit(ops: AnnotationOp[], record = true): boolean {
    let inverse: AnnotationOp[];
    try {
      inverse = this.session.apply(ops);
    } catch (error) {
      if (error instanceof AnnotationOpError) {
        this.ui.setNotice(this.options.messages.refused(error.code));
        return false;
      }
      throw error;
    }
    if (record) this.ui.record({ ops, inverse });
    this.ui.setNotice(null);
    void this.options.sink.enqueue(ops);
    return true;
  }

  textRange(): { start: number; end: number } | null {
    const { anchor, focus } = this.ui;
    if (anchor === null || focus === null || anchor === focus) return null;
    return { start: Math.min(anchor, focus), end: Math.max(anchor, focus) };
  }

  /** The selection without white space at its ends (a keyboard selection often starts at a space). */
  private labelRange(): { start: number; end: number } | null {
    const range = this.textRange();
    return range ? trimToGraphemes(this.session.text, range.start, range.end) : null;
  }

  /** Marks the selected text with a label; the new span becomes the selection. */
  labelSelection(label: string): boolean {
    const range = this.labelRange();
    if (!range) {
      this.ui.setNotice(this.options.messages.selectTextFirst);
      return false;
    }
    const twin = this.session.index
      .overlapping(range.start, range.end)
      .find((s) => s.start === range.start && s.end === range.end && s.label === label);
    if (twin) {
      this.ui.setNotice(this.options.messages.duplicateSpan);
      this.ui.selectSpan(twin.id);
      return false;
    }
    const id = newClientId('s');
    if (!this.edit([{ op: 'addSpan', span: { id, label, start: range.start, end: range.end } }])) return false;
    this.ui.setCaret(range.end);
    this.ui.selectSpan(id);
    this.ui.setPopover(null);
    // Labelled from the popover: keyboard focus goes back to the text, where editing continues.
    this.options.focusText?.();
    return true;
  }

  relabel(spanId: string, label: string): boolean {
    const span = this.session.state.spans.get(spanId);
    if (!span || span.label === label) return false;
    return this.edit([{ op: 'updateSpan', id: spanId, label }]);
  }

  deleteSpan(spanId: string): boolean {
    const span = this.session.state.spans.get(spanId);
    if (!span) return false;
    const ok = this.edit([{ op: 'deleteSpan', id: spanId }]);
    if (ok) {
      this.ui.selectSpan(null);
      this.ui.setCaret(span.start);
    }
    return ok;
  }

  deleteRelation(relationId: string): boolean {
    const ok = this.edit([{ op: 'deleteRelation', id: relationId }]);
    if (ok && this.ui.selectedRelationId === relationId) this.ui.selectRelation(null);
    return ok;
  }

  setNote(spanId: string, note: string): boolean {
    const span = this.session.state.spans.get(spanId);
    const value = note.trim() === '' ? null : note;
    if (!span || span.note === value) return false;
    return this.edit([{ op: 'updateSpan', id: spanId, note: value }]);
  }

  /** Moves one edge of a span by a word (or a grapheme), never past the other edge. */
  resize(spanId: string, edge: 'start' | 'end', direction: -1 | 1, unit: 'word' | 'grapheme'): boolean {
    const span = this.session.state.spans.get(spanId);
    if (!span) return false;
    const text = this.session.text;
    const current = edge === 'start' ? span.start : span.end;
    let moved =
      unit === 'grapheme'
        ? direction < 0
          ? previousGraphemeBoundary(text, current)
          : nextGraphemeBoundary(text, current)
        : wordEdge(text, current, edge, direction);
    // Growing by a character over a space takes the character after it too (edges hold no spaces).
    if (unit === 'grapheme' && edge === 'end' && direction > 0) {
      while (moved < text.length && /\s/.test(text[moved - 1] ?? '')) moved = nextGraphemeBoundary(text, moved);
    }
    if (unit === 'grapheme' && edge === 'start' && direction < 0) {
      while (moved > 0 && /\s/.test(text[moved] ?? '')) moved = previousGraphemeBoundary(text, moved);
    }
    // A span never begins or ends with white space, and never cuts a grapheme.
    const trimmed = trimToGraphemes(text, edge === 'start' ? moved : span.start, edge === 'end' ? moved : span.end);
    if (!trimmed || (trimmed.start === span.start && trimmed.end === span.end)) return false;
    return this.edit([{ op: 'updateSpan', id: spanId, start: trimmed.start, end: trimmed.end }]);
  }

  /** Mouse resizing: moves one edge of a span to where it was dropped (snapped to words unless exact). */
  resizeTo(spanId: string, edge: 'start' | 'end', offset: number, exact: boolean): boolean {
    const span = this.session.state.spans.get(spanId);
    if (!span) return false;
    const text = this.session.text;
    const [from, to] = edge === 'start' ? [Math.min(offset, span.end - 1), span.end] : [span.start, Math.max(offset, span.start + 1)];
    const snapped = exact ? snapToGraphemes(text, from, to) : snapToWords(text, from, to);
    if (!snapped) return false;
    const start = edge === 'start' ? snapped.start : span.start;
    const end = edge === 'end' ? snapped.end : span.end;
    if (start >= end || (start === span.start && end === span.end)) return false;
    return this.edit([{ op: 'updateSpan', id: spanId, start, end }]);
  }

  setCategory(category: string | null): boolean {
    if (this.session.state.category === category) return false;
    return this.edit([{ op: 'setCategory', category }]);
  }

  /** Starts choosing the target of a new relation from the selected span. */
  startLink(relationType: string): boolean {
    const source = this.ui.selectedSpanId;
    const type = this.session.scheme.relationTypes.find((t) => t.key === relationType);
    if (!type) return false;
    if (!source) {
      this.ui.setNotice(this.options.messages.selectSpanFirst);
      return false;
    }
    const candidates = this.linkCandidates(source, type.target);
    if (candidates.length === 0) {
      this.ui.setNotice(this.options.messages.noTarget);
      return false;
    }
    this.ui.setMode({ kind: 'link', sourceId: source, relationType, targetKind: type.target, candidateId: candidates[0] ?? null });
    this.ui.setNotice(null);
    this.options.focusText?.();
    return true;
  }

  /** Spans (or relations) a new link can point at, nearest in reading order first. */
  linkCandidates(sourceId: string, targetKind: 'span' | 'relation'): string[] {
    if (targetKind === 'relation') {
      return [...this.session.state.relations.values()]
        .filter((r) => r.source !== sourceId && this.session.scheme.relationTypes.find((t) => t.key === r.type)?.target === 'span')
        .map((r) => r.id);
    }
    const source = this.session.state.spans.get(sourceId);
    const spans = this.session.index.all().filter((s) => s.id !== sourceId);
    if (!source) return spans.map((s) => s.id);
    return [...spans].sort((a, b) => Math.abs(a.start - source.start) - Math.abs(b.start - source.start)).map((s) => s.id);
  }

  cycleLinkTarget(direction: 1 | -1): void {
    const mode = this.ui.mode;
    if (mode.kind !== 'link') return;
    const candidates = this.linkCandidates(mode.sourceId, mode.targetKind);
    if (candidates.length === 0) return;
    const i = mode.candidateId ? candidates.indexOf(mode.candidateId) : -1;
    const next = candidates[(i + direction + candidates.length) % candidates.length] ?? null;
    this.ui.setMode({ ...mode, candidateId: next });
  }

  /** Creates the relation from the link's source to `targetId` (or the current candidate). */
  confirmLink(targetId?: string): boolean {
    const mode = this.ui.mode;
    if (mode.kind !== 'link') return false;
    const target = targetId ?? mode.candidateId;
    if (!target) return false;
    if (target === mode.sourceId) {
      this.ui.setNotice(this.options.messages.selfRelation);
      return false;
    }
    const twin = [...this.session.state.relations.values()].find(
      (r) => r.type === mode.relationType && r.source === mode.sourceId && r.target === target,
    );
    if (twin) {
      this.ui.setNotice(this.options.messages.duplicateRelation);
      return false;
    }
    const relation: Relation = { id: newClientId('r'), type: mode.relationType, source: mode.sourceId, target };
    const ok = this.edit([{ op: 'addRelation', relation }]);
    if (ok) {
      this.ui.setMode({ kind: 'normal' });
      this.ui.selectRelation(relation.id);
    }
    return ok;
  }

  /** An entry moves to the redo stack only once its undo was applied (a refused undo stays put). */
  undo(): boolean {
    const entry = this.ui.undoStack.at(-1);
    if (!entry || !this.edit(entry.inverse, false)) return false;
    this.ui.takeUndo();
    this.reselectAfterHistory(entry.inverse);
    return true;
  }

  redo(): boolean {
    const entry = this.ui.redoStack.at(-1);
    if (!entry || !this.edit(entry.ops, false)) return false;
    this.ui.takeRedo();
    this.reselectAfterHistory(entry.ops);
    return true;
  }

  private reselectAfterHistory(ops: AnnotationOp[]): void {
    const selected = this.ui.selectedSpanId;
    if (selected && !this.session.state.spans.has(selected)) this.ui.selectSpan(null);
    const added = ops.find((op): op is Extract<AnnotationOp, { op: 'addSpan' }> => op.op === 'addSpan');
    if (added) this.ui.selectSpan(added.span.id);
  }

  /** The innermost span at an offset (the shortest covering it), for clicks. */
  spanAt(offset: number): Span | undefined {
    const covering = this.session.index.overlapping(offset, offset + 1);
    return covering.sort((a, b) => a.end - a.start - (b.end - b.start))[0];
  }

  chainOf(spanId: string): { spanIds: Set<string>; relationIds: Set<string> } {
    return chainOf(spanId, this.session.state.relations.values(), this.session.scheme);
  }

  /**
   * Keyboard handling for the editor; true when the key was used. Hotkeys (letters, Delete,
   * brackets, Ctrl combinations, ?, Esc) work wherever focus is, except in form fields; keys that
   * controls use themselves (Tab, Enter, Space, arrows, Home, End) only while the text has focus,
   * so the page's buttons, tabs and radios stay reachable and usable from the keyboard.
   */
  keydown(event: KeyboardEvent, context: { moveLine: (direction: -1 | 1) => number | null; inText: boolean; blocked: boolean }): boolean {
    if (isEditableTarget(event.target) || context.blocked) return false;
    const ui = this.ui;
    // A dialog is open: it owns the keyboard; only closing the shortcut list is handled here.
    if (ui.helpOpen) {
      if (event.key === '?' || event.key === 'Escape') {
        ui.setHelpOpen(false);
        return true;
      }
      return false;
    }
    if (ui.skipOpen) return false;
    if (CONTROL_KEYS.has(event.key) && !context.inText && !(event.ctrlKey || event.metaKey)) return false;
    const moveLine = context.moveLine;
    const key = shortcutKey(event);
    const ctrl = event.ctrlKey || event.metaKey;
    const scheme = this.session.scheme;

    if (ctrl && !event.altKey) {
      const lower = key.toLowerCase();
      if (lower === 'z' && !event.shiftKey) return this.undo() || true;
      if ((lower === 'z' && event.shiftKey) || lower === 'y') return this.redo() || true;
      if (key === 'Enter') {
        this.options.onSubmit(this);
        return true;
      }
      if (lower === 's' && event.shiftKey) {
        ui.setSkipOpen(true);
        return true;
      }
      if (key === 'ArrowLeft' || key === 'ArrowRight') return this.moveCaret(key === 'ArrowLeft' ? -1 : 1, 'word', event.shiftKey);
      return false;
    }
    if (key === '?') {
      ui.setHelpOpen(!ui.helpOpen);
      return true;
    }
    if (key === 'Escape') {
      if (ui.helpOpen) ui.setHelpOpen(false);
      else if (ui.mode.kind !== 'normal') ui.setMode({ kind: 'normal' });
      else if (ui.popover) ui.setPopover(null);
      else if (this.textRange()) ui.clearTextRange();
      else ui.selectSpan(null);
      return true;
    }
    if (ui.mode.kind === 'link') {
      if (key === 'Tab' || key === 'ArrowRight' || key === 'ArrowDown') {
        this.cycleLinkTarget(event.shiftKey ? -1 : 1);
        return true;
      }
      if (key === 'ArrowLeft' || key === 'ArrowUp') {
        this.cycleLinkTarget(-1);
        return true;
      }
      if (key === 'Enter' || key === ' ') return this.confirmLink() || true;
      return false;
    }
    if (key === 'Tab') {
      const from = ui.focus ?? 0;
      const span = event.shiftKey ? this.session.index.previous(from, ui.selectedSpanId) : this.session.index.next(from, ui.selectedSpanId);
      if (!span) return false;
      ui.selectSpan(span.id);
      ui.setTextRange(span.start, span.start);
      return true;
    }
    if (key === 'ArrowLeft' || key === 'ArrowRight') return this.moveCaret(key === 'ArrowLeft' ? -1 : 1, 'grapheme', event.shiftKey);
    if (key === 'ArrowUp' || key === 'ArrowDown') {
      const target = moveLine(key === 'ArrowUp' ? -1 : 1);
      if (target === null) return true;
      ui.setCaret(target, event.shiftKey);
      if (!event.shiftKey) ui.selectSpan(null);
      return true;
    }
    if (key === 'Home' || key === 'End') {
      const caret = ui.focus ?? 0;
      const block = this.session.blocks.find((b) => caret >= b.start && caret <= b.textEnd);
      if (block) ui.setCaret(key === 'Home' ? block.start : block.textEnd, event.shiftKey);
      return true;
    }

    const selected = ui.selectedSpanId;
    if (selected && this.session.state.spans.has(selected)) {
      if (key === 'Delete' || key === 'Backspace') return this.deleteSpan(selected) || true;
      if (key === '[' || key === ']') return this.resize(selected, 'start', key === '[' ? -1 : 1, event.altKey ? 'grapheme' : 'word') || true;
      if (key === '{' || key === '}') return this.resize(selected, 'end', key === '{' ? -1 : 1, event.altKey ? 'grapheme' : 'word') || true;
      if (key === 'Enter') {
        ui.setSideTab('span');
        this.options.focusNote?.();
        return true;
      }
    }
    if (key.length !== 1 || event.altKey) return false;
    const lower = key.toLowerCase();
    const label = scheme.spanLabels.find((l) => l.hotkey === lower);
    if (label) {
      if (this.textRange()) return this.labelSelection(label.key) || true;
      if (selected) return this.relabel(selected, label.key) || true;
      ui.setNotice(this.options.messages.selectTextFirst);
      return true;
    }
    const relation = scheme.relationTypes.find((t) => t.hotkey === lower);
    if (relation) return this.startLink(relation.key) || true;
    const category = scheme.categories.find((c) => c.hotkey === lower);
    if (category) return this.setCategory(this.session.state.category === category.key ? null : category.key) || true;
    return false;
  }

  moveCaret(direction: -1 | 1, unit: 'grapheme' | 'word', extend: boolean): boolean {
    const ui = this.ui;
    const text = this.session.text;
    const range = this.textRange();
    let from = ui.focus ?? 0;
    if (!extend && range) {
      // Collapse a selection towards the arrow, as text editors do.
      ui.setCaret(direction < 0 ? range.start : range.end);
      ui.selectSpan(null);
      return true;
    }
    if (!extend && ui.selectedSpanId) {
      const span = this.session.state.spans.get(ui.selectedSpanId);
      if (span) from = direction < 0 ? span.start : span.end;
    }
    const step =
      unit === 'word' ? (direction < 0 ? previousWordBoundary : nextWordBoundary) : direction < 0 ? previousGraphemeBoundary : nextGraphemeBoundary;
    ui.setCaret(step(text, from), extend);
    if (!extend) ui.selectSpan(null);
    return true;
  }
}
