import type { AnnotationOp, AnnotationOpKind, LabelScheme, OffsetProblemCode, Span } from '@warrant/domain';

/**
 * Why an edit was not saved, in words the interface can translate (save-status-text.ts). Never
 * the server's English sentence: that stays in SaveStatus.message for logs and tooltips.
 */
export type RefusalCause =
  /** A label, relation type or category it uses is no longer in the project's scheme. */
  | 'scheme'
  /** A span or relation it refers to no longer exists. */
  | 'missing'
  /** The same span or relation exists already (or the id is taken). */
  | 'duplicate'
  /** Its offsets do not fit the passage text (see `offsets`). */
  | 'offsets'
  /** One op alone is larger than the server takes in a request. */
  | 'too-large'
  /** Anything else the server's rules refuse. */
  | 'invalid';

/** A dropped edit, named for the user: what it did and why it was refused. */
export interface DroppedEdit {
  /** The refused op's kind (for an edit of several ops, the one the server named, else the first). */
  op: AnnotationOpKind;
  /** The label, relation type or category the op names: its key and its name in the project's scheme. */
  label?: { key: string; name: string };
  /** The passage text of the span it concerns, shortened. */
  text?: string;
  cause: RefusalCause;
  /** For cause 'offsets': the server's `details.reason`. */
  offsets?: OffsetProblemCode;
}

const OFFSET_PROBLEMS: ReadonlySet<string> = new Set<OffsetProblemCode>(['negative', 'past_end', 'not_integer', 'empty_or_reversed', 'inside_surrogate_pair']);

export function offsetProblem(value: unknown): OffsetProblemCode | undefined {
  return typeof value === 'string' && OFFSET_PROBLEMS.has(value) ? (value as OffsetProblemCode) : undefined;
}

/**
 * The cause of a refusal from its code and, for INVALID_CHANGE, its sentence. The sentences are
 * the API's and the domain's own fixed wording (annotations-repository.ts, annotation-state.ts,
 * which agree), matched only to pick a translated explanation.
 */
export function refusalCause(code: string | undefined, detail: string): RefusalCause {
  if (code === 'INVALID_OFFSETS') return 'offsets';
  if (code === 'PAYLOAD_TOO_LARGE') return 'too-large';
  if (/unknown (span label|relation type|category)/.test(detail)) return 'scheme';
  if (/already (used|marks|links)/.test(detail)) return 'duplicate';
  if (/no (span|relation) with id/.test(detail)) return 'missing';
  return 'invalid';
}

const EXCERPT_LENGTH = 40;

/** The passage text in [start, end), on one line, at most EXCERPT_LENGTH characters (never cutting one in two). */
export function excerpt(text: string, start: number, end: number): string | undefined {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) return undefined;
  const characters = Array.from(text.slice(start, end).replace(/\s+/g, ' ').trim());
  if (characters.length === 0) return undefined;
  return characters.length > EXCERPT_LENGTH ? `${characters.slice(0, EXCERPT_LENGTH - 1).join('')}…` : characters.join('');
}

function named(items: ReadonlyArray<{ key: string; name: string }>, key: string | null | undefined): DroppedEdit['label'] {
  if (key === null || key === undefined) return undefined;
  return { key, name: items.find((item) => item.key === key)?.name ?? key };
}

/** Names an op for the user. `spanOf` finds a span the op only names by id (the last state the engine knows). */
export function describeEdit(
  op: AnnotationOp | undefined,
  context: { text: string; scheme: LabelScheme },
  cause: RefusalCause,
  spanOf: (id: string) => Span | undefined,
  offsets?: OffsetProblemCode,
): DroppedEdit {
  const base = { cause, ...(offsets ? { offsets } : {}) };
  if (!op) return { op: 'setStatus', ...base };
  const { text, scheme } = context;
  const label = (edit: DroppedEdit, value: DroppedEdit['label']): DroppedEdit => (value ? { ...edit, label: value } : edit);
  const quoted = (edit: DroppedEdit, value: string | undefined): DroppedEdit => (value ? { ...edit, text: value } : edit);
  switch (op.op) {
    case 'addSpan':
      return quoted(label({ op: op.op, ...base }, named(scheme.spanLabels, op.span.label)), excerpt(text, op.span.start, op.span.end));
    case 'updateSpan': {
      const before = spanOf(op.id);
      const start = op.start ?? before?.start;
      const end = op.end ?? before?.end;
      const edit = label({ op: op.op, ...base }, named(scheme.spanLabels, op.label ?? undefined));
      return start === undefined || end === undefined ? edit : quoted(edit, excerpt(text, start, end));
    }
    case 'deleteSpan': {
      const before = spanOf(op.id);
      return before ? quoted({ op: op.op, ...base }, excerpt(text, before.start, before.end)) : { op: op.op, ...base };
    }
    case 'addRelation':
      return label({ op: op.op, ...base }, named(scheme.relationTypes, op.relation.type));
    case 'updateRelation':
      return label({ op: op.op, ...base }, named(scheme.relationTypes, op.type));
    case 'deleteRelation':
      return { op: op.op, ...base };
    case 'setCategory':
      return label({ op: op.op, ...base }, named(scheme.categories, op.category));
    case 'setStatus':
      return { op: op.op, ...base };
  }
}
