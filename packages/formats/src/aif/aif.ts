/**
 * The shape of AIF JSON as AIFdb and OVA write it, plus the `warrant` fields Warrant adds so a
 * round trip keeps what AIF has no place for (offsets, labels, ids, the passage text). AIF
 * tools ignore fields they do not know.
 */

export const AIF_NODE_TYPES = ['I', 'L', 'RA', 'CA', 'MA', 'PA', 'YA', 'TA'] as const;
export type AifNodeType = (typeof AIF_NODE_TYPES)[number];

/** On I-nodes: where the span is. Offsets as in the semantic dataset: code points and UTF-16. */
export interface AifSpanExtra {
  id: string;
  label: string;
  note: string | null;
  start: number;
  end: number;
  start_utf16: number;
  end_utf16: number;
}

/** On RA/CA nodes: the relation they were made from. */
export interface AifRelationExtra {
  id: string;
  type: string;
}

export interface AifNode {
  nodeID: string;
  text: string;
  type: AifNodeType;
  warrant?: AifSpanExtra | AifRelationExtra;
}

export interface AifEdge {
  edgeID: string;
  fromID: string;
  toID: string;
}

/** Top level: the document itself. */
export interface AifDocumentExtra {
  version: 1;
  id: string;
  text: string;
  language: string | null;
  category: string | null;
  source: string;
  meta: Record<string, unknown> | null;
}

export interface AifFile {
  nodes: AifNode[];
  edges: AifEdge[];
  locutions: unknown[];
  warrant?: AifDocumentExtra;
}

export const AIF_SOURCE = 'aif';
/** The texts AIFdb gives scheme nodes that name no particular scheme. */
export const DEFAULT_INFERENCE = 'Default Inference';
export const DEFAULT_CONFLICT = 'Default Conflict';
