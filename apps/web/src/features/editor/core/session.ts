import {
  applyOps,
  createAnnotationState,
  type AnnotationOp,
  type AnnotationState,
  type LabelScheme,
  type Span,
} from '@warrant/domain';
import { blocksInRange, splitIntoBlocks, type Block } from './blocks.ts';
import { SpanIndex } from './span-index.ts';

type Listener = () => void;

/**
 * The passage being annotated, framework-free: its blocks, the working annotation state (the
 * server's plus this tab's edits), a span index, and per-block revisions so only the blocks an
 * edit touches render again. React subscribes through `subscribe`/`version`.
 */
export class EditorSession {
  readonly blocks: Block[];
  state: AnnotationState;
  index: SpanIndex;
  /** Changes on every edit. */
  version = 0;
  /** Changes when relations change (arcs, graph). */
  relationsVersion = 0;
  /** Per block, changes when its spans change. */
  blockRevisions: Uint32Array;
  private readonly listeners = new Set<Listener>();

  constructor(
    readonly text: string,
    public scheme: LabelScheme,
    state: AnnotationState,
  ) {
    this.blocks = splitIntoBlocks(text);
    this.state = state;
    this.index = new SpanIndex(state.spans.values());
    this.blockRevisions = new Uint32Array(this.blocks.length);
  }

  static empty(text: string, scheme: LabelScheme): EditorSession {
    return new EditorSession(text, scheme, createAnnotationState({ spans: [], relations: [], category: null, status: 'draft', skipReason: null }));
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /**
   * Validates and applies ops (all or none), the same rules as the server. Returns the ops that
   * undo them. Throws AnnotationOpError, leaving everything as it was.
   */
  apply(ops: readonly AnnotationOp[]): AnnotationOp[] {
    const before = new Map<string, Span>();
    for (const op of ops) {
      const id = op.op === 'updateSpan' || op.op === 'deleteSpan' ? op.id : null;
      const span = id ? this.state.spans.get(id) : undefined;
      if (span && id && !before.has(id)) before.set(id, { ...span });
    }
    const inverse = applyOps(this.state, ops, { text: this.text, scheme: this.scheme });
    const touched = new Set<string>();
    let relationsChanged = false;
    for (const op of ops) {
      if (op.op === 'addSpan') touched.add(op.span.id);
      else if (op.op === 'updateSpan' || op.op === 'deleteSpan') touched.add(op.id);
      if (op.op.endsWith('Relation') || op.op === 'deleteSpan') relationsChanged = true;
    }
    for (const id of touched) {
      const old = before.get(id);
      if (old) {
        this.index.remove(old);
        this.bump(old.start, old.end);
      }
      const now = this.state.spans.get(id);
      if (now) {
        this.index.add({ ...now });
        this.bump(now.start, now.end);
      }
    }
    if (relationsChanged) this.relationsVersion += 1;
    this.version += 1;
    this.emit();
    return inverse;
  }

  /** Replaces the whole state (the server's after a conflict, or a refused edit). */
  replace(state: AnnotationState): void {
    this.state = state;
    this.index = new SpanIndex(state.spans.values());
    for (let i = 0; i < this.blockRevisions.length; i += 1) this.blockRevisions[i] = (this.blockRevisions[i] ?? 0) + 1;
    this.relationsVersion += 1;
    this.version += 1;
    this.emit();
  }

  /** The label key of a span, or undefined. */
  labelOf(spanId: string): string | undefined {
    return this.state.spans.get(spanId)?.label;
  }

  private bump(start: number, end: number): void {
    for (const i of blocksInRange(this.blocks, start, Math.max(end, start + 1))) {
      this.blockRevisions[i] = (this.blockRevisions[i] ?? 0) + 1;
    }
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
