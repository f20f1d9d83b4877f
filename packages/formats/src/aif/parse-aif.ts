import { OffsetIndex } from '@warrant/domain';
import {
  FormatError,
  type DatasetDocument,
  type DatasetRelation,
  type DatasetSpan,
  type FormatLoss,
  type FormatProblem,
} from '../dataset/document.ts';
import { jsonErrorOffset } from './json-error-offset.ts';
import { AIF_NODE_TYPES, AIF_SOURCE, DEFAULT_CONFLICT, DEFAULT_INFERENCE, type AifNodeType } from './aif.ts';

export interface AifParseInput {
  /** Shown in errors; without a `warrant.id`, the document id is its name without `.json`. */
  file: string;
  json: string;
  /**
   * The passage text, for AIF without Warrant's `warrant.text`: I-nodes are located in it.
   * Ignored when the file has `warrant.text`.
   */
  text?: string;
  /** Annotation source; default the file's `warrant.source`, else `aif`. */
  source?: string;
}

export interface AifParseResult {
  document: DatasetDocument;
  losses: FormatLoss[];
}

interface Node {
  id: string;
  type: AifNodeType;
  text: string;
  extra: Record<string, unknown> | null;
  ref: string;
}

const NOT_IMPORTED: Partial<Record<AifNodeType, string>> = {
  L: 'L-node (locution): Warrant imports the argument structure, not the dialogue',
  YA: 'YA-node (illocution): Warrant imports the argument structure, not the dialogue',
  TA: 'TA-node (transition): Warrant imports the argument structure, not the dialogue',
  MA: 'MA-node (rephrase): Warrant has no rephrase relation',
  PA: 'PA-node (preference): Warrant has no preference relation',
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isOffset = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * Reads AIF JSON (AIFdb, OVA, or Warrant's own `writeAif`). Spans come from I-nodes, relations
 * from RA-nodes (supports) and CA-nodes (attacks; undercuts when aimed at an RA or CA node).
 * Warrant's `warrant` fields, when present, restore offsets, labels, ids and the text exactly;
 * otherwise each I-node is located in the text (the next occurrence after the previous
 * I-node, else the first), labels are inferred and ids are node ids. Everything not imported
 * is a loss; a file that is not AIF is a FormatError with all its problems.
 */
export function parseAif(input: AifParseInput): AifParseResult {
  const { file } = input;
  const problems: FormatProblem[] = [];
  const problem = (element: string, message: string) => problems.push({ file, element, message });

  let data: unknown;
  try {
    data = JSON.parse(input.json);
  } catch (error) {
    const offset = jsonErrorOffset(input.json);
    const before = input.json.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const found = offset < input.json.length ? `unexpected ${JSON.stringify(input.json[offset])}` : 'unexpected end of input';
    throw new FormatError([{ file, line, message: `invalid JSON at line ${line}, column ${column}: ${found} (${(error as Error).message.split('\n')[0]})` }]);
  }
  if (!isRecord(data)) throw new FormatError([{ file, message: 'an AIF file is a JSON object with nodes and edges' }]);
  if (!Array.isArray(data.nodes)) problem('nodes', "'nodes' must be an array");
  if (!Array.isArray(data.edges)) problem('edges', "'edges' must be an array");
  const top = data.warrant;
  if (top !== undefined && !isRecord(top)) problem('warrant', "'warrant' must be an object");
  const extra = isRecord(top) ? top : {};
  for (const [key, type] of [['id', 'string'], ['text', 'string'], ['source', 'string']] as const) {
    if (extra[key] !== undefined && typeof extra[key] !== type) problem(`warrant.${key}`, `must be a ${type}`);
  }
  if (problems.length > 0) throw new FormatError(problems);

  const nodes = new Map<string, Node>();
  (data.nodes as unknown[]).forEach((raw, index) => {
    const at = `nodes[${index}]`;
    if (!isRecord(raw)) return problem(at, 'a node must be an object');
    const id = typeof raw.nodeID === 'number' ? String(raw.nodeID) : raw.nodeID;
    if (typeof id !== 'string' || id === '') return problem(at, 'nodeID must be a non-empty string or a number');
    const ref = `node ${id}`;
    if (nodes.has(id)) return problem(ref, `nodeID '${id}' is used twice`);
    if (!AIF_NODE_TYPES.includes(raw.type as AifNodeType)) return problem(ref, `type ${JSON.stringify(raw.type)} is not one of ${AIF_NODE_TYPES.join(', ')}`);
    const type = raw.type as AifNodeType;
    if (type === 'I' && typeof raw.text !== 'string') return problem(ref, 'an I-node needs a text');
    if (raw.warrant !== undefined && !isRecord(raw.warrant)) return problem(ref, "'warrant' must be an object");
    nodes.set(id, { id, type, text: typeof raw.text === 'string' ? raw.text : '', extra: isRecord(raw.warrant) ? raw.warrant : null, ref });
  });
  const outgoing = new Map<string, string[]>();
  const incoming = new Map<string, string[]>();
  (data.edges as unknown[]).forEach((raw, index) => {
    const at = `edges[${index}]`;
    if (!isRecord(raw)) return problem(at, 'an edge must be an object');
    const edgeId = typeof raw.edgeID === 'number' ? String(raw.edgeID) : raw.edgeID;
    const ref = typeof edgeId === 'string' && edgeId !== '' ? `edge ${edgeId}` : at;
    const ends: string[] = [];
    for (const key of ['fromID', 'toID'] as const) {
      const value = typeof raw[key] === 'number' ? String(raw[key]) : raw[key];
      if (typeof value !== 'string') problem(ref, `${key} must be a string or a number`);
      else if (!nodes.has(value)) problem(ref, `${key} '${value}' is not a node`);
      else ends.push(value);
    }
    const [from, to] = ends;
    if (from === undefined || to === undefined) return;
    outgoing.set(from, [...(outgoing.get(from) ?? []), to]);
    incoming.set(to, [...(incoming.get(to) ?? []), from]);
  });
  if (problems.length > 0) throw new FormatError(problems);

  const losses: FormatLoss[] = [];
  const isScheme = (id: string) => {
    const type = nodes.get(id)?.type;
    return type === 'RA' || type === 'CA';
  };
  const isI = (id: string) => nodes.get(id)?.type === 'I';
  for (const node of nodes.values()) {
    const reason = NOT_IMPORTED[node.type];
    if (reason) losses.push({ document: '', item: node.ref, reason });
  }

  // The text: Warrant's own, else the caller's, else the I-node texts joined by spaces.
  const iNodes = [...nodes.values()].filter((node) => node.type === 'I');
  let text: string;
  let built = false;
  if (typeof extra.text === 'string') text = extra.text;
  else if (input.text !== undefined) text = input.text;
  else {
    text = iNodes.map((node) => node.text).join(' ');
    built = true;
    losses.push({ document: '', item: 'text', reason: 'the file holds no passage text: it is built from the I-node texts joined by single spaces' });
  }
  const index = new OffsetIndex(text);

  // Spans.
  const spans: DatasetSpan[] = [];
  const spanOf = new Map<string, string>();
  let cursor = 0;
  let builtAt = 0;
  for (const node of iNodes) {
    const own = node.extra;
    let start: number;
    let end: number;
    if (own && (own.start_utf16 !== undefined || own.start !== undefined)) {
      const utf16 = own.start_utf16 !== undefined || own.end_utf16 !== undefined;
      const [rawStart, rawEnd] = utf16 ? [own.start_utf16, own.end_utf16] : [own.start, own.end];
      if (!isOffset(rawStart) || !isOffset(rawEnd)) {
        problem(node.ref, `warrant.${utf16 ? 'start_utf16/end_utf16' : 'start/end'} must be non-negative integers`);
        continue;
      }
      try {
        [start, end] = utf16 ? [rawStart, rawEnd] : [index.toUtf16(rawStart), index.toUtf16(rawEnd)];
      } catch (error) {
        problem(node.ref, `warrant offsets: ${(error as Error).message}`);
        continue;
      }
      if (text.slice(start, end) !== node.text || start >= end) {
        problem(node.ref, `warrant offsets ${start}..${end} (UTF-16) do not hold the node's text ${JSON.stringify(node.text)}`);
        continue;
      }
    } else if (built) {
      start = builtAt;
      end = start + node.text.length;
      builtAt = end + 1;
      if (node.text === '') {
        losses.push({ document: '', item: node.ref, reason: 'empty I-node text' });
        continue;
      }
    } else {
      const found = node.text === '' ? -1 : text.indexOf(node.text, cursor) >= 0 ? text.indexOf(node.text, cursor) : text.indexOf(node.text);
      if (found < 0) {
        losses.push({ document: '', item: node.ref, reason: `I-node text ${JSON.stringify(node.text)} is not in the passage text` });
        continue;
      }
      start = found;
      end = found + node.text.length;
      cursor = end;
    }
    const premise = (outgoing.get(node.id) ?? []).some(isScheme);
    const label = typeof own?.label === 'string' ? own.label : premise ? 'premise' : 'conclusion';
    const id = typeof own?.id === 'string' ? own.id : node.id;
    const note = typeof own?.note === 'string' ? own.note : null;
    spanOf.set(node.id, id);
    spans.push({ id, label, start, end, note });
  }

  // Relations: each premise of an RA/CA node gives one relation to the node's single target.
  const relationsOf = new Map<string, DatasetRelation[] | null>();
  const relationFor = (schemeId: string, path: string[]): DatasetRelation[] | null => {
    if (relationsOf.has(schemeId)) return relationsOf.get(schemeId)!;
    const node = nodes.get(schemeId)!;
    relationsOf.set(schemeId, null);
    const lose = (reason: string) => {
      losses.push({ document: '', item: node.ref, reason });
      return null;
    };
    const targets = (outgoing.get(schemeId) ?? []).filter((to) => isI(to) || isScheme(to));
    if (targets.length > 1) {
      problem(node.ref, `a ${node.type}-node has one conclusion, found ${targets.length} (nodes ${targets.join(', ')})`);
      return null;
    }
    const targetNode = targets[0];
    if (targetNode === undefined) return lose(`${node.type}-node with no conclusion: not imported`);
    const premises = (incoming.get(schemeId) ?? []).filter(isI);
    if (premises.length === 0) return lose(`${node.type}-node with no premise I-node: not imported`);
    let target: string | undefined;
    if (isI(targetNode)) {
      target = spanOf.get(targetNode);
      if (target === undefined) return lose(`its conclusion node ${targetNode} was not imported`);
    } else {
      if (path.includes(targetNode)) return lose(`scheme nodes aim at each other in a cycle: ${[...path, schemeId].join(' -> ')}`);
      target = relationFor(targetNode, [...path, schemeId])?.[0]?.id;
      if (target === undefined) return lose(`its target node ${targetNode} gave no relation`);
    }
    const own = node.extra;
    const type = typeof own?.type === 'string' ? own.type : node.type === 'RA' ? 'supports' : isI(targetNode) ? 'attacks' : 'undercuts';
    const baseId = typeof own?.id === 'string' ? own.id : node.id;
    const made: DatasetRelation[] = [];
    for (const premise of premises) {
      const source = spanOf.get(premise);
      if (source === undefined) {
        losses.push({ document: '', item: node.ref, reason: `premise node ${premise} was not imported: its relation is dropped` });
        continue;
      }
      made.push({ id: made.length === 0 ? baseId : `${baseId}-${made.length + 1}`, type, source, target });
    }
    if (made.length > 1) {
      losses.push({ document: '', item: node.ref, reason: `linked premises (${made.map((relation) => relation.source).join(', ')}) imported as ${made.length} separate '${type}' relations` });
    }
    const defaultText = node.type === 'RA' ? DEFAULT_INFERENCE : DEFAULT_CONFLICT;
    if (!own && node.text !== '' && node.text !== defaultText) {
      losses.push({ document: '', item: node.ref, reason: `scheme '${node.text}' is not kept: the relation is '${type}'` });
    }
    relationsOf.set(schemeId, made.length > 0 ? made : null);
    return made.length > 0 ? made : null;
  };
  const relations: DatasetRelation[] = [];
  for (const node of nodes.values()) {
    if (isScheme(node.id)) relations.push(...(relationFor(node.id, []) ?? []));
  }

  const seen = new Map<string, string>();
  for (const item of [...spans.map((span) => ['span', span.id]), ...relations.map((relation) => ['relation', relation.id])]) {
    const [kind, id] = item as [string, string];
    const earlier = seen.get(id);
    if (earlier) problem(`${kind} ${id}`, `id '${id}' is used by a ${earlier} and a ${kind}`);
    seen.set(id, kind);
  }
  if (problems.length > 0) throw new FormatError(problems);

  const documentId = typeof extra.id === 'string' ? extra.id : (file.split(/[\\/]/).at(-1) ?? file).replace(/\.json$/i, '');
  const source = input.source ?? (typeof extra.source === 'string' ? extra.source : AIF_SOURCE);
  for (const loss of losses) {
    loss.document = documentId;
    loss.source = source;
  }
  return {
    document: {
      id: documentId,
      text,
      language: typeof extra.language === 'string' ? extra.language : null,
      meta: isRecord(extra.meta) ? extra.meta : null,
      annotations: [{ source, category: typeof extra.category === 'string' ? extra.category : null, spans, relations }],
    },
    losses,
  };
}
